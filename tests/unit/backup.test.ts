import { describe, expect, it } from 'vitest';
import { createBackup, mergeEntry, NOTES_SEPARATOR, parseBackup, planImport, toBackupText } from '../../lib/export/backup';
import type { ReadingListEntry } from '../../lib/schema';
import { readingListEntry } from '../helpers/factories';

/** Entries about Mixtral unless a test says otherwise. */
function entry(over: Partial<ReadingListEntry>): ReadingListEntry {
  return readingListEntry({
    paperId: '2401.04088',
    arxivId: '2401.04088',
    title: 'Mixtral of Experts',
    authors: ['Albert Q. Jiang'],
    published: '2024-01-08',
    abstract: 'Sparse mixture of experts.',
    categories: ['cs.LG'],
    addedAt: 1000,
    updatedAt: 1000,
    ...over,
  });
}

const ENTRIES = [
  entry({ notes: 'line 1\nline 2 <script>alert(1)</script>', status: 'reading', updatedAt: 5000 }),
  entry({ paperId: 't:abc', arxivId: null, title: 'No id } { \\ @', authors: [], year: null, published: null, abstract: '', categories: [], status: 'done' }),
  entry({ paperId: 'hep-th/9901001', arxivId: 'hep-th/9901001', title: 'Old paper', notes: 'javascript:alert(1)' }),
];

const valid = () => JSON.parse(toBackupText(ENTRIES, new Date('2024-05-06T00:00:00Z'))) as Record<string, unknown> & { entries: Record<string, unknown>[] };

describe('backup round trip', () => {
  it('export → parse → plan on an empty list restores the same entries', () => {
    const text = toBackupText(ENTRIES);
    const parsed = parseBackup(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.backup.format).toBe('margin-backup');
    expect(parsed.backup.version).toBe(1);
    expect(parsed.backup.entries).toEqual(ENTRIES);
    const plan = planImport([], parsed.backup.entries);
    expect(plan.toAdd).toEqual(ENTRIES);
    expect(plan.toUpdate).toEqual([]);
    expect(plan.summary).toEqual({ new: 3, updated: 0, unchanged: 0 });
  });

  it('importing the same backup again changes nothing', () => {
    const plan = planImport(ENTRIES, createBackup(ENTRIES).entries);
    expect(plan.summary).toEqual({ new: 0, updated: 0, unchanged: 3 });
    expect(plan.unchanged).toEqual(ENTRIES);
  });

  it('accepts a UTF-8 byte-order mark and CRLF line ends', () => {
    const text = '\uFEFF' + toBackupText(ENTRIES).replace(/\n/g, '\r\n');
    const parsed = parseBackup(text);
    expect(parsed.ok && parsed.backup.entries).toEqual(ENTRIES);
  });

  it('ignores unknown top-level keys', () => {
    expect(parseBackup(JSON.stringify({ ...valid(), app: 'margin 0.2' })).ok).toBe(true);
  });
});

