import { useState } from 'preact/hooks';
import { parseBackupFile, planImport, toBackupJson } from '@/lib/export/backup';
import { userMessage } from '@/lib/db/storage-errors';
import type { ReadingListEntry } from '@/lib/schema';
import { callBackground } from '@/lib/ui/client';
import { db } from './db';
import { formatBytes } from './format';

type BackupState =
  | { status: 'idle' }
  | { status: 'error'; message: string }
  | { status: 'preview'; file: string; entries: ReadingListEntry[]; summary: { new: number; updated: number; unchanged: number } }
  | { status: 'applied'; message: string };

export function BackupSection({ onChanged }: { onChanged: () => void }) {
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
