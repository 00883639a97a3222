/** What the search index takes in and gives back. */

export interface SearchDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** Topic ids. */
  tags: string[];
  tagLabels?: string[];
  year: number | null;
}

export interface SearchHit {
  id: string;
  /** Relevance (higher is better). Hits are ordered by number of query terms matched first, then by score. */
  score: number;
  /** Index terms that matched in this document (folded, lower case), for `highlight`. */
  matched: string[];
}

export interface SearchOptions {
  topic?: string;
  year?: number;
  savedIds?: Set<string>;
  savedOnly?: boolean;
  /** Default 20. */
  limit?: number;
}
