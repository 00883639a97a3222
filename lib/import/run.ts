import type { MarginDatabase } from '../db/database';
import { storageProblem } from '../db/storage-errors';
import { ImportFormatError, readPapers, type ImportError, type ImportProgress } from './snapshot';
import { bundledIds, storeImportedBatch, type StoreResult } from './store';

/** Papers per batch (one transaction each) and how many batch writes may be queued behind the parser. */
const IMPORT_BATCH = 1000;
const MAX_WRITES = 2;

/** What an import tells its page while it runs. Plain data: it crosses from the import worker by `postMessage`. */
export type ImportUpdate =
  /** The parser moved on: where it is, and the bad records it met since the last update. */
  | { type: 'progress'; progress: ImportProgress; errors: ImportError[] }
  /** A batch committed; these arrive in commit order. */
  | { type: 'committed'; result: StoreResult };

export interface ImportOutcome {
  stored: number;
  keptBundled: number;
  progress: ImportProgress | null;
  /** Why the import stopped early (the committed batches stay): cancelled, a bad file, or a storage problem. */
  failure: null | { cancelled: boolean; formatError: boolean; message: string };
}

/**
 * Streams a file into the papers store: parsed batch by batch, each batch written in its own transaction while the
 * next one is parsed. Never throws: a cancel or a failure ends with the batches that committed, and says why.
 */
export async function storeImportFile(
  db: MarginDatabase,
  stream: ReadableStream<Uint8Array>,
  options: { totalBytes?: number; signal?: AbortSignal; batchSize?: number },
  report: (update: ImportUpdate) => void,
): Promise<ImportOutcome> {
  const { signal } = options;
  let stored = 0;
  let keptBundled = 0;
  let progress: ImportProgress | null = null;
  /** Writes issued and not yet counted, oldest first: one transaction each, committed in this order. */
  const writes: Array<Promise<StoreResult>> = [];
  const count = (result: StoreResult) => {
    stored += result.stored;
    keptBundled += result.keptBundled;
    report({ type: 'committed', result });
  };
  /** Counts the oldest write once it has committed (a failed write throws). */
  const settleOldest = async () => {
    count(await writes[0]!);
    writes.shift();
  };
  try {
    const bundled = await bundledIds(db);
    for await (const batch of readPapers(stream, { totalBytes: options.totalBytes, signal, batchSize: options.batchSize ?? IMPORT_BATCH })) {
      progress = batch.progress;
      if (batch.papers.length) {
        const write = storeImportedBatch(db, batch.papers, bundled);
        write.catch(() => {}); // observed below, or in the settling after a failure
        writes.push(write);
      }
      // Parse the next batch while this one commits; at most MAX_WRITES transactions queued.
      while (writes.length >= MAX_WRITES) await settleOldest();
      report({ type: 'progress', progress, errors: batch.errors });
      if (signal?.aborted) break;
    }
    while (writes.length) await settleOldest();
    if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    return { stored, keptBundled, progress, failure: null };
  } catch (error) {
    // Finished batches are committed one transaction each: count every one that still committed.
    const outcomes = await Promise.allSettled(writes.splice(0));
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') count(outcome.value);
    const cancelled = (error as Error).name === 'AbortError' || Boolean(signal?.aborted);
    const message = storageProblem(error) ?? (error as Error).message;
    return { stored, keptBundled, progress, failure: { cancelled, formatError: error instanceof ImportFormatError, message } };
  }
}
