import { bumpRevision, type MarginDatabase } from '../db/database';
import type { Paper } from '../schema';

export interface StoreResult {
  stored: number;
  /** Papers already in the bundled corpus keep their curated record. */
  keptBundled: number;
  /** Ids of the papers written, in batch order (what the background reads back and indexes next). */
  writtenIds: string[];
}

/** The ids of the bundled corpus, read once at the start of an import (a key-only index scan). */
export async function bundledIds(db: MarginDatabase): Promise<Set<string>> {
  return new Set((await db.papers.where('origin').equals('bundled').primaryKeys()) as string[]);
}

/**
 * Writes one batch of imported papers in its own transaction: a cancelled or failed import
 * keeps every finished batch and none of a half-written one. The reading list is out of scope.
 * With `bundled` (from `bundledIds`, read at the start of the import) the batch is filtered in
 * memory; without it, the batch's ids are looked up in the same transaction.
 */
export async function storeImportedBatch(db: MarginDatabase, papers: Paper[], bundled?: ReadonlySet<string>): Promise<StoreResult> {
  if (!papers.length) return { stored: 0, keptBundled: 0, writtenIds: [] };
  const prefiltered = bundled ? papers.filter((paper) => !bundled.has(paper.id)) : null;
  return db.transaction('rw', db.papers, db.meta, async () => {
    let writable: Paper[];
    if (prefiltered) writable = prefiltered;
    else {
      const existing = await db.papers.bulkGet(papers.map((paper) => paper.id));
      writable = papers.filter((_, index) => existing[index]?.origin !== 'bundled');
    }
    if (writable.length) {
      await db.papers.bulkPut(writable);
      await bumpRevision(db);
    }
    return { stored: writable.length, keptBundled: papers.length - writable.length, writtenIds: writable.map((paper) => paper.id) };
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
