import type { Paper, ReadingListEntry, ReadingStatus, SyncRecord } from '../schema';
import { derivedStamp, editStamp, stampTime, type Stamp } from './clock';

/**
 * The merge rules of docs/sync.md, as pure functions over `SyncRecord`s. `mergeRecords` is commutative,
 * associative and idempotent for the cases that matter (two browsers, and replays), so browsers that have
 * seen the same changes hold the same records whatever order the changes arrived in.
 */

export type VersionVector = Record<string, number>;

/** Put between two notes written at the same time in two browsers: both are kept, the later one first. */
export const NOTES_CONFLICT_MARKER = '\n\n— also written in another browser —\n\n';
const NOTES_MAX = 100000;
/** What an entry created from sync is called when neither the record nor the corpus has its title. */
const PLACEHOLDER_PREFIX = 'arXiv:';

/** `a` has seen every note edit `b` has. */
export function dominates(a: VersionVector, b: VersionVector): boolean {
  return Object.entries(b).every(([device, n]) => (a[device] ?? 0) >= n);
}

export function joinVersions(a: VersionVector, b: VersionVector): VersionVector {
  const out: VersionVector = { ...a };
  for (const [device, n] of Object.entries(b)) out[device] = Math.max(out[device] ?? 0, n);
  return sortedVector(out);
}

