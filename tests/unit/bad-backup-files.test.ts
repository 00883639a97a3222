import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBackupFile, toBackupText } from '../../lib/export/backup';
import { ImportFormatError, readPapers } from '../../lib/import/snapshot';
import { bundledCorpus, ROOT } from '../helpers/corpus';
import { useBackground } from '../helpers/service';

/**
 * Malformed files (tests/fixtures/import-bad) given as a reading-list backup or a corpus import: a clear error for a
 * person, and the reading list byte-identical. tests/e2e/bad-files.spec.ts gives them to the options page.
 */

const BAD_DIR = join(ROOT, 'tests/fixtures/import-bad');
const corpus = bundledCorpus();
let clock = 1_700_000_000_000;
// The background installs the corpus when its worker starts (entrypoints/background.ts).
const bg = useBackground({ prefix: 'margin-bad-files', install: true, now: () => ++clock });
const send = (name: string, data: unknown) => bg.send(name, data);
const exportedList = () => bg.exportedList();

describe(`malformed reading-list import files (tests/fixtures/import-bad): a clear error, the list byte-identical`, () => {
  const files = readdirSync(BAD_DIR).sort();
  const generated: Array<[string, () => Uint8Array]> = [
    [
      'generated: 10 MB single line (a 10 MB note)',
      () =>
        new TextEncoder().encode(
          `{"format":"margin-backup","version":1,"exportedAt":"2024-05-01T10:00:00.000Z","entries":[{"paperId":"2401.04088","arxivId":"2401.04088","title":"Big","authors":[],"year":2024,"published":null,"abstract":"","categories":[],"status":"to-read","notes":"${'A'.repeat(10 * 1024 * 1024)}","addedAt":1,"updatedAt":1}]}`,
        ),
    ],
    ['generated: 10 MB of "[" (nesting bomb)', () => new TextEncoder().encode('['.repeat(10 * 1024 * 1024))],
  ];
  const cases: Array<[string, () => Uint8Array]> = [...files.map((name): [string, () => Uint8Array] => [name, () => new Uint8Array(readFileSync(join(BAD_DIR, name)))]), ...generated];

  it('has at least 15 malformed files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s', async (_name, bytes) => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    await send('updateEntry', { paperId: corpus.papers[0]!.id, notes: 'note <b>kept</b>' });
    const before = await exportedList();
    const result = parseBackupFile(bytes());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // A sentence for a person: starts with a capital, ends with a full stop, no stack trace or "undefined".
    expect(result.error).toMatch(/^[A-Z"(].*\.$/s);
    expect(result.error.length).toBeLessThan(600);
    expect(result.error).not.toMatch(/\bat .*\.(ts|js):\d+|undefined\b(?! is)|\[object /);
    expect(await exportedList()).toBe(before);
  }, 20_000);

  it('specific files get specific explanations', () => {
    const error = (name: string) => {
      const result = parseBackupFile(new Uint8Array(readFileSync(join(BAD_DIR, name))));
      return result.ok ? 'ACCEPTED' : result.error;
    };
    expect(error('01-empty.json')).toBe('The file is empty.');
    expect(error('03-truncated.json')).toMatch(/not valid JSON \(line \d+, column \d+/);
    expect(error('07-newer-version.json')).toMatch(/newer version of Margin/);
    expect(error('10-duplicate-ids.json')).toMatch(/Entries 1 and 3 are the same paper/);
    expect(error('14-utf16le-bom.json')).toMatch(/UTF-16/);
    expect(error('15-latin1-encoded.json')).toMatch(/not valid UTF-8.*Latin-1/);
    expect(error('16-binary.bin')).toMatch(/binary file/);
    expect(error('17-zip-archive.zip')).toMatch(/ZIP archive/);
    expect(error('18-javascript-arxiv-id.json')).toMatch(/arxivId: not an arXiv id/);
  });

  it('a valid backup with a BOM is still accepted (the checks are not over-eager)', () => {
    const good = toBackupText([{ paperId: 'a', arxivId: null, title: 'Schrödinger’s café', authors: [], year: null, published: null, abstract: '', categories: [], status: 'done', notes: 'ü', addedAt: 1, updatedAt: 1 }]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(good)]);
    const result = parseBackupFile(bytes);
    expect(result.ok && result.backup.entries[0]!.title).toBe('Schrödinger’s café');
  });

  it.each(files.map((name) => [name]))('corpus import of %s: a clear error or skipped records, never a crash, never the reading list', async (name) => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    const before = await exportedList();
    const bytes = new Uint8Array(readFileSync(join(BAD_DIR, name)));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    let accepted = 0;
    let errors = 0;
    try {
      for await (const batch of readPapers(stream, { totalBytes: bytes.byteLength })) {
        accepted += batch.papers.length;
        errors += batch.errors.length;
        for (const e of batch.errors) expect(e.reason.length).toBeGreaterThan(5);
      }
      // Not a whole-file error: then nothing usable was in it, and each bad record was reported.
      expect(accepted === 0 || errors > 0 || name === '05-csl-json-list.json').toBe(true);
    } catch (error) {
      expect(error).toBeInstanceOf(ImportFormatError);
      expect((error as Error).message).toMatch(/^[A-Z"]/);
    }
    expect(await exportedList()).toBe(before);
  });
});
