import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { paperHref } from '@/components/links';
import { PaperHomes } from '@/components/PaperHomes';
import { SaveToggle } from '@/components/SaveToggle';
import { TopicTags } from '@/components/TopicTags';
import { MarginDatabase } from '@/lib/db/database';
import { detectPage } from '@/lib/detect/page';
import { SavedChanged, type CorpusStats, type PaperSummary, type PaperView } from '@/lib/messaging/protocol';
import type { ReadingListEntry } from '@/lib/schema';
import { userMessage } from '@/lib/db/storage-errors';
import { askTab, callBackground } from '@/lib/ui/client';
import { useLiveQuery } from '@/lib/ui/useLiveQuery';
import { ForYouView } from './ForYouView';
import { ReadingListView } from './ReadingListView';
import { SearchView, openPaper, type SearchState } from './SearchView';

const db = new MarginDatabase();
// Another context upgraded the database: this page holds an old connection, so start over.
db.on('versionchange', () => {
  db.close();
  location.reload();
});

type CurrentTab = { status: 'none' } | { status: 'loading' } | { status: 'paper'; view: PaperView } | { status: 'unknown'; arxivId: string; url: string };

/** The active tab's paper: from its URL, the database, and, for papers outside the corpus, the page itself. */
async function loadCurrentTab(): Promise<CurrentTab> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  const page = tab?.url ? detectPage(tab.url) : null;
  if (!tab || !page || !page.arxivId) return { status: 'none' };
  // A tab without Margin (a PDF, not loaded yet) or with a bad answer still gets the corpus's view of the paper.
  const fromPage = tab.id !== undefined ? await askTab(tab.id, 'getPaper').catch(() => null) : null;
  const view = await callBackground('paperView', { arxivId: page.arxivId, page: fromPage ?? undefined, limit: 3 });
  return view ? { status: 'paper', view } : { status: 'unknown', arxivId: page.arxivId, url: tab.url! };
}

