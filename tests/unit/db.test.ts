import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginDatabase, getMeta } from '../../lib/db/database';
import { seedCorpus } from '../../lib/db/seed';
import type { BundledCorpus, Paper, ReadingListEntry } from '../../lib/schema';
import { buildFromDataDir } from '../../scripts/build-corpus';

const corpus = buildFromDataDir().corpus;
let db: MarginDatabase;
let name = 0;

beforeEach(() => {
  db = new MarginDatabase(`margin-test-${++name}`);
});
afterEach(async () => {
  await db.delete();
});

function entryFor(paper: Paper, notes: string): ReadingListEntry {
  return {
    paperId: paper.id,
    arxivId: paper.arxivId,
    title: paper.title,
    authors: paper.authors,
    year: paper.year,
    published: paper.published,
    abstract: paper.abstract,
    categories: paper.categories,
    status: 'reading',
    notes,
    addedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
  };
}

describe('seeding', () => {
  it('puts all 318 bundled papers into IndexedDB, indexed by arXiv id and normalized title', async () => {
    const result = await seedCorpus(db, corpus);
    expect(result).toMatchObject({ seeded: true, papers: 318 });
    expect(await db.papers.count()).toBe(318);
    const lamb = await db.papers.where('arxivId').equals('1904.00962').first();
    expect(lamb?.title).toContain('Training BERT in 76 minutes');
    const byTitle = await db.papers.where('normTitle').equals(lamb!.normTitle).first();
    expect(byTitle?.id).toBe('1904.00962');
    expect(await getMeta(db, 'corpusVersion')).toBe(corpus.version);
  });

  it('does nothing when the same version is already seeded', async () => {
    await seedCorpus(db, corpus);
    const revision = await getMeta<number>(db, 'corpusRevision');
    expect(await seedCorpus(db, corpus)).toMatchObject({ seeded: false });
    expect(await getMeta<number>(db, 'corpusRevision')).toBe(revision);
  });

  it('re-seeding a new corpus version keeps every reading-list row and note, even for papers that changed or vanished', async () => {
    await seedCorpus(db, corpus);
    const [kept, changed, vanished] = corpus.papers;
    await db.readingList.bulkAdd([entryFor(kept!, 'keep me'), entryFor(changed!, 'old title noted'), entryFor(vanished!, 'gone from corpus')]);
    const before = await db.readingList.toArray();

    const next: BundledCorpus = {
      version: 'ffffffffffffffff',
      papers: corpus.papers
        .filter((paper) => paper.id !== vanished!.id)
        .map((paper) => (paper.id === changed!.id ? { ...paper, title: paper.title + ' (revised)' } : paper)),
    };
    const result = await seedCorpus(db, next);
    expect(result).toMatchObject({ seeded: true, removed: 1, papers: 317 });
    expect(await db.papers.count()).toBe(317);
    expect(await db.papers.get(vanished!.id)).toBeUndefined();
    expect((await db.papers.get(changed!.id))?.title).toMatch(/\(revised\)$/);
    expect(await db.readingList.toArray()).toEqual(before);
  });

  it('keeps papers the user imported or met while browsing when the bundle changes', async () => {
    await seedCorpus(db, corpus);
    const browsed: Paper = { ...corpus.papers[0]!, id: '2501.00001', arxivId: '2501.00001', title: 'Browsed', normTitle: 'browsed', origin: 'browsed' };
    await db.papers.add(browsed);
    await seedCorpus(db, { ...corpus, version: '0123456789abcdef' });
    expect(await db.papers.get('2501.00001')).toEqual(browsed);
  });

  it('rejects an invalid bundle with a clear message and leaves the database as it was', async () => {
    await seedCorpus(db, corpus);
    const broken = { version: 'abcdefabcdef0000', papers: [{ ...corpus.papers[0], title: '' }] };
    await expect(seedCorpus(db, broken)).rejects.toThrow(/bundled corpus is invalid: papers\.0\.title/);
    expect(await db.papers.count()).toBe(318);
    expect(await getMeta(db, 'corpusVersion')).toBe(corpus.version);
  });
});
