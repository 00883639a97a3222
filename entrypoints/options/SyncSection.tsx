import { useEffect, useState } from 'preact/hooks';
import { userMessage } from '@/lib/db/storage-errors';
import type { SyncStatus } from '@/lib/schema';
import { callBackground } from '@/lib/ui/client';
import { formatBytes } from './format';

/** How often the section re-reads the state while the page is open (a change from another browser can land any time). */
const REFRESH_MS = 5000;

function when(time: number | null): string {
  return time === null ? 'never' : new Date(time).toLocaleString();
}

/** The reading list's sync through the browser account: the switch and an honest account of what is synced. */
export function SyncSection() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = async () => {
    try {
      setStatus(await callBackground('syncStatus', {}));
      setError(null);
    } catch (e) {
      setError(userMessage(e));
    }
  };

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const toggle = async (enabled: boolean) => {
    // The box shows the choice at once; the reply (after a first round when turned on) fills in the rest.
    setStatus((current) => current && { ...current, enabled });
    setBusy(true);
    try {
      setStatus(await callBackground('setSync', { enabled }));
      setError(null);
    } catch (e) {
      setError(userMessage(e));
      void refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sync-heading">
      <h2 id="sync-heading">Sync</h2>
      <label class="row">
        <input
          type="checkbox"
          data-testid="sync-enabled"
          checked={status?.enabled ?? false}
          disabled={!status?.available || busy}
          onChange={(e) => void toggle((e.target as HTMLInputElement).checked)}
        />
        Keep my reading list (saves, statuses, notes) the same in every browser signed in to my browser account, through the browser’s own sync; Margin has no server.
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {status && !status.available && <p class="muted">This browser has no sync storage: the reading list stays in this browser.</p>}
      {status?.available && !status.enabled && <p class="muted" data-testid="sync-status">Sync is off: this browser’s reading list is neither sent nor updated from other browsers.</p>}
      {status?.available && status.enabled && (
        <>
          <p data-testid="sync-status">
            {status.entriesSynced} of {status.entriesLocal} saved papers synced
            {status.removalsSynced ? ` (and ${status.removalsSynced} recent removals)` : ''} · {formatBytes(status.bytesUsed)} of {formatBytes(status.quotaBytes)} of the browser’s sync space
            used · last change from another browser: <span data-testid="sync-last-received">{when(status.lastReceivedAt)}</span>
          </p>
          {status.notSynced.entries > 0 && (
            <p class="error" role="status" data-testid="sync-not-synced">
              {status.notSynced.entries} saved paper{status.notSynced.entries === 1 ? '' : 's'} did not fit in the browser’s sync space and stay in this browser only
              (papers with notes and the most recently saved go first){status.notSynced.titles.length ? `, e.g. “${status.notSynced.titles.join('”, “')}”` : ''}.
            </p>
          )}
          {status.error && (
            <p class="error" role="status">
              {status.error}
            </p>
          )}
          {status.problems.length > 0 && (
            <details>
              <summary>{status.problems.length} item{status.problems.length === 1 ? '' : 's'} in the sync space ignored</summary>
              <ul>
                {status.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
