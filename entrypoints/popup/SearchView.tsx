import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { paperHref } from '@/components/links';
import { SaveToggle } from '@/components/SaveToggle';
import { TopicTags } from '@/components/TopicTags';
import type { PaperSummary, SearchResult } from '@/lib/messaging/protocol';
import { highlight } from '@/lib/search/highlight';
import { callBackground } from '@/lib/ui/client';
import { TOPICS } from '@/lib/topics/taxonomy';
import { isDraftQuery, relatedToDraft } from './draft-query';

export interface SearchState {
  query: string;
  topic: string;
  year: string;
  savedOnly: boolean;
}

interface Props {
  state: SearchState;
  onChange: (state: SearchState) => void;
  years: number[];
  /** Shown under an empty query: the saves, latest first. */
  recent: PaperSummary[];
  /** Ids in the reading list, live: result toggles follow saves made anywhere (a panel, the list, another window). */
  savedIds?: ReadonlySet<string>;
}

function Highlighted({ text, matched }: { text: string; matched: string[] }) {
  return (
    <>
      {highlight(text, matched).map((part, index) => (part.hit ? <mark key={index}>{part.text}</mark> : part.text))}
    </>
  );
}

function authorsLine(authors: string[]) {
  if (!authors.length) return '';
  return authors.length > 2 ? `${authors.slice(0, 2).join(', ')} et al.` : authors.join(', ');
}

export function openPaper(paper: { arxivId: string | null; title: string }) {
  void browser.tabs.create({ url: paperHref(paper.arxivId, paper.title) });
}

