import type { ListingEntryView } from '@/lib/messaging/protocol';
import type { TopicTag } from '@/lib/schema';
import { NotInterestedToggle } from './NotInterestedToggle';
import { SaveToggle } from './SaveToggle';
import { TopicTags } from './TopicTags';

interface Props {
  view: ListingEntryView;
  title: string;
  arxivId: string | null;
  theme: 'light' | 'dark';
  busy?: boolean;
  onToggleSave: (saved: boolean) => void;
  onToggleNotInterested: (on: boolean) => void;
  onSelectTopic: (tag: TopicTag) => void;
}

/**
 * One line under a listing entry: up to three topics, the save toggle, "not interested", and once the reading list
 * holds a paper, how close the entry is to it (and, on the page's closest few, a "for you" mark with its reason).
 */
export function ListingAnnotation({ view, title, arxivId, theme, busy, onToggleSave, onToggleNotInterested, onSelectTopic }: Props) {
  const closeness = view.foryou;
  const percent = closeness === undefined ? '' : `Closeness to your reading list: ${Math.round(closeness * 100)}%`;
  return (
    <div
      class="m-listing"
      data-theme={theme}
      data-testid="listing-annotation"
      data-arxiv-id={arxivId?.replace(/v\d+$/, '') ?? ''}
      data-foryou={closeness === undefined ? undefined : String(closeness)}
      data-saved={view.saved ? 'true' : 'false'}
    >
      <span class="m-brand-dot" aria-hidden="true" title="Margin">
        ◆
      </span>
      {closeness !== undefined && (
        <span class="m-meter" role="img" aria-label={percent} title={percent}>
          <i style={{ width: `${closeness * 100}%` }} />
        </span>
      )}
      {view.reason && (
        <span class="m-foryou" data-testid="foryou-mark">
          {view.reason}
        </span>
      )}
      <TopicTags tags={view.tags.slice(0, 3)} compact onSelect={onSelectTopic} />
      <SaveToggle saved={view.saved} busy={busy} onToggle={onToggleSave} compact label={title} />
      <NotInterestedToggle on={!!view.notInterested} busy={busy} onToggle={onToggleNotInterested} label={title} compact />
    </div>
  );
}
