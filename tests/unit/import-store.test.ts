import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMeta, type MarginDatabase } from '../../lib/db/database';
import { recordToPaper } from '../../lib/import/records';
import { storeImportFile, type ImportUpdate } from '../../lib/import/run';
import { bundledIds, storeImportedBatch } from '../../lib/import/store';
import { generateSnapshotLines } from '../../scripts/synthetic';
import { bundledCorpus } from '../helpers/corpus';
import { freshDatabase } from '../helpers/service';
import { createDispatcher } from '../../lib/messaging/rpc';
import type { Paper } from '../../lib/schema';
import { Engine } from '../../lib/service/engine';
import { MarginService } from '../../lib/service/margin';

const corpus = bundledCorpus();
const source = { titles: corpus.papers.map((p) => p.title), abstracts: corpus.papers.map((p) => p.abstract) };
const bundledSet = new Set(corpus.papers.map((p) => p.id));
/** 600 synthetic papers that are not in the bundled corpus. */
const synthetic: Paper[] = [...generateSnapshotLines(700, 5, source)]
  .map((line) => recordToPaper(JSON.parse(line)))
  .flatMap((result) => (result.ok ? [result.paper] : []))
  .filter((paper) => !bundledSet.has(paper.id))
  .slice(0, 600);
/** 2,100 more: over the size an import is added incrementally at. */
const large: Paper[] = [...generateSnapshotLines(2300, 11, source)]
  .map((line) => recordToPaper(JSON.parse(line)))
  .flatMap((result) => (result.ok ? [result.paper] : []))
  .filter((paper) => !bundledSet.has(paper.id))
  .slice(0, 2100);

let db: MarginDatabase;

function serviceFor(database: MarginDatabase) {
  const service = new MarginService(database, { loadBundledCorpus: async () => corpus });
  const dispatch = createDispatcher(service.handlers());
  const call = async (name: string, data: unknown) => {
    const reply = await dispatch({ margin: 1, name, data });
    if (!reply.ok) throw new Error(reply.error);
    return reply.data as any;
  };
  return { service, call };
}

/** What the options page does: store each batch, then hand the committed papers to the background. */
async function importBatches(call: (name: string, data: unknown) => Promise<any>, session: string, batches: Paper[][]) {
  const bundled = await bundledIds(db);
  let seq = 0;
  for (const batch of batches) {
    const result = await storeImportedBatch(db, batch, bundled);
    if (result.writtenIds.length) await call('importBatch', { session, seq: seq++, ids: result.writtenIds });
  }
}

async function searchTop(call: (name: string, data: unknown) => Promise<any>, title: string): Promise<string[]> {
  const hits = (await call('search', { query: title, limit: 5 })) as Array<{ paper: { id: string } }>;
  return hits.map((hit) => hit.paper.id);
}

beforeEach(() => {
  db = freshDatabase('margin-import-store');
});
afterEach(async () => {
  await db.delete();
});

describe('storeImportedBatch', () => {
  it('never overwrites bundled papers, with or without the bundled-id set, and leaves the reading list alone', async () => {
    const { service, call } = serviceFor(db);
    await service.installCorpus();
    const bundled = corpus.papers[0]!;
    await call('setSaved', { paperId: bundled.id, saved: true });
    const readingList = await db.readingList.toArray();
    const clash: Paper = { ...synthetic[0]!, id: bundled.id, arxivId: bundled.arxivId, origin: 'imported' };
    const before = (await getMeta<number>(db, 'corpusRevision')) ?? 0;

    const fast = await storeImportedBatch(db, [clash, synthetic[1]!], await bundledIds(db));
    expect(fast).toMatchObject({ stored: 1, keptBundled: 1 });
    expect(fast.writtenIds).toEqual([synthetic[1]!.id]);
    const slow = await storeImportedBatch(db, [clash, synthetic[2]!]);
    expect(slow).toMatchObject({ stored: 1, keptBundled: 1 });

    expect((await db.papers.get(bundled.id))!.origin).toBe('bundled');
    expect((await db.papers.get(bundled.id))!.title).toBe(bundled.title);
    expect(await db.readingList.toArray()).toEqual(readingList);
    expect(await getMeta<number>(db, 'corpusRevision')).toBe(before + 2);
  });
});

/** A file's bytes as `File.stream()` gives them, in pieces of `size`; `onPull` hears each piece asked for. */
function fileStream(text: string, size = 64 * 1024, onPull?: (piece: number) => void): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  let piece = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.(piece++);
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const snapshotLines = (count: number, seed: number) => [...generateSnapshotLines(count, seed, source)];

