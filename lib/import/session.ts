import type { MessageName, RequestOf, ResponseOf } from '../messaging/protocol';
import { userMessage } from '../db/storage-errors';
import type { ImportOutcome, ImportUpdate } from './run';
import type { ImportError, ImportProgress } from './snapshot';

/**
 * One import as the options page runs it: the file is parsed and stored off the page (see `storeInWorker`), the
 * background is told which papers each committed batch wrote, and the indexes are brought up to date at the end.
 * The page only renders the states this reports.
 */
export type ImportState =
  | { status: 'idle' }
  | { status: 'running'; file: string; progress: ImportProgress | null; stored: number; startedAt: number }
  | { status: 'indexing'; file: string; stored: number }
  | { status: 'done' | 'cancelled' | 'failed'; file: string; stored: number; message: string; progress: ImportProgress | null };

/** The calls a session makes into the background, typed by the contract (the page passes its validated client). */
export type CallBackground = <N extends MessageName>(name: N, data: RequestOf<N>) => Promise<ResponseOf<N>>;

export interface ImportSessionOptions {
  file: { name: string };
  signal: AbortSignal;
  /** Parses and stores the file; never rejects unless it cannot run at all. */
  store: (signal: AbortSignal, onUpdate: (update: ImportUpdate) => void) => Promise<ImportOutcome>;
  callBackground: CallBackground;
  onState: (state: ImportState) => void;
  /** Every bad record met so far (a new array each time, for rendering). */
  onErrors: (errors: ImportError[]) => void;
  now?: () => number;
  sessionId?: string;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

const count = (n: number) => n.toLocaleString('en');

function newSessionId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Runs one import to its end and returns the final state (also reported). Never throws. */
export async function runImportSession(options: ImportSessionOptions): Promise<ImportState> {
  const { file, signal, callBackground, onState, onErrors } = options;
  const now = options.now ?? (() => performance.now());
  const session = options.sessionId ?? newSessionId();
  const startedAt = now();
  let stored = 0;
  let last: ImportProgress | null = null;
  const found: ImportError[] = [];
  let state: ImportState = { status: 'running', file: file.name, progress: null, stored, startedAt };
  const report = (next: ImportState) => onState((state = next));
  onErrors([]);
  report(state);

  let live = false;
  let seq = 0;
  /** Finishes the indexes; a session the background lost (its worker restarted) falls back to a full rebuild. */
  const finishIndexes = () =>
    live ? callBackground('importEnd', { session }).catch(() => callBackground('corpusChanged', {})) : callBackground('corpusChanged', {});

  let outcome: ImportOutcome;
  try {
    live = await callBackground('importBegin', { session }).then(
      (reply) => reply.started,
      () => false,
    );
    outcome = await options.store(signal, (update) => {
      if (update.type === 'committed') {
        stored += update.result.stored;
        // The background learns which papers each committed batch wrote (in commit order) and indexes them at the end.
        if (live && update.result.writtenIds.length) void callBackground('importBatch', { session, seq: seq++, ids: update.result.writtenIds }).catch(() => undefined);
        return;
      }
      last = update.progress;
      if (update.errors.length) {
        found.push(...update.errors);
        onErrors([...found]);
      }
      report({ status: 'running', file: file.name, progress: last, stored, startedAt });
    });
  } catch (error) {
    outcome = { stored, keptBundled: 0, progress: last, failure: { cancelled: false, formatError: false, message: (error as Error).message } };
  }

  const { failure } = outcome;
  if (failure) {
    // What committed stays, so it is indexed even though the import stopped.
    if (outcome.stored || live) await finishIndexes().catch(() => {});
    report({ status: failure.cancelled ? 'cancelled' : 'failed', file: file.name, stored: outcome.stored, progress: outcome.progress, message: failureMessage(outcome, failure) });
    return state;
  }
  report({ status: 'indexing', file: file.name, stored: outcome.stored });
  try {
    await finishIndexes();
  } catch (error) {
    report({ status: 'failed', file: file.name, stored: outcome.stored, progress: outcome.progress, message: `Updating the indexes failed: ${userMessage(error)}` });
    return state;
  }
  const { keptBundled, progress } = outcome;
  const message =
    [
      `Imported ${count(outcome.stored)} papers in ${formatDuration((now() - startedAt) / 1000)}`,
      keptBundled ? `${count(keptBundled)} already in the bundled corpus (kept as bundled)` : '',
      progress?.duplicates ? `${count(progress.duplicates)} duplicate ids in the file (first kept)` : '',
      found.length ? `${found.length} bad record${found.length > 1 ? 's' : ''} skipped (listed below)` : '',
    ]
      .filter(Boolean)
      .join('; ') + '.';
  report({ status: 'done', file: file.name, stored: outcome.stored, progress, message });
  return state;
}

function failureMessage(outcome: ImportOutcome, failure: NonNullable<ImportOutcome['failure']>): string {
  const kept = count(outcome.stored);
  if (failure.cancelled) return `Import cancelled. The ${kept} papers stored before you cancelled were kept; nothing else was written.`;
  const prefix = failure.formatError ? '' : 'Import failed: ';
  return `${prefix}${failure.message} ${outcome.stored ? `The ${kept} papers stored before the problem were kept.` : 'Nothing was imported.'}`;
}

/** From the page to its import worker: one `start`, then maybe a `cancel`. */
export type ImportWorkerRequest = { type: 'start'; file: File } | { type: 'cancel' };
/** From the import worker to the page: updates, then one `end`. */
export type ImportWorkerMessage = ImportUpdate | { type: 'end'; outcome: ImportOutcome };

/** What `storeInWorker` needs of a Worker (a fake in the unit tests). */
export interface ImportWorkerHandle {
  onmessage: ((event: MessageEvent<ImportWorkerMessage>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: ImportWorkerRequest): void;
  terminate(): void;
}

/**
 * Runs an import in a worker and ends the worker when it is over, so that what parsing the file took is given back
 * before the background rebuilds its indexes. Rejects only when the worker cannot run at all.
 */
export function storeInWorker(
  createWorker: () => ImportWorkerHandle,
  file: File,
  signal: AbortSignal,
  onUpdate: (update: ImportUpdate) => void,
): Promise<ImportOutcome> {
  const worker = createWorker();
  const cancel = () => worker.postMessage({ type: 'cancel' });
  signal.addEventListener('abort', cancel);
  return new Promise<ImportOutcome>((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === 'end') resolve(data.outcome);
      else onUpdate(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`the import could not run (${event.message || 'worker error'}).`));
    };
    worker.postMessage({ type: 'start', file });
  }).finally(() => {
    signal.removeEventListener('abort', cancel);
    worker.terminate();
  });
}
