import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarginDatabase } from '../../lib/db/database';
import { parseBackup, parseBackupFile, toBackupText } from '../../lib/export/backup';
import { toBibtex } from '../../lib/export/bibtex';
import { toCslJson } from '../../lib/export/csl';
import { EXPORT_FORMATS, exportEntries } from '../../lib/export/formats';
import { toMarkdown } from '../../lib/export/markdown';
import { ImportFormatError, readPapers } from '../../lib/import/snapshot';
import { createLightClient, RpcError } from '../../lib/messaging/call';
import { protocol, type MessageName } from '../../lib/messaging/protocol';
import { storageProblem, userMessage } from '../../lib/db/storage-errors';
import { createDispatcher, type Handlers } from '../../lib/messaging/rpc';
import { MarginService } from '../../lib/service/margin';
import type { BundledCorpus, PagePaper, ReadingListEntry } from '../../lib/schema';
import { buildFromDataDir } from '../../scripts/build-corpus';

/**
 * Hostile input, failures and concurrency at the level of the background service, the message
 * contract, the exporters and the import parsers. tests/e2e/hardening-*.spec.ts checks the same
 * promises in the built extension (rendering, service-worker restarts, real IndexedDB).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const PAYLOADS: Array<{ name: string; text: string }> = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/hostile/payloads.json'), 'utf8')).payloads;
const BAD_DIR = join(ROOT, 'tests/fixtures/import-bad');

let corpus: BundledCorpus;
beforeAll(() => {
  corpus = buildFromDataDir().corpus;
});

let db: MarginDatabase;
let service: MarginService;
let dispatch: ReturnType<typeof createDispatcher>;
let dbCount = 0;
let clock = 1_700_000_000_000;

beforeEach(async () => {
  db = new MarginDatabase(`margin-hardening-${++dbCount}`);
  service = new MarginService(db, { loadBundledCorpus: async () => corpus, now: () => ++clock });
  dispatch = createDispatcher(service.handlers());
  // The background installs the corpus when its worker starts (entrypoints/background.ts).
  await service.installCorpus();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const send = (name: string, data: unknown) => dispatch({ margin: 1, name, data });

function hostilePage(i: number, payload: string): PagePaper {
  return {
    arxivId: `2501.${String(10000 + i)}`,
    title: `${payload} — hostile paper ${i}`,
    abstract: `${payload} We study sparse mixture of experts routing. ${payload}`,
    authors: [payload.slice(0, 300), 'Ada Lovelace'],
    categories: ['cs.LG'],
    published: '2025-01-02',
  };
}

/** The reading list as the user would export it (fixed time stamp so two exports compare byte for byte). */
async function exportedList(): Promise<string> {
  const reply = await send('readingList', {});
  if (!reply.ok) throw new Error(reply.error);
  return toBackupText(reply.data as ReadingListEntry[], new Date(0));
}