export function SearchView({ state, onChange, years, recent, savedIds }: Props) {
  const [results, setResults] = useState<SearchResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const latest = useRef(0);
  /** The ticket of the search whose results are on screen. */
  const answered = useRef(0);
  /** Enter pressed before the results of the current query arrived: open the top hit when they do. */
  const pendingOpen = useRef(false);

  useEffect(() => input.current?.focus(), []);

  const hasQuery = !!state.query.trim();
  // Words, a topic or a year ask the corpus; saved-only alone lists the reading list.
  const searching = hasQuery || !!state.topic || !!state.year;
  useEffect(() => {
    const ticket = ++latest.current;
    if (!searching) {
      answered.current = ticket;
      setResults(null);
      setActive(0);
      pendingOpen.current = false;
      return;
    }
    (isDraftQuery(state.query)
      ? relatedToDraft(state.query)
      : callBackground('search', {
          query: state.query,
          filters: { topic: state.topic || undefined, year: state.year ? Number(state.year) : undefined, savedOnly: state.savedOnly || undefined },
          limit: 50,
        })
    ).then(
      (found) => {
        // Keystrokes answer out of order; only the newest query may paint.
        if (ticket !== latest.current) return;
        answered.current = ticket;
        setResults(found);
        setError(null);
        setActive(0);
        if (pendingOpen.current) {
          pendingOpen.current = false;
          if (found[0]) openPaper(found[0].paper);
        }
      },
      (e: Error) => {
        if (ticket !== latest.current) return;
        answered.current = ticket;
        pendingOpen.current = false;
        setError(e.message);
      },
    );
  }, [state.query, state.topic, state.year, state.savedOnly]);

  // Without anything to search, the box lists the saves: the latest five, or all of them with "Saved only".
  const listAllSaves = state.savedOnly;
  const saves = recent.slice(0, listAllSaves ? undefined : 5);
  const shown: PaperSummary[] = (results ? results.map((r) => r.paper) : searching ? [] : saves).map((paper) =>
    savedIds ? { ...paper, saved: savedIds.has(paper.id) } : paper,
  );
  const matchedFor = (index: number) => (hasQuery ? (results?.[index]?.matched ?? []) : []);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, shown.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (latest.current !== answered.current) {
        // Typed and pressed Enter at once: the results on screen are for an older query.
        pendingOpen.current = true;
        return;
      }
      const paper = shown[active];
      if (paper) openPaper(paper);
    } else if (event.key === 'Escape') {
      if (state.query || state.topic || state.year || state.savedOnly) {
        // Esc clears the box, then the filters; with nothing left to clear it closes the popup as usual.
        event.preventDefault();
        onChange(state.query ? { ...state, query: '' } : { query: '', topic: '', year: '', savedOnly: false });
      }
    }
  };

  const toggleSave = async (paper: PaperSummary, saved: boolean) => {
    try {
      await callBackground('setSaved', { paperId: paper.id, saved });
      setResults((current) => current?.map((r) => (r.paper.id === paper.id ? { ...r, paper: { ...r.paper, saved } } : r)) ?? null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="search" aria-label="Search your corpus">
      <input
        ref={input}
        type="search"
        class="search-input"
        data-testid="search-input"
        placeholder="Search titles, abstracts, authors, topics…"
        aria-label="Search papers"
        aria-controls="search-results"
        aria-activedescendant={shown.length ? `result-${active}` : undefined}
        value={state.query}
        onInput={(e) => onChange({ ...state, query: (e.target as HTMLInputElement).value })}
        onKeyDown={onKeyDown}
        autoFocus
      />
      <div class="filters">
        <select aria-label="Topic" value={state.topic} onChange={(e) => onChange({ ...state, topic: (e.target as HTMLSelectElement).value })}>
          <option value="">All topics</option>
          {TOPICS.map((topic) => (
            <option key={topic.id} value={topic.id}>
              {topic.label}
            </option>
          ))}
        </select>
        <select aria-label="Year" value={state.year} onChange={(e) => onChange({ ...state, year: (e.target as HTMLSelectElement).value })}>
          <option value="">Any year</option>
          {years.map((year) => (
            <option key={year} value={String(year)}>
              {year}
            </option>
          ))}
        </select>
        <label class="saved-only">
          <input type="checkbox" checked={state.savedOnly} onChange={(e) => onChange({ ...state, savedOnly: (e.target as HTMLInputElement).checked })} />
          Saved only
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!results && !searching && (
        <h2 class="section-title">{listAllSaves ? 'Saved papers' : saves.length ? 'Recently saved' : 'Type to search your corpus'}</h2>
      )}
      {!results && !searching && listAllSaves && !saves.length && <p class="muted">No saved paper yet.</p>}
      {results && !results.length && (
        <p class="muted">{hasQuery ? `No paper matches “${state.query}”${state.topic || state.year || state.savedOnly ? ' with these filters' : ''}.` : 'No paper matches these filters.'}</p>
      )}
      <ol class="results" id="search-results" ref={list} role="listbox" aria-label="Results">
        {shown.map((paper, index) => (
          <li
            key={paper.id}
            id={`result-${index}`}
            data-index={index}
            role="option"
            aria-selected={index === active}
            class={index === active ? 'result active' : 'result'}
            data-testid={results ? 'search-result' : 'recent-save'}
            onMouseEnter={() => setActive(index)}
          >
            <a
              class="result-title"
              href={paperHref(paper.arxivId, paper.title)}
              onClick={(e) => {
                e.preventDefault();
                openPaper(paper);
              }}
            >
              <Highlighted text={paper.title} matched={matchedFor(index)} />
            </a>
            <div class="result-meta">
              <span>
                {paper.year ?? 'n.d.'}
                {paper.authors.length ? ' · ' : ''}
                <Highlighted text={authorsLine(paper.authors)} matched={matchedFor(index)} />
              </span>
              <SaveToggle compact saved={paper.saved} onToggle={(saved) => void toggleSave(paper, saved)} label={paper.title} />
            </div>
            <TopicTags tags={paper.tags.slice(0, 3)} compact onSelect={(tag) => onChange({ ...state, topic: tag.id })} />
            {results?.[index]?.reason && <p class="muted related-reason">{results[index].reason}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
