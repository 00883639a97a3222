import { useEffect, useRef, useState } from 'preact/hooks';
import { MarginDatabase } from '@/lib/db/database';
import { parseBackupFile, planImport, toBackupJson } from '@/lib/export/backup';
import type { ImportOutcome, ImportUpdate } from '@/lib/import/run';
import { removeImported } from '@/lib/import/store';
import type { ImportError, ImportProgress } from '@/lib/import/snapshot';
import type { CorpusStats } from '@/lib/messaging/protocol';
import { userMessage } from '@/lib/messaging/rpc';
import type { ReadingListEntry } from '@/lib/schema';
import { callBackground } from '@/lib/ui/client';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-worker';
import ImportWorker from './import-worker?worker';

const db = new MarginDatabase();
db.on('versionchange', () => {
  db.close();
  location.reload();
});

function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function formatDuration(seconds: number) {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

type ImportState =
  | { status: 'idle' }
  | { status: 'running'; file: string; progress: ImportProgress | null; stored: number; startedAt: number }
  | { status: 'indexing'; file: string; stored: number }
  | { status: 'done' | 'cancelled' | 'failed'; file: string; stored: number; message: string; progress: ImportProgress | null };

/**
 * Runs an import in a worker (see `import-worker.ts`) and ends the worker when it is over, so that what parsing the
 * file took is given back before the background rebuilds its indexes. Rejects only when the worker cannot run at all.
 */
function storeInWorker(file: File, signal: AbortSignal, onUpdate: (update: ImportUpdate) => void): Promise<ImportOutcome> {
  const worker = new ImportWorker();
  const cancel = () => worker.postMessage({ type: 'cancel' } satisfies ImportWorkerRequest);
  signal.addEventListener('abort', cancel);
  return new Promise<ImportOutcome>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<ImportWorkerMessage>) => {
      if (data.type === 'end') resolve(data.outcome);
      else onUpdate(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`the import could not run (${event.message || 'worker error'}).`));
    };
    worker.postMessage({ type: 'start', file } satisfies ImportWorkerRequest);
  }).finally(() => {
    signal.removeEventListener('abort', cancel);
    worker.terminate();
  });
}

