import type { TopicTag } from '../schema';
import { paperTokens, tagAndProfile, type PaperTokens, type TopicProfile } from '../topics/tagger';

/** What the related-papers index is asked, what it answers, and the knobs of its build and ranking. */

export interface RelatedQuery {
  id?: string;
  arxivId?: string | null;
  title: string;
  abstract: string;
  authors?: string[];
  year?: number | null;
  categories?: string[];
}

export interface RelatedHit {
  paperId: string;
  score: number;
  /** One short line for the panel, e.g. "Same topic: Quantization · shared: low-bit, weights". */
  reason: string;
  /** Readable shared terms, most important first (as written in the query). */
  sharedTerms: string[];
  /** Labels of topics both papers carry. */
  sharedTopics: string[];
}

export interface RelatedOptions {
  /** Weight of the lexical TF-IDF cosine. */
  lexicalWeight: number;
  /** Weight of the LSA cosine (0 disables the semantic component at query time). */
  semanticWeight: number;
  /** Bonus per shared topic, scaled by the weaker of the two confidences. */
  topicWeight: number;
  /**
   * Weight of the topic-profile cosine (a soft topic similarity over each paper's strongest topics, tags or not; see
   * `tagAndProfile`). Fitted on the independent dev judgments, leave-one-query-out (`npm run eval`).
   */
  profileWeight: number;
  /** Bonus per shared author (capped at two). */
  authorWeight: number;
  /** Recency prior: up to this fraction added for the newest papers, nothing for papers ≥ 10 years older than the query. */
  recencyWeight: number;
  /** Final score below which nothing is suggested. */
  floor: number;
  /** A paper sharing neither a topic nor an author with the query must clear floor × this. */
  untopicalFloorFactor: number;
  /** Minimum lexical cosine, or … */
  minLexical: number;
  /** … minimum LSA cosine, for a paper to be a candidate at all. */
  minSemantic: number;
  /** Terms in more than this share of papers are skipped when gathering candidates (their weight is tiny). */
  maxDfShare: number;
  /** How many top LSA neighbours join the lexical candidates. */
  semanticCandidates: number;
}

export interface BuildOptions {
  bits?: number;
  /** LSA dimensions; 0 disables LSA. */
  lsaDims?: number;
  /** At most this many terms (by document frequency) enter the LSA. */
  lsaMaxTerms?: number;
  /** Fewer papers than this: no LSA (it needs a corpus to learn from). */
  lsaMinDocs?: number;
  /** The LSA is fitted on at most this many papers (evenly spread); all papers are projected. */
  lsaSampleDocs?: number;
  /** Drop terms seen in fewer papers at build time (default: 1 below 20k papers, else 2). */
  minDf?: number;
  seed?: number;
  ranking?: Partial<RelatedOptions>;
}

export const DEFAULT_RANKING: RelatedOptions = {
  lexicalWeight: 1,
  semanticWeight: 0.25,
  topicWeight: 0.06,
  profileWeight: 0.1,
  authorWeight: 0.02,
  recencyWeight: 0.01,
  floor: 0.08,
  untopicalFloorFactor: 1.6,
  minLexical: 0.02,
  minSemantic: 0.12,
  maxDfShare: 0.3,
  semanticCandidates: 60,
};

/** A paper's tokens and topic tags, computed once by the caller (see `prepareRelated`) and shared with other indexes. */
export interface PreparedPaper {
  tokens: PaperTokens;
  tags: readonly Pick<TopicTag, 'id' | 'score'>[];
  profile: TopicProfile;
}

export function prepareRelated(p: { title: string; abstract: string; categories?: string[] }): PreparedPaper {
  const tokens = paperTokens(p);
  return { tokens, ...tagAndProfile(p, tokens) };
}
