import type { PaperView } from '@/lib/messaging/protocol';
import type { TopicTag } from '@/lib/schema';
import { paperHref } from './links';
import { NotInterestedToggle } from './NotInterestedToggle';
import { newerVersionText, PaperHomes } from './PaperHomes';
import { SaveToggle } from './SaveToggle';
import { TopicTags } from './TopicTags';

export type PanelState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; view: PaperView; saving?: boolean; saveError?: string };

interface Props {
  state: PanelState;
  collapsed: boolean;
  theme: 'light' | 'dark';
  onToggleCollapsed: () => void;
  onToggleSave: (saved: boolean) => void;
  onToggleNotInterested?: (on: boolean) => void;
  onSelectTopic: (tag: TopicTag) => void;
  /** arXiv categories from the page, shown when no topic of the taxonomy applies. */
  fallbackCategories?: string[];
  /** The version the page shows, to point out one newer than the saved one. */
  pageVersion?: number | null;
}

/** The margin panel on a paper page: topics, related papers with reasons, and the save toggle. */
export function Panel({ state, collapsed, theme, onToggleCollapsed, onToggleSave, onToggleNotInterested, onSelectTopic, fallbackCategories, pageVersion }: Props) {
  const bodyId = 'margin-panel-body';
  return (
    <section class="m-panel" data-theme={theme} data-testid="margin-panel" aria-label="Margin: related work">
      <header class="m-head">
        <button type="button" class="m-collapse" aria-expanded={collapsed ? 'false' : 'true'} aria-controls={bodyId} onClick={onToggleCollapsed}>
          <span class="m-chevron" aria-hidden="true">
            {collapsed ? '▸' : '▾'}
          </span>
          <span class="m-brand">Margin</span>
          {state.status === 'ready' && collapsed && (
            <span class="m-summary">
              {state.view.related.length} related{state.view.saved ? ' · saved' : ''}
            </span>
          )}
        </button>
        {state.status === 'ready' && (
          <span class="m-actions">
            {onToggleNotInterested && <NotInterestedToggle on={!!state.view.notInterested} onToggle={onToggleNotInterested} label={state.view.paper.title} />}
            <SaveToggle saved={state.view.saved} busy={state.saving} onToggle={onToggleSave} label={state.view.paper.title} />
          </span>
        )}
      </header>
      {!collapsed && (
        <div class="m-body" id={bodyId}>
          {state.status === 'loading' && <p class="m-muted">Finding related work…</p>}
          {state.status === 'error' && (
            <p class="m-error" role="alert">
              {state.message}
            </p>
          )}
          {state.status === 'ready' && (
            <PanelBody view={state.view} onSelectTopic={onSelectTopic} fallbackCategories={fallbackCategories} pageVersion={pageVersion} />
          )}
          {state.status === 'ready' && state.saveError && (
            <p class="m-error" role="alert">
              {state.saveError}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function PanelBody({
  view,
  onSelectTopic,
  fallbackCategories,
  pageVersion,
}: {
  view: PaperView;
  onSelectTopic: (tag: TopicTag) => void;
  fallbackCategories?: string[];
  pageVersion?: number | null;
}) {
  const categories = view.paper.categories.length ? view.paper.categories : (fallbackCategories ?? []);
  const newer = view.saved ? newerVersionText(pageVersion, view.savedVersion) : null;
  return (
    <>
      {newer && (
        <p class="m-newer" data-testid="newer-version">
          {newer}
        </p>
      )}
      {view.tags.length ? (
        <TopicTags tags={view.tags} onSelect={onSelectTopic} />
      ) : (
        <p class="m-muted m-small">
          No Margin topic fits this paper{categories.length ? ` · arXiv: ${categories.join(', ')}` : ''}.
        </p>
      )}
      <h2 class="m-subhead">Related in your corpus</h2>
      {view.related.length ? (
        <ol class="m-related">
          {view.related.map((item) => (
            <li key={item.paper.id} class="m-related-item" data-testid="related-paper">
              <a href={paperHref(item.paper.arxivId, item.paper.title)} class="m-related-title" target="_blank" rel="noopener noreferrer">
                {item.paper.title}
              </a>
              <span class="m-related-meta">
                {item.paper.year ?? 'n.d.'}
                {item.paper.saved && (
                  <span class="m-saved-mark" title="In your reading list">
                    {' '}
                    · ★ saved
                  </span>
                )}
              </span>
              <span class="m-reason">{item.reason}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="m-muted" data-testid="no-related">
          Nothing in your corpus is close enough to this paper.
        </p>
      )}
      <PaperHomes arxivId={view.paper.arxivId} />
    </>
  );
}
