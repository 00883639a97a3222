import type { Paper } from '../schema';
import { hash53, normalizeTitle } from '../text/normalize';
import { scoreTopics, tagPaper, TOPIC_IDS } from '../topics/tagger';
import { TOPICS } from '../topics/taxonomy';
import { fitLsa, normalizeRow, type SparseColumns } from './lsa';
import { DEFAULT_HASH_BITS, idf, termBag, tfWeight } from './tfidf';

/**
 * Related papers: one index, built once from `Paper[]`, for 300 or 100,000 papers.
 *
 * Storage (all typed arrays, structured-clone/IndexedDB friendly):
 * - an inverted index over hashed terms (unigrams, bigrams, acronyms): per term bucket, the docs and
 *   their title-boosted term frequencies (CSR + a small append-only delta for incremental adds);
 * - per doc: L2 norm of its TF-IDF vector, year, up to 4 topic tags, author-name hashes, id/title keys;
 * - LSA (randomized truncated SVD of the TF-IDF matrix): a fold-in matrix for the ~20k most useful
 *   terms and a k-dim unit vector per doc.
 *
 * A query costs the postings of its terms (terms in more than `maxDfShare` of the corpus are skipped in
 * candidate generation) plus one pass over the k-dim doc vectors (k·N multiply-adds, ~6M at 100k).
 *
 * Score = lexical cosine + LSA cosine (weighted) + topic overlap + shared authors, times a mild recency
 * prior; suggestions below a floor are dropped, so an unrelated query gets nothing.
 */

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
  /** Drop terms seen in fewer papers at build time (default: 1 below 20k papers, else 2). */
  minDf?: number;
  seed?: number;
  ranking?: Partial<RelatedOptions>;
}

export const DEFAULT_RANKING: RelatedOptions = {
  lexicalWeight: 1,
  semanticWeight: 0.25,
  topicWeight: 0.06,
  authorWeight: 0.02,
  recencyWeight: 0.01,
  floor: 0.08,
  untopicalFloorFactor: 1.6,
  minLexical: 0.02,
  minSemantic: 0.12,
  maxDfShare: 0.3,
  semanticCandidates: 60,
};

const MAX_TOPICS = 4;

/** Everything needed to restore an index without re-reading any text. Typed arrays survive IndexedDB as they are. */
export interface SerializedRelatedIndex {
  format: 'margin-related/1';
  bits: number;
  n: number;
  ids: string[];
  arxivIds: Array<string | null>;
  titleKeys: Float64Array;
  years: Int16Array;
  topics: Uint8Array;
  topicConf: Uint8Array;
  authorStart: Uint32Array;
  authorKeys: Uint32Array;
  norms: Float32Array;
  /** Non-empty term buckets, ascending, and their posting counts. */
  terms: Uint32Array;
  termCounts: Uint32Array;
  postDoc: Uint32Array;
  postTf: Uint16Array;
  lsa: null | { k: number; termBuckets: Uint32Array; termVecs: Float32Array; docVecs: Float32Array };
  ranking: RelatedOptions;
}

function authorKey(name: string): number {
  // "Yann LeCun", "Y. LeCun" and "LeCun, Yann" differ; full normalized names keep false matches rare.
  return hash53(normalizeTitle(name)) >>> 0;
}

function titleKey(title: string): number {
  return hash53(normalizeTitle(title));
}

function growU32(a: Uint32Array, min: number): Uint32Array {
  if (a.length >= min) return a;
  const b = new Uint32Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}
function growF32(a: Float32Array, min: number): Float32Array {
  if (a.length >= min) return a;
  const b = new Float32Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}
function growF64(a: Float64Array, min: number): Float64Array {
  if (a.length >= min) return a;
  const b = new Float64Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}
function growI16(a: Int16Array, min: number): Int16Array {
  if (a.length >= min) return a;
  const b = new Int16Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, min: number): Uint8Array {
  if (a.length >= min) return a;
  const b = new Uint8Array(Math.max(min, a.length * 2, 16));
  b.set(a);
  return b;
}