describe('messages into the background are validated', () => {
  const malformed: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'setSaved'],
    ['a number', 42],
    ['an array', [1, 'setSaved', {}]],
    ['an empty object', {}],
    ['the wrong protocol version', { margin: 2, name: 'stats', data: {} }],
    ['a name that is not a string', { margin: 1, name: 7, data: {} }],
    ['an unknown name', { margin: 1, name: 'dropDatabase', data: {} }],
    ['an inherited property name', { margin: 1, name: 'constructor', data: {} }],
    ['__proto__', JSON.parse('{"margin":1,"name":"__proto__","data":{}}')],
    ['toString', { margin: 1, name: 'toString', data: {} }],
    ['hasOwnProperty', { margin: 1, name: 'hasOwnProperty', data: {} }],
    ['an over-long name', { margin: 1, name: 'x'.repeat(5000), data: {} }],
    ['setSaved without data', { margin: 1, name: 'setSaved' }],
    ['setSaved with saved as a string', { margin: 1, name: 'setSaved', data: { paperId: '2401.04088', saved: 'yes' } }],
    ['setSaved with a 10 KB id', { margin: 1, name: 'setSaved', data: { paperId: 'x'.repeat(10_000), saved: true } }],
    ['setSaved with a javascript: arXiv id', { margin: 1, name: 'setSaved', data: { page: { ...hostilePage(0, 'x'), arxivId: 'javascript:alert(1)' }, saved: true } }],
    ['setSaved with a blank title', { margin: 1, name: 'setSaved', data: { page: { ...hostilePage(0, 'x'), title: ' \n\t ' }, saved: true } }],
    ['updateEntry with a 200 KB note', { margin: 1, name: 'updateEntry', data: { paperId: '2401.04088', notes: 'n'.repeat(200_000) } }],
    ['updateEntry with an unknown status', { margin: 1, name: 'updateEntry', data: { paperId: '2401.04088', status: 'burned' } }],
    ['restoreEntry with a forged entry', { margin: 1, name: 'restoreEntry', data: { paperId: 'x', title: '<script>', addedAt: -1 } }],
    ['importEntries with entries as an object', { margin: 1, name: 'importEntries', data: { entries: { 0: {} } } }],
    ['listingView with 2001 entries', { margin: 1, name: 'listingView', data: { entries: Array.from({ length: 2001 }, (_, i) => ({ key: String(i), paper: hostilePage(i, 'x') })) } }],
    ['search with a 1 MB query', { margin: 1, name: 'search', data: { query: 'q'.repeat(1_000_000) } }],
    ['paperView with limit 10^9', { margin: 1, name: 'paperView', data: { arxivId: '2401.04088', limit: 1e9 } }],
    ['prototype pollution in data', JSON.parse('{"margin":1,"name":"settings","data":{"__proto__":{"polluted":true},"learnFromBrowsing":"no"}}')],
  ];

  it.each(malformed)('rejects %s with an error reply and writes nothing', async (_label, message) => {
    const handlers = Object.fromEntries(Object.keys(protocol).map((name) => [name, vi.fn(async () => ({}))])) as unknown as Handlers;
    const guarded = createDispatcher(handlers);
    const reply = await guarded(message);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error).toMatch(/^(Not a Margin message\.|Unknown message "|Invalid ")/);
      expect(reply.error.length).toBeLessThan(400);
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a barrage of malformed messages against the real service changes nothing and the service keeps answering', async () => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    const before = await exportedList();
    const replies = await Promise.all(malformed.map(([, message]) => dispatch(message)));
    expect(replies.every((reply) => reply.ok === false)).toBe(true);
    expect(await exportedList()).toBe(before);
    const stats = await send('stats', {});
    expect(stats).toMatchObject({ ok: true, data: { papers: 318, saved: 1 } });
  });

  it('a handler that throws anything (even null or a string) becomes an error reply, never a rejection', async () => {
    const throwing = [null, undefined, 'boom', 42, new Error(''), { name: 'Weird' }];
    for (const thrown of throwing) {
      const guarded = createDispatcher({ stats: async () => Promise.reject(thrown) } as unknown as Handlers);
      await expect(guarded({ margin: 1, name: 'stats', data: {} })).resolves.toEqual({ ok: false, error: expect.any(String) });
    }
  });

  it('a reply that does not match the contract is refused instead of reaching a page', async () => {
    const guarded = createDispatcher({ setSaved: async () => ({ saved: 'maybe', paperId: 1 }) } as unknown as Handlers);
    const reply = await guarded({ margin: 1, name: 'setSaved', data: { paperId: 'a', saved: true } });
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(/invalid "setSaved" reply/) });
  });

  it('every message of the protocol has a handler in the service', () => {
    expect(Object.keys(service.handlers()).sort()).toEqual((Object.keys(protocol) as MessageName[]).sort());
  });
});

