import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { MarginDatabase, SCHEMA_VERSIONS } from '../../lib/db/database';
import { NotInterestedEntry } from '../../lib/foryou/schema';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('the not-interested store (schema version 3)', () => {
  it('a version-2 database upgrades with its reading list intact and an empty not-interested table', async () => {
    const name = `margin-foryou-${Math.random().toString(36).slice(2)}`;
    const raw = new Dexie(name);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS.filter((v) => v.version <= 2)) {
      const declared = raw.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
    const entry = {
      paperId: '2403.03507',
      arxivId: '2403.03507',
      title: 'GaLore',
      authors: [],
      year: 2024,
      published: null,
      abstract: 'Gradient low-rank projection.',
      categories: ['cs.LG'],
      status: 'reading',
      notes: 'keep me',
      addedAt: 1,
      updatedAt: 2,
    };
    await raw.open();
    await raw.table('readingList').add(entry);
    raw.close();

    const db = new MarginDatabase(name);
    opened.push(db);
    expect(await db.readingList.toArray()).toEqual([entry]);
    expect(await db.notInterested.count()).toBe(0);
    const negative = NotInterestedEntry.parse({ paperId: '2401.00001', arxivId: '2401.00001', title: 'Sourdough', abstract: '', categories: [], addedAt: 3 });
    await db.notInterested.add(negative);
    expect(await db.notInterested.orderBy('addedAt').toArray()).toEqual([negative]);
    expect(await db.readingList.count()).toBe(1);
  });
});
