import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MarginDatabase, SCHEMA_VERSIONS, getMeta } from '../../lib/db/database';
import { mergeEntry, planImport, toBackupText } from '../../lib/export/backup';
import { createDispatcher } from '../../lib/messaging/rpc';
import { MarginService } from '../../lib/service/margin';
import { BundledCorpus, Paper, ReadingListEntry } from '../../lib/schema';
import { bundledCorpus } from '../helpers/corpus';

/**
 * Every released schema version, opened the way that release opened it (a raw Dexie declaring
 * only the versions up to it), filled with a reading list, notes, imported and browsed papers,
 * settings and an index cache; then today's MarginDatabase opens it. A new entry in
 * SCHEMA_VERSIONS is covered automatically. If a version changes the shape of stored rows,
 * add its sample rows to ROWS_BY_VERSION so the old shape is what gets upgraded.
 */

let corpus: BundledCorpus;
beforeAll(() => {
  corpus = bundledCorpus();
});

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

const HOSTILE_NOTE = '<img src=x onerror=alert(1)> \u202e RTL \u200b zero-width — émoji 🧪\nsecond line\r\nthird';

interface Rows {
  papers: Paper[];
  readingList: ReadingListEntry[];
  meta: Array<{ key: string; value: unknown }>;
  indexCache: Array<{ name: string; revision: number; data: unknown }>;
}

/** Rows as version 1 (the first release) stored them. */
function rowsV1(): Rows {
  const bundled = corpus.papers.slice(0, 40);
  const imported: Paper = { ...corpus.papers[50]!, id: '2502.00001', arxivId: '2502.00001', normTitle: 'an imported paper', title: 'An imported paper', origin: 'imported' };
  const browsed: Paper = { ...corpus.papers[51]!, id: 't:abc123', arxivId: null, normTitle: 'a browsed paper', title: 'A browsed paper', origin: 'browsed' };
  const entry = (paper: Paper, i: number): ReadingListEntry => ({
    paperId: paper.id,
    arxivId: paper.arxivId,
    title: paper.title,
    authors: paper.authors,
    year: paper.year,
    published: paper.published,
    abstract: paper.abstract,
    categories: paper.categories,
    status: (['to-read', 'reading', 'done'] as const)[i % 3]!,
    notes: i % 2 ? `${HOSTILE_NOTE} #${i}` : '',
    addedAt: 1_600_000_000_000 + i * 1000,
    updatedAt: 1_600_000_500_000 + i * 1000,
  });
  // A saved paper that is in no corpus at all (vanished before the upgrade).
  const orphan: Paper = { ...corpus.papers[52]!, id: '9901.00001', arxivId: '9901.00001', title: 'Vanished paper', normTitle: 'vanished paper' };
  return {
    papers: [...bundled, imported, browsed],
    readingList: [...bundled.slice(0, 25), imported, browsed, orphan].map(entry),
    meta: [
      { key: 'corpusVersion', value: 'old-corpus-version' },
      { key: 'corpusRevision', value: 7 },
      { key: 'seededAt', value: 1_600_000_000_000 },
      { key: 'settings', value: { learnFromBrowsing: false } },
    ],
    indexCache: [{ name: 'search', revision: 7, data: { stale: true } }],
  };
}

const ROWS_BY_VERSION: Record<number, () => Rows> = { 1: rowsV1 };

function rowsFor(version: number): Rows {
  // Until a version changes the row shape, it stores what the version before it stored.
  for (let v = version; v >= 1; v--) if (ROWS_BY_VERSION[v]) return ROWS_BY_VERSION[v]!();
  throw new Error(`no sample rows for schema version ${version}`);
}

async function createReleased(name: string, upTo: number, rows: Rows): Promise<void> {
  const raw = new Dexie(name);
  for (const { version, stores, upgrade } of SCHEMA_VERSIONS.filter((v) => v.version <= upTo)) {
    const declared = raw.version(version).stores(stores);
    if (upgrade) declared.upgrade(upgrade);
  }
  await raw.open();
  expect(raw.verno).toBe(upTo);
  await raw.transaction('rw', raw.tables, async () => {
    for (const [table, list] of Object.entries(rows)) if (raw.tables.some((t) => t.name === table)) await raw.table(table).bulkAdd(list as unknown[]);
  });
  raw.close();
}

describe('schema versions', () => {
  it('are append-only and ascending, starting at 1', () => {
    const versions = SCHEMA_VERSIONS.map((v) => v.version);
    expect(versions[0]).toBe(1);
    versions.forEach((v, i) => i > 0 && expect(v).toBeGreaterThan(versions[i - 1]!));
  });

  it('version 1 is pinned: its stores never change once released', () => {
    expect(SCHEMA_VERSIONS[0]).toMatchObject({
      version: 1,
      stores: { papers: 'id, arxivId, normTitle, origin, year', readingList: 'paperId, arxivId, addedAt, status', meta: 'key', indexCache: 'name' },
    });
  });
});

