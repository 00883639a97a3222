import { parse as parseLenient, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { describeZodError, ReadingListEntry } from '../schema';

/**
 * Margin's full backup (every entry with notes, statuses and dates), its validation with readable
 * errors, and a merge plan for importing it into an existing reading list without losing anything.
 */

export const BACKUP_FORMAT = 'margin-backup';
export const BACKUP_VERSION = 1;

export const MarginBackup = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  /** ISO 8601 time of export. */
  exportedAt: z.string().max(100),
  entries: z.array(ReadingListEntry),
});
export type MarginBackup = z.infer<typeof MarginBackup>;

export function createBackup(entries: ReadingListEntry[], now: Date = new Date()): MarginBackup {
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: now.toISOString(), entries: entries.map((e) => ({ ...e })) };
}

export function toBackupText(entries: ReadingListEntry[], now: Date = new Date()): string {
  return JSON.stringify(createBackup(entries, now), null, 2) + '\n';
}

/** Same as `toBackupText` (the name the options page uses). */
export const toBackupJson = toBackupText;

export type ParseBackupResult = { ok: true; backup: MarginBackup } | { ok: false; error: string };

/** Where a JSON syntax error is, found with jsonc-parser (JSON.parse's messages differ per browser and often omit it). */
function jsonErrorLocation(text: string): string {
  const errors: ParseError[] = [];
  try {
    parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses per nesting level: a hostile file of 10 MB of "[" overflows the stack.
    return ' (it is nested too deeply to be a Margin backup)';
  }
  const first = errors[0];
  if (!first) return '';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - (before.lastIndexOf('\n') + 1) + 1;
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return ` (line ${line}, column ${column}: ${what})`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

function looksLikeUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.byteLength, 64) & ~1;
  if (n < 4) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  // ASCII text in UTF-16: every other byte is zero.
  return zeros / n > 0.4 && zeros / n < 0.6;
}

/**
 * A backup file as the user chose it: the bytes are checked before they become text, so a
 * UTF-16, Latin-1, binary or compressed file gets a clear error instead of being misread
 * (decoding Latin-1 as UTF-8 would silently turn "Schrödinger" into "Schr\uFFFDdinger").
 */
export function parseBackupFile(bytes: Uint8Array): ParseBackupResult {
  const fail = (error: string): ParseBackupResult => ({ ok: false, error });
  if (bytes.byteLength === 0) return fail('The file is empty.');
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksLikeUtf16(bytes)) {
    return fail('The file is UTF-16 text; Margin backups are UTF-8 JSON. Export the backup from Margin again, or save the file as UTF-8.');
  }
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) return fail('This is a ZIP archive, not a Margin backup; extract the .json file from it and import that.');
  if (b0 === 0x1f && b1 === 0x8b) return fail('This is a gzip-compressed file; decompress it and import the .json file inside.');
  const head = bytes.subarray(0, 1024);
  if (head.some((b) => b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d))) {
    return fail('This is a binary file, not a Margin backup (a JSON text file).');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('The file is not valid UTF-8 text (was it saved as Latin-1 or Windows-1252?); Margin backups are UTF-8 JSON.');
  }
  return parseBackup(text);
}

export function parseBackup(input: string): ParseBackupResult {
  const fail = (error: string): ParseBackupResult => ({ ok: false, error });
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fail('The file is empty.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(`The file is not valid JSON${jsonErrorLocation(text)}.`);
  }
  if (Array.isArray(data)) {
    return fail('The file holds a JSON list, not a Margin backup (CSL-JSON exports cannot be imported; use a "Margin backup" file).');
  }
  if (typeof data !== 'object' || data === null) {
    return fail(`The file is not a Margin backup: expected a JSON object, found ${describeValue(data)}.`);
  }
  const o = data as Record<string, unknown>;
  if (o.format !== BACKUP_FORMAT) {
    return fail(
      o.format === undefined
        ? `The file is not a Margin backup: it has no "format": "${BACKUP_FORMAT}" field.`
        : `The file is not a Margin backup: its format is ${describeValue(o.format)}, expected "${BACKUP_FORMAT}".`,
    );
  }
  if (o.version !== BACKUP_VERSION) {
    if (typeof o.version === 'number' && Number.isInteger(o.version) && o.version > BACKUP_VERSION) {
      return fail(`The backup was made by a newer version of Margin (backup version ${o.version}); this version reads version ${BACKUP_VERSION}. Update Margin and try again.`);
    }
    return fail(`Unsupported backup version ${describeValue(o.version)}; expected ${BACKUP_VERSION}.`);
  }
  if (typeof o.exportedAt !== 'string') return fail('The backup is damaged: "exportedAt" is missing or not a date string.');
  if (!Array.isArray(o.entries)) return fail(`The backup is damaged: "entries" should be a list, found ${o.entries === undefined ? 'nothing' : describeValue(o.entries)}.`);

  const entries: ReadingListEntry[] = [];
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < o.entries.length; i++) {
    const raw: unknown = o.entries[i];
    const parsed = ReadingListEntry.safeParse(raw);
    if (!parsed.success) {
      const title = raw && typeof raw === 'object' && typeof (raw as { title?: unknown }).title === 'string' ? ` ("${((raw as { title: string }).title).slice(0, 60)}")` : '';
      const why = describeZodError(parsed.error).replace(/Invalid input: expected (\w+), received undefined/g, 'missing (should be a $1)');
      return fail(`Entry ${i + 1} of ${o.entries.length}${title} is invalid: ${why}.`);
    }
    const seen = firstIndex.get(parsed.data.paperId);
    if (seen !== undefined) return fail(`Entries ${seen + 1} and ${i + 1} are the same paper (paperId "${parsed.data.paperId}"); a backup lists each paper once.`);
    firstIndex.set(parsed.data.paperId, i);
    entries.push(parsed.data);
  }
  // Unknown top-level keys are ignored (forward compatible).
  return { ok: true, backup: { format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: o.exportedAt, entries } };
}

