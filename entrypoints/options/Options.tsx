import { useEffect, useState } from 'preact/hooks';
import type { CorpusStats } from '@/lib/messaging/protocol';
import { callBackground } from '@/lib/ui/client';
import { BackupSection } from './BackupSection';
import { CorpusSection, type StorageEstimate } from './CorpusSection';
import { ImportSection } from './ImportSection';
import { LearnSetting } from './LearnSetting';
import { SyncSection } from './SyncSection';

/** The options page: one section per job; the stats at the top refresh whenever a section changed the data. */
export function Options() {
  const [stats, setStats] = useState<CorpusStats | null>(null);
  const [storage, setStorage] = useState<StorageEstimate | null>(null);
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
  }, []);

  return (
    <main class="options">
      <h1>Margin</h1>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      <CorpusSection stats={stats} storage={storage} refresh={refresh} setMessage={setMessage}>
        <LearnSetting onError={setMessage} />
      </CorpusSection>
      <ImportSection onChanged={() => void refresh()} />
      <BackupSection onChanged={() => void refresh()} />
      <SyncSection />
      <section>
        <h2>Privacy</h2>
        <p class="muted">Margin makes no network requests: the corpus, the indexes and your reading list stay in this browser (with sync on, your browser also keeps the reading list in your account's sync storage).</p>
      </section>
    </main>
  );
}
