import type { PagePaper } from '../schema';

/**
 * Types the page readers (arxiv.ts, huggingface.ts) share with extract.ts, which dispatches to
 * them. Kept apart so the readers never import their own dispatcher.
 */

export interface ListingEntry {
  /** Unique per page: the arXiv id. */
  key: string;
  paper: PagePaper;
  /** The entry's title/authors block: the compact annotation goes right after it. */
  anchor: Element;
}
