import { useEffect, useState } from 'preact/hooks';
import { paperHref } from '@/components/links';
import { SaveToggle } from '@/components/SaveToggle';
import type { NotInterestedItem, RelatedSuggestion } from '@/lib/messaging/protocol';
import { callBackground } from '@/lib/ui/client';
import { openPaper } from './SearchView';

interface Props {
  /** Ids in the reading list, live: the list is asked again when it changes. */
  savedIds?: ReadonlySet<string>;
}

/**
 * The corpus papers not yet saved that are closest to the reading list, each with the saved papers it is close to;
 * below them, the papers marked "not interested", each removable.
 */
export function ForYouView({ savedIds }: Props) {
  const [items, setItems] = useState<RelatedSuggestion[] | null>(null);
  const [negatives, setNegatives] = useState<NotInterestedItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const savedKey = savedIds ? [...savedIds].sort().join(',') : null;

  const load = () => {
    Promise.all([callBackground('forYou', { limit: 30 }), callBackground('notInterestedList', {})]).then(
      ([list, marked]) => {
        setItems(list);
        setNegatives(marked);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  // Saving from this list keeps the item shown (with its toggle on) until the list is asked again.
  useEffect(load, [savedKey === null]);

  const toggleSave = async (item: RelatedSuggestion, saved: boolean) => {
    try {
      await callBackground('setSaved', { paperId: item.paper.id, saved });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const removeNegative = async (item: NotInterestedItem) => {
    try {
      await callBackground('setNotInterested', { paperId: item.paperId, notInterested: false });
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="search" aria-label="For you">
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {items && !items.length && (
        <p class="muted" data-testid="foryou-empty">
          {savedIds?.size ? 'Nothing in your corpus is close to your reading list yet.' : 'Save papers, and the ones in your corpus closest to them show here.'}
        </p>
      )}
      {items && items.length > 0 && <h2 class="section-title">Closest to your reading list</h2>}
      <ol class="results" aria-label="For you">
        {(items ?? []).map((item) => (
          <li key={item.paper.id} class="result" data-testid="foryou-item">
            <a class="result-title" href={paperHref(item.paper.arxivId, item.paper.title)} onClick={(e) => (e.preventDefault(), openPaper(item.paper))}>
              {item.paper.title}
            </a>
            <div class="result-meta">
              <span>
                {item.paper.year ?? 'n.d.'}
                {item.paper.authors.length ? ` · ${item.paper.authors.slice(0, 2).join(', ')}${item.paper.authors.length > 2 ? ' et al.' : ''}` : ''}
              </span>
              <SaveToggle compact saved={savedIds?.has(item.paper.id) ?? false} onToggle={(saved) => void toggleSave(item, saved)} label={item.paper.title} />
            </div>
            <p class="muted related-reason foryou-reason">{item.reason}</p>
          </li>
        ))}
      </ol>
      {negatives.length > 0 && (
        <details class="not-interested">
          <summary>Not interested ({negatives.length})</summary>
          <ul class="current-related">
            {negatives.map((item) => (
              <li key={item.paperId} data-testid="not-interested-item">
                <span>{item.title}</span>
                <button type="button" class="link-button" onClick={() => void removeNegative(item)} aria-label={`Remove ${item.title} from not interested`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