describe('hostile text is stored and exported as inert data', () => {
  it(`${PAYLOADS.length} payloads in titles, abstracts, authors and notes round-trip verbatim`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
    for (const [i, { text }] of PAYLOADS.entries()) {
      const page = hostilePage(i, text);
      const saved = await send('setSaved', { page, saved: true });
      expect(saved).toMatchObject({ ok: true, data: { saved: true, paperId: page.arxivId } });
      expect(await send('updateEntry', { paperId: page.arxivId, notes: `${text}\nline two ${text}` })).toMatchObject({ ok: true });
    }
    const list = (await send('readingList', {})) as { ok: true; data: ReadingListEntry[] };
    expect(list.data).toHaveLength(PAYLOADS.length);
    for (const [i, { text }] of PAYLOADS.entries()) {
      const entry = list.data.find((e) => e.paperId === `2501.${10000 + i}`)!;
      expect(entry.title).toBe(`${text} — hostile paper ${i}`);
      expect(entry.authors[0]).toBe(text);
      expect(entry.notes).toBe(`${text}\nline two ${text}`);
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])(
    'a paper whose text contains "%s" (an Object.prototype name) gets its panel, listing tags and search',
    async (word) => {
      const page: PagePaper = { ...hostilePage(7, word), title: `A ${word} for sparse routing`, abstract: `We build a ${word} of mixture of experts models. ${word}.` };
      const view = await send('paperView', { page });
      expect(view).toMatchObject({ ok: true, data: { paper: { title: page.title } } });
      expect(await send('listingView', { entries: [{ key: 'k', paper: page }] })).toMatchObject({ ok: true });
      expect(await send('search', { query: `${word} routing` })).toMatchObject({ ok: true });
      expect(await send('setSaved', { page, saved: true })).toMatchObject({ ok: true });
    },
  );

  it('very long strings and invisible/bidi characters are accepted within limits and refused beyond them', async () => {
    const long = hostilePage(1, 'L'.repeat(900));
    long.abstract = 'word '.repeat(3999);
    long.authors = Array.from({ length: 2000 }, (_, i) => `Author ${i} \u202e\u200b`);
    expect(await send('setSaved', { page: long, saved: true })).toMatchObject({ ok: true });
    expect(await send('setSaved', { page: { ...long, title: 'T'.repeat(1001) }, saved: true })).toMatchObject({ ok: false, error: expect.stringMatching(/title/) });
    const invisible = { ...hostilePage(2, ''), title: '\u200b\u200c\u200d\u2060' };
    const reply = await send('setSaved', { page: invisible, saved: true });
    expect(reply).toMatchObject({ ok: true });
  });

  const hostileEntries = (): ReadingListEntry[] =>
    PAYLOADS.map(({ text }, i) => ({
      paperId: i % 3 === 0 ? `t:${i}` : `2501.${10000 + i}`,
      arxivId: i % 3 === 0 ? null : `2501.${10000 + i}`,
      title: `${text} ${i}`,
      authors: [text.slice(0, 300), 'Grace Hopper'],
      year: 2025,
      published: '2025-01-02',
      abstract: text,
      categories: ['cs.LG'],
      status: 'to-read',
      notes: `${text}\n${text}`,
      addedAt: 1_700_000_000_000 + i,
      updatedAt: 1_700_000_000_000 + i,
    }));

  it('Markdown export: no raw HTML, no link but arXiv links built from valid ids', () => {
    const md = toMarkdown(hostileEntries());
    expect(md).not.toMatch(/(?<!\\)<(script|img|svg|iframe|a|body|math|details|input|style|object|embed|meta)\b/i);
    const targets = [...md.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    // Every escaped payload is still there as text: strip the escapes and find it.
    const unescaped = md.replace(/\\([\\`*_{}[\]()<>#+!|~&])/g, '$1');
    for (const { text } of PAYLOADS) expect(unescaped).toContain(text.replace(/\s+/g, ' ').trim().split(' ')[0]);
  });

  it('BibTeX export parses back to the same titles and cannot open new entries', () => {
    const entries = hostileEntries();
    const bib = toBibtex(entries);
    const parsed = parseBibtex(bib);
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toHaveLength(entries.length);
    for (const e of parsed.entries) {
      expect(e.type).toBe('misc');
      const url = e.fields.url as unknown;
      if (url !== undefined) expect(String(url)).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    }
    expect(bib).not.toMatch(/\\input\{/);
  });

  it('CSL-JSON and backup exports keep the text verbatim as JSON strings, with arXiv URLs only', () => {
    const entries = hostileEntries();
    const csl = toCslJson(entries);
    csl.forEach((item, i) => {
      expect(item.title).toBe(entries[i]!.title);
      if (item.URL) expect(item.URL).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    });
    const backup = toBackupText(entries, new Date(0));
    const back = parseBackup(backup);
    expect(back.ok && back.backup.entries).toEqual(entries);
    for (const format of EXPORT_FORMATS) expect(exportEntries(format.id, entries).text.length).toBeGreaterThan(0);
  });
});

describe('storage failures: a clear message and no partial writes', () => {
  function failPutsAfter(n: number, name = 'QuotaExceededError') {
    const original = IDBObjectStore.prototype.put;
    let calls = 0;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++calls > n) throw new DOMException('The quota has been exceeded.', name);
      return original.apply(this, args);
    });
    return spy;
  }

  it('quota exceeded in the middle of a backup import writes none of it, and says so', async () => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    await send('updateEntry', { paperId: corpus.papers[0]!.id, notes: 'my precious note' });
    const before = await exportedList();
    const incoming = corpus.papers.slice(1, 51).map((paper, i): ReadingListEntry => ({
      paperId: paper.id, arxivId: paper.arxivId, title: paper.title, authors: paper.authors, year: paper.year, published: paper.published,
      abstract: paper.abstract, categories: paper.categories, status: 'reading', notes: `n${i}`, addedAt: 1, updatedAt: 2,
    }));
    const spy = failPutsAfter(30);
    const reply = await send('importEntries', { entries: incoming });
    spy.mockRestore();
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(/storage quota exceeded.*Nothing was changed/) });
    expect(await exportedList()).toBe(before);
  });

  it('quota exceeded while saving or editing notes: the message reaches the panel/popup client, the list is unchanged', async () => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    const before = await exportedList();
    const spy = failPutsAfter(0);
    const call = createLightClient((message) => dispatch(message));
    await expect(call('updateEntry', { paperId: corpus.papers[0]!.id, notes: 'lost?' })).rejects.toThrow(RpcError);
    await expect(call('updateEntry', { paperId: corpus.papers[0]!.id, notes: 'lost?' })).rejects.toThrow(/storage quota exceeded/);
    await expect(call('importEntries', { entries: [] })).resolves.toEqual({ added: 0, updated: 0, unchanged: 0 });
    spy.mockRestore();
    expect(await exportedList()).toBe(before);
  });

  it('adding a page paper under quota pressure: nothing half-saved', async () => {
    const before = await exportedList();
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const reply = await send('setSaved', { page: hostilePage(3, 'quota'), saved: true });
    vi.restoreAllMocks();
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(/storage quota exceeded/) });
    expect(await exportedList()).toBe(before);
  });

  const unavailable: Array<[string, ConstructorParameters<typeof MarginDatabase>[1]]> = [
    ['no IndexedDB API at all (MissingAPIError)', { indexedDB: undefined, IDBKeyRange: undefined }],
    [
      'open() throws SecurityError (site data blocked)',
      {
        indexedDB: {
          open() {
            throw new DOMException('The user denied permission to access the database.', 'SecurityError');
          },
          cmp: (a: unknown, b: unknown) => indexedDB.cmp(a, b),
          deleteDatabase() {},
        } as unknown as IDBFactory,
        IDBKeyRange,
      },
    ],
    [
      'open() fails with InvalidStateError (Firefox private window)',
      {
        indexedDB: {
          open() {
            const request = {} as IDBOpenDBRequest & { error: DOMException };
            setTimeout(() => {
              Object.assign(request, { error: new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError') });
              request.onerror?.({ target: request, preventDefault() {}, stopPropagation() {} } as unknown as Event);
            });
            return request;
          },
          cmp: (a: unknown, b: unknown) => indexedDB.cmp(a, b),
          deleteDatabase() {},
        } as unknown as IDBFactory,
        IDBKeyRange,
      },
    ],
  ];

  it.each(unavailable)('IndexedDB unavailable — %s: every message gets the clear reply, nothing throws', async (_label, options) => {
    const broken = new MarginDatabase(`margin-broken-${++dbCount}`, options);
    const brokenDispatch = createDispatcher(new MarginService(broken, { loadBundledCorpus: async () => corpus }).handlers());
    const calls: Array<[MessageName, unknown]> = [
      ['stats', {}],
      ['readingList', {}],
      ['setSaved', { page: hostilePage(1, 'x'), saved: true }],
      ['paperView', { arxivId: '2401.04088' }],
      ['listingView', { entries: [{ key: 'a', paper: hostilePage(1, 'x') }] }],
      ['search', { query: 'mixture' }],
      ['importEntries', { entries: [] }],
    ];
    for (const [name, data] of calls) {
      const reply = await brokenDispatch({ margin: 1, name, data });
      expect(reply, name).toEqual({ ok: false, error: expect.stringMatching(/^Margin cannot open its local database \(IndexedDB is unavailable.*Nothing was changed\.$/) });
    }
  });

  it('userMessage/storageProblem see through Dexie wrappers (AbortError.inner, BulkError.failures)', () => {
    const quota = new DOMException('q', 'QuotaExceededError');
    expect(userMessage({ name: 'AbortError', inner: quota })).toMatch(/quota exceeded/);
    expect(userMessage({ name: 'BulkError', failures: [quota], message: 'readingList.bulkPut(): 1 of 3 operations failed' })).toMatch(/quota exceeded/);
    expect(userMessage({ name: 'BulkError', failures: { 2: quota } })).toMatch(/quota exceeded/);
    expect(storageProblem({ name: 'OpenFailedError', inner: { name: 'UnknownError' } })).toMatch(/IndexedDB is unavailable/);
    expect(storageProblem(new Error('plain'))).toBeNull();
    expect(userMessage(new RpcError('That paper is not in your reading list any more.'))).toBe('That paper is not in your reading list any more.');
  });
});

describe('concurrency: two tabs save and unsave 100 papers at once', () => {
  it('the final list matches the operations; nothing lost, nothing duplicated, notes kept', async () => {
    const papers = corpus.papers.slice(0, 150);
    // Tab A owns papers 0–99, tab B 50–149: both save 50–99 (idempotent), each unsaves every third of its own.
    const tabA = papers.slice(0, 100);
    const tabB = papers.slice(50, 150);
    const unsaveA = new Set(tabA.slice(0, 50).filter((_, i) => i % 3 === 0).map((p) => p.id));
    const unsaveB = new Set(tabB.slice(50).filter((_, i) => i % 3 === 0).map((p) => p.id));
    // A note written before the storm must survive the second save of the same paper.
    await send('setSaved', { paperId: papers[60]!.id, saved: true });
    await send('updateEntry', { paperId: papers[60]!.id, notes: 'keep this note' });
    const tab = async (own: typeof papers, unsave: Set<string>, asPage: boolean) =>
      Promise.all(
        own.map(async (paper) => {
          const page: PagePaper = { arxivId: paper.arxivId, title: paper.title, abstract: paper.abstract, authors: paper.authors, categories: paper.categories, published: paper.published };
          const saved = await send('setSaved', asPage ? { page, saved: true } : { paperId: paper.id, saved: true });
          expect(saved.ok).toBe(true);
          if (unsave.has(paper.id)) expect((await send('setSaved', { paperId: paper.id, saved: false })).ok).toBe(true);
        }),
      );
    await Promise.all([tab(tabA, unsaveA, false), tab(tabB, unsaveB, true)]);
    const expected = papers.map((p) => p.id).filter((id) => !unsaveA.has(id) && !unsaveB.has(id));
    const list = ((await send('readingList', {})) as { ok: true; data: ReadingListEntry[] }).data;
    expect(list.map((e) => e.paperId).sort()).toEqual([...expected].sort());
    expect(new Set(list.map((e) => e.paperId)).size).toBe(list.length);
    expect(list.find((e) => e.paperId === papers[60]!.id)?.notes).toBe('keep this note');
  });
});

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