function CurrentPaper({ current, onChanged }: { current: CurrentTab; onChanged: (view: PaperView) => void }) {
  const [error, setError] = useState<string | null>(null);
  if (current.status === 'none' || current.status === 'loading') return null;
  if (current.status === 'unknown') {
    return (
      <section class="current" data-testid="current-paper">
        <p class="current-label">This tab</p>
        <p>
          arXiv:{current.arxivId} is not in your corpus yet. Open its{' '}
          <a href={paperHref(current.arxivId, '')} onClick={(e) => (e.preventDefault(), void browser.tabs.create({ url: paperHref(current.arxivId, '') }))}>
            abstract page
          </a>{' '}
          to tag and save it.
        </p>
      </section>
    );
  }
  const { view } = current;
  const toggle = async (saved: boolean) => {
    try {
      const result = await callBackground('setSaved', view.inCorpus ? { paperId: view.paper.id, saved } : { page: view.paper, saved });
      onChanged({ ...view, saved: result.saved });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section class="current" data-testid="current-paper">
      <p class="current-label">This tab</p>
      <div class="current-head">
        <a class="result-title" href={paperHref(view.paper.arxivId, view.paper.title)} onClick={(e) => (e.preventDefault(), openPaper(view.paper))}>
          {view.paper.title}
        </a>
        <SaveToggle saved={view.saved} onToggle={(saved) => void toggle(saved)} compact label={view.paper.title} />
      </div>
      <TopicTags tags={view.tags} compact />
      <PaperHomes arxivId={view.paper.arxivId} class="current-homes" />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {view.related.length > 0 && (
        <ul class="current-related" aria-label="Related in your corpus">
          {view.related.map((item) => (
            <li key={item.paper.id} data-testid="current-related">
              <a href={paperHref(item.paper.arxivId, item.paper.title)} title={item.paper.title} onClick={(e) => (e.preventDefault(), openPaper(item.paper))}>
                {item.paper.title}
              </a>
              <span class="muted related-reason" title={item.reason}>
                {item.reason}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Popup() {
  const [removed, setRemovedState] = useState<ReadingListEntry | null>(null);
  const undoTimer = useRef<ReturnType<typeof setTimeout>>();
  const setRemoved = (entry: ReadingListEntry | null) => {
    clearTimeout(undoTimer.current);
    setRemovedState(entry);
    if (entry) undoTimer.current = setTimeout(() => setRemovedState(null), 10_000);
  };
  const params = new URLSearchParams(location.search);
  const [tab, setTab] = useState<'search' | 'list' | 'foryou'>(params.get('view') === 'list' ? 'list' : params.get('view') === 'foryou' ? 'foryou' : 'search');
  const [search, setSearch] = useState<SearchState>({ query: params.get('q') ?? '', topic: params.get('topic') ?? '', year: '', savedOnly: false });
  const [stats, setStats] = useState<CorpusStats | null>(null);
  const [current, setCurrent] = useState<CurrentTab>({ status: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const entries = useLiveQuery(() => db.readingList.orderBy('addedAt').reverse().toArray(), []);
  // Read once, not live: a live query on `papers` made this page re-run it after every batch of an import in the
  // options page (same renderer thread), which slowed a 100k import 2.6×; a new year shows on the next opening.
  const [years, setYears] = useState<number[]>([]);

  useEffect(() => {
    // After the first stats reply: the background installs the bundled corpus (first run) before it answers.
    callBackground('stats', {}).then(
      (reply) => {
        setStats(reply);
        // Without years the filter only offers "any year"; the stats call has already reported any real problem.
        db.papers
          .orderBy('year')
          .uniqueKeys()
          .then((keys) => setYears((keys as number[]).reverse()), () => {});
      },
      (e: Error) => setError(e.message),
    );
    loadCurrentTab().then(setCurrent, () => setCurrent({ status: 'none' }));
  }, []);

  // Saves made elsewhere (a panel, the shortcut, another window) show here without reopening.
  useEffect(() => {
    const listener = (message: unknown) => {
      const event = SavedChanged.safeParse(message);
      if (!event.success) return;
      setCurrent((c) => {
        if (c.status !== 'paper') return c;
        const change = event.data.changes.findLast((item) => item.paperId === c.view.paper.id);
        return change ? { ...c, view: { ...c.view, saved: change.saved } } : c;
      });
      callBackground('stats', {}).then(setStats, () => {});
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  }, []);

  const recent: PaperSummary[] = useMemo(
    () =>
      (entries.value ?? []).map((entry) => ({
        id: entry.paperId,
        arxivId: entry.arxivId,
        title: entry.title,
        authors: entry.authors.slice(0, 3),
        year: entry.year,
        tags: [],
        saved: true,
      })),
    [entries.value],
  );
  const savedIds = useMemo(() => (entries.value ? new Set(entries.value.map((entry) => entry.paperId)) : undefined), [entries.value]);
  // The card follows the reading list too (a removal in the list, an import, a save in another window).
  const shownCurrent: CurrentTab =
    current.status === 'paper' && savedIds ? { ...current, view: { ...current.view, saved: savedIds.has(current.view.paper.id) } } : current;
  const saved = entries.value?.length ?? stats?.saved;

  return (
    <main class="popup">
      <header class="popup-header">
        <h1>Margin</h1>
        <nav class="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'search'} class={tab === 'search' ? 'tab on' : 'tab'} onClick={() => setTab('search')}>
            Search
          </button>
          <button type="button" role="tab" aria-selected={tab === 'list'} class={tab === 'list' ? 'tab on' : 'tab'} data-testid="tab-reading-list" onClick={() => setTab('list')}>
            Reading list{entries.value ? ` (${entries.value.length})` : ''}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'foryou'} class={tab === 'foryou' ? 'tab on' : 'tab'} data-testid="tab-for-you" onClick={() => setTab('foryou')}>
            For you
          </button>
        </nav>
      </header>
      {(error || entries.error) && (
        <p role="alert" class="error">
          {error ?? userMessage(entries.error)}
        </p>
      )}
      {tab === 'search' && <CurrentPaper current={shownCurrent} onChanged={(view) => setCurrent({ status: 'paper', view })} />}
      {tab === 'foryou' ? (
        <ForYouView savedIds={savedIds} />
      ) : tab === 'search' ? (
        <SearchView state={search} onChange={setSearch} years={years} recent={recent} savedIds={savedIds} />
      ) : (
        <ReadingListView entries={entries.value} removed={removed} setRemoved={setRemoved} />
      )}
      <footer class="popup-footer" data-testid="corpus-stats">
        {stats ? `${stats.papers.toLocaleString('en')} papers in your corpus · ${saved} saved` : 'Loading corpus…'}
        {' · '}
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noopener">
          Settings &amp; import
        </a>
      </footer>
    </main>
  );
}
