import type { ComponentChildren } from 'preact';
import { removeImported } from '@/lib/import/store';
import type { CorpusStats } from '@/lib/messaging/protocol';
import { userMessage } from '@/lib/db/storage-errors';
import { callBackground } from '@/lib/ui/client';
import { db } from './db';
import { formatBytes } from './format';

export type StorageEstimate = { usage: number; quota: number; persisted: boolean };

/** What the corpus holds, how much disk it takes, and removing what was imported. */
export function CorpusSection(props: {
  stats: CorpusStats | null;
  storage: StorageEstimate | null;
  refresh: () => Promise<void>;
  setMessage: (message: string | null) => void;
  children?: ComponentChildren;
}) {
  const { stats, storage, refresh, setMessage } = props;
  return (
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
      {props.children}
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
  );
}
