import type { Paper } from '../schema';
import { hash53, normalizeTitle } from '../text/normalize';
import type { TopicTag } from '../messaging/protocol';
import { paperTokens, scoreTopics, tagPaperForIndex, TOPIC_IDS, type PaperTokens } from '../topics/tagger';
import { TOPICS } from '../topics/taxonomy';
import { fitLsa, type SparseColumns } from './lsa';
import { DEFAULT_HASH_BITS, idf, termBagOf, tfWeight } from './tfidf';
import { siftDown, siftUp } from '../util/heap';
import { IdTable } from '../util/id-table';
import { grow, release, type TypedArray } from '../util/typed-array';
import { varintSize, writeVarint } from '../util/varint';

/**
 * Related papers: one index, built once from `Paper[]`, for 300 or 100,000 papers.
 *
 * Storage (all typed arrays, structured-clone/IndexedDB friendly):
 * - an inverted index over hashed terms (unigrams, bigrams, acronyms): per term bucket, the docs and
 *   their title-boosted term frequencies (CSR + a small append-only delta for incremental adds);
 * - per doc: L2 norm of its TF-IDF vector, year, up to 4 topic tags, author-name hashes, id/title keys;
 * - LSA (randomized truncated SVD of the TF-IDF matrix, fitted on an evenly spread sample of at most
 *   `lsaSampleDocs` papers): a fold-in matrix for the ~20k most useful terms and a k-dim unit vector per
 *   doc, every doc projected through the fold-in matrix and stored as Int8 with a per-row scale.
 *
 * A query costs the postings of its terms (terms in more than `maxDfShare` of the corpus are skipped in
 * candidate generation) plus one pass over the k-dim Int8 doc vectors (k·N multiply-adds, ~6M at 100k);
 * full scores (topics, authors, recency) are computed only for candidates whose cheap score can still win.
 *
 * Building at scale: `RelatedIndex.builder()` takes pages of papers (with their tokens and topic tags,
 * `PreparedPaper`, computed once by the caller and shared with the search index) and lays out the
 * postings once at `finish()`; terms seen in a single paper are dropped from 20k papers on.
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
const FORMAT = 'margin-related/2';
/** Stored term frequencies are capped here (one byte); log-scaled weights barely move beyond it. */
const MAX_TF = 255;
const DEFAULT_LSA_SAMPLE = 5000;
/** sharedTerms ranks the strongest this-many shared terms. */
const SHARED_SCAN = 12;
/** tfWeight for every storable term frequency. */
const TF_W = Float64Array.from({ length: MAX_TF + 1 }, (_, tf) => tfWeight(tf));

/** A paper's tokens and topic tags, computed once by the caller (see `prepareRelated`) and shared with other indexes. */
export interface PreparedPaper {
  tokens: PaperTokens;
  tags: readonly Pick<TopicTag, 'id' | 'score'>[];
}

export function prepareRelated(p: { title: string; abstract: string; categories?: string[] }): PreparedPaper {
  const tokens = paperTokens(p);
  return { tokens, tags: tagPaperForIndex(p, tokens) };
}

const TOPIC_INDEX = new Map(TOPIC_IDS.map((id, i) => [id, i] as const));

/** Everything needed to restore an index without re-reading any text. Typed arrays survive IndexedDB as they are. */
export interface SerializedRelatedIndex {
  format: typeof FORMAT;
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
  /** Non-empty term buckets, ascending, with their posting counts and the byte length of their postings. */
  terms: Uint32Array;
  termCounts: Uint32Array;
  termBytes: Uint32Array;
  /** Postings, term after term: per posting a varint doc gap (first gap from doc 0) then a tf byte. */
  postings: Uint8Array;
  lsa: null | { k: number; termBuckets: Uint32Array; termVecs: Float32Array; docVecs: Int8Array; docScale: Float32Array };
  ranking: RelatedOptions;
}

function authorKey(name: string): number {
  // "Yann LeCun", "Y. LeCun" and "LeCun, Yann" differ; full normalized names keep false matches rare.
  return hash53(normalizeTitle(name)) >>> 0;
}

function titleKey(title: string): number {
  return hash53(normalizeTitle(title));
}

/** `a` cut to `length`: itself when it is exactly that long (a view would make a structured clone copy the whole buffer). */
function exact<T extends TypedArray>(a: T, length: number): T {
  return a.length === length ? a : (a.slice(0, length) as T);
}


/** Unit vector v → Int8 row (round(v / scale), scale = max|v| / 127) at `row`. */
function quantizeRow(v: Float32Array | Float64Array, from: number, k: number, out: Int8Array, scales: Float32Array, row: number): void {
  let n = 0;
  for (let c = 0; c < k; c++) n += v[from + c]! * v[from + c]!;
  let max = 0;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let c = 0; c < k; c++) max = Math.max(max, Math.abs(v[from + c]! * inv));
  const scale = max > 0 ? max / 127 : 0;
  scales[row] = scale;
  const base = row * k;
  for (let c = 0; c < k; c++) out[base + c] = scale > 0 ? Math.round((v[from + c]! * inv) / scale) : 0;
}

interface QueryVector {
  buckets: number[];
  weights: number[];
  norm: number;
  surface: Map<number, string>;
  words: Map<number, number>;
}

interface Lsa {
  k: number;
  rowOf: Map<number, number>;
  termBuckets: Uint32Array;
  termVecs: Float32Array;
  docVecs: Int8Array;
  docScale: Float32Array;
}

const CHUNK_SHIFT = 20;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

/**
 * A bulk build's postings, doc after doc, in byte chunks of 2^20 (growing never copies, and nothing is reserved
 * beyond the last chunk). A doc's buckets are stored ascending, each as a varint of (gap << 1 | tf > 1) followed by
 * the tf when it is above 1: about 2.3 bytes a posting at 100k papers, where packed 32-bit words took 4 (56 MB).
 */
export class DocMajorPostings {
  readonly chunks: Uint8Array[] = [];
  /** Doc d's bytes are [docStart[d], docStart[d + 1]). */
  docStart = new Uint32Array(1024);
  size = 0;
  /** `decode` writes a doc's postings here. */
  buckets = new Uint32Array(256);
  tfs = new Uint8Array(256);
  private packed = new Uint32Array(256);
  /** Chunks before this one have been released (see `releaseBefore`). */
  private released = 0;