describe.each(SCHEMA_VERSIONS.map((v) => [v.version]))('upgrading from released schema version %i', (version) => {
  it('keeps every reading-list entry and note, every paper, the settings; the app reads them', async () => {
    const name = `margin-upgrade-from-${version}-${Math.random().toString(36).slice(2)}`;
    const rows = rowsFor(version);
    await createReleased(name, version, rows);

    const db = new MarginDatabase(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version);

    // Everything that was there is there, unchanged, and still valid for today's schema.
    const list = await db.readingList.toArray();
    expect(list).toHaveLength(rows.readingList.length);
    for (const before of rows.readingList) {
      const after = list.find((e) => e.paperId === before.paperId);
      expect(after, before.paperId).toEqual(before);
      expect(ReadingListEntry.safeParse(after).success).toBe(true);
    }
    expect(list.filter((e) => e.notes.includes(HOSTILE_NOTE))).toHaveLength(rows.readingList.filter((e) => e.notes).length);
    const papers = await db.papers.toArray();
    expect(papers).toHaveLength(rows.papers.length);
    for (const paper of papers) expect(Paper.safeParse(paper).success).toBe(true);
    expect(await getMeta(db, 'settings')).toEqual({ learnFromBrowsing: false });
    // Indexes still work after the upgrade.
    expect(await db.readingList.where('status').equals('reading').count()).toBe(rows.readingList.filter((e) => e.status === 'reading').length);
    expect(await db.papers.where('origin').equals('imported').count()).toBe(1);

    // The service on the upgraded database: installs the new bundled corpus and loses nothing the user made.
    const service = new MarginService(db, { loadBundledCorpus: async () => corpus });
    const dispatch = createDispatcher(service.handlers());
    const stats = await dispatch({ margin: 1, name: 'stats', data: {} });
    expect(stats).toMatchObject({ ok: true, data: { bundled: corpus.papers.length, imported: 1, browsed: 1, saved: rows.readingList.length, corpusVersion: corpus.version } });
    const reply = await dispatch({ margin: 1, name: 'readingList', data: {} });
    expect(reply.ok && toBackupText(reply.data as ReadingListEntry[], new Date(0))).toBe(
      toBackupText([...rows.readingList].sort((a, b) => b.addedAt - a.addedAt), new Date(0)),
    );
    expect(await dispatch({ margin: 1, name: 'settings', data: {} })).toEqual({ ok: true, data: { learnFromBrowsing: false } });
    // Saving a saved paper again keeps its note (the upgrade did not break idempotent saves).
    const noted = rows.readingList.find((e) => e.notes)!;
    await dispatch({ margin: 1, name: 'setSaved', data: { paperId: noted.paperId, saved: true } });
    expect((await db.readingList.get(noted.paperId))?.notes).toBe(noted.notes);
  });
});

describe('upgrading to schema version 2', () => {
  it('drops the index cache of version 1 (its pieces lived in indexCache): the indexes are rebuilt on first use', async () => {
    const name = `margin-upgrade-cache-${Math.random().toString(36).slice(2)}`;
    const rows = rowsV1();
    rows.meta.push({ key: 'indexStamp', value: { revision: 7, papers: rows.papers.length } });
    rows.indexCache.push({ name: 'search#0', revision: 7, data: new ArrayBuffer(64) });
    await createReleased(name, 1, rows);
    const db = new MarginDatabase(name);
    opened.push(db);
    await db.open();
    expect(await db.indexCache.count()).toBe(0);
    expect(await getMeta(db, 'indexStamp')).toBeUndefined();
    const dispatch = createDispatcher(new MarginService(db, { loadBundledCorpus: async () => corpus }).handlers());
    const target = corpus.papers[7]!;
    const hits = await dispatch({ margin: 1, name: 'search', data: { query: target.title, limit: 3 } });
    expect(hits.ok && (hits.data as Array<{ paper: { id: string } }>).map((h) => h.paper.id)).toContain(target.id);
    // …and written back in today's layout.
    expect(await getMeta(db, 'indexStamp')).toMatchObject({ papers: rows.papers.length + corpus.papers.length - 40 });
    expect((await db.indexCache.toArray()).map((row) => row.name).sort()).toEqual(['related', 'search']);
  });
});