function CorpusImport({ onChanged }: { onChanged: () => void }) {
  const [state, setState] = useState<ImportState>({ status: 'idle' });
  const [errors, setErrors] = useState<ImportError[]>([]);
  const controller = useRef<AbortController | null>(null);

  const run = async (file: File) => {
    controller.current = new AbortController();
    const signal = controller.current.signal;
    const startedAt = performance.now();
    let stored = 0;
    let last: ImportProgress | null = null;
    const found: ImportError[] = [];
    setErrors([]);
    setState({ status: 'running', file: file.name, progress: null, stored, startedAt });
    // The background follows the import batch by batch and brings its indexes up to date once the last batch is stored.
    const session = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    let live = false;
    let seq = 0;
    /** Rebuilds or finishes the indexes; the live session falls back to a rebuild when the worker lost it. */
    const finishIndexes = () =>
      live ? callBackground('importEnd', { session }).catch(() => callBackground('corpusChanged', {})) : callBackground('corpusChanged', {});
    let outcome: ImportOutcome;
    try {
      live = await callBackground('importBegin', { session }).then(
        (reply) => reply.started,
        () => false,
      );
      outcome = await storeInWorker(file, signal, (update) => {
        if (update.type === 'committed') {
          stored += update.result.stored;
          // The background learns which papers each committed batch wrote (in commit order) and indexes them at the end.
          if (live && update.result.writtenIds.length) void callBackground('importBatch', { session, seq: seq++, ids: update.result.writtenIds }).catch(() => undefined);
          return;
        }
        last = update.progress;
        if (update.errors.length) {
          found.push(...update.errors);
          setErrors([...found]);
        }
        setState({ status: 'running', file: file.name, progress: last, stored, startedAt });
      });
    } catch (error) {
      outcome = { stored, keptBundled: 0, progress: last, failure: { cancelled: false, formatError: false, message: (error as Error).message } };
    }
    try {
      const { failure } = outcome;
      if (failure) {
        if (outcome.stored || live) await finishIndexes().catch(() => {});
        const kept = outcome.stored.toLocaleString('en');
        setState({
          status: failure.cancelled ? 'cancelled' : 'failed',
          file: file.name,
          stored: outcome.stored,
          progress: outcome.progress,
          message: failure.cancelled
            ? `Import cancelled. The ${kept} papers stored before you cancelled were kept; nothing else was written.`
            : `${failure.formatError ? '' : 'Import failed: '}${failure.message} ${outcome.stored ? `The ${kept} papers stored before the problem were kept.` : 'Nothing was imported.'}`,
        });
        return;
      }
      setState({ status: 'indexing', file: file.name, stored: outcome.stored });
      await finishIndexes();
      const seconds = (performance.now() - startedAt) / 1000;
      const { keptBundled, progress } = outcome;
      setState({
        status: 'done',
        file: file.name,
        stored: outcome.stored,
        progress,
        message: [
          `Imported ${outcome.stored.toLocaleString('en')} papers in ${formatDuration(seconds)}`,
          keptBundled ? `${keptBundled.toLocaleString('en')} already in the bundled corpus (kept as bundled)` : '',
          progress?.duplicates ? `${progress.duplicates.toLocaleString('en')} duplicate ids in the file (first kept)` : '',
          found.length ? `${found.length} bad record${found.length > 1 ? 's' : ''} skipped (listed below)` : '',
        ]
          .filter(Boolean)
          .join('; ') + '.',
      });
    } catch (error) {
      setState({ status: 'failed', file: file.name, stored: outcome.stored, progress: outcome.progress, message: `Updating the indexes failed: ${userMessage(error)}` });
    } finally {
      controller.current = null;
      onChanged();
    }
  };

  // While the background rebuilds its indexes (a large import), show how far it has got.
  const [rebuild, setRebuild] = useState<{ indexed: number; total: number } | null>(null);
  useEffect(() => {
    if (state.status !== 'indexing') return setRebuild(null);
    let live = true;
    const poll = async () => {
      const reply = await callBackground('indexProgress', {}).catch(() => null);
      if (!live) return;
      setRebuild(reply?.building ? { indexed: reply.indexed, total: reply.total } : null);
      setTimeout(() => void poll(), 500);
    };
    void poll();
    return () => {
      live = false;
    };
  }, [state.status]);

  const progress = state.status === 'running' ? state.progress : null;
  const fraction = progress?.totalBytes ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
  const elapsed = state.status === 'running' ? (performance.now() - state.startedAt) / 1000 : 0;
  const rate = progress && elapsed > 0 ? progress.records / elapsed : 0;
  const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Infinity;

  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import papers</h2>
      <p class="muted">
        JSON Lines or JSON in the arXiv metadata snapshot format (<code>id, title, abstract, authors, categories, versions…</code>), plain or .gz, or a Margin
        corpus file. The file is read in chunks, so even the full arXiv snapshot fits.
      </p>
      <input
        type="file"
        accept=".json,.jsonl,.ndjson,.gz,application/json"
        data-testid="corpus-import-input"
        disabled={state.status === 'running' || state.status === 'indexing'}
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          if (file) void run(file);
          input.value = '';
        }}
      />
      {state.status === 'running' && (
        <div class="progress" data-testid="import-progress">
          <progress max={1} value={fraction} aria-label="Import progress" />
          <p>
            <span data-testid="import-count">{(progress?.records ?? 0).toLocaleString('en')}</span> records read ·{' '}
            {state.stored.toLocaleString('en')} stored · {Math.round(rate).toLocaleString('en')}/s · about {formatDuration(eta)} left
          </p>
          <button type="button" data-testid="import-cancel" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        </div>
      )}
      {state.status === 'indexing' && (
        <div class="progress" data-testid="import-progress">
          <p>Stored {state.stored.toLocaleString('en')} papers; updating the search and related indexes…</p>
          {rebuild && rebuild.total > 0 && (
            <>
              <progress max={rebuild.total} value={rebuild.indexed} aria-label="Indexing progress" />
              <p data-testid="index-progress">
                {rebuild.indexed.toLocaleString('en')} of {rebuild.total.toLocaleString('en')} papers indexed
                {rebuild.indexed >= rebuild.total ? '; finishing (semantic space, writing the indexes)' : ''}
              </p>
            </>
          )}
        </div>
      )}
      {(state.status === 'done' || state.status === 'cancelled' || state.status === 'failed') && (
        <p data-testid="import-result" class={state.status === 'failed' ? 'error' : 'ok'} role="status">
          {state.message}
        </p>
      )}
      {errors.length > 0 && (
        <details open data-testid="import-errors">
          <summary>
            {errors.length} record{errors.length > 1 ? 's' : ''} skipped
          </summary>
          <ul>
            {errors.slice(0, 200).map((error) => (
              <li key={`${error.line}:${error.reason}`}>
                Line {error.line}: {error.reason}
              </li>
            ))}
          </ul>
          {errors.length > 200 && <p class="muted">…and {errors.length - 200} more.</p>}
        </details>
      )}
    </section>
  );
}