interface QueryVector {
  buckets: number[];
  weights: number[];
  norm: number;
  surface: Map<number, string>;
  words: Map<number, number>;
}

export class RelatedIndex {
  readonly bits: number;
  ranking: RelatedOptions;
  private n = 0;
  private ids: string[] = [];
  private arxivIds: Array<string | null> = [];
  private idToDoc = new Map<string, number>();
  private titleKeys: Float64Array = new Float64Array(0);
  private years: Int16Array = new Int16Array(0);
  private alive: Uint8Array = new Uint8Array(0);
  private removed = 0;
  private topics: Uint8Array = new Uint8Array(0);
  private topicConf: Uint8Array = new Uint8Array(0);
  private authorStart: Uint32Array = new Uint32Array(1);
  private authorKeys: Uint32Array = new Uint32Array(0);
  private authorCount = 0;
  private norms: Float32Array = new Float32Array(0);
  private df: Uint32Array;
  /** Main postings (CSR over buckets, lazily allocated start array). */
  private termStart: Uint32Array;
  private postDoc: Uint32Array = new Uint32Array(0);
  private postTf: Uint16Array = new Uint16Array(0);
  /** Postings of papers added since the last compaction: bucket → [doc, tf, doc, tf, …]. */
  private delta = new Map<number, number[]>();
  private deltaSize = 0;
  private lsa: null | { k: number; rowOf: Map<number, number>; termBuckets: Uint32Array; termVecs: Float32Array; docVecs: Float32Array } = null;
  private scratch: Float32Array = new Float32Array(0);
  private maxYear = 0;

  private constructor(bits: number, ranking: RelatedOptions) {
    this.bits = bits;
    this.ranking = ranking;
    this.df = new Uint32Array(2 ** bits);
    this.termStart = new Uint32Array(2 ** bits + 1);
  }

  /** Number of live papers. */
  get size(): number {
    return this.n - this.removed;
  }

  /** Whether the semantic (LSA) component was built. */
  get hasSemantic(): boolean {
    return this.lsa !== null;
  }

  static build(papers: readonly Paper[], options: BuildOptions = {}): RelatedIndex {
    const bits = options.bits ?? DEFAULT_HASH_BITS;
    const index = new RelatedIndex(bits, { ...DEFAULT_RANKING, ...options.ranking });
    // Last copy of an id wins, as in add().
    const unique = new Map<string, Paper>();
    for (const p of papers) unique.set(p.id, p);
    const list = [...unique.values()];
    const bags: Array<Map<number, number>> = [];
    for (const p of list) {
      index.appendDocMeta(p);
      const bag = termBag(p.title, p.abstract, bits).tf;
      bags.push(bag);
      for (const b of bag.keys()) index.df[b]!++;
    }
    const minDf = options.minDf ?? (list.length >= 20_000 ? 2 : 1);
    // CSR by counting sort over buckets.
    const start = index.termStart;
    for (const bag of bags) for (const b of bag.keys()) if (index.df[b]! >= minDf) start[b + 1]!++;
    for (let b = 0; b < start.length - 1; b++) start[b + 1]! += start[b]!;
    const total = start[start.length - 1]!;
    index.postDoc = new Uint32Array(total);
    index.postTf = new Uint16Array(total);
    const fill = start.slice(0, start.length - 1);
    bags.forEach((bag, d) => {
      for (const [b, tf] of bag) {
        if (index.df[b]! < minDf) continue;
        const at = fill[b]!++;
        index.postDoc[at] = d;
        index.postTf[at] = Math.min(tf, 65535);
      }
    });
    if (minDf > 1) for (let b = 0; b < index.df.length; b++) if (index.df[b]! < minDf) index.df[b] = 0;
    index.recomputeNorms();
    const dims = options.lsaDims ?? 64;
    if (dims > 0 && list.length >= (options.lsaMinDocs ?? 50)) index.buildLsa(dims, options.lsaMaxTerms ?? 20_000, options.seed ?? 0x5eed);
    return index;
  }

