import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { MarginDatabase } from '../../lib/db/database';
import { storageProblem, userMessage } from '../../lib/db/storage-errors';
import { createLightClient, RpcError } from '../../lib/messaging/call';
import type { MessageName } from '../../lib/messaging/protocol';
import { createDispatcher } from '../../lib/messaging/rpc';
import { MarginService } from '../../lib/service/margin';
import { bundledCorpus } from '../helpers/corpus';
import { entryFromPaper, hostilePage } from '../helpers/factories';
import { useBackground } from '../helpers/service';

/**
 * Storage failures (quota exceeded mid-write, IndexedDB unavailable) give a clear message and write nothing partial.
 * tests/e2e/storage-failures.spec.ts checks the same in the built extension.
 */

const corpus = bundledCorpus();
let clock = 1_700_000_000_000;
// The background installs the corpus when its worker starts (entrypoints/background.ts).
const bg = useBackground({ prefix: 'margin-storage', install: true, now: () => ++clock });
const send = (name: string, data: unknown) => bg.send(name, data);
const exportedList = () => bg.exportedList();
const dispatch = (message: unknown) => bg.dispatch(message);
let dbCount = 0;

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
    const incoming = corpus.papers.slice(1, 51).map((paper, i) => entryFromPaper(paper, { status: 'reading', notes: `n${i}`, addedAt: 1, updatedAt: 2 }));
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
