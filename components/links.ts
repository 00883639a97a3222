import { safeAbsUrl } from '@/lib/arxiv-id';

/**
 * Every link Margin renders is built here from a validated arXiv id or an encoded title,
 * so no page- or file-supplied string ever becomes an href.
 */
export function paperHref(arxivId: string | null, title: string): string {
  const abs = safeAbsUrl(arxivId);
  if (abs) return abs;
  return `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(title)}`;
}

/** The paper's other pages (abstract, PDF, HTML, Hugging Face), built from its id; [] without a valid id. */
export { paperHomes, type PaperHome } from '@/lib/arxiv-id';