describe('storing an import file (what the options page runs in its import worker)', () => {
  it('stores the good records batch by batch, reports the bad ones by line, and counts what committed', async () => {
    const lines = snapshotLines(2500, 21);
    lines.splice(10, 0, '{"id": "2401.99999", "title": ');
    lines.splice(1800, 0, '{"id": 5}');
    const updates: ImportUpdate[] = [];
    const outcome = await storeImportFile(db, fileStream(lines.join('\n')), { batchSize: 1000 }, (update) => updates.push(update));
    expect(outcome.failure).toBeNull();
    const committed = updates.flatMap((update) => (update.type === 'committed' ? [update.result] : []));
    expect(committed.length).toBeGreaterThanOrEqual(3);
    expect(committed.reduce((sum, result) => sum + result.stored, 0)).toBe(outcome.stored);
    expect(await db.papers.where('origin').equals('imported').count()).toBe(outcome.stored);
    expect(outcome.stored + outcome.keptBundled + outcome.progress!.duplicates).toBe(2500);
    const errors = updates.flatMap((update) => (update.type === 'progress' ? update.errors : []));
    expect(errors.map((error) => error.line)).toEqual([11, 1801]);
  });

  it('cancelled mid-file: keeps exactly the batches that committed, says it was cancelled, writes nothing after', async () => {
    const controller = new AbortController();
    const lines = snapshotLines(5000, 22);
    const updates: ImportUpdate[] = [];
    const outcome = await storeImportFile(db, fileStream(lines.join('\n'), 16 * 1024), { batchSize: 500, signal: controller.signal }, (update) => {
      updates.push(update);
      if (update.type === 'committed' && updates.filter((u) => u.type === 'committed').length === 2) controller.abort();
    });
    expect(outcome.failure).toMatchObject({ cancelled: true });
    expect(outcome.stored).toBeGreaterThan(0);
    expect(outcome.stored).toBeLessThan(5000);
    expect(await db.papers.where('origin').equals('imported').count()).toBe(outcome.stored);
  });

  it('a file that is not an import says why, and stores nothing', async () => {
    const outcome = await storeImportFile(db, fileStream('<html><body>not papers</body></html>'), {}, () => {});
    expect(outcome.failure).toMatchObject({ cancelled: false, formatError: true });
    expect(outcome.failure!.message).toMatch(/\S/);
    expect(outcome.stored).toBe(0);
    expect(await db.papers.count()).toBe(0);
  });

  it('a storage failure mid-file keeps the committed batches and names the problem', async () => {
    const lines = snapshotLines(3000, 23);
    let batches = 0;
    const put = db.papers.bulkPut.bind(db.papers);
    // The third write fails as a full disk would.
    db.papers.bulkPut = ((...args: Parameters<typeof put>) =>
      ++batches === 3 ? Promise.reject(new DOMException('quota', 'QuotaExceededError')) : put(...args)) as typeof put;
    const outcome = await storeImportFile(db, fileStream(lines.join('\n')), { batchSize: 1000 }, () => {});
    expect(outcome.failure).toMatchObject({ cancelled: false, formatError: false });
    expect(outcome.failure!.message).toMatch(/storage quota exceeded/);
    expect(outcome.stored).toBeGreaterThan(0);
    expect(await db.papers.where('origin').equals('imported').count()).toBe(outcome.stored);
  });
});

describe('rebuilding the indexes from IndexedDB', () => {
  // The build reads papers in pages of 100 (each read after the last id of the one before): none may be lost at an edge.
  it.each([99, 100, 101, 300])('indexes every one of %i papers, first and last by id included', async (count) => {
    const papers = synthetic.slice(0, count);
    await db.papers.bulkPut(papers);
    const progress: number[] = [];
    const engine = await Engine.load(db, (indexed) => progress.push(indexed));
    expect(engine.size).toBe(count);
    expect(progress.at(-1)).toBeLessThanOrEqual(count);
    await engine.ready('search');
    const byId = [...papers].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const paper of [byId[0]!, byId[count - 1]!]) {
      expect(engine.search(paper.title, { limit: 5 }).map((hit) => hit.id)).toContain(paper.id);
    }
  });
});

