import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImportError } from '@/lib/import/snapshot';
import { formatDuration, runImportSession, storeInWorker, type ImportState } from '@/lib/import/session';
import { callBackground } from '@/lib/ui/client';
import ImportWorker from './import-worker?worker';

/** While the background rebuilds its indexes after a large import, how far it has got (polled). */
function useRebuildProgress(indexing: boolean) {
  const [rebuild, setRebuild] = useState<{ indexed: number; total: number } | null>(null);
  useEffect(() => {
    if (!indexing) return setRebuild(null);
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
  }, [indexing]);
  return rebuild;
}

export function ImportSection({ onChanged }: { onChanged: () => void }) {
  const [state, setState] = useState<ImportState>({ status: 'idle' });
  const [errors, setErrors] = useState<ImportError[]>([]);
  const controller = useRef<AbortController | null>(null);
  const rebuild = useRebuildProgress(state.status === 'indexing');

  const run = async (file: File) => {
    controller.current = new AbortController();
    try {
      await runImportSession({
        file,
        signal: controller.current.signal,
        store: (signal, onUpdate) => storeInWorker(() => new ImportWorker(), file, signal, onUpdate),
        callBackground,
        onState: setState,
        onErrors: setErrors,
      });
    } finally {
      controller.current = null;
      onChanged();
    }
  };

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