function sortedVector(v: VersionVector): VersionVector {
  return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/**
 * The metadata a record carries for browsers whose corpus lacks the paper: the title and the first author
 * (the rest of the authors would cost a sixth of the entries that fit), cut to what sync can afford.
 */
function metadataOf(entry: ReadingListEntry): Pick<SyncRecord, 'title' | 'arxivId' | 'authors' | 'year'> {
  return { title: entry.title.slice(0, 300), arxivId: entry.arxivId, authors: entry.authors.slice(0, 1).map((a) => a.slice(0, 100)), year: entry.year };
}

/**
 * The record for a browser's own entry, with what changed since `record` (the last state sync knew) stamped
 * as a new edit: a status or note that differs, a new save, a removal. An edit also re-saves the entry, so an
 * edit made after a removal elsewhere brings the entry back.
 */
export function recordLocalEdits(entry: ReadingListEntry | undefined, record: SyncRecord | undefined, device: string, now: number): SyncRecord | undefined {
  if (!entry) {
    if (!record?.saved) return record;
    return { paperId: record.paperId, saved: false, savedAt: editStamp(now, record.savedAt, device), notesVersion: record.notesVersion };
  }
  // Reading-list writes set `updatedAt`: the edit's own time, even when sync notices it later.
  const editedAt = Math.min(entry.updatedAt, now);
  if (!record) {
    const at = editStamp(editedAt, undefined, device);
    return {
      paperId: entry.paperId,
      saved: true,
      savedAt: at,
      status: entry.status,
      statusAt: at,
      notes: entry.notes,
      notesAt: at,
      notesVersion: entry.notes ? { [device]: 1 } : {},
      addedAt: entry.addedAt,
      ...metadataOf(entry),
    };
  }
  const statusChanged = entry.status !== record.status;
  const notesChanged = entry.notes !== (record.notes ?? '');
  if (record.saved && !statusChanged && !notesChanged) return record;
  const at = editStamp(editedAt, record.savedAt, device);
  const out: SyncRecord = { ...record, saved: true, savedAt: at };
  if (statusChanged) Object.assign(out, { status: entry.status, statusAt: at });
  if (notesChanged) {
    out.notes = entry.notes;
    out.notesAt = at;
    out.notesVersion = joinVersions(record.notesVersion, { [device]: (record.notesVersion[device] ?? 0) + 1 });
  } else if (out.notes === undefined) {
    Object.assign(out, { notes: entry.notes, notesAt: at });
  }
  if (!record.saved) Object.assign(out, { addedAt: entry.addedAt, ...metadataOf(entry) });
  return out;
}

/** The later of two stamped values (the same stamp means the same edit; values are compared only to stay deterministic). */
function later<T>(a: T | undefined, aAt: Stamp | undefined, b: T | undefined, bAt: Stamp | undefined): [T | undefined, Stamp | undefined] {
  if (a === undefined || aAt === undefined) return [b, bAt];
  if (b === undefined || bAt === undefined) return [a, aAt];
  if (aAt !== bAt) return aAt > bAt ? [a, aAt] : [b, bAt];
  return String(a) >= String(b) ? [a, aAt] : [b, bAt];
}

/** Two notes neither of which saw the other: the later one first, then the other unless it adds nothing. */
export function combineNotes(winner: string, loser: string): string {
  const w = winner.trim();
  const l = loser.trim();
  if (l === '' || w.includes(l)) return winner;
  if (w === '' || l.includes(w)) return loser;
  return (winner.trimEnd() + NOTES_CONFLICT_MARKER + l).slice(0, NOTES_MAX);
}

function mergeNotes(a: SyncRecord, b: SyncRecord): Pick<SyncRecord, 'notes' | 'notesAt' | 'notesVersion'> {
  const notesVersion = joinVersions(a.notesVersion, b.notesVersion);
  if (a.notes === undefined || b.notes === undefined) {
    const only = a.notes === undefined ? b : a;
    return { notes: only.notes, notesAt: only.notesAt, notesVersion };
  }
  const aSawB = dominates(a.notesVersion, b.notesVersion);
  const bSawA = dominates(b.notesVersion, a.notesVersion);
  const equalVersions = aSawB && bSawA;
  if (!equalVersions && aSawB) return { notes: a.notes, notesAt: a.notesAt, notesVersion };
  if (!equalVersions && bSawA) return { notes: b.notes, notesAt: b.notesAt, notesVersion };
  const aFirst = (a.notesAt ?? '') !== (b.notesAt ?? '') ? (a.notesAt ?? '') > (b.notesAt ?? '') : a.notes >= b.notes;
  const [first, second] = aFirst ? [a, b] : [b, a];
  if (first.notes === second.notes) return { notes: first.notes, notesAt: first.notesAt, notesVersion };
  // Concurrent edits (or the same edit count with different texts, e.g. two browsers that both had notes before sync).
  return { notes: combineNotes(first.notes!, second.notes!), notesAt: first.notesAt, notesVersion };
}

function isPlaceholder(title: string | undefined): boolean {
  return !title || title.startsWith(PLACEHOLDER_PREFIX);
}

/** The record whose paper metadata to keep: a real title over a placeholder, then the later save. */
function metadataSource(a: SyncRecord, b: SyncRecord): SyncRecord {
  const rank = (r: SyncRecord) => `${isPlaceholder(r.title) ? 0 : 1}${r.savedAt}${r.title ?? ''}`;
  return rank(a) >= rank(b) ? a : b;
}

export function mergeRecords(a: SyncRecord, b: SyncRecord): SyncRecord {
  let [saved, savedAt] = later(a.saved, a.savedAt, b.saved, b.savedAt) as [boolean, Stamp];
  const notes = mergeNotes(a, b);
  if (!saved) {
    // A removal removes the note versions it had seen; a note edited where it had not been seen keeps the entry.
    const removal = savedAt === a.savedAt && !a.saved ? a : b;
    const unseen = [a, b].some((r) => r.saved && r.notes?.trim() && !dominates(removal.notesVersion, r.notesVersion));
    if (!unseen) return { paperId: a.paperId, saved: false, savedAt, notesVersion: notes.notesVersion };
    saved = true;
    savedAt = derivedStamp(savedAt);
  }
  const [status, statusAt] = later(a.status, a.statusAt, b.status, b.statusAt) as [ReadingStatus | undefined, Stamp | undefined];
  const meta = metadataSource(a, b);
  const added = [a.addedAt, b.addedAt].filter((t): t is number => t !== undefined);
  return clean({
    paperId: a.paperId,
    saved,
    savedAt,
    status,
    statusAt,
    ...notes,
    addedAt: added.length ? Math.min(...added) : undefined,
    title: meta.title,
    arxivId: meta.arxivId,
    authors: meta.authors,
    year: meta.year,
  });
}

/** Drops undefined fields, so equal records compare equal whatever path built them. */
function clean(record: SyncRecord): SyncRecord {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as SyncRecord;
}

const FIELD_ORDER: Array<keyof SyncRecord> = ['paperId', 'saved', 'savedAt', 'status', 'statusAt', 'notes', 'notesAt', 'notesVersion', 'addedAt', 'title', 'arxivId', 'authors', 'year'];

/** A canonical text of a record: equal records (however they were built) have equal keys. */
export function recordKey(record: SyncRecord): string {
  return JSON.stringify(FIELD_ORDER.map((field) => (field === 'notesVersion' ? sortedVector(record.notesVersion) : (record[field] ?? null))));
}

export function sameRecord(a: SyncRecord | undefined, b: SyncRecord | undefined): boolean {
  if (!a || !b) return a === b;
  return recordKey(a) === recordKey(b);
}

/** The latest stamp a record holds (for the clock, and for the entry's `updatedAt`). */
export function latestStamp(record: SyncRecord): Stamp {
  return [record.savedAt, record.statusAt ?? '', record.notesAt ?? ''].reduce((x, y) => (x >= y ? x : y));
}

/**
 * The local entry a merged record asks for: `null` removes it. The local copy of the paper's metadata is
 * kept; an entry new to this browser takes the corpus's record of the paper, else what the record carries.
 */
export function entryFor(record: SyncRecord, existing: ReadingListEntry | undefined, paper: Paper | undefined): ReadingListEntry | null {
  if (!record.saved) return null;
  const editedAt = stampTime(latestStamp(record));
  const base: ReadingListEntry = existing ?? {
    paperId: record.paperId,
    arxivId: paper?.arxivId ?? record.arxivId ?? null,
    title: paper?.title ?? (record.title?.trim() ? record.title : record.arxivId ? `${PLACEHOLDER_PREFIX}${record.arxivId}` : record.paperId),
    authors: paper?.authors ?? record.authors ?? [],
    year: paper?.year ?? record.year ?? null,
    published: paper?.published ?? null,
    abstract: paper?.abstract ?? '',
    categories: paper?.categories ?? [],
    status: 'to-read',
    notes: '',
    addedAt: record.addedAt ?? editedAt,
    updatedAt: editedAt,
  };
  return {
    ...base,
    status: record.status ?? base.status,
    notes: record.notes ?? base.notes,
    addedAt: Math.min(base.addedAt, record.addedAt ?? base.addedAt),
    updatedAt: Math.max(base.updatedAt, editedAt),
  };
}

/** Records in the order the sync area takes them when it cannot hold all: removals, notes, then the newest saves. */
export function syncPriority(a: SyncRecord, b: SyncRecord): number {
  const rank = (r: SyncRecord) => (!r.saved ? 0 : r.notes?.trim() ? 1 : 2);
  return rank(a) - rank(b) || (b.addedAt ?? 0) - (a.addedAt ?? 0) || (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0) || (a.paperId < b.paperId ? -1 : 1);
}