  /** Appends doc `d` (the next one) from its bag of bucket → tf. */
  addDoc(d: number, bag: ReadonlyMap<number, number>): void {
    if (this.packed.length < bag.size) {
      this.packed = new Uint32Array(bag.size * 2);
      this.buckets = new Uint32Array(bag.size * 2);
      this.tfs = new Uint8Array(bag.size * 2);
    }
    let n = 0;
    for (const [b, tf] of bag) this.packed[n++] = (b << 8) | (tf > MAX_TF ? MAX_TF : tf);
    const entries = this.packed.subarray(0, n).sort();
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const b = entries[i]! >>> 8;
      const tf = entries[i]! & 0xff;
      let v = ((b - prev) << 1) | (tf > 1 ? 1 : 0);
      while (v > 0x7f) {
        this.byte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.byte(v);
      if (tf > 1) this.byte(tf);
      prev = b;
    }
    this.docStart = grow(this.docStart, d + 2);
    this.docStart[d + 1] = this.size;
  }

  private byte(x: number): void {
    const c = this.size >>> CHUNK_SHIFT;
    if (c === this.chunks.length) this.chunks.push(new Uint8Array(1 << CHUNK_SHIFT));
    this.chunks[c]![this.size & CHUNK_MASK] = x;
    this.size++;
  }

  /** Frees the chunks that hold only docs before `d`, for a last pass in doc order (the bytes of a doc lost here read as nothing). */
  releaseBefore(d: number): void {
    const keep = this.docStart[d]! >>> CHUNK_SHIFT;
    while (this.released < keep) release(this.chunks[this.released++]);
  }

  /** Frees every buffer; the postings are empty after. */
  dispose(): void {
    release(...this.chunks, this.docStart, this.buckets, this.tfs, this.packed);
    this.chunks.length = 0;
  }

  /** Decodes doc `d` into `buckets` and `tfs`; returns how many postings it has. */
  decode(d: number): number {
    const { chunks, buckets, tfs } = this;
    const e = this.docStart[d + 1]!;
    let j = this.docStart[d]!;
    let n = 0;
    let b = 0;
    while (j < e) {
      let x = chunks[j >>> CHUNK_SHIFT]![j & CHUNK_MASK]!;
      j++;
      let v = x & 0x7f;
      for (let shift = 7; x & 0x80; shift += 7) {
        x = chunks[j >>> CHUNK_SHIFT]![j & CHUNK_MASK]!;
        j++;
        v |= (x & 0x7f) << shift;
      }
      b += v >>> 1;
      buckets[n] = b;
      if (v & 1) {
        tfs[n] = chunks[j >>> CHUNK_SHIFT]![j & CHUNK_MASK]!;
        j++;
      } else tfs[n] = 1;
      n++;
    }
    return n;
  }
}

/**
 * Bulk construction: pages of papers in, one layout at the end. Postings are kept doc-major (`DocMajorPostings`)
 * while pages arrive (no per-doc maps), then counting-sorted into the term-major index.
 */
export class RelatedIndexBuilder {
  private readonly index: RelatedIndex;
  private postings = new DocMajorPostings();
  private finished = false;

  /** @internal */
  constructor(private readonly options: BuildOptions) {
    this.index = RelatedIndex.empty(options);
    if (this.index.bits > 24) throw new Error('RelatedIndexBuilder: at most 24 hash bits (postings pack a bucket and a tf in 32 bits)');
  }

  /** Adds a page (a later copy of an id replaces the earlier one). `prepared[i]` belongs to `papers[i]`. */
  add(papers: readonly Paper[], prepared?: readonly PreparedPaper[]): this {
    if (this.finished) throw new Error('RelatedIndexBuilder: already finished');
    const index = this.index;
    const postings = this.postings;
    for (let i = 0; i < papers.length; i++) {
      const p = papers[i]!;
      const prep = prepared?.[i] ?? prepareRelated(p);
      const d = index.appendDoc(p, prep.tags);
      const bag = termBagOf(prep.tokens, p.title, p.abstract, index.bits).tf;
      postings.addDoc(d, bag);
    }
    return this;
  }

  finish(): RelatedIndex {
    if (this.finished) throw new Error('RelatedIndexBuilder: already finished');
    this.finished = true;
    const index = this.index;
    index.layout(this.postings, this.options);
    this.postings.dispose();
    return index;
  }
}

export class RelatedIndex {
  readonly bits: number;
  ranking: RelatedOptions;
  private n = 0;
  private ids: string[] = [];
  private arxivIds: Array<string | null> = [];
  private idToDoc = new IdTable(this.ids);
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
  /** Main postings: bucket b's bytes are post[termStart[b] .. termStart[b + 1]) (varint doc gaps, tf bytes). */
  private termStart: Uint32Array;
  private post: Uint8Array = new Uint8Array(0);
  /** Number of postings in `post` (for the compaction trigger). */
  private postCount = 0;
  /** Postings of papers added since the last compaction: bucket → [doc, tf, doc, tf, …]. */
  private delta = new Map<number, number[]>();
  private deltaSize = 0;
  private lsa: Lsa | null = null;
  private scratch: Float32Array = new Float32Array(0);
  private sims: Float32Array = new Float32Array(0);
  private slot: Int32Array = new Int32Array(0);
  private maxYear = 0;

  private constructor(bits: number, ranking: RelatedOptions, termTables = true) {
    this.bits = bits;
    this.ranking = ranking;
    this.df = new Uint32Array(termTables ? 2 ** bits : 0);
    this.termStart = new Uint32Array(termTables ? 2 ** bits + 1 : 0);
  }

  /**
   * @internal An index with no papers yet, for the builder: its term tables (8 MB at the default 20 bits) are only
   * made by `layout`, so they do not sit through a bulk load.
   */
  static empty(options: BuildOptions): RelatedIndex {
    return new RelatedIndex(options.bits ?? DEFAULT_HASH_BITS, { ...DEFAULT_RANKING, ...options.ranking }, false);
  }

  /** Number of live papers. */
  get size(): number {
    return this.n - this.removed;
  }

  /** Whether the semantic (LSA) component was built. */
  get hasSemantic(): boolean {
    return this.lsa !== null;
  }

  /** Builds from pages: `RelatedIndex.builder().add(page, prepared).add(…).finish()`. */
  static builder(options: BuildOptions = {}): RelatedIndexBuilder {
    return new RelatedIndexBuilder(options);
  }

