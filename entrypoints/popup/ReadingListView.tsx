import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { paperHref } from '@/components/links';
import { EXPORT_FORMATS, exportEntries, type ExportFormat } from '@/lib/export/formats';
import type { ReadingListEntry, ReadingStatus } from '@/lib/schema';
import { callBackground } from '@/lib/ui/client';
import { openPaper } from './SearchView';

type SortKey = 'added' | 'status' | 'title';
const STATUS_LABEL: Record<ReadingStatus, string> = { 'to-read': 'To read', reading: 'Reading', done: 'Done' };
const STATUS_ORDER: ReadingStatus[] = ['reading', 'to-read', 'done'];

export function sortEntries(entries: ReadingListEntry[], key: SortKey): ReadingListEntry[] {
  const sorted = [...entries];
  if (key === 'added') sorted.sort((a, b) => b.addedAt - a.addedAt || a.title.localeCompare(b.title));
  if (key === 'title') sorted.sort((a, b) => a.title.localeCompare(b.title));
  if (key === 'status') sorted.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.addedAt - a.addedAt);
  return sorted;
}

/** Saves a file from the popup without the downloads permission. */
function download(name: string, mime: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function NotesEditor({ entry, onError }: { entry: ReadingListEntry; onError: (message: string) => void }) {
  const [draft, setDraft] = useState(entry.notes);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  // A note edited elsewhere (another popup, an import) replaces the draft only when this one is not being typed in.
  useEffect(() => {
    if (state === 'idle' || state === 'saved') setDraft(entry.notes);
  }, [entry.notes]);

  const save = async (notes: string) => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (notes === entry.notes) return;
    setState('saving');
    try {
      await callBackground('updateEntry', { paperId: entry.paperId, notes });
      setState('saved');
    } catch (e) {
      setState('idle');
      onError((e as Error).message);
    }
  };
  // The popup closes the moment the user clicks elsewhere: a note typed within the debounce is sent now.
  const pending = useRef<() => void>(() => {});
  pending.current = () => {
    if (timer.current !== undefined) void save(draft);
  };
  useEffect(() => {
    const flush = () => pending.current();
    addEventListener('pagehide', flush);
    addEventListener('visibilitychange', flush);
    return () => {
      removeEventListener('pagehide', flush);
      removeEventListener('visibilitychange', flush);
      flush();
    };
  }, []);
  return (
    <label class="notes">
      <span class="visually-hidden">Notes on {entry.title}</span>
      <textarea
        data-testid="entry-notes"
        placeholder="Notes…"
        rows={draft ? 3 : 1}
        value={draft}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          setDraft(value);
          setState('saving');
          clearTimeout(timer.current);
          timer.current = setTimeout(() => void save(value), 500);
        }}
        onBlur={() => void save(draft)}
      />
      {state === 'saved' && <span class="notes-state">Saved</span>}
    </label>
  );
}

interface Props {
  entries: ReadingListEntry[] | undefined;
  /** The last removed entry, kept by the popup so "Undo" survives a switch to Search and back. */
  removed: ReadingListEntry | null;
  setRemoved: (entry: ReadingListEntry | null) => void;
}

export function ReadingListView({ entries, removed, setRemoved }: Props) {
  const [sort, setSort] = useState<SortKey>('added');
  const [error, setError] = useState<string | null>(null);

  if (!entries) return <p class="muted">Loading your reading list…</p>;

  const remove = async (entry: ReadingListEntry) => {
    try {
      await callBackground('setSaved', { paperId: entry.paperId, saved: false });
      setRemoved(entry);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const undo = async () => {
    if (!removed) return;
    try {
      await callBackground('restoreEntry', removed);
      setRemoved(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const setStatus = async (entry: ReadingListEntry, status: ReadingStatus) => {
    try {
      await callBackground('updateEntry', { paperId: entry.paperId, status });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const exportAs = (format: ExportFormat) => {
    const file = exportEntries(format, entries);
    download(file.name, file.mime, file.text);
  };

  return (
    <section class="reading-list" aria-label="Reading list">
      <div class="list-toolbar">
        <label>
          Sort{' '}
          <select value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as SortKey)} data-testid="reading-list-sort">
            <option value="added">Date added</option>
            <option value="status">Status</option>
            <option value="title">Title</option>
          </select>
        </label>
        <span class="muted">{entries.length} saved</span>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {removed && (
        <div class="toast" role="status">
          Removed “{removed.title}”.{' '}
          <button type="button" class="link-button" data-testid="undo-remove" onClick={() => void undo()}>
            Undo
          </button>
        </div>
      )}
      {!entries.length && <p class="muted">Nothing saved yet. Use ☆ Save on a paper page, in search results, or press Alt+Shift+S.</p>}
      <ol class="entries">
        {sortEntries(entries, sort).map((entry) => (
          <li key={entry.paperId} class="entry" data-testid="reading-list-item" data-status={entry.status}>
            <a
              class="result-title"
              href={paperHref(entry.arxivId, entry.title)}
              onClick={(e) => {
                e.preventDefault();
                openPaper(entry);
              }}
            >
              {entry.title}
            </a>
            <div class="result-meta">
              <span>
                {entry.year ?? 'n.d.'}
                {entry.authors.length ? ` · ${entry.authors.slice(0, 2).join(', ')}${entry.authors.length > 2 ? ' et al.' : ''}` : ''}
                {' · added '}
                {new Date(entry.addedAt).toLocaleDateString()}
              </span>
            </div>
            <div class="entry-controls">
              <select
                aria-label={`Status of ${entry.title}`}
                data-testid="entry-status"
                value={entry.status}
                onChange={(e) => void setStatus(entry, (e.target as HTMLSelectElement).value as ReadingStatus)}
              >
                {(Object.keys(STATUS_LABEL) as ReadingStatus[]).map((status) => (
                  <option key={status} value={status}>
                    {STATUS_LABEL[status]}
                  </option>
                ))}
              </select>
              <button type="button" class="link-button" data-testid="entry-remove" onClick={() => void remove(entry)}>
                Remove
              </button>
            </div>
            <NotesEditor entry={entry} onError={setError} />
          </li>
        ))}
      </ol>
      <footer class="export">
        <span>Export:</span>
        {EXPORT_FORMATS.map((format) => (
          <button key={format.id} type="button" class="link-button" data-testid={`export-${format.id}`} disabled={!entries.length} onClick={() => exportAs(format.id)}>
            {format.label}
          </button>
        ))}
        <a class="link-button" href={browser.runtime.getURL('/options.html#backup')} target="_blank" rel="noopener">
          Import…
        </a>
      </footer>
    </section>
  );
}
