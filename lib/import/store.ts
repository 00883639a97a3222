import { bumpRevision, type MarginDatabase } from '../db/database';
import type { Paper } from '../schema';

export interface StoreResult {
  stored: number;
  /** Papers already in the bundled corpus keep their curated record. */
  keptBundled: number;
}

/**
 * Writes one batch of imported papers in its own transaction: a cancelled or failed import
 * keeps every finished batch and none of a half-written one. The reading list is out of scope.
 */
export async function storeImportedBatch(db: MarginDatabase, papers: Paper[]): Promise<StoreResult> {
  if (!papers.length) return { stored: 0, keptBundled: 0 };
  return db.transaction('rw', db.papers, db.meta, async () => {
    const existing = await db.papers.bulkGet(papers.map((paper) => paper.id));
    const writable = papers.filter((_, index) => existing[index]?.origin !== 'bundled');
    await db.papers.bulkPut(writable);
    await bumpRevision(db);
    return { stored: writable.length, keptBundled: papers.length - writable.length };
  });
}

/** Removes every imported paper; the bundled corpus, browsed papers and the reading list stay. */
export async function removeImported(db: MarginDatabase): Promise<number> {
  return db.transaction('rw', db.papers, db.meta, async () => {
    const removed = await db.papers.where('origin').equals('imported').delete();
    await bumpRevision(db);
    return removed;
  });
}
