import { useEffect, useState } from 'preact/hooks';
import { userMessage } from '@/lib/db/storage-errors';
import { callBackground } from '@/lib/ui/client';

/** The one setting: whether papers met while browsing join the corpus. The background owns its value. */
export function LearnSetting({ onError }: { onError: (message: string) => void }) {
  const [learn, setLearn] = useState<boolean | null>(null);

  useEffect(() => {
    callBackground('settings', {}).then((s) => setLearn(s.learnFromBrowsing), (e: Error) => onError(e.message));
  }, []);

  return (
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
            onError(userMessage(error));
          }
        }}
      />
      Add papers I read on arXiv and Hugging Face to my corpus, so suggestions improve as I read
    </label>
  );
}