describe('indexing an import (importBegin / importBatch / importEnd)', () => {
  it('adds a small import to the current indexes and persists indexes a cold worker trusts', async () => {
    const { call } = serviceFor(db);
    expect(await call('importBegin', { session: 's1' })).toEqual({ started: true });
    await importBatches(call, 's1', [synthetic.slice(0, 250), synthetic.slice(250, 500)]);
    expect(await call('importEnd', { session: 's1' })).toEqual({ papers: corpus.papers.length + 500, incremental: true });
    const target = synthetic[321]!;
    expect(await searchTop(call, target.title)).toContain(target.id);

    // A new worker life reads the persisted indexes (stamped with the final revision) instead of rebuilding.
    const cold = serviceFor(db);
    expect(await searchTop(cold.call, target.title)).toContain(target.id);
    expect((await cold.service.engine()).loaded.source).toBe('cache');
  });

  it('a worker restarted mid-import (session lost) rebuilds from IndexedDB at importEnd', async () => {
    const first = serviceFor(db);
    await first.call('importBegin', { session: 's2' });
    await importBatches(first.call, 's2', [synthetic.slice(0, 200)]);
    const restarted = serviceFor(db);
    // The rest of the batches reach the new worker, which has no builder for them.
    const bundled = await bundledIds(db);
    const result = await storeImportedBatch(db, synthetic.slice(200, 400), bundled);
    expect(await restarted.call('importBatch', { session: 's2', seq: 1, ids: result.writtenIds })).toEqual({ accepted: false });
    expect(await restarted.call('importEnd', { session: 's2' })).toEqual({ papers: corpus.papers.length + 400, incremental: false });
    expect(await searchTop(restarted.call, synthetic[50]!.title)).toContain(synthetic[50]!.id);
    expect(await searchTop(restarted.call, synthetic[350]!.title)).toContain(synthetic[350]!.id);
  });

  it('rebuilds for a large import (over 2,000 papers and a quarter of the corpus), and the result is persisted', async () => {
    const { call } = serviceFor(db);
    await call('importBegin', { session: 'large' });
    await importBatches(call, 'large', [large.slice(0, 1200), large.slice(1200)]);
    expect(await call('indexProgress', {})).toEqual({ building: false, indexed: 0, total: 0 });
    const ending = call('importEnd', { session: 'large' });
    // The options page polls this while the background rebuilds.
    const seen: Array<{ building: boolean; indexed: number; total: number }> = [];
    for (let i = 0; i < 200 && !(seen.at(-1)?.indexed ?? 0); i++) {
      seen.push(await call('indexProgress', {}));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen.at(-1)).toMatchObject({ building: true, total: corpus.papers.length + large.length });
    expect(seen.at(-1)!.indexed).toBeGreaterThan(0);
    expect(await ending).toEqual({ papers: corpus.papers.length + large.length, incremental: false });
    expect(await call('indexProgress', {})).toEqual({ building: false, indexed: 0, total: 0 });
    const target = large[1777]!;
    expect(await searchTop(call, target.title)).toContain(target.id);
    // The rebuild wrote both indexes and let go of them: each is read back on first use.
    const view = await call('paperView', { arxivId: target.arxivId, limit: 5 });
    expect(view.inCorpus).toBe(true);
    expect(view.related.length).toBeGreaterThan(0);
    const cold = serviceFor(db);
    expect(await searchTop(cold.call, target.title)).toContain(target.id);
    expect((await cold.service.engine()).loaded.source).toBe('cache');
  });

  it('re-importing papers that are already indexed replaces them in the indexes', async () => {
    const { call } = serviceFor(db);
    await storeImportedBatch(db, synthetic.slice(0, 100), await bundledIds(db));
    await call('importBegin', { session: 's3' });
    const renamed = synthetic.slice(0, 100).map((p) => ({ ...p, title: `${p.title} zyxwvut` }));
    await importBatches(call, 's3', [renamed]);
    expect(await call('importEnd', { session: 's3' })).toEqual({ papers: corpus.papers.length + 100, incremental: true });
    const hits = (await call('search', { query: 'zyxwvut', limit: 200 })) as unknown[];
    expect(hits).toHaveLength(100);
  });

  it('a paper written by someone else during the import is not lost (count check → rebuild)', async () => {
    const { call } = serviceFor(db);
    await call('importBegin', { session: 's4' });
    await importBatches(call, 's4', [synthetic.slice(0, 100)]);
    await db.papers.add({ ...synthetic[500]!, origin: 'browsed' });
    expect(await call('importEnd', { session: 's4' })).toEqual({ papers: corpus.papers.length + 101, incremental: false });
  });

  it('batches out of order are not trusted', async () => {
    const { call } = serviceFor(db);
    await call('importBegin', { session: 's5' });
    const bundled = await bundledIds(db);
    const a = await storeImportedBatch(db, synthetic.slice(0, 50), bundled);
    const b = await storeImportedBatch(db, synthetic.slice(50, 100), bundled);
    expect(await call('importBatch', { session: 's5', seq: 1, ids: b.writtenIds })).toEqual({ accepted: false });
    expect(await call('importBatch', { session: 's5', seq: 0, ids: a.writtenIds })).toEqual({ accepted: false });
    expect(await call('importEnd', { session: 's5' })).toEqual({ papers: corpus.papers.length + 100, incremental: false });
  });

  it('an import that stored nothing keeps the current indexes', async () => {
    const { call } = serviceFor(db);
    await call('importBegin', { session: 's6' });
    expect(await call('importEnd', { session: 's6' })).toEqual({ papers: corpus.papers.length, incremental: true });
  });
});