  static build(papers: readonly Paper[], options: BuildOptions = {}, prepared?: readonly PreparedPaper[]): RelatedIndex {
    return RelatedIndex.builder(options).add(papers, prepared).finish();
  }

  /**
   * @internal Lays out doc-major postings (from the builder) as the term-major index, with norms and LSA, in four
   * passes over the postings: document frequencies and byte sizes; norms (and the LSA sample's column sizes); the LSA
   * sample; every doc's LSA vector and term-major bytes, the doc-major bytes freed as they are read.
   */
  layout(postings: DocMajorPostings, options: BuildOptions): void {
    const live = this.size;
    const n = this.n;
    const bucketCount = 2 ** this.bits;
    const df = (this.df = new Uint32Array(bucketCount));
    const start = (this.termStart = new Uint32Array(bucketCount + 1));
    const { buckets, tfs } = postings;
    // A bucket is kept or dropped whole, so every bucket's term-major size can be counted along with its df.
    let last = new Uint32Array(bucketCount);
    for (let d = 0; d < n; d++) {
      if (!this.alive[d]) continue;
      for (let i = 0, m = postings.decode(d); i < m; i++) {
        const b = buckets[i]!;
        df[b]!++;
        start[b + 1]! += varintSize(d - last[b]!) + 1;
        last[b] = d;
      }
    }
    // Made again for the last pass: it would otherwise sit through the LSA fit, the build's peak.
    release(last);
    const minDf = options.minDf ?? (live >= 20_000 ? 2 : 1);
    let count = 0;
    for (let b = 0; b < bucketCount; b++) {
      if (df[b]! < minDf) {
        df[b] = 0;
        start[b + 1] = 0;
      } else count += df[b]!;
    }
    for (let b = 0; b < bucketCount; b++) start[b + 1]! += start[b]!;

    // Norms: the sums `recomputeNorms` makes, in the same bucket order.
    const weight = new Float64Array(bucketCount);
    for (let b = 0; b < bucketCount; b++) if (df[b]! > 0) weight[b] = idf(df[b]!, live);
    const dims = options.lsaDims ?? 64;
    const plan = dims > 0 && live >= (options.lsaMinDocs ?? 50) ? this.planLsa(options.lsaMaxTerms ?? 20_000, options.lsaSampleDocs ?? DEFAULT_LSA_SAMPLE) : null;
    for (let d = 0; d < n; d++) {
      let sq = 0;
      if (this.alive[d]) {
        const m = postings.decode(d);
        for (let i = 0; i < m; i++) {
          const w = weight[buckets[i]!]!;
          if (w === 0) continue;
          const v = TF_W[tfs[i]!]! * w;
          sq = sq + v * v;
        }
        if (plan && plan.rowOfDoc[d]! >= 0) {
          for (let i = 0; i < m; i++) {
            const j = plan.rowOfBucket[buckets[i]!]!;
            if (j >= 0) plan.start[j + 1]!++;
          }
        }
      }
      this.norms[d] = Math.sqrt(sq);
    }
    release(weight);

    // The LSA is fitted on the sample's rows, gathered column by column (docs ascending within a column).
    let project: ((d: number, m: number) => void) | null = null;
    if (plan) {
      const { rowOfDoc, rowOfBucket, weightOf, start: colStart, chosen } = plan;
      const cols = chosen.length;
      for (let j = 0; j < cols; j++) colStart[j + 1]! += colStart[j]!;
      const postDoc = new Uint32Array(colStart[cols]!);
      const postVal = new Float32Array(colStart[cols]!);
      const at = colStart.slice(0, cols);
      for (let d = 0; d < n; d++) {
        const row = rowOfDoc[d]!;
        if (row < 0) continue;
        const nd = this.norms[d]!;
        for (let i = 0, m = postings.decode(d); i < m; i++) {
          const j = rowOfBucket[buckets[i]!]!;
          if (j < 0) continue;
          postDoc[at[j]!] = row;
          // Rows normalized by the full TF-IDF norm: the same scaling a query gets.
          postVal[at[j]!++] = nd > 0 ? (TF_W[tfs[i]!]! * weightOf[j]!) / nd : 0;
        }
      }
      const matrix: SparseColumns = { rows: plan.rows, cols, start: colStart, postDoc, postVal };
      const model = fitLsa(matrix, { k: Math.min(dims, Math.floor(plan.rows / 2)), seed: options.seed ?? 0x5eed, docVecs: false });
      release(colStart, postDoc, postVal, at, rowOfDoc);
      const k = model.k;
      const tv = model.termVecs;
      const docVecs = new Int8Array(n * k);
      const docScale = new Float32Array(n);
      const v = new Float64Array(k);
      this.lsa = { k, termBuckets: Uint32Array.from(chosen), rowOf: new Map(chosen.map((b, j) => [b, j])), termVecs: tv, docVecs, docScale };
      // Every doc goes through the fold-in matrix (x_d · V_k, x_d its normalized TF-IDF row), as a query is folded
      // in, one k-vector at a time, then is quantized.
      project = (d, m) => {
        const nd = this.norms[d]!;
        if (nd <= 0) return;
        v.fill(0);
        for (let i = 0; i < m; i++) {
          const row = rowOfBucket[buckets[i]!]!;
          if (row < 0) continue;
          const x = (TF_W[tfs[i]!]! * weightOf[row]!) / nd;
          const base = row * k;
          for (let c = 0; c < k; c++) v[c] = v[c]! + x * tv[base + c]!;
        }
        quantizeRow(v, 0, k, docVecs, docScale, d);
      };
    }

    const post = new Uint8Array(start[bucketCount]!);
    const fill = start.slice(0, bucketCount);
    last = new Uint32Array(bucketCount);
    for (let d = 0; d < n; d++) {
      // The last pass over the doc-major postings: their bytes go as the term-major ones come, so the two never
      // take their full size at once.
      postings.releaseBefore(d);
      if (!this.alive[d]) continue;
      const m = postings.decode(d);
      project?.(d, m);
      for (let i = 0; i < m; i++) {
        const b = buckets[i]!;
        if (df[b]! === 0) continue;
        const at = writeVarint(post, fill[b]!, d - last[b]!);
        post[at] = tfs[i]!;
        fill[b] = at + 1;
        last[b] = d;
      }
    }
    release(last, fill);
    if (plan) release(plan.rowOfBucket, plan.weightOf);
    this.post = post;
    this.postCount = count;
    if (this.removed > 0) this.compact();
    // A bulk build ends here: trim the grown arrays to size, once, so serialize can share them.
    this.titleKeys = exact(this.titleKeys, this.n);
    this.years = exact(this.years, this.n);
    this.alive = exact(this.alive, this.n);
    this.topics = exact(this.topics, this.n * MAX_TOPICS);
    this.topicConf = exact(this.topicConf, this.n * MAX_TOPICS);
    this.norms = exact(this.norms, this.n);
    this.authorStart = exact(this.authorStart, this.n + 1);
    this.authorKeys = exact(this.authorKeys, this.authorCount);
  }

