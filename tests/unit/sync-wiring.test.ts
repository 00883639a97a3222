import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginDatabase, SCHEMA_VERSIONS } from '../../lib/db/database';
import { createDispatcher } from '../../lib/messaging/rpc';
import type { BundledCorpus, Paper, ReadingListEntry } from '../../lib/schema';
import { MarginService } from '../../lib/service/margin';
import { SyncEngine } from '../../lib/sync/engine';
import { World } from './sync-helpers';

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const paper: Paper = {
  id: '2401.04088',
  arxivId: '2401.04088',
  title: 'Mixtral of Experts',
  normTitle: 'mixtral of experts',
  abstract: 'We introduce Mixtral 8x7B, a sparse mixture of experts language model.',
  authors: ['Albert Q. Jiang'],
  authorCount: 1,
  published: '2024-01-08',
  year: 2024,
  categories: ['cs.LG'],
  origin: 'bundled',
};
const corpus: BundledCorpus = { version: 'test-corpus-1', papers: [paper] };

async function until(check: () => Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sync in the background', () => {
  it('turning sync off stops both directions and keeps the local list; turning it on merges what changed meanwhile', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001');
    await world.settle();
    expect(await a.engine.setEnabled(false)).toMatchObject({ enabled: false, available: true });
    await a.save('2401.00002');
    await b.save('2401.00003');
    await world.settle();
    expect((await a.list()).map((e) => e.paperId)).toEqual(['2401.00001', '2401.00002']);
    expect((await b.list()).map((e) => e.paperId)).toEqual(['2401.00001', '2401.00003']);
    expect(a.area.writeCount).toBe(1);

    expect(await a.engine.setEnabled(true)).toMatchObject({ enabled: true, entriesSynced: 3, entriesLocal: 3 });
    await world.settle();
    expect((await b.list()).map((e) => e.paperId)).toEqual(['2401.00001', '2401.00002', '2401.00003']);
  });

  it('a sync failure never blocks saving: the save commits, the status says why, and a later round catches up', async () => {
    const b = world.browser('b');
    const area = world.network.browser();
    const db = new MarginDatabase(`margin-sync-failing-${Math.random().toString(36).slice(2)}`);
    const realSet = area.set.bind(area);
    let refuse = true;
    area.set = async (items) => (refuse ? Promise.reject(new Error('Quota exceeded: QUOTA_BYTES')) : realSet(items));
    const sync = new SyncEngine({ db, area, localDelayMs: 0, remoteDelayMs: 0, startDelayMs: 0 });
    const service = new MarginService(db, { loadBundledCorpus: async () => corpus, sync });
    const dispatch = createDispatcher(service.handlers());
    sync.start();
    try {
      expect(await dispatch({ margin: 1, name: 'setSaved', data: { paperId: paper.id, saved: true } })).toMatchObject({ ok: true, data: { saved: true } });
      expect(await db.readingList.get(paper.id)).toMatchObject({ title: 'Mixtral of Experts' });
      await sync.flush();
      const status = await dispatch({ margin: 1, name: 'syncStatus', data: {} });
      expect(status).toMatchObject({ ok: true, data: { enabled: true, entriesLocal: 1, entriesSynced: 0 } });
      expect(status.ok && (status.data as { error: string }).error).toMatch(/refused the sync write: Quota exceeded/);

      refuse = false;
      await sync.flush();
      expect(await dispatch({ margin: 1, name: 'syncStatus', data: {} })).toMatchObject({ ok: true, data: { entriesSynced: 1, error: null } });
      await world.network.deliver();
      await b.sync();
      expect((await b.entry(paper.id))?.title).toBe('Mixtral of Experts');
    } finally {
      sync.stop();
      db.close();
      await db.delete();
    }
  });

  it('started, it sends local writes and applies changes from other browsers by itself', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    a.engine.start();
    b.engine.start();
    // The rounds a start schedules are done: what follows is started by the write and the area's change alone.
    await Promise.all([a.engine.flush(), b.engine.flush()]);
    await a.save('2401.00001', { notes: 'sent without being asked' });
    await until(async () => a.area.writeCount > 0);
    await world.network.deliver();
    await until(async () => (await b.entry('2401.00001'))?.notes === 'sent without being asked');
    expect(b.applied).toEqual([{ paperId: '2401.00001', saved: true }]);
    expect((await b.engine.status()).lastReceivedAt).not.toBeNull();
  });

  it('a database from before sync (schema version 3) upgrades and syncs its entries and notes unchanged', async () => {
    const name = `margin-sync-upgrade-${Math.random().toString(36).slice(2)}`;
    const raw = new Dexie(name);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS.filter((v) => v.version <= 3)) {
      const declared = raw.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
    const entries: ReadingListEntry[] = [1, 2, 3].map((i) => ({
      paperId: `2401.0000${i}`,
      arxivId: `2401.0000${i}`,
      title: `Old paper ${i}`,
      authors: ['A. Author'],
      year: 2024,
      published: null,
      abstract: 'kept',
      categories: [],
      status: 'reading',
      notes: i === 2 ? 'a note from before sync 🧪' : '',
      addedAt: 1_700_000_000_000 + i,
      updatedAt: 1_700_000_100_000 + i,
    }));
    await raw.open();
    await raw.table('readingList').bulkAdd(entries);
    raw.close();

    const db = new MarginDatabase(name);
    const area = world.network.browser();
    const sync = new SyncEngine({ db, area });
    try {
      await sync.flush();
      expect(await db.readingList.toArray()).toEqual(entries);
      expect(await db.syncRecords.count()).toBe(3);
      const b = world.browser('b');
      await world.network.deliver();
      await b.sync();
      expect((await b.list()).map((e) => [e.title, e.status, e.notes])).toEqual(entries.map((e) => [e.title, e.status, e.notes]));
    } finally {
      db.close();
      await db.delete();
    }
  });

  it('keeps within Chrome’s write limits: a burst of edits waits, then the last state goes out', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001');
    // 150 separate edits 0.4 s apart, each followed by a round: more than the 120 writes a minute Chrome allows.
    for (let i = 0; i < 150; i++) {
      world.advance(400);
      await a.edit('2401.00001', { notes: `draft ${i}` });
      await a.sync();
    }
    // The in-memory area refuses writes over Chrome's limits (it would have thrown); sync stayed under 80% of them.
    expect(a.area.writeCount).toBeLessThanOrEqual(Math.floor(120 * 0.8));
    expect((await a.engine.status()).error).toMatch(/Waiting \d+ s for the browser’s sync write limit/);
    world.advance(61_000);
    await a.sync();
    await world.network.deliver();
    await b.sync();
    expect((await b.entry('2401.00001'))?.notes).toBe('draft 149');
  });
});
