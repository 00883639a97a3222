import type { TopicTag } from '@/lib/schema';

interface Props {
  tags: TopicTag[];
  /** Clicking a tag opens search filtered by it; without a handler tags are plain labels. */
  onSelect?: (tag: TopicTag) => void;
  compact?: boolean;
}

export function tagTooltip(tag: TopicTag): string {
  const evidence = tag.evidence.length ? `Matched: ${tag.evidence.join(', ')}` : '';
  return [tag.description, evidence].filter(Boolean).join('\n');
}

export function TopicTags({ tags, onSelect, compact }: Props) {
  if (!tags.length) return null;
  return (
    <ul class={compact ? 'm-tags m-tags-compact' : 'm-tags'} aria-label="Topics">
      {tags.map((tag) => (
        <li key={tag.id}>
          {onSelect ? (
            <button type="button" class="m-tag" data-testid="topic-tag" data-topic={tag.id} title={tagTooltip(tag)} onClick={() => onSelect(tag)}>
              {tag.label}
            </button>
          ) : (
            <span class="m-tag" data-testid="topic-tag" data-topic={tag.id} title={tagTooltip(tag)}>
              {tag.label}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
