import type { ListingEntryView } from '@/lib/messaging/protocol';
import type { TopicTag } from '@/lib/schema';
import { SaveToggle } from './SaveToggle';
import { TopicTags } from './TopicTags';

interface Props {
  view: ListingEntryView;
  title: string;
  theme: 'light' | 'dark';
  busy?: boolean;
  onToggleSave: (saved: boolean) => void;
  onSelectTopic: (tag: TopicTag) => void;
}

/** One line under a listing entry: up to three topics and the save toggle. */
export function ListingAnnotation({ view, title, theme, busy, onToggleSave, onSelectTopic }: Props) {
  return (
    <div class="m-listing" data-theme={theme} data-testid="listing-annotation" data-saved={view.saved ? 'true' : 'false'}>
      <span class="m-brand-dot" aria-hidden="true" title="Margin">
        ◆
      </span>
      <TopicTags tags={view.tags.slice(0, 3)} compact onSelect={onSelectTopic} />
      <SaveToggle saved={view.saved} busy={busy} onToggle={onToggleSave} compact label={title} />
    </div>
  );
}