describe('installing a new bundled corpus version', () => {
  it('keeps every saved paper, including ones whose record changed or vanished, and they stay usable', async () => {
    const db = new MarginDatabase(`margin-reinstall-${Math.random().toString(36).slice(2)}`);
    opened.push(db);
    let bundle: BundledCorpus = corpus;
    const service = new MarginService(db, { loadBundledCorpus: async () => bundle });
    const dispatch = createDispatcher(service.handlers());
    const send = (name: string, data: unknown) => dispatch({ margin: 1, name, data });
    await service.installCorpus();

    const [kept, changed, vanished] = corpus.papers;
    for (const paper of [kept!, changed!, vanished!]) {
      expect(await send('setSaved', { paperId: paper.id, saved: true })).toMatchObject({ ok: true });
      expect(await send('updateEntry', { paperId: paper.id, notes: `notes on ${paper.id}`, status: 'reading' })).toMatchObject({ ok: true });
    }
    const before = await send('readingList', {});

    bundle = {
      version: 'feedfacecafebeef',
      papers: corpus.papers
        .filter((p) => p.id !== vanished!.id)
        .map((p) => (p.id === changed!.id ? { ...p, title: 'A completely new title', abstract: 'Rewritten.', authors: ['Someone Else'] } : p)),
    };
    // A new extension version: a fresh worker (service) on the same database.
    const next = new MarginService(db, { loadBundledCorpus: async () => bundle });
    const nextDispatch = createDispatcher(next.handlers());
    const nextSend = (name: string, data: unknown) => nextDispatch({ margin: 1, name, data });
    expect(await next.installCorpus()).toMatchObject({ installed: true, removed: 1 });

    expect(await nextSend('readingList', {})).toEqual(before);
    expect(await nextSend('stats', {})).toMatchObject({ ok: true, data: { saved: 3, corpusVersion: 'feedfacecafebeef' } });
    // The vanished paper is still in the list and can still be removed; the changed one still shows as saved.
    const view = await nextSend('paperView', { arxivId: changed!.arxivId! });
    expect(view).toMatchObject({ ok: true, data: { saved: true } });
    expect(await nextSend('setSaved', { paperId: vanished!.id, saved: false })).toMatchObject({ ok: true, data: { saved: false } });
    expect(await db.readingList.count()).toBe(2);
    // The next worker start with the same bundle is a no-op.
    expect(await new MarginService(db, { loadBundledCorpus: async () => bundle }).installCorpus()).toMatchObject({ installed: false });
    expect(await db.readingList.count()).toBe(2);
  });
});

describe('the saved version (an optional field added to reading-list entries after version 2)', () => {
  it('old entries survive without it; a save from a page records the version the page showed', async () => {
    const name = `margin-saved-version-${Math.random().toString(36).slice(2)}`;
    const rows = rowsV1();
    await createReleased(name, SCHEMA_VERSIONS.at(-1)!.version, rows);
    const db = new MarginDatabase(name);
    opened.push(db);
    const dispatch = createDispatcher(new MarginService(db, { loadBundledCorpus: async () => corpus }).handlers());
    const old = rows.readingList.find((e) => e.arxivId && corpus.papers.some((p) => p.id === e.paperId))!;
    expect('savedVersion' in old).toBe(false);
    expect(await dispatch({ margin: 1, name: 'paperView', data: { arxivId: old.arxivId! } })).toMatchObject({ ok: true, data: { saved: true, savedVersion: null } });
    expect(await db.readingList.get(old.paperId)).toEqual(old);

    const page = { arxivId: '1706.03762', title: 'Attention Is All You Need', abstract: 'The dominant sequence transduction models.', authors: ['Ashish Vaswani'], categories: ['cs.CL'], published: '2017-06-12', version: 1 };
    expect(await dispatch({ margin: 1, name: 'setSaved', data: { page, saved: true } })).toMatchObject({ ok: true });
    const saved = await db.readingList.get('1706.03762');
    expect(saved?.savedVersion).toBe(1);
    expect(ReadingListEntry.parse(saved)).toEqual(saved);
    // A backup of the list imported back changes nothing, with or without the field.
    const list = await db.readingList.toArray();
    expect(planImport(list, JSON.parse(JSON.stringify(list))).summary).toEqual({ new: 0, updated: 0, unchanged: list.length });
    expect(mergeEntry(saved!, { ...saved!, savedVersion: 5 }).savedVersion).toBe(1);
    // Seen again at v7: the view still says v1 was saved, so the panel can point out the newer version.
    expect(await dispatch({ margin: 1, name: 'paperView', data: { page: { ...page, version: 7 } } })).toMatchObject({ ok: true, data: { saved: true, savedVersion: 1 } });
    // It builds the indexes twice (~0.6 s alone); a loaded machine must not fail it on time.
  }, 30_000);
});
