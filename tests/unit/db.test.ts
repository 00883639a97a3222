import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MarginDatabase, getMeta } from '../../lib/db/database';
import { readIndexPart, writeIndexPart } from '../../lib/db/index-cache';
import { installCorpus } from '../../lib/db/install-corpus';
import type { BundledCorpus, Paper } from '../../lib/schema';
import { bundledCorpus } from '../helpers/corpus';
import { entryFromPaper } from '../helpers/factories';
import { freshDatabase } from '../helpers/service';

const corpus = bundledCorpus();
let db: MarginDatabase;

beforeEach(() => {
  db = freshDatabase('margin-test');
});
afterEach(async () => {
  await db.delete();
});

const entryFor = (paper: Paper, notes: string) => entryFromPaper(paper, { status: 'reading', notes });

describe('installing the bundled corpus', () => {
  it('puts all 318 bundled papers into IndexedDB, indexed by arXiv id and normalized title', async () => {
    const result = await installCorpus(db, corpus);
    expect(result).toMatchObject({ installed: true, papers: 318 });
    expect(await db.papers.count()).toBe(318);
    const lamb = await db.papers.where('arxivId').equals('1904.00962').first();
    expect(lamb?.title).toContain('Training BERT in 76 minutes');
    const byTitle = await db.papers.where('normTitle').equals(lamb!.normTitle).first();
    expect(byTitle?.id).toBe('1904.00962');
    expect(await getMeta(db, 'corpusVersion')).toBe(corpus.version);
  });

  it('does nothing when the same version is already installed', async () => {
    await installCorpus(db, corpus);
    const revision = await getMeta<number>(db, 'corpusRevision');
    expect(await installCorpus(db, corpus)).toMatchObject({ installed: false });
    expect(await getMeta<number>(db, 'corpusRevision')).toBe(revision);
  });

  it('installing a new corpus version keeps every reading-list row and note, even for papers that changed or vanished', async () => {
    await installCorpus(db, corpus);
    const [kept, changed, vanished] = corpus.papers;
    await db.readingList.bulkAdd([entryFor(kept!, 'keep me'), entryFor(changed!, 'old title noted'), entryFor(vanished!, 'gone from corpus')]);
    const before = await db.readingList.toArray();

    const next: BundledCorpus = {
      version: 'ffffffffffffffff',
      papers: corpus.papers
        .filter((paper) => paper.id !== vanished!.id)
        .map((paper) => (paper.id === changed!.id ? { ...paper, title: paper.title + ' (revised)' } : paper)),
    };
    const result = await installCorpus(db, next);
    expect(result).toMatchObject({ installed: true, removed: 1, papers: 317 });
    expect(await db.papers.count()).toBe(317);
    expect(await db.papers.get(vanished!.id)).toBeUndefined();
    expect((await db.papers.get(changed!.id))?.title).toMatch(/\(revised\)$/);
    expect(await db.readingList.toArray()).toEqual(before);
  });

  it('keeps papers the user imported or met while browsing when the bundle changes', async () => {
    await installCorpus(db, corpus);
    const browsed: Paper = { ...corpus.papers[0]!, id: '2501.00001', arxivId: '2501.00001', title: 'Browsed', normTitle: 'browsed', origin: 'browsed' };
    await db.papers.add(browsed);
    await installCorpus(db, { ...corpus, version: '0123456789abcdef' });
    expect(await db.papers.get('2501.00001')).toEqual(browsed);
  });

  it('rejects an invalid bundle with a clear message and leaves the database as it was', async () => {
    await installCorpus(db, corpus);
    const broken = { version: 'abcdefabcdef0000', papers: [{ ...corpus.papers[0], title: '' }] };
    await expect(installCorpus(db, broken)).rejects.toThrow(/bundled corpus is invalid: papers\.0\.title/);
    expect(await db.papers.count()).toBe(318);
    expect(await getMeta(db, 'corpusVersion')).toBe(corpus.version);
  });
});

describe('index cache: parts written in pieces', () => {
  const part = () => ({
    format: 'test',
    ids: ['2401.00001', '2401.00002'],
    arxivIds: ['2401.00001', null],
    tags: [['ml'], []],
    postings: Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256),
    nested: { norms: Float32Array.from({ length: 300 }, (_, i) => i / 3), buffer: new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).buffer },
    small: new Int16Array([-1, 2]),
    view: new Uint32Array(new Uint32Array(64).fill(9).buffer, 8, 4),
  });

  it('reads back exactly what was written, large arrays split into pieces of at most the given size', async () => {
    await db.transaction('rw', db.indexCache, db.indexPieces, () => writeIndexPart(db, 'search', 3, part(), 100));
    const pieces = await db.indexPieces.where(':id').startsWith('search@3#').toArray();
    expect(pieces.length).toBe(10 + 12 + 0); // 1000 bytes, 1200 bytes; the 40-byte buffer and small arrays stay in the row
    expect(pieces.every((p) => p.byteLength <= 100)).toBe(true);
    const back = (await readIndexPart(db, 'search', 3)) as ReturnType<typeof part>;
    expect(back).toEqual({ ...part(), view: new Uint32Array([9, 9, 9, 9]) });
    expect(back.postings).toBeInstanceOf(Uint8Array);
    expect(back.nested.norms).toBeInstanceOf(Float32Array);
  });

  it('keeps the row small: an array over 64 KB is a piece of its own even when it fits in one piece', async () => {
    const value = { format: 'test', termBytes: Uint32Array.from({ length: 40_000 }, (_, i) => i), norms: new Float32Array(256).fill(0.5) };
    await db.transaction('rw', db.indexCache, db.indexPieces, () => writeIndexPart(db, 'related', 7, value));
    const pieces = await db.indexPieces.where(':id').startsWith('related@7#').toArray();
    expect(pieces.map((p) => p.byteLength)).toEqual([160_000]);
    const row = await db.indexCache.get('related');
    expect((row!.data as { norms: unknown }).norms).toBeInstanceOf(Float32Array); // 1 KB: stays in the row
    expect(await readIndexPart(db, 'related', 7)).toEqual(value);
  });

  it('a smaller rewrite leaves no stale pieces; another revision or a lost piece is not read as the index', async () => {
    await db.transaction('rw', db.indexCache, db.indexPieces, () => writeIndexPart(db, 'related', 1, part(), 100));
    await db.transaction('rw', db.indexCache, db.indexPieces, () => writeIndexPart(db, 'related', 2, { ...part(), postings: new Uint8Array(150) }, 100));
    expect(await db.indexPieces.where(':id').startsWith('related@').count()).toBe(2 + 12);
    expect(await readIndexPart(db, 'related', 1)).toBeNull();
    expect(((await readIndexPart(db, 'related', 2)) as ReturnType<typeof part>).postings).toEqual(new Uint8Array(150));
    await db.indexPieces.delete('related@2#1');
    await expect(readIndexPart(db, 'related', 2)).rejects.toThrow(/piece 1 of related is missing/);
  });
});
