import { eng } from 'stopword';
import type { Paper } from '../../lib/schema';
import { normalizeTitle } from '../../lib/text/normalize';

/**
 * Reference rankers for reading the engine's figure as a difference: a plain TF-IDF cosine and Okapi BM25, both over
 * lower-cased words of title + abstract minus English stop words (no stemming, phrases, boosts or topics).
 */

const STOP = new Set(eng);
export function plainTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !STOP.has(w));
}

function termCounts(p: Paper): Map<string, number> {
  const tf = new Map<string, number>();
  for (const w of plainTokens(p.title + ' ' + p.abstract)) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
}

function topK(docs: readonly Paper[], query: Paper, k: number, score: (i: number) => number): string[] {
  const self = normalizeTitle(query.title);
  const scored: Array<[string, number]> = [];
  docs.forEach((d, i) => {
    if (d.id === query.id || normalizeTitle(d.title) === self) return;
    scored.push([d.id, score(i)]);
  });
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return scored.slice(0, k).map(([id]) => id);
}

/**
 * TF-IDF cosine. `plain`: raw tf × ln(N/df). `sublinear`: (1 + ln tf) × (ln((1 + N)/(1 + df)) + 1), scikit-learn's
 * TfidfVectorizer(sublinear_tf=True), the stronger of the two on the dev set and the one the engine is compared with.
 */
export class Tfidf {
  private readonly vecs: Array<Map<string, number>>;
  private readonly df = new Map<string, number>();
  constructor(
    private readonly docs: readonly Paper[],
    private readonly variant: 'plain' | 'sublinear' = 'plain',
  ) {
    const tfs = docs.map(termCounts);
    for (const tf of tfs) for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
    this.vecs = tfs.map((tf) => this.weigh(tf));
  }
  private weigh(tf: Map<string, number>): Map<string, number> {
    const v = new Map<string, number>();
    let sq = 0;
    for (const [w, c] of tf) {
      const n = this.docs.length;
      const df = this.df.get(w) ?? 1;
      const x = this.variant === 'plain' ? c * Math.log(n / df) : (1 + Math.log(c)) * (Math.log((1 + n) / (1 + df)) + 1);
      v.set(w, x);
      sq += x * x;
    }
    const norm = Math.sqrt(sq) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  }
  related(p: Paper, k: number): string[] {
    const q = this.weigh(termCounts(p));
    return topK(this.docs, p, k, (i) => {
      let s = 0;
      for (const [w, x] of q) s += x * (this.vecs[i]!.get(w) ?? 0);
      return s;
    });
  }
}

/** Okapi BM25 (k1 1.2, b 0.75) with the whole query paper as the query, each distinct word once. */
export class Bm25 {
  private readonly tfs: Array<Map<string, number>>;
  private readonly lens: number[];
  private readonly avgLen: number;
  private readonly df = new Map<string, number>();
  constructor(
    private readonly docs: readonly Paper[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.tfs = docs.map(termCounts);
    this.lens = this.tfs.map((tf) => [...tf.values()].reduce((s, c) => s + c, 0));
    this.avgLen = this.lens.reduce((s, l) => s + l, 0) / Math.max(1, docs.length);
    for (const tf of this.tfs) for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
  }
  related(p: Paper, k: number): string[] {
    const n = this.docs.length;
    const terms = [...termCounts(p).keys()];
    return topK(this.docs, p, k, (i) => {
      let s = 0;
      const tf = this.tfs[i]!;
      const norm = this.k1 * (1 - this.b + (this.b * this.lens[i]!) / this.avgLen);
      for (const w of terms) {
        const f = tf.get(w);
        if (!f) continue;
        const df = this.df.get(w)!;
        s += Math.log(1 + (n - df + 0.5) / (df + 0.5)) * ((f * (this.k1 + 1)) / (f + norm));
      }
      return s;
    });
  }
}