  private appendDocMeta(p: Paper): number {
    const d = this.n++;
    const cap = this.n;
    this.titleKeys = growF64(this.titleKeys, cap);
    this.years = growI16(this.years, cap);
    this.alive = growU8(this.alive, cap);
    this.topics = growU8(this.topics, cap * MAX_TOPICS);
    this.topicConf = growU8(this.topicConf, cap * MAX_TOPICS);
    this.norms = growF32(this.norms, cap);
    this.authorStart = growU32(this.authorStart, cap + 1);
    this.ids[d] = p.id;
    this.arxivIds[d] = p.arxivId ?? null;
    this.idToDoc.set(p.id, d);
    this.titleKeys[d] = titleKey(p.title);
    this.years[d] = p.year ?? 0;
    if ((p.year ?? 0) > this.maxYear) this.maxYear = p.year ?? 0;
    this.alive[d] = 1;
    const tags = tagPaper(p);
    for (let i = 0; i < MAX_TOPICS; i++) {
      const t = tags[i];
      this.topics[d * MAX_TOPICS + i] = t ? TOPIC_IDS.indexOf(t.id) + 1 : 0;
      this.topicConf[d * MAX_TOPICS + i] = t ? Math.round(t.score * 255) : 0;
    }
    const authors = p.authors ?? [];
    this.authorKeys = growU32(this.authorKeys, this.authorCount + authors.length);
    for (const a of authors) this.authorKeys[this.authorCount++] = authorKey(a);
    this.authorStart[d + 1] = this.authorCount;
    return d;
  }

  /** Adds (or replaces, by id) papers without rebuilding: postings go to a delta merged on compaction. */
  add(papers: readonly Paper[]): void {
    for (const p of papers) {
      const old = this.idToDoc.get(p.id);
      if (old !== undefined && this.alive[old]) {
        this.alive[old] = 0;
        this.removed++;
      }
      const d = this.appendDocMeta(p);
      const bag = termBag(p.title, p.abstract, this.bits).tf;
      for (const [b, tf] of bag) {
        this.df[b]!++;
        let list = this.delta.get(b);
        if (!list) this.delta.set(b, (list = []));
        list.push(d, Math.min(tf, 65535));
        this.deltaSize++;
      }
      // Norm with the current statistics; LSA fold-in in the space learnt at build time.
      const live = this.size;
      let norm = 0;
      for (const [b, tf] of bag) norm += (tfWeight(tf) * idf(this.df[b]!, live)) ** 2;
      this.norms[d] = Math.sqrt(norm);
      if (this.lsa) {
        const { k } = this.lsa;
        this.lsa.docVecs = growF32(this.lsa.docVecs, (d + 1) * k);
        const v = this.foldIn([...bag.keys()], [...bag].map(([b, tf]) => tfWeight(tf) * idf(this.df[b]!, live)), this.norms[d]!);
        this.lsa.docVecs.set(v, d * k);
        normalizeRow(this.lsa.docVecs, d, k);
      }
    }
    if (this.deltaSize > Math.max(10_000, this.postDoc.length / 4)) this.compact();
  }