  /** @internal Appends a paper's metadata (a live copy with the same id is retired); returns its doc number. */
  appendDoc(p: Paper, tags: readonly Pick<TopicTag, 'id' | 'score'>[]): number {
    const old = this.idToDoc.get(p.id);
    if (old !== undefined && this.alive[old]) {
      this.alive[old] = 0;
      this.removed++;
    }
    const d = this.n++;
    const cap = this.n;
    this.titleKeys = grow(this.titleKeys, cap);
    this.years = grow(this.years, cap);
    this.alive = grow(this.alive, cap);
    this.topics = grow(this.topics, cap * MAX_TOPICS);
    this.topicConf = grow(this.topicConf, cap * MAX_TOPICS);
    this.norms = grow(this.norms, cap);
    this.authorStart = grow(this.authorStart, cap + 1);
    this.ids[d] = p.id;
    // Usually the same text as the id: share the string.
    this.arxivIds[d] = p.arxivId === p.id ? p.id : (p.arxivId ?? null);
    this.idToDoc.set(p.id, d);
    this.titleKeys[d] = titleKey(p.title);
    this.years[d] = p.year ?? 0;
    if ((p.year ?? 0) > this.maxYear) this.maxYear = p.year ?? 0;
    this.alive[d] = 1;
    for (let i = 0; i < MAX_TOPICS; i++) {
      const t = tags[i];
      this.topics[d * MAX_TOPICS + i] = t ? (TOPIC_INDEX.get(t.id) ?? -1) + 1 : 0;
      this.topicConf[d * MAX_TOPICS + i] = t ? Math.round(t.score * 255) : 0;
    }
    const authors = p.authors ?? [];
    this.authorKeys = grow(this.authorKeys, this.authorCount + authors.length);
    for (const a of authors) this.authorKeys[this.authorCount++] = authorKey(a);
    this.authorStart[d + 1] = this.authorCount;
    return d;
  }

