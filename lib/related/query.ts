import { tagAndProfile, type PaperTokens, type TopicProfile } from '../topics/tagger';
import type { RelatedQuery } from './options';
import { TOPIC_INDEX, type RelatedStore } from './store';
import { idf, termBagOf, tfWeight } from './tfidf';

/** A query paper as the index sees it: its weighted term buckets, and how its terms read (for the reason line). */
export interface QueryVector {
  buckets: number[];
  weights: number[];
  norm: number;
  surface: Map<number, string>;
  words: Map<number, number>;
}

export function queryVector(s: RelatedStore, q: RelatedQuery, toks: PaperTokens): QueryVector {
  const bag = termBagOf(toks, q.title, q.abstract, s.bits, true);
  const live = Math.max(s.size, 1);
  const buckets: number[] = [];
  const weights: number[] = [];
  let norm = 0;
  for (const [b, tf] of bag.tf) {
    const w = tfWeight(tf) * idf(s.df[b]!, live);
    buckets.push(b);
    weights.push(w);
    norm += w * w;
  }
  return { buckets, weights, norm: Math.sqrt(norm), surface: bag.surface!, words: bag.words! };
}

/** The query paper's topics (index → confidence; same tagger and thresholds as the corpus) and its topic profile. */
export function topicsForQuery(q: RelatedQuery, toks: PaperTokens): { topics: Map<number, number>; profile: TopicProfile } {
  const { tags, profile } = tagAndProfile(q, toks);
  return { topics: new Map(tags.map((t) => [TOPIC_INDEX.get(t.id)!, t.score] as const)), profile };
}