// ---- Merge plan ----------------------------------------------------------------------------

export interface ImportPlan {
  /** Papers not in the list yet, as in the backup. */
  toAdd: ReadingListEntry[];
  /** Merged entries to write over existing ones. */
  toUpdate: ReadingListEntry[];
  /** Papers of the backup that are already in the list as they are (the list's copy). */
  unchanged: ReadingListEntry[];
  summary: { new: number; updated: number; unchanged: number };
  /** Anything the merge could not do perfectly (e.g. combined notes over the size limit). */
  warnings: string[];
}

export const NOTES_SEPARATOR = '\n\n— imported —\n\n';
const NOTES_MAX = 100000;

function mergeNotes(existing: string, incoming: string, paperId: string, warnings: string[]): string {
  const a = existing.trim();
  const b = incoming.trim();
  if (b === '' || a === b || a.includes(b)) return existing;
  if (a === '' || b.includes(a)) return incoming;
  const combined = existing.trimEnd() + NOTES_SEPARATOR + incoming.trim();
  if (combined.length > NOTES_MAX) {
    warnings.push(`Notes for "${paperId}" differ but together exceed ${NOTES_MAX} characters; the existing notes were kept.`);
    return existing;
  }
  return combined;
}

/** Merges one paper: nothing known on either side is dropped. */
export function mergeEntry(existing: ReadingListEntry, incoming: ReadingListEntry, warnings: string[] = []): ReadingListEntry {
  const incomingNewer = incoming.updatedAt > existing.updatedAt;
  return {
    paperId: existing.paperId,
    // Paper metadata: the list's copy, with gaps filled from the backup.
    arxivId: existing.arxivId ?? incoming.arxivId,
    title: existing.title,
    authors: existing.authors.length ? existing.authors : incoming.authors,
    year: existing.year ?? incoming.year,
    published: existing.published ?? incoming.published,
    abstract: existing.abstract.trim() ? existing.abstract : incoming.abstract,
    categories: existing.categories.length ? existing.categories : incoming.categories,
    // The later edit wins for the status.
    status: incomingNewer ? incoming.status : existing.status,
    notes: mergeNotes(existing.notes, incoming.notes, existing.paperId, warnings),
    addedAt: Math.min(existing.addedAt, incoming.addedAt),
    updatedAt: Math.max(existing.updatedAt, incoming.updatedAt),
    // The list's own record of the version saved, else the backup's; absent stays absent.
    ...savedVersionOf(existing.savedVersion ?? incoming.savedVersion),
  };
}

function savedVersionOf(version: number | null | undefined): Pick<ReadingListEntry, 'savedVersion'> {
  return version === undefined ? {} : { savedVersion: version };
}

const ENTRY_KEYS = Object.keys(ReadingListEntry.shape) as Array<keyof ReadingListEntry>;

function sameEntry(a: ReadingListEntry, b: ReadingListEntry): boolean {
  return ENTRY_KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export function planImport(existing: ReadingListEntry[], incoming: ReadingListEntry[]): ImportPlan {
  const warnings: string[] = [];
  const current = new Map(existing.map((e) => [e.paperId, e]));
  // Incoming duplicates (parseBackup rejects them, other callers might not) fold into one.
  const wanted = new Map<string, ReadingListEntry>();
  for (const e of incoming) {
    const prev = wanted.get(e.paperId);
    wanted.set(e.paperId, prev ? mergeEntry(prev, e, warnings) : e);
  }
  const toAdd: ReadingListEntry[] = [];
  const toUpdate: ReadingListEntry[] = [];
  const unchanged: ReadingListEntry[] = [];
  for (const [id, e] of wanted) {
    const have = current.get(id);
    if (!have) {
      toAdd.push(e);
      continue;
    }
    const merged = mergeEntry(have, e, warnings);
    if (sameEntry(merged, have)) unchanged.push(have);
    else toUpdate.push(merged);
  }
  return { toAdd, toUpdate, unchanged, summary: { new: toAdd.length, updated: toUpdate.length, unchanged: unchanged.length }, warnings };
}
