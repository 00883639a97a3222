import { hash53 } from '../text/normalize';
import { analyzeTokens, type Analysis } from '../text/tokenize';
import { paperTokens, type PaperTokens } from '../topics/tagger';

/**
 * Term weighting shared by the related-papers index, its LSA component and the evaluation.
 *
 * Terms (stemmed unigrams, in-clause bigrams, acronyms) are hashed into a fixed space of 2^bits buckets:
 * no vocabulary of strings is kept, so the index is a few typed arrays at any corpus size, and
 * readable forms come from the query's own text when a reason is shown.
 */

/** Title words count this many times: a title is a summary written by the authors. */
export const TITLE_BOOST = 2;
export const DEFAULT_HASH_BITS = 20;

export function bucketOf(term: string, bits: number): number {
  return hash53(term) % 2 ** bits;
}

/** Sublinear term frequency. */
export function tfWeight(tf: number): number {
  return tf > 0 ? 1 + Math.log(tf) : 0;
}

/** Smoothed inverse document frequency; an unseen term (df 0) weighs as a term seen once. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n + 1) / Math.max(df, 1));
}

export interface TermBag {
  /** Bucket → title-boosted term frequency. */
  tf: Map<number, number>;
  /** Bucket → how the term reads in the text (only when asked for). */
  surface?: Map<number, string>;
  /** Bucket → number of words in the term (1 unigram, 2 bigram), for display. */
  words?: Map<number, number>;
}

export function termBag(title: string, abstract: string, bits: number, withSurface = false): TermBag {
  return termBagOf(paperTokens({ title, abstract }), title, abstract, bits, withSurface);
}

/** `termBag` from a paper's tokens (`paperTokens`), so the tagger and the index tokenize once. */
export function termBagOf(toks: PaperTokens, title: string, abstract: string, bits: number, withSurface = false): TermBag {
  const tf = new Map<number, number>();
  const surface = withSurface ? new Map<number, string>() : undefined;
  const words = withSurface ? new Map<number, number>() : undefined;
  const add = (a: Analysis, weight: number) => {
    const terms = a.terms;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      const b = bucketOf(term, bits);
      tf.set(b, (tf.get(b) ?? 0) + weight);
      if (surface && !surface.has(b)) {
        surface.set(b, a.surface?.get(term) ?? term);
        words!.set(b, term.includes(' ') ? 2 : 1);
      }
    }
  };
  add(analyzeTokens(toks.title, title, { surface: withSurface }), TITLE_BOOST);
  add(analyzeTokens(toks.abstract, abstract, { surface: withSurface }), 1);
  return surface ? { tf, surface, words } : { tf };
}
