import { ARXIV_ID_PATTERN } from '@/lib/arxiv-id';

/**
 * Every link Margin renders is built here from a validated arXiv id or an encoded title,
 * so no page- or file-supplied string ever becomes an href.
 */
export function paperHref(arxivId: string | null, title: string): string {
  if (arxivId && ARXIV_ID_PATTERN.test(arxivId)) return `https://arxiv.org/abs/${arxivId}`;
  return `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(title)}`;
}
