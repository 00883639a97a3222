import type { SearchResult } from '@/lib/messaging/protocol';
import { callBackground } from '@/lib/ui/client';

/** Pasted prose (a title and abstract), not keywords: long enough that nobody types it as a search. */
export function isDraftQuery(query: string): boolean {
  const text = query.trim();
  return text.length >= 200 && text.split(/\s+/).length >= 25;
}

/** The corpus papers related to a pasted draft, by the related-papers engine, as search results with their reasons. */
export async function relatedToDraft(query: string): Promise<SearchResult[]> {
  const related = await callBackground('relatedToText', { text: query.slice(0, 21000), limit: 20 });
  return related.map(({ paper, score, reason }) => ({ paper, score, matched: [], reason }));
}
