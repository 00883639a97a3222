import { hash53 } from '../text/normalize';
import { analyzeTokens } from '../text/tokenize';
import { paperTokens, tagPaperForIndex, type PaperTokens, type TagInput } from '../topics/tagger';
import { TOPIC_IDS } from '../topics/tagger';

/**
 * The interest model's view of a paper: a sparse TF-IDF vector over hashed terms (stemmed unigrams, in-clause
 * bigrams, acronyms, as the rest of Margin tokenizes) plus the paper's topic tags as extra dimensions. Built from
 * title and abstract only, so a listing entry outside the corpus is scored from the text the listing shows.
 */

/** 2^18 term buckets: a 1 MB document-frequency table; collisions at a listing's scale are negligible. */
export const FEATURE_BITS = 18;
const BUCKETS = 2 ** FEATURE_BITS;

/** Topic tags weigh this much against the unit text vector: shared topics help, shared words decide. */
const TOPIC_WEIGHT = 0.35;
const TITLE_BOOST = 2;
const TOPIC_INDEX = new Map(TOPIC_IDS.map((id, i) => [id, i] as const));

/** Term bucket → title-boosted term frequency; topic index → confidence. */
export interface TermCounts {
  terms: Map<number, number>;
  topics: Map<number, number>;
}

/** A unit-length sparse vector: parallel arrays, buckets ascending (topics at BUCKETS + index). */
export interface SparseVector {
  keys: Uint32Array;
  values: Float32Array;
}

/** `tags`: the paper's topic tags when the caller has them already (a listing tags every entry anyway). */
export function termCounts(paper: TagInput, toks: PaperTokens = paperTokens(paper), tags: ReadonlyArray<{ id: string; score: number }> = tagPaperForIndex(paper, toks)): TermCounts {
  const terms = new Map<number, number>();
  const add = (list: string[], weight: number) => {
    for (const term of list) {
      const b = hash53(term) % BUCKETS;
      terms.set(b, (terms.get(b) ?? 0) + weight);
    }
  };
  add(analyzeTokens(toks.title, paper.title).terms, TITLE_BOOST);
  add(analyzeTokens(toks.abstract, paper.abstract).terms, 1);
  const topics = new Map<number, number>();
  for (const tag of tags) {
    const index = TOPIC_INDEX.get(tag.id);
    if (index !== undefined) topics.set(index, tag.score);
  }
  return { terms, topics };
}

/**
 * Document frequencies from the corpus (or an even sample of it): the background against which a saved paper's
 * words are weighed. Fixed between refits, so the same entry gets the same score on every page.
 */
export class Vocabulary {
  constructor(
    public docs = 0,
    readonly df: Uint32Array = new Uint32Array(BUCKETS),
  ) {}

  add(counts: TermCounts): void {
    this.docs++;
    for (const b of counts.terms.keys()) this.df[b]!++;
  }

  idf(bucket: number): number {
    return Math.log(1 + (this.docs + 1) / Math.max(this.df[bucket]!, 1));
  }

  serialize(): { docs: number; df: Uint32Array } {
    return { docs: this.docs, df: this.df };
  }

  static deserialize(data: unknown): Vocabulary | null {
    const d = data as { docs?: unknown; df?: unknown } | null;
    if (!d || typeof d.docs !== 'number' || !(d.df instanceof Uint32Array) || d.df.length !== BUCKETS) return null;
    return new Vocabulary(d.docs, d.df);
  }
}

export function vectorize(counts: TermCounts, vocab: Vocabulary): SparseVector {
  const entries: Array<[number, number]> = [];
  let norm = 0;
  for (const [b, tf] of counts.terms) {
    const w = (1 + Math.log(tf)) * vocab.idf(b);
    entries.push([b, w]);
    norm += w * w;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const e of entries) e[1] *= scale;
  for (const [index, conf] of counts.topics) entries.push([BUCKETS + index, TOPIC_WEIGHT * conf]);
  entries.sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, w] of entries) total += w * w;
  const unit = total > 0 ? 1 / Math.sqrt(total) : 0;
  return { keys: Uint32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1] * unit) };
}

export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.keys.length && j < b.keys.length) {
    const ka = a.keys[i]!;
    const kb = b.keys[j]!;
    if (ka === kb) sum += a.values[i++]! * b.values[j++]!;
    else if (ka < kb) i++;
    else j++;
  }
  return sum;
}