describe('parseBackup errors', () => {
  const error = (text: string) => {
    const r = parseBackup(text);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.error;
  };
  const withEntry = (i: number, patch: Record<string, unknown>) => {
    const b = valid();
    b.entries[i] = { ...b.entries[i], ...patch };
    return JSON.stringify(b, null, 2);
  };

  it('empty file', () => {
    expect(error('')).toBe('The file is empty.');
    expect(error('\uFEFF  \n')).toBe('The file is empty.');
  });

  it('not JSON, with the line', () => {
    expect(error('{\n  "format": "margin-backup",\n  "version": 1\n  "entries": []\n}')).toMatch(/^The file is not valid JSON \(line 4, column 3: .+\)\.$/);
    expect(error('{"format": "margin-backup",')).toMatch(/not valid JSON \(line 1,/);
    expect(error('@misc{key, title={x}}')).toMatch(/not valid JSON \(line 1, column 1/);
    expect(error('{"a": 1,}')).toMatch(/not valid JSON \(line 1, column 9/);
  });

  it('a JSON list (e.g. a CSL-JSON export)', () => {
    expect(error('[]')).toMatch(/JSON list, not a Margin backup/);
  });

  it('not an object', () => {
    expect(error('"hello"')).toBe('The file is not a Margin backup: expected a JSON object, found "hello".');
    expect(error('null')).toMatch(/found null/);
  });

  it('missing or wrong format', () => {
    expect(error('{}')).toMatch(/no "format": "margin-backup" field/);
    expect(error(JSON.stringify({ ...valid(), format: 'zotero' }))).toBe('The file is not a Margin backup: its format is "zotero", expected "margin-backup".');
  });

  it('newer or unknown version', () => {
    expect(error(JSON.stringify({ ...valid(), version: 2 }))).toMatch(/newer version of Margin \(backup version 2\)/);
    expect(error(JSON.stringify({ ...valid(), version: '1' }))).toBe('Unsupported backup version "1"; expected 1.');
  });

  it('missing exportedAt or entries', () => {
    const { exportedAt: _e, ...noDate } = valid();
    expect(error(JSON.stringify(noDate))).toMatch(/"exportedAt" is missing/);
    const { entries: _x, ...noEntries } = valid();
    expect(error(JSON.stringify(noEntries))).toBe('The backup is damaged: "entries" should be a list, found nothing.');
    expect(error(JSON.stringify({ ...valid(), entries: {} }))).toMatch(/"entries" should be a list, found an object/);
  });

  it('an invalid entry names its number, title and field', () => {
    expect(error(withEntry(1, { status: 'finished' }))).toMatch(/^Entry 2 of 3 \("No id \} \{ \\ @"\) is invalid: status: /);
    expect(error(withEntry(0, { title: '   ' }))).toBe('Entry 1 of 3 ("   ") is invalid: title: must not be empty.');
    expect(error(withEntry(2, { arxivId: 'javascript:alert(1)' }))).toMatch(/^Entry 3 of 3 \("Old paper"\) is invalid: arxivId: not an arXiv id/);
    expect(error(withEntry(0, { addedAt: -5 }))).toMatch(/^Entry 1 of 3 .* is invalid: addedAt: /);
    expect(error(withEntry(0, { notes: undefined }))).toMatch(/^Entry 1 of 3 .* is invalid: notes: /);
    expect(error(withEntry(0, { published: '2024/01/08' }))).toMatch(/published: expected a date as YYYY-MM-DD/);
    const b = valid();
    b.entries[1] = 'not an entry' as unknown as Record<string, unknown>;
    expect(error(JSON.stringify(b))).toMatch(/^Entry 2 of 3 is invalid: /);
  });

  it('duplicate paperIds', () => {
    const b = valid();
    b.entries.push({ ...b.entries[0]! });
    expect(error(JSON.stringify(b))).toBe('Entries 1 and 4 are the same paper (paperId "2401.04088"); a backup lists each paper once.');
  });
});

describe('planImport merge', () => {
  it('adds new papers and leaves existing ones not in the backup alone', () => {
    const other = entry({ paperId: 'x', arxivId: null, title: 'Other' });
    const plan = planImport([other], [ENTRIES[0]!]);
    expect(plan.toAdd).toEqual([ENTRIES[0]]);
    expect(plan.toUpdate).toEqual([]);
    expect(plan.summary).toEqual({ new: 1, updated: 0, unchanged: 0 });
  });

  it('keeps both notes when they differ, existing first', () => {
    const plan = planImport([entry({ notes: 'mine' })], [entry({ notes: 'theirs' })]);
    expect(plan.toUpdate[0]!.notes).toBe('mine' + NOTES_SEPARATOR + 'theirs');
    expect(plan.summary.updated).toBe(1);
    // Merging again is idempotent.
    expect(planImport(plan.toUpdate, [entry({ notes: 'theirs' })]).summary).toEqual({ new: 0, updated: 0, unchanged: 1 });
  });

  it('keeps the non-empty notes and the longer of two versions of the same notes', () => {
    expect(mergeEntry(entry({ notes: 'mine' }), entry({ notes: '' })).notes).toBe('mine');
    expect(mergeEntry(entry({ notes: '' }), entry({ notes: 'theirs' })).notes).toBe('theirs');
    expect(mergeEntry(entry({ notes: 'draft' }), entry({ notes: 'draft, then more' })).notes).toBe('draft, then more');
  });

  it('later updatedAt wins for the status; earliest addedAt and latest updatedAt are kept', () => {
    const existing = entry({ status: 'reading', addedAt: 500, updatedAt: 2000 });
    const older = mergeEntry(existing, entry({ status: 'done', addedAt: 100, updatedAt: 1500 }));
    expect(older).toMatchObject({ status: 'reading', addedAt: 100, updatedAt: 2000 });
    const newer = mergeEntry(existing, entry({ status: 'done', addedAt: 900, updatedAt: 3000 }));
    expect(newer).toMatchObject({ status: 'done', addedAt: 500, updatedAt: 3000 });
    const tie = mergeEntry(existing, entry({ status: 'done', addedAt: 500, updatedAt: 2000 }));
    expect(tie.status).toBe('reading');
  });

  it('fills missing metadata from the backup without overwriting known metadata', () => {
    const sparse = entry({ arxivId: null, authors: [], year: null, published: null, abstract: '', categories: [], title: 'Mixtral (local title)' });
    const merged = mergeEntry(sparse, ENTRIES[0]!);
    expect(merged).toMatchObject({ arxivId: '2401.04088', authors: ['Albert Q. Jiang'], year: 2024, published: '2024-01-08', categories: ['cs.LG'], title: 'Mixtral (local title)' });
  });

  it('warns instead of exceeding the notes limit', () => {
    const plan = planImport([entry({ notes: 'a'.repeat(60000) })], [entry({ notes: 'b'.repeat(60000) })]);
    expect(plan.summary.unchanged).toBe(1);
    expect(plan.warnings[0]).toMatch(/exceed 100000 characters/);
  });

  it('folds duplicate incoming entries', () => {
    const plan = planImport([], [entry({ notes: 'one' }), entry({ notes: 'two', updatedAt: 9000, status: 'done' })]);
    expect(plan.toAdd).toHaveLength(1);
    expect(plan.toAdd[0]).toMatchObject({ notes: 'one' + NOTES_SEPARATOR + 'two', status: 'done' });
  });
});
