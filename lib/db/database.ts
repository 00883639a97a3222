import Dexie, { type EntityTable } from 'dexie';
import type { NotInterestedEntry } from '../foryou/schema';
import type { Paper, ReadingListEntry, SyncRecord } from '../schema';

export interface MetaRow {
  key: string;
  value: unknown;
}

/** Serialized search/related indexes, stamped with the corpus revision they were built from. */
export interface IndexCacheRow {
  name: string;
  revision: number;
  data: unknown;
}

export const DB_NAME = 'margin';

/**
 * The one database, owned by extension pages (background, popup, options); content scripts
 * reach it only through messages. Versions are append-only: never edit a released
 * `version(n)`, add `version(n + 1)` with an upgrade function (tests/unit/db-upgrade.test.ts
 * opens every released version with data and upgrades it).
 */
export class MarginDatabase extends Dexie {
  papers!: EntityTable<Paper, 'id'>;
  readingList!: EntityTable<ReadingListEntry, 'paperId'>;
  meta!: EntityTable<MetaRow, 'key'>;
  indexCache!: EntityTable<IndexCacheRow, 'name'>;
  /**
   * The persisted indexes' binary pieces (`ArrayBuffer`s), under out-of-line keys. A store whose key is inside the
   * value clones every value it is given to read the key: written that way, 80 MB of pieces left ~55 MB of garbage in
   * the worker, against ~4 MB here.
   */
  indexPieces!: Dexie.Table<ArrayBuffer, string>;
  /** Negative examples for the for-you ranking (version 3); apart from the reading list, which they never touch. */
  notInterested!: EntityTable<NotInterestedEntry, 'paperId'>;
  /** Per paper, the reading-list state sync last merged, with the edit stamps of each field (version 4, lib/sync/). */
  syncRecords!: EntityTable<SyncRecord, 'paperId'>;

  constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    declareVersions(this);
  }
}

/** Released schema versions, oldest first. Exported so upgrade tests can open each one. */
export const SCHEMA_VERSIONS: Array<{ version: number; stores: Record<string, string | null>; upgrade?: (tx: import('dexie').Transaction) => Promise<void> | void }> = [
  {
    version: 1,
    stores: {
      papers: 'id, arxivId, normTitle, origin, year',
      readingList: 'paperId, arxivId, addedAt, status',
      meta: 'key',
      indexCache: 'name',
    },
  },
  {
    version: 2,
    stores: { indexPieces: '' },
    // Version 1 kept the pieces in indexCache: the cache is dropped (it is rebuilt from the papers on first use).
    upgrade: async (tx) => {
      await tx.table('indexCache').clear();
      await tx.table('meta').delete('indexStamp');
    },
  },
  {
    version: 3,
    stores: { notInterested: 'paperId, addedAt' },
  },
  {
    version: 4,
    // Sync's records sit beside the reading list, so entries (and backups of them) keep their shape.
    stores: { syncRecords: 'paperId' },
  },
];

function declareVersions(db: Dexie) {
  for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
    const declared = db.version(version).stores(stores);
    if (upgrade) declared.upgrade(upgrade);
  }
}

export async function getMeta<T>(db: MarginDatabase, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: MarginDatabase, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

/**
 * Every write to `papers` bumps this counter (inside the same transaction), so a cached
 * index knows whether it still describes the table.
 */
export async function bumpRevision(db: MarginDatabase): Promise<number> {
  const revision = ((await getMeta<number>(db, 'corpusRevision')) ?? 0) + 1;
  await setMeta(db, 'corpusRevision', revision);
  return revision;
}
