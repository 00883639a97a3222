import { useEffect, useState } from 'preact/hooks';
import type { CorpusStats } from '@/lib/messaging/protocol';
import { callBackground } from '@/lib/ui/client';

export function Popup() {
  const [stats, setStats] = useState<CorpusStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    callBackground('stats', {}).then(setStats, (e: Error) => setError(e.message));
  }, []);
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>Margin</h1>
      </header>
      {error && <p role="alert" class="error">{error}</p>}
      <footer class="popup-footer" data-testid="corpus-stats">
        {stats ? `${stats.papers.toLocaleString('en')} papers in your corpus · ${stats.saved} saved` : 'Loading corpus…'}
      </footer>
    </main>
  );
}