  /** Adds (or replaces, by id) papers without rebuilding: postings go to a delta merged on compaction. */
  add(papers: readonly Paper[], prepared?: readonly PreparedPaper[]): void {
    for (let i = 0; i < papers.length; i++) {
      const p = papers[i]!;
      const prep = prepared?.[i] ?? prepareRelated(p);
      const d = this.appendDoc(p, prep.tags);
      const bag = termBagOf(prep.tokens, p.title, p.abstract, this.bits).tf;
      for (const [b, tf] of bag) {
        this.df[b]!++;
        let list = this.delta.get(b);
        if (!list) this.delta.set(b, (list = []));
        list.push(d, Math.min(tf, MAX_TF));
        this.deltaSize++;
      }
      // Norm with the current statistics; LSA fold-in in the space learnt at build time.
      const live = this.size;
      let norm = 0;
      for (const [b, tf] of bag) norm += (TF_W[Math.min(tf, MAX_TF)]! * idf(this.df[b]!, live)) ** 2;
      this.norms[d] = Math.sqrt(norm);
      if (this.lsa) {
        const { k } = this.lsa;
        this.lsa.docVecs = grow(this.lsa.docVecs, (d + 1) * k);
        this.lsa.docScale = grow(this.lsa.docScale, d + 1);
        const v = this.foldIn([...bag.keys()], [...bag].map(([b, tf]) => TF_W[Math.min(tf, MAX_TF)]! * idf(this.df[b]!, live)), this.norms[d]!);
        quantizeRow(v, 0, k, this.lsa.docVecs, this.lsa.docScale, d);
      }
    }
    if (this.deltaSize > Math.max(10_000, this.postCount / 4)) this.compact();
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
    const old = this.post;
    // Remapped gaps never grow: the old bytes plus 6 per delta posting bound the new size.
    const post = new Uint8Array(old.length + 6 * this.deltaSize);
    const counts = new Uint32Array(buckets + 1);
    const df = new Uint32Array(buckets);
    let at = 0;
    let count = 0;
    for (let b = 0; b < buckets; b++) {
      let prev = 0;
      let c = 0;
      let d = 0;
      for (let p = this.termStart[b]!, e = this.termStart[b + 1]!; p < e; ) {
        let x = old[p++]!;
        let g = x & 0x7f;
        for (let shift = 7; x & 0x80; shift += 7) {
          x = old[p++]!;
          g |= (x & 0x7f) << shift;
        }
        d += g;
        const tf = old[p++]!;
        const nd = remap[d]!;
        if (nd < 0) continue;
        at = writeVarint(post, at, nd - prev);
        post[at++] = tf;
        prev = nd;
        c++;
      }
      const list = this.delta.get(b);
      if (list) {
        for (let i = 0; i < list.length; i += 2) {
          const nd = remap[list[i]!]!;
          if (nd < 0) continue;
          at = writeVarint(post, at, nd - prev);
          post[at++] = list[i + 1]!;
          prev = nd;
          c++;
        }
      }
      counts[b + 1] = at;
      df[b] = c;
      count += c;
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
    const authorKeys = new Uint32Array(this.authorCount);
    let authorCount = 0;
    const docVecs = new Int8Array(m * k);
    const docScale = new Float32Array(k ? m : 0);
    for (let d = 0; d < this.n; d++) {
      const nd = remap[d]!;
      if (nd < 0) continue;
      ids[nd] = this.ids[d]!;
      arxivIds[nd] = this.arxivIds[d]!;
      titleKeys[nd] = this.titleKeys[d]!;
      years[nd] = this.years[d]!;
      topics.set(this.topics.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
      topicConf.set(this.topicConf.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
      for (let i = this.authorStart[d]!; i < this.authorStart[d + 1]!; i++) authorKeys[authorCount++] = this.authorKeys[i]!;
      authorStart[nd + 1] = authorCount;
      if (this.lsa) {
        docVecs.set(this.lsa.docVecs.subarray(d * k, (d + 1) * k), nd * k);
        docScale[nd] = this.lsa.docScale[d]!;
      }
    }
    this.n = m;
    this.removed = 0;
    this.ids = ids;
    this.arxivIds = arxivIds;
    this.idToDoc = IdTable.of(ids);
    this.titleKeys = titleKeys;
    this.years = years;
    this.alive = new Uint8Array(m).fill(1);
    this.topics = topics;
    this.topicConf = topicConf;
    this.authorStart = authorStart;
    this.authorKeys = authorKeys.slice(0, authorCount);
    this.authorCount = authorCount;
    this.termStart = counts;
    this.post = post.slice(0, at);
    this.postCount = count;
    this.df = df;
    this.delta.clear();
    this.deltaSize = 0;
    if (this.lsa) {
      this.lsa.docVecs = docVecs;
      this.lsa.docScale = docScale;
    }
    this.norms = new Float32Array(m);
    this.recomputeNorms();
  }

  private recomputeNorms(): void {
    const live = this.size;
    const sq = new Float64Array(this.n);
    const buckets = this.termStart.length - 1;
    const post = this.post;
    for (let b = 0; b < buckets; b++) {
      const s = this.termStart[b]!;
      const e = this.termStart[b + 1]!;
      if (s === e) continue;
      const w = idf(this.df[b]!, live);
      let d = 0;
      for (let p = s; p < e; ) {
        let x = post[p++]!;
        let g = x & 0x7f;
        for (let shift = 7; x & 0x80; shift += 7) {
          x = post[p++]!;
          g |= (x & 0x7f) << shift;
        }
        d += g;
        const v = TF_W[post[p++]!]! * w;
        sq[d] = sq[d]! + v * v;
      }
    }
    for (const [b, list] of this.delta) {
      const w = idf(this.df[b]!, live);
      for (let i = 0; i < list.length; i += 2) {
        const d = list[i]!;
        const x = TF_W[list[i + 1]!]! * w;
        sq[d] = sq[d]! + x * x;
      }
    }
    for (let d = 0; d < this.n; d++) this.norms[d] = Math.sqrt(sq[d]!);
  }

  /**
   * What the LSA is fitted on: the useful terms (shared by ≥ 2 papers and by at most half of them, the ~20k most
   * frequent) and an evenly spread sample of live docs (all of them below `sampleMax`); null when too few terms.
   * `start` is for the caller to count the sample's column sizes into.
   */
  private planLsa(maxTerms: number, sampleMax: number) {
    const live = this.size;
    const bucketCount = this.df.length;
    const useful = (df: number) => df >= 2 && df <= live * 0.5;
    let count = 0;
    for (let b = 0; b < bucketCount; b++) if (useful(this.df[b]!)) count++;
    // Hundreds of thousands of candidates at 100k papers: a typed array keeps them (and their sort) off the heap.
    const cand = new Uint32Array(count);
    for (let b = 0, i = 0; b < bucketCount; b++) if (useful(this.df[b]!)) cand[i++] = b;
    cand.sort((a, b) => this.df[b]! - this.df[a]! || a - b);
    const chosen = Array.from(cand.subarray(0, maxTerms)).sort((a, b) => a - b);
    release(cand);
    if (chosen.length < 10) return null;
    // Sample rows: every step-th live doc.
    const rowOfDoc = new Int32Array(this.n).fill(-1);
    const step = Math.max(1, live / Math.max(1, sampleMax));
    let rows = 0;
    let liveSeen = 0;
    let next = 0;
    for (let d = 0; d < this.n; d++) {
      if (!this.alive[d]) continue;
      if (liveSeen++ >= next) {
        rowOfDoc[d] = rows++;
        next += step;
      }
    }
    const weightOf = new Float32Array(chosen.length);
    const rowOfBucket = new Int32Array(bucketCount).fill(-1);
    for (let j = 0; j < chosen.length; j++) {
      rowOfBucket[chosen[j]!] = j;
      weightOf[j] = idf(this.df[chosen[j]!]!, live);
    }
    return { chosen, rows, rowOfDoc, rowOfBucket, weightOf, start: new Uint32Array(chosen.length + 1) };
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

  private queryVector(q: RelatedQuery, toks: PaperTokens): QueryVector {
    const bag = termBagOf(toks, q.title, q.abstract, this.bits, true);
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

  /**
   * Term frequencies of the query terms in each of `docs`: tf of term i in docs[h] at [h * terms + i].
   * Terms in more than `maxDf` papers (long lists, tiny weights) are looked up only for a doc that shares
   * fewer than `SHARED_SCAN` other terms, where they could still make the shown list.
   */
  private tfTable(qv: QueryVector, docs: number[], maxDf: number): Uint8Array {
    const nq = qv.buckets.length;
    const out = new Uint8Array(docs.length * nq);
    if (!docs.length) return out;
    // slot[d] = hit index + 1 for the hits, 0 elsewhere (a scratch array, cleared on the way out).
    if (this.slot.length < this.n) this.slot = new Int32Array(this.n);
    const slot = this.slot;
    let maxDoc = 0;
    docs.forEach((d, h) => {
      slot[d] = h + 1;
      if (d > maxDoc) maxDoc = d;
    });
    const post = this.post;
    const found = new Uint32Array(docs.length);
    const scan = (i: number) => {
      const b = qv.buckets[i]!;
      let d = 0;
      for (let p = this.termStart[b]!, e = this.termStart[b + 1]!; p < e; ) {
        let x = post[p++]!;
        let g = x & 0x7f;
        for (let shift = 7; x & 0x80; shift += 7) {
          x = post[p++]!;
          g |= (x & 0x7f) << shift;
        }
        d += g;
        const tf = post[p++]!;
        if (d > maxDoc) break;
        const h = slot[d]!;
        if (h !== 0) {
          out[(h - 1) * nq + i] = tf;
          found[h - 1]!++;
        }
      }
      const list = this.delta.get(b);
      if (list) {
        for (let j = 0; j < list.length; j += 2) {
          const h = slot[list[j]!]!;
          if (h !== 0) {
            out[(h - 1) * nq + i] = list[j + 1]!;
            found[h - 1]!++;
          }
        }
      }
    };
    for (let i = 0; i < nq; i++) if (this.df[qv.buckets[i]!]! <= maxDf) scan(i);
    if (found.some((c) => c < SHARED_SCAN)) for (let i = 0; i < nq; i++) if (this.df[qv.buckets[i]!]! > maxDf) scan(i);
    for (const d of docs) slot[d] = 0;
    return out;
  }

  /**
   * Papers related to `query`, best first (ties by id), at most k, never the query paper itself
   * (same id, same arXiv id or same normalized title), and none below the similarity floor.
   */
  related(query: RelatedQuery, k = 10, override: Partial<RelatedOptions> = {}): RelatedHit[] {
    const opt = { ...this.ranking, ...override };
    if (k <= 0 || this.size === 0) return [];
    const toks = paperTokens(query);
    const qv = this.queryVector(query, toks);
    if (qv.norm === 0) return [];
    const live = this.size;
    if (this.scratch.length < this.n) {
      this.scratch = new Float32Array(this.n);
      this.sims = new Float32Array(this.n);
    }
    const acc = this.scratch;
    const touched: number[] = [];
    const maxDf = Math.max(2, opt.maxDfShare * live);
    const post = this.post;
    for (let i = 0; i < qv.buckets.length; i++) {
      const b = qv.buckets[i]!;
      const df = this.df[b]!;
      if (df === 0 || df > maxDf) continue;
      const w = qv.weights[i]! * idf(df, live);
      let d = 0;
      for (let p = this.termStart[b]!, e = this.termStart[b + 1]!; p < e; ) {
        let x = post[p++]!;
        let g = x & 0x7f;
        for (let shift = 7; x & 0x80; shift += 7) {
          x = post[p++]!;
          g |= (x & 0x7f) << shift;
        }
        d += g;
        const a = acc[d]!;
        if (a === 0) touched.push(d);
        acc[d] = a + w * TF_W[post[p++]!]!;
      }
      const list = this.delta.get(b);
      if (list) {
        for (let j = 0; j < list.length; j += 2) {
          const d = list[j]!;
          if (acc[d] === 0) touched.push(d);
          acc[d] = acc[d]! + w * TF_W[list[j + 1]!]!;
        }
      }
    }
    // Lexical cosine of every touched doc, in place.
    for (const d of touched) {
      const nd = this.norms[d]!;
      acc[d] = nd > 0 ? acc[d]! / (qv.norm * nd) : 0;
    }
    // Semantic neighbours: one pass over the Int8 doc vectors, the best `semanticCandidates` kept.
    const semTop: number[] = [];
    const useSem = this.lsa !== null && opt.semanticWeight > 0;
    let v: Float32Array | null = null;
    if (useSem) {
      const { k: dims, docVecs, docScale } = this.lsa!;
      v = this.foldIn(qv.buckets, qv.weights, qv.norm);
      const sims = this.sims;
      const want = opt.semanticCandidates;
      // Min-heap of doc numbers by (sim, -d): the root is the weakest kept.
      const worse = (a: number, b: number) => sims[a]! < sims[b]! || (sims[a] === sims[b] && a > b);
      // Below this nothing can enter the kept set (ties at the root are settled by `worse`).
      let floorSem = want > 0 ? opt.minSemantic : Infinity;
      for (let d = 0; d < this.n; d++) {
        if (!this.alive[d]) {
          sims[d] = 0;
          continue;
        }
        const base = d * dims;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let c = 0;
        for (; c + 3 < dims; c += 4) {
          s0 += v[c]! * docVecs[base + c]!;
          s1 += v[c + 1]! * docVecs[base + c + 1]!;
          s2 += v[c + 2]! * docVecs[base + c + 2]!;
          s3 += v[c + 3]! * docVecs[base + c + 3]!;
        }
        for (; c < dims; c++) s0 += v[c]! * docVecs[base + c]!;
        const s = (s0 + s1 + s2 + s3) * docScale[d]!;
        sims[d] = s;
        if (s < floorSem) continue;
        if (semTop.length < want) {
          semTop.push(d);
          siftUp(semTop, semTop.length - 1, worse);
          if (semTop.length === want) floorSem = Math.max(opt.minSemantic, sims[semTop[0]!]!);
        } else if (worse(semTop[0]!, d)) {
          semTop[0] = d;
          siftDown(semTop, 0, worse);
          floorSem = sims[semTop[0]!]!;
        }
      }
    }
    const sims = this.sims;
    const selfKey = titleKey(query.title);
    const qTopics = topicsForQuery(query, toks);
    const qAuthors = new Map((query.authors ?? []).map((a) => [authorKey(a), a] as const));
    const refYear = query.year ?? this.maxYear;
    // Candidates: touched docs and the semantic neighbours. A cheap score (lexical + semantic) bounds the
    // full one: topics and authors add at most `bonus`, recency multiplies by at most `boost`. Full scores
    // are computed best-cheap-first until no remaining candidate can reach the k-th best.
    const pool: number[] = touched.slice();
    for (const d of semTop) if (acc[d] === 0) pool.push(d);
    const cheap = new Float64Array(pool.length);
    // Topic overlap is cheap to compute exactly (four bytes per doc): only authors and recency stay as slack.
    const qConf = new Float64Array(TOPICS.length + 1).fill(-1);
    for (const [t, c] of qTopics) qConf[t + 1] = c;
    const topicBonus = (d: number) => {
      let tb = 0;
      for (let t = 0; t < MAX_TOPICS; t++) {
        const topic = this.topics[d * MAX_TOPICS + t]!;
        if (!topic) continue;
        const qc = qConf[topic]!;
        if (qc < 0) continue;
        tb += opt.topicWeight * Math.min(qc, this.topicConf[d * MAX_TOPICS + t]! / 255);
      }
      return tb;
    };
    const bonus = Math.max(0, opt.authorWeight) * Math.min(qAuthors.size, 2);
    const boost = 1 + Math.max(0, opt.recencyWeight);
    const eligible: number[] = [];
    for (let i = 0; i < pool.length; i++) {
      const d = pool[i]!;
      const lex = acc[d]!;
      const sem = useSem ? Math.max(0, sims[d]!) : 0;
      if (lex < opt.minLexical && sem < opt.minSemantic) continue;
      cheap[i] = opt.lexicalWeight * lex + opt.semanticWeight * sem + (qTopics.size ? topicBonus(d) : 0);
      eligible.push(i);
    }
    // The strongest `head` candidates by cheap score, sorted; the rest only when their bound still qualifies.
    const head = Math.max(4 * k, 200);
    let first: number[];
    let rest: number[] = [];
    const byCheap = (a: number, b: number) => cheap[b]! - cheap[a]! || a - b;
    if (eligible.length <= head) {
      first = eligible.sort(byCheap);
    } else {
      const lessCheap = (a: number, b: number) => cheap[a]! < cheap[b]! || (cheap[a] === cheap[b] && a > b);
      const top: number[] = [];
      let floorCheap = -Infinity;
      for (const i of eligible) {
        if (cheap[i]! < floorCheap) continue;
        if (top.length < head) {
          top.push(i);
          siftUp(top, top.length - 1, lessCheap);
          if (top.length === head) floorCheap = cheap[top[0]!]!;
        } else if (lessCheap(top[0]!, i)) {
          top[0] = i;
          siftDown(top, 0, lessCheap);
          floorCheap = cheap[top[0]!]!;
        }
      }
      const inHead = new Set(top);
      first = top.sort(byCheap);
      rest = eligible.filter((i) => !inHead.has(i));
    }
    type Cand = { d: number; score: number; lex: number; sem: number; topics: string[]; authors: string[] };
    const cands: Cand[] = [];
    // Min-heap of the k best full scores so far.
    const best: number[] = [];
    const lessNum = (a: number, b: number) => a < b;
    // Upper bound of a full score from its cheap one; the topic term may be negative only with a negative weight.
    const slack = Math.max(0, -opt.topicWeight) * MAX_TOPICS;
    const hopeless = (i: number) => best.length >= k && Math.max(0, cheap[i]! + slack + bonus) * boost < best[0]!;
    const consider = (i: number) => {
      const d = pool[i]!;
      if (!this.alive[d]) return;
      const id = this.ids[d]!;
      if ((query.id && id === query.id) || (query.arxivId && this.arxivIds[d] === query.arxivId) || this.titleKeys[d] === selfKey) return;
      const lex = acc[d]!;
      const sem = useSem ? Math.max(0, sims[d]!) : 0;
      let score = opt.lexicalWeight * lex + opt.semanticWeight * sem;
      const shared: string[] = [];
      for (let t = 0; t < MAX_TOPICS; t++) {
        const topic = this.topics[d * MAX_TOPICS + t]!;
        if (!topic) continue;
        const qc = qTopics.get(topic - 1);
        if (qc === undefined) continue;
        score += opt.topicWeight * Math.min(qc, this.topicConf[d * MAX_TOPICS + t]! / 255);
        shared.push(TOPICS[topic - 1]!.label);
      }
      const authors: string[] = [];
      if (qAuthors.size) {
        for (let a = this.authorStart[d]!; a < this.authorStart[d + 1]!; a++) {
          const name = qAuthors.get(this.authorKeys[a]!);
          if (name && !authors.includes(name)) authors.push(name);
        }
      }
      score += opt.authorWeight * Math.min(authors.length, 2);
      const year = this.years[d]!;
      if (year > 0 && refYear > 0) score *= 1 + opt.recencyWeight * Math.max(0, 1 - Math.max(0, refYear - year) / 10);
      if (score < (shared.length || authors.length ? opt.floor : opt.floor * opt.untopicalFloorFactor)) return;
      cands.push({ d, score, lex, sem, topics: shared, authors });
      if (best.length < k) {
        best.push(score);
        siftUp(best, best.length - 1, lessNum);
      } else if (score > best[0]!) {
        best[0] = score;
        siftDown(best, 0, lessNum);
      }
    };
    let cut = false;
    for (const i of first) {
      if (hopeless(i)) {
        cut = true;
        break;
      }
      consider(i);
    }
    // Every remaining candidate scores at most as cheaply as the last head one; look only if the bound allows.
    if (!cut) for (const i of rest) if (!hopeless(i)) consider(i);
    for (const d of touched) acc[d] = 0;
    cands.sort((a, b) => b.score - a.score || (this.ids[a.d]! < this.ids[b.d]! ? -1 : this.ids[a.d]! > this.ids[b.d]! ? 1 : 0));
    const top = cands.slice(0, k);
    const tfs = this.tfTable(qv, top.map((c) => c.d), maxDf);
    return top.map((c, h) => {
      const sharedTerms = this.sharedTerms(qv, tfs.subarray(h * qv.buckets.length, (h + 1) * qv.buckets.length), live);
      return {
        paperId: this.ids[c.d]!,
        score: Math.round(c.score * 10000) / 10000,
        reason: reasonLine(c.topics, sharedTerms, c.authors, c.lex, c.sem),
        sharedTerms,
        sharedTopics: c.topics,
      };
    });
  }

  private sharedTerms(qv: QueryVector, tfs: Uint8Array, live: number): string[] {
    const contrib: Array<{ b: number; w: number }> = [];
    for (let i = 0; i < qv.buckets.length; i++) {
      const b = qv.buckets[i]!;
      const tf = tfs[i]!;
      if (tf > 0) contrib.push({ b, w: qv.weights[i]! * TF_W[tf]! * idf(this.df[b]!, live) });
    }
    contrib.sort((a, b) => b.w - a.w || a.b - b.b);
    // The strongest terms, phrases preferred over the words they contain ("newton iterations", not "newton" too).
    const top = contrib.slice(0, SHARED_SCAN).map(({ b }) => ({ s: qv.surface.get(b) ?? '', phrase: qv.words.get(b) === 2 })).filter((t) => t.s);
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

  /**
   * Frees the index's arrays at once (see `release`): for an index that has been written and is dropped, whose
   * serialized form is no longer needed either. The index must not be used after.
   */
  dispose(): void {
    release(this.titleKeys, this.years, this.alive, this.topics, this.topicConf, this.authorStart, this.authorKeys, this.norms);
    release(this.df, this.termStart, this.post, this.scratch, this.sims, this.slot);
    if (this.lsa) release(this.lsa.termBuckets, this.lsa.termVecs, this.lsa.docVecs, this.lsa.docScale);
    this.lsa = null;
  }

  /**
   * The index in its stored form. Arrays that are exactly full are shared, not copied (at 100k papers copies would
   * add some 80 MB at the moment of writing): clone the result at once, as IndexedDB's put does.
   */
  serialize(): SerializedRelatedIndex {
    // Nothing to merge or drop right after a build: compacting anyway would copy every array once more.
    if (this.removed > 0 || this.deltaSize > 0) this.compact();
    const buckets = this.termStart.length - 1;
    let nonEmpty = 0;
    for (let b = 0; b < buckets; b++) if (this.termStart[b + 1]! > this.termStart[b]!) nonEmpty++;
    const terms = new Uint32Array(nonEmpty);
    const termCounts = new Uint32Array(nonEmpty);
    const termBytes = new Uint32Array(nonEmpty);
    let j = 0;
    for (let b = 0; b < buckets; b++) {
      const c = this.termStart[b + 1]! - this.termStart[b]!;
      if (c > 0) {
        terms[j] = b;
        termCounts[j] = this.df[b]!;
        termBytes[j++] = c;
      }
    }
    return {
      format: FORMAT,
      bits: this.bits,
      n: this.n,
      ids: [...this.ids],
      arxivIds: [...this.arxivIds],
      titleKeys: exact(this.titleKeys, this.n),
      years: exact(this.years, this.n),
      topics: exact(this.topics, this.n * MAX_TOPICS),
      topicConf: exact(this.topicConf, this.n * MAX_TOPICS),
      authorStart: exact(this.authorStart, this.n + 1),
      authorKeys: exact(this.authorKeys, this.authorCount),
      norms: exact(this.norms, this.n),
      terms,
      termCounts,
      termBytes,
      postings: this.post,
      lsa: this.lsa
        ? {
            k: this.lsa.k,
            termBuckets: this.lsa.termBuckets,
            termVecs: this.lsa.termVecs,
            docVecs: exact(this.lsa.docVecs, this.n * this.lsa.k),
            docScale: exact(this.lsa.docScale, this.n),
          }
        : null,
      ranking: { ...this.ranking },
    };
  }

  static deserialize(s: SerializedRelatedIndex): RelatedIndex {
    if (!s || s.format !== FORMAT) throw new Error(`unknown related-index format: ${String(s?.format)}`);
    // Structured clone (IndexedDB) hands back fresh typed arrays: adopt them instead of copying.
    const own = <T extends TypedArray>(a: unknown, ctor: { new (n: number): T; from(x: ArrayLike<number>): T }, name: string): T => {
      if (a instanceof (ctor as unknown as typeof Uint8Array)) return a as unknown as T;
      if (ArrayBuffer.isView(a)) return ctor.from(a as unknown as ArrayLike<number>);
      throw new Error(`related index: ${name} is not binary`);
    };
    const index = new RelatedIndex(s.bits, { ...DEFAULT_RANKING, ...s.ranking });
    index.n = s.n;
    index.ids = s.ids;
    index.arxivIds = s.arxivIds;
    index.idToDoc = IdTable.of(s.ids);
    index.titleKeys = own(s.titleKeys, Float64Array, 'titleKeys');
    index.years = own(s.years, Int16Array, 'years');
    index.alive = new Uint8Array(s.n).fill(1);
    index.topics = own(s.topics, Uint8Array, 'topics');
    index.topicConf = own(s.topicConf, Uint8Array, 'topicConf');
    index.authorStart = own(s.authorStart, Uint32Array, 'authorStart');
    index.authorKeys = own(s.authorKeys, Uint32Array, 'authorKeys');
    index.authorCount = s.authorKeys.length;
    index.norms = own(s.norms, Float32Array, 'norms');
    const terms = own(s.terms, Uint32Array, 'terms');
    const termCounts = own(s.termCounts, Uint32Array, 'termCounts');
    const termBytes = own(s.termBytes, Uint32Array, 'termBytes');
    if (termCounts.length !== terms.length || termBytes.length !== terms.length) throw new Error('related index: term table lengths differ');
    const buckets = index.termStart.length - 1;
    for (let i = 0; i < terms.length; i++) {
      const b = terms[i]!;
      if (b >= buckets) throw new Error('related index: term bucket out of range');
      index.termStart[b + 1] = termBytes[i]!;
      index.df[b] = termCounts[i]!;
      index.postCount += termCounts[i]!;
    }
    for (let b = 0; b < buckets; b++) index.termStart[b + 1]! += index.termStart[b]!;
    index.post = own(s.postings, Uint8Array, 'postings');
    if (index.post.length !== index.termStart[buckets]) throw new Error('related index: postings lengths differ');
    for (let d = 0; d < s.n; d++) if (index.years[d]! > index.maxYear) index.maxYear = index.years[d]!;
    if (s.lsa) {
      const termBuckets = own(s.lsa.termBuckets, Uint32Array, 'lsa.termBuckets');
      const rowOf = new Map<number, number>();
      for (let j = 0; j < termBuckets.length; j++) rowOf.set(termBuckets[j]!, j);
      index.lsa = {
        k: s.lsa.k,
        termBuckets,
        rowOf,
        termVecs: own(s.lsa.termVecs, Float32Array, 'lsa.termVecs'),
        docVecs: own(s.lsa.docVecs, Int8Array, 'lsa.docVecs'),
        docScale: own(s.lsa.docScale, Float32Array, 'lsa.docScale'),
      };
    }
    return index;
  }

  /** Approximate bytes held by the index's arrays (for the 100k budget). */
  memoryBytes(): number {
    let bytes = this.df.byteLength + this.termStart.byteLength + this.post.byteLength;
    bytes += this.titleKeys.byteLength + this.years.byteLength + this.alive.byteLength + this.topics.byteLength + this.topicConf.byteLength;
    bytes += this.authorStart.byteLength + this.authorKeys.byteLength + this.norms.byteLength + this.scratch.byteLength + this.sims.byteLength;
    if (this.lsa) bytes += this.lsa.termVecs.byteLength + this.lsa.docVecs.byteLength + this.lsa.docScale.byteLength + this.lsa.termBuckets.byteLength + this.lsa.rowOf.size * 40;
    bytes += this.ids.reduce((s, id) => s + 2 * id.length + 40, 0) * 2;
    return bytes;
  }
}



/** Topic index → confidence for the query paper (same tagger and thresholds as the corpus). */
function topicsForQuery(q: RelatedQuery, toks: PaperTokens): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of tagPaperForIndex(q, toks)) out.set(TOPIC_INDEX.get(t.id)!, t.score);
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