type BackupState =
  | { status: 'idle' }
  | { status: 'error'; message: string }
  | { status: 'preview'; file: string; entries: ReadingListEntry[]; summary: { new: number; updated: number; unchanged: number } }
  | { status: 'applied'; message: string };

function BackupSection({ onChanged }: { onChanged: () => void }) {
  const [state, setState] = useState<BackupState>({ status: 'idle' });

  const choose = async (file: File) => {
    if (file.size > 50 * 1024 * 1024) {
      setState({ status: 'error', message: `${file.name} is ${formatBytes(file.size)}: too large for a Margin backup. Nothing was changed.` });
      return;
    }
    try {
      const parsed = parseBackupFile(new Uint8Array(await file.arrayBuffer()));
      if (!parsed.ok) {
        setState({ status: 'error', message: `${file.name}: ${parsed.error} Nothing was changed.` });
        return;
      }
      const existing = await db.readingList.toArray();
      const plan = planImport(existing, parsed.backup.entries);
      setState({ status: 'preview', file: file.name, entries: parsed.backup.entries, summary: plan.summary });
    } catch (error) {
      // Unreadable file or an unavailable database: say so instead of failing silently.
      setState({ status: 'error', message: `${file.name}: ${userMessage(error)}` });
    }
  };

  const apply = async (entries: ReadingListEntry[]) => {
    try {
      const result = await callBackground('importEntries', { entries });
      setState({ status: 'applied', message: `Reading list updated: ${result.added} new, ${result.updated} updated, ${result.unchanged} unchanged.` });
      onChanged();
    } catch (error) {
      const message = userMessage(error);
      setState({ status: 'error', message: /Nothing was changed/.test(message) ? message : `${message} Nothing was changed.` });
    }
  };

  const exportBackup = async () => {
    let entries: ReadingListEntry[];
    try {
      entries = await db.readingList.toArray();
    } catch (error) {
      setState({ status: 'error', message: `Export failed: ${userMessage(error)}` });
      return;
    }
    const url = URL.createObjectURL(new Blob([toBackupJson(entries)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `margin-reading-list-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section id="backup" aria-labelledby="backup-heading">
      <h2 id="backup-heading">Reading list backup</h2>
      <p class="muted">Your reading list and notes live only in this browser. Export a backup now and then; importing merges and never deletes.</p>
      <div class="row">
        <button type="button" data-testid="backup-export" onClick={() => void exportBackup()}>
          Export backup (Margin JSON)
        </button>
        <label class="file-button">
          Import backup…
          <input
            type="file"
            accept=".json,application/json"
            data-testid="backup-import-input"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void choose(file);
              input.value = '';
            }}
          />
        </label>
      </div>
      {state.status === 'error' && (
        <p class="error" role="alert" data-testid="backup-error">
          {state.message}
        </p>
      )}
      {state.status === 'preview' && (
        <div class="preview" data-testid="backup-preview">
          <p>
            {state.file}: <strong>{state.summary.new}</strong> new, <strong>{state.summary.updated}</strong> updated, <strong>{state.summary.unchanged}</strong> unchanged.
            Notes already here are kept.
          </p>
          <button type="button" data-testid="backup-apply" onClick={() => void apply(state.entries)}>
            Apply
          </button>{' '}
          <button type="button" onClick={() => setState({ status: 'idle' })}>
            Cancel
          </button>
        </div>
      )}
      {state.status === 'applied' && (
        <p class="ok" role="status" data-testid="backup-result">
          {state.message}
        </p>
      )}
    </section>
  );
}

export function Options() {
  const [stats, setStats] = useState<CorpusStats | null>(null);
  const [storage, setStorage] = useState<{ usage: number; quota: number; persisted: boolean } | null>(null);
  const [learn, setLearn] = useState<boolean | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = async () => {
    try {
      setStats(await callBackground('stats', {}));
      const estimate = await navigator.storage.estimate();
      setStorage({ usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted: await navigator.storage.persisted() });
    } catch (error) {
      setMessage((error as Error).message);
    }
  };

  useEffect(() => {
    void refresh();
    callBackground('settings', {}).then((s) => setLearn(s.learnFromBrowsing), (e: Error) => setMessage(e.message));
  }, []);

  return (
    <main class="options">
      <h1>Margin</h1>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      <section aria-labelledby="corpus-heading">
        <h2 id="corpus-heading">Your corpus</h2>
        {stats ? (
          <p data-testid="options-stats">
            {stats.papers.toLocaleString('en')} papers: {stats.bundled.toLocaleString('en')} bundled, {stats.imported.toLocaleString('en')} imported,{' '}
            {stats.browsed.toLocaleString('en')} met while browsing · {stats.saved} in your reading list.
          </p>
        ) : (
          <p class="muted">Loading…</p>
        )}
        {storage && (
          <p class="muted" data-testid="options-storage">
            Margin uses {formatBytes(storage.usage)} of disk{storage.quota ? ` (quota ${formatBytes(storage.quota)})` : ''}.{' '}
            {storage.persisted ? 'Storage is persistent: the browser will not evict it.' : 'Storage may be evicted under disk pressure.'}{' '}
            {!storage.persisted && (
              <button type="button" class="link-button" onClick={() => void navigator.storage.persist().then(refresh)}>
                Keep it persistent
              </button>
            )}
          </p>
        )}
        <label class="row">
          <input
            type="checkbox"
            data-testid="learn-from-browsing"
            checked={learn ?? true}
            disabled={learn === null}
            onChange={async (e) => {
              const value = (e.target as HTMLInputElement).checked;
              try {
                const saved = await callBackground('settings', { learnFromBrowsing: value });
                setLearn(saved.learnFromBrowsing);
              } catch (error) {
                setMessage(userMessage(error));
              }
            }}
          />
          Add papers I read on arXiv and Hugging Face to my corpus, so suggestions improve as I read
        </label>
        {stats && stats.imported > 0 && (
          <button
            type="button"
            data-testid="remove-imported"
            onClick={async () => {
              if (!confirm(`Remove ${stats.imported.toLocaleString('en')} imported papers? The bundled corpus and your reading list stay.`)) return;
              try {
                const removed = await removeImported(db);
                await callBackground('corpusChanged', {});
                setMessage(null);
                await refresh();
                alert(`Removed ${removed.toLocaleString('en')} imported papers.`);
              } catch (error) {
                setMessage(userMessage(error));
              }
            }}
          >
            Remove imported papers
          </button>
        )}
      </section>
      <CorpusImport onChanged={() => void refresh()} />
      <BackupSection onChanged={() => void refresh()} />
      <section>
        <h2>Privacy</h2>
        <p class="muted">Margin makes no network requests: the corpus, the indexes and your reading list stay in this browser.</p>
      </section>
    </main>
  );
}