  /** Removes papers by id (they stop appearing at once; space is reclaimed on compaction). */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const d = this.idToDoc.get(id);
      if (d === undefined || !this.alive[d]) continue;
      this.alive[d] = 0;
      this.removed++;
      this.idToDoc.delete(id);
    }
    if (this.removed > Math.max(1000, this.n / 10)) this.compact();
  }

  /** Merges the delta into the main postings, drops removed papers and refreshes statistics. */
  compact(): void {
    const remap = new Int32Array(this.n).fill(-1);
    let m = 0;
    for (let d = 0; d < this.n; d++) if (this.alive[d]) remap[d] = m++;
    const buckets = this.termStart.length - 1;
    const counts = new Uint32Array(buckets + 1);
    for (let b = 0; b < buckets; b++) {
      for (let p = this.termStart[b]!; p < this.termStart[b + 1]!; p++) if (remap[this.postDoc[p]!]! >= 0) counts[b + 1]!++;
    }
    for (const [b, list] of this.delta) for (let i = 0; i < list.length; i += 2) if (remap[list[i]!]! >= 0) counts[b + 1]!++;
    for (let b = 0; b < buckets; b++) counts[b + 1]! += counts[b]!;
    const postDoc = new Uint32Array(counts[buckets]!);
    const postTf = new Uint16Array(counts[buckets]!);
    const df = new Uint32Array(buckets);
    for (let b = 0; b < buckets; b++) {
      let at = counts[b]!;
      for (let p = this.termStart[b]!; p < this.termStart[b + 1]!; p++) {
        const nd = remap[this.postDoc[p]!]!;
        if (nd < 0) continue;
        postDoc[at] = nd;
        postTf[at++] = this.postTf[p]!;
      }
      const list = this.delta.get(b);
      if (list) {
        for (let i = 0; i < list.length; i += 2) {
          const nd = remap[list[i]!]!;
          if (nd < 0) continue;
          postDoc[at] = nd;
          postTf[at++] = list[i + 1]!;
        }
      }
      df[b] = at - counts[b]!;
    }
    // Per-doc arrays.
    const k = this.lsa?.k ?? 0;
    const ids: string[] = [];
    const arxivIds: Array<string | null> = [];
    const titleKeys = new Float64Array(m);
    const years = new Int16Array(m);
    const topics = new Uint8Array(m * MAX_TOPICS);
    const topicConf = new Uint8Array(m * MAX_TOPICS);
    const authorStart = new Uint32Array(m + 1);
    const authorKeys: number[] = [];
    const docVecs = new Float32Array(m * k);
    for (let d = 0; d < this.n; d++) {
      const nd = remap[d]!;
      if (nd < 0) continue;
      ids[nd] = this.ids[d]!;
      arxivIds[nd] = this.arxivIds[d]!;
      titleKeys[nd] = this.titleKeys[d]!;
      years[nd] = this.years[d]!;
      topics.set(this.topics.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
      topicConf.set(this.topicConf.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
      for (let i = this.authorStart[d]!; i < this.authorStart[d + 1]!; i++) authorKeys.push(this.authorKeys[i]!);
      authorStart[nd + 1] = authorKeys.length;
      if (this.lsa) docVecs.set(this.lsa.docVecs.subarray(d * k, (d + 1) * k), nd * k);
    }
    this.n = m;
    this.removed = 0;
    this.ids = ids;
    this.arxivIds = arxivIds;
    this.idToDoc = new Map(ids.map((id, d) => [id, d]));
    this.titleKeys = titleKeys;
    this.years = years;
    this.alive = new Uint8Array(m).fill(1);
    this.topics = topics;
    this.topicConf = topicConf;
    this.authorStart = authorStart;
    this.authorKeys = Uint32Array.from(authorKeys);
    this.authorCount = authorKeys.length;
    this.termStart = counts;
    this.postDoc = postDoc;
    this.postTf = postTf;
    this.df = df;
    this.delta.clear();
    this.deltaSize = 0;
    if (this.lsa) this.lsa.docVecs = docVecs;
    this.norms = new Float32Array(m);
    this.recomputeNorms();
  }

  private recomputeNorms(): void {
    const live = this.size;
    const sq = new Float64Array(this.n);
    const buckets = this.termStart.length - 1;
    for (let b = 0; b < buckets; b++) {
      const s = this.termStart[b]!;
      const e = this.termStart[b + 1]!;
      if (s === e) continue;
      const w = idf(this.df[b]!, live);
      for (let p = s; p < e; p++) {
        const d = this.postDoc[p]!;
        sq[d] = sq[d]! + (tfWeight(this.postTf[p]!) * w) ** 2;
      }
    }
    for (const [b, list] of this.delta) {
      const w = idf(this.df[b]!, live);
      for (let i = 0; i < list.length; i += 2) {
        const d = list[i]!;
        sq[d] = sq[d]! + (tfWeight(list[i + 1]!) * w) ** 2;
      }
    }
    for (let d = 0; d < this.n; d++) this.norms[d] = Math.sqrt(sq[d]!);
  }

  private buildLsa(dims: number, maxTerms: number, seed: number): void {
    const live = this.size;
    const buckets = this.termStart.length - 1;
    // Terms shared by ≥ 2 papers and by at most half of them, the most frequent first.
    const cand: number[] = [];
    for (let b = 0; b < buckets; b++) {
      const df = this.df[b]!;
      if (df >= 2 && df <= live * 0.5) cand.push(b);
    }
    cand.sort((a, b) => this.df[b]! - this.df[a]! || a - b);
    const chosen = cand.slice(0, maxTerms).sort((a, b) => a - b);
    if (chosen.length < 10) return;
    const start = new Uint32Array(chosen.length + 1);
    chosen.forEach((b, j) => (start[j + 1] = start[j]! + (this.termStart[b + 1]! - this.termStart[b]!)));
    const postDoc = new Uint32Array(start[chosen.length]!);
    const postVal = new Float32Array(start[chosen.length]!);
    chosen.forEach((b, j) => {
      const w = idf(this.df[b]!, live);
      let at = start[j]!;
      for (let p = this.termStart[b]!; p < this.termStart[b + 1]!; p++) {
        const d = this.postDoc[p]!;
        postDoc[at] = d;
        // Rows normalized by the full TF-IDF norm: the same scaling a query gets.
        postVal[at++] = this.norms[d]! > 0 ? (tfWeight(this.postTf[p]!) * w) / this.norms[d]! : 0;
      }
    });
    const matrix: SparseColumns = { rows: this.n, cols: chosen.length, start, postDoc, postVal };
    const model = fitLsa(matrix, { k: Math.min(dims, Math.floor(this.n / 2)), seed });
    const termBuckets = Uint32Array.from(chosen);
    this.lsa = { k: model.k, termBuckets, rowOf: new Map(chosen.map((b, j) => [b, j])), termVecs: model.termVecs, docVecs: model.docVecs };
  }

  /** k-dim LSA coordinates of a weighted term vector (weights already TF-IDF; divided by `norm`). */
  private foldIn(buckets: number[], weights: number[], norm: number): Float32Array {
    const lsa = this.lsa!;
    const v = new Float32Array(lsa.k);
    if (norm <= 0) return v;
    for (let i = 0; i < buckets.length; i++) {
      const row = lsa.rowOf.get(buckets[i]!);
      if (row === undefined) continue;
      const w = weights[i]! / norm;
      const base = row * lsa.k;
      for (let c = 0; c < lsa.k; c++) v[c] = v[c]! + w * lsa.termVecs[base + c]!;
    }
    return v;
  }

  private queryVector(q: RelatedQuery): QueryVector {
    const bag = termBag(q.title, q.abstract, this.bits, true);
    const live = Math.max(this.size, 1);
    const buckets: number[] = [];
    const weights: number[] = [];
    let norm = 0;
    for (const [b, tf] of bag.tf) {
      const w = tfWeight(tf) * idf(this.df[b]!, live);
      buckets.push(b);
      weights.push(w);
      norm += w * w;
    }
    return { buckets, weights, norm: Math.sqrt(norm), surface: bag.surface!, words: bag.words! };
  }

  /** Term frequency of bucket b in doc d (binary search in the postings), 0 when absent. */
  private tfOf(b: number, d: number): number {
    let lo = this.termStart[b]!;
    let hi = this.termStart[b + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.postDoc[mid]!;
      if (x === d) return this.postTf[mid]!;
      if (x < d) lo = mid + 1;
      else hi = mid - 1;
    }
    const list = this.delta.get(b);
    if (list) for (let i = 0; i < list.length; i += 2) if (list[i] === d) return list[i + 1]!;
    return 0;
  }

  /**
   * Papers related to `query`, best first (ties by id), at most k, never the query paper itself
   * (same id, same arXiv id or same normalized title), and none below the similarity floor.
   */
  related(query: RelatedQuery, k = 10, override: Partial<RelatedOptions> = {}): RelatedHit[] {
    const opt = { ...this.ranking, ...override };
    if (k <= 0 || this.size === 0) return [];
    const qv = this.queryVector(query);
    if (qv.norm === 0) return [];
    const live = this.size;
    if (this.scratch.length < this.n) this.scratch = new Float32Array(this.n);
    const acc = this.scratch;
    const touched: number[] = [];
    const maxDf = Math.max(2, opt.maxDfShare * live);
    for (let i = 0; i < qv.buckets.length; i++) {
      const b = qv.buckets[i]!;
      const df = this.df[b]!;
      if (df === 0 || df > maxDf) continue;
      const w = qv.weights[i]! * idf(df, live);
      for (let p = this.termStart[b]!; p < this.termStart[b + 1]!; p++) {
        const d = this.postDoc[p]!;
        if (acc[d] === 0) touched.push(d);
        acc[d] = acc[d]! + w * tfWeight(this.postTf[p]!);
      }
      const list = this.delta.get(b);
      if (list) {
        for (let j = 0; j < list.length; j += 2) {
          const d = list[j]!;
          if (acc[d] === 0) touched.push(d);
          acc[d] = acc[d]! + w * tfWeight(list[j + 1]!);
        }
      }
    }
    const lexical = new Map<number, number>();
    for (const d of touched) {
      const nd = this.norms[d]!;
      lexical.set(d, nd > 0 ? acc[d]! / (qv.norm * nd) : 0);
      acc[d] = 0;
    }
    // Semantic neighbours: one pass over the k-dim unit vectors.
    const semantic = new Map<number, number>();
    if (this.lsa && opt.semanticWeight > 0) {
      const { k: dims, docVecs } = this.lsa;
      const v = this.foldIn(qv.buckets, qv.weights, qv.norm);
      const heap: Array<[number, number]> = [];
      const sims = new Float32Array(this.n);
      for (let d = 0; d < this.n; d++) {
        if (!this.alive[d]) continue;
        let s = 0;
        const base = d * dims;
        for (let c = 0; c < dims; c++) s += v[c]! * docVecs[base + c]!;
        sims[d] = s;
        if (s >= opt.minSemantic) heap.push([s, d]);
      }
      heap.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      for (const [s, d] of heap.slice(0, opt.semanticCandidates)) semantic.set(d, s);
      for (const d of lexical.keys()) if (!semantic.has(d)) semantic.set(d, sims[d]!);
    }
    const selfKey = titleKey(query.title);
    const qTopics = scoreTopicsForQuery(query);
    const qAuthors = new Map((query.authors ?? []).map((a) => [authorKey(a), a] as const));
    const refYear = query.year ?? this.maxYear;
    type Cand = { d: number; score: number; lex: number; sem: number; topics: string[]; authors: string[] };
    const cands: Cand[] = [];
    const pool = new Set<number>([...lexical.keys(), ...semantic.keys()]);
    for (const d of pool) {
      if (!this.alive[d]) continue;
      const id = this.ids[d]!;
      if ((query.id && id === query.id) || (query.arxivId && this.arxivIds[d] === query.arxivId) || this.titleKeys[d] === selfKey) continue;
      const lex = lexical.get(d) ?? 0;
      const sem = Math.max(0, semantic.get(d) ?? 0);
      if (lex < opt.minLexical && sem < opt.minSemantic) continue;
      let score = opt.lexicalWeight * lex + opt.semanticWeight * sem;
      const shared: string[] = [];
      for (let i = 0; i < MAX_TOPICS; i++) {
        const t = this.topics[d * MAX_TOPICS + i]!;
        if (!t) continue;
        const qc = qTopics.get(t - 1);
        if (qc === undefined) continue;
        score += opt.topicWeight * Math.min(qc, this.topicConf[d * MAX_TOPICS + i]! / 255);
        shared.push(TOPICS[t - 1]!.label);
      }
      const authors: string[] = [];
      for (let i = this.authorStart[d]!; i < this.authorStart[d + 1]!; i++) {
        const name = qAuthors.get(this.authorKeys[i]!);
        if (name && !authors.includes(name)) authors.push(name);
      }
      score += opt.authorWeight * Math.min(authors.length, 2);
      const year = this.years[d]!;
      if (year > 0 && refYear > 0) score *= 1 + opt.recencyWeight * Math.max(0, 1 - Math.max(0, refYear - year) / 10);
      if (score < (shared.length || authors.length ? opt.floor : opt.floor * opt.untopicalFloorFactor)) continue;
      cands.push({ d, score, lex, sem, topics: shared, authors });
    }
    cands.sort((a, b) => b.score - a.score || (this.ids[a.d]! < this.ids[b.d]! ? -1 : this.ids[a.d]! > this.ids[b.d]! ? 1 : 0));
    return cands.slice(0, k).map((c) => {
      const sharedTerms = this.sharedTerms(qv, c.d, live);
      return {
        paperId: this.ids[c.d]!,
        score: Math.round(c.score * 10000) / 10000,
        reason: reasonLine(c.topics, sharedTerms, c.authors, c.lex, c.sem),
        sharedTerms,
        sharedTopics: c.topics,
      };
    });
  }

  private sharedTerms(qv: QueryVector, d: number, live: number): string[] {
    const contrib: Array<{ b: number; w: number }> = [];
    for (let i = 0; i < qv.buckets.length; i++) {
      const b = qv.buckets[i]!;
      const tf = this.tfOf(b, d);
      if (tf > 0) contrib.push({ b, w: qv.weights[i]! * tfWeight(tf) * idf(this.df[b]!, live) });
    }
    contrib.sort((a, b) => b.w - a.w || a.b - b.b);
    // The strongest terms, phrases preferred over the words they contain ("newton iterations", not "newton" too).
    const top = contrib.slice(0, 12).map(({ b }) => ({ s: qv.surface.get(b) ?? '', phrase: qv.words.get(b) === 2 })).filter((t) => t.s);
    const phraseWords = new Set(top.filter((t) => t.phrase).flatMap((t) => t.s.toLowerCase().split(/[\s-]+/)));
    const out: string[] = [];
    const covered = new Set<string>();
    for (const t of top) {
      const words = t.s.toLowerCase().split(/[\s-]+/);
      if (!t.phrase && phraseWords.has(words[0]!)) continue;
      if (words.every((w) => covered.has(w))) continue;
      out.push(t.s);
      for (const w of words) covered.add(w);
      if (out.length >= 5) break;
    }
    return out;
  }

  /** A compact, self-contained copy for IndexedDB (compacts first). */
  serialize(): SerializedRelatedIndex {
    this.compact();
    const buckets = this.termStart.length - 1;
    const terms: number[] = [];
    const termCounts: number[] = [];
    for (let b = 0; b < buckets; b++) {
      const c = this.termStart[b + 1]! - this.termStart[b]!;
      if (c > 0) {
        terms.push(b);
        termCounts.push(c);
      }
    }
    return {
      format: 'margin-related/1',
      bits: this.bits,
      n: this.n,
      ids: [...this.ids],
      arxivIds: [...this.arxivIds],
      titleKeys: this.titleKeys.slice(0, this.n),
      years: this.years.slice(0, this.n),
      topics: this.topics.slice(0, this.n * MAX_TOPICS),
      topicConf: this.topicConf.slice(0, this.n * MAX_TOPICS),
      authorStart: this.authorStart.slice(0, this.n + 1),
      authorKeys: this.authorKeys.slice(0, this.authorCount),
      norms: this.norms.slice(0, this.n),
      terms: Uint32Array.from(terms),
      termCounts: Uint32Array.from(termCounts),
      postDoc: this.postDoc.slice(),
      postTf: this.postTf.slice(),
      lsa: this.lsa ? { k: this.lsa.k, termBuckets: this.lsa.termBuckets.slice(), termVecs: this.lsa.termVecs.slice(), docVecs: this.lsa.docVecs.slice(0, this.n * this.lsa.k) } : null,
      ranking: { ...this.ranking },
    };
  }

  static deserialize(s: SerializedRelatedIndex): RelatedIndex {
    if (s.format !== 'margin-related/1') throw new Error(`unknown related-index format: ${String(s.format)}`);
    const index = new RelatedIndex(s.bits, { ...DEFAULT_RANKING, ...s.ranking });
    index.n = s.n;
    index.ids = [...s.ids];
    index.arxivIds = [...s.arxivIds];
    index.idToDoc = new Map(index.ids.map((id, d) => [id, d]));
    index.titleKeys = Float64Array.from(s.titleKeys);
    index.years = Int16Array.from(s.years);
    index.alive = new Uint8Array(s.n).fill(1);
    index.topics = Uint8Array.from(s.topics);
    index.topicConf = Uint8Array.from(s.topicConf);
    index.authorStart = Uint32Array.from(s.authorStart);
    index.authorKeys = Uint32Array.from(s.authorKeys);
    index.authorCount = s.authorKeys.length;
    index.norms = Float32Array.from(s.norms);
    for (let i = 0; i < s.terms.length; i++) {
      index.termStart[s.terms[i]! + 1] = s.termCounts[i]!;
      index.df[s.terms[i]!] = s.termCounts[i]!;
    }
    for (let b = 0; b < index.termStart.length - 1; b++) index.termStart[b + 1]! += index.termStart[b]!;
    index.postDoc = Uint32Array.from(s.postDoc);
    index.postTf = Uint16Array.from(s.postTf);
    for (let d = 0; d < s.n; d++) if (index.years[d]! > index.maxYear) index.maxYear = index.years[d]!;
    if (s.lsa) {
      const termBuckets = Uint32Array.from(s.lsa.termBuckets);
      index.lsa = {
        k: s.lsa.k,
        termBuckets,
        rowOf: new Map(Array.from(termBuckets, (b, j) => [b, j] as const)),
        termVecs: Float32Array.from(s.lsa.termVecs),
        docVecs: Float32Array.from(s.lsa.docVecs),
      };
    }
    return index;
  }

  /** Approximate bytes held by the index's arrays (for the 100k budget). */
  memoryBytes(): number {
    let bytes = this.df.byteLength + this.termStart.byteLength + this.postDoc.byteLength + this.postTf.byteLength;
    bytes += this.titleKeys.byteLength + this.years.byteLength + this.alive.byteLength + this.topics.byteLength + this.topicConf.byteLength;
    bytes += this.authorStart.byteLength + this.authorKeys.byteLength + this.norms.byteLength + this.scratch.byteLength;
    if (this.lsa) bytes += this.lsa.termVecs.byteLength + this.lsa.docVecs.byteLength + this.lsa.termBuckets.byteLength + this.lsa.rowOf.size * 40;
    bytes += this.ids.reduce((s, id) => s + 2 * id.length + 40, 0) * 2;
    return bytes;
  }
}

/** Topic index → confidence for the query paper (same tagger and thresholds as the corpus). */
function scoreTopicsForQuery(q: RelatedQuery): Map<number, number> {
  const tags = tagPaper(q);
  const out = new Map<number, number>();
  for (const t of tags) out.set(TOPIC_IDS.indexOf(t.id), t.score);
  return out;
}

function reasonLine(topics: string[], terms: string[], authors: string[], lex: number, sem: number): string {
  const parts: string[] = [];
  if (authors.length) parts.push(`Shared authors: ${authors.slice(0, 2).join(', ')}`);
  if (topics.length) parts.push(`Same topic: ${topics.slice(0, 2).join(', ')}`);
  const shownTerms = terms.slice(0, topics.length || authors.length ? 3 : 4);
  if (shownTerms.length) parts.push(`${parts.length ? 'shared' : 'Shared terms'}: ${shownTerms.join(', ')}`);
  if (!parts.length || (sem > lex * 2 && terms.length < 2)) parts.push(parts.length ? 'similar wording overall' : 'Similar wording overall (latent topics)');
  return parts.join(' · ');
}

// Re-exported for callers that want the raw topic evidence next to related papers.
export { scoreTopics };
