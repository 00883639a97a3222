import type { Paper, TopicTag } from '../schema';
import { hash53, normalizeTitle } from '../text/normalize';
import { PROFILE_TOPICS, TOPIC_IDS, type TopicProfile } from '../topics/tagger';
import { IdTable } from '../util/id-table';
import { grow, type TypedArray } from '../util/typed-array';
import type { RelatedOptions } from './options';
import { tfWeight } from './tfidf';

/** Topic slots per paper. */
export const MAX_TOPICS = 4;
/** Stored term frequencies are capped here (one byte); log-scaled weights barely move beyond it. */
export const MAX_TF = 255;
/** tfWeight for every storable term frequency. */
export const TF_W = Float64Array.from({ length: MAX_TF + 1 }, (_, tf) => tfWeight(tf));
export const TOPIC_INDEX = new Map(TOPIC_IDS.map((id, i) => [id, i] as const));

export function authorKey(name: string): number {
  // "Yann LeCun", "Y. LeCun" and "LeCun, Yann" differ; full normalized names keep false matches rare.
  return hash53(normalizeTitle(name)) >>> 0;
}

export function titleKey(title: string): number {
  return hash53(normalizeTitle(title));
}

/** `a` cut to `length`: itself when it is exactly that long (a view would make a structured clone copy the whole buffer). */
export function exact<T extends TypedArray>(a: T, length: number): T {
  return a.length === length ? a : (a.slice(0, length) as T);
}


/** Unit vector v → Int8 row (round(v / scale), scale = max|v| / 127) at `row`. */
export function quantizeRow(v: Float32Array | Float64Array, from: number, k: number, out: Int8Array, scales: Float32Array, row: number): void {
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

export interface Lsa {
  k: number;
  rowOf: Map<number, number>;
  termBuckets: Uint32Array;
  termVecs: Float32Array;
  docVecs: Int8Array;
  docScale: Float32Array;
}

/**
 * @internal The related index's state: the per-doc table, the term-major postings (main + delta) and the LSA.
 * Plain fields, read and written by the index's rooms (`layout`, `update`, `score`, `explain`, `serialize`);
 * `RelatedIndex` is its public face.
 */
export class RelatedStore {
  readonly bits: number;
  ranking: RelatedOptions;
  n = 0;
  ids: string[] = [];
  arxivIds: Array<string | null> = [];
  idToDoc = new IdTable(this.ids);
  titleKeys: Float64Array = new Float64Array(0);
  years: Int16Array = new Int16Array(0);
  alive: Uint8Array = new Uint8Array(0);
  removed = 0;
  topics: Uint8Array = new Uint8Array(0);
  topicConf: Uint8Array = new Uint8Array(0);
  /** Per doc, `PROFILE_TOPICS` topic indexes + 1 (0: none) and their profile weights × 255. */
  profTopics: Uint8Array = new Uint8Array(0);
  profWeights: Uint8Array = new Uint8Array(0);
  authorStart: Uint32Array = new Uint32Array(1);
  authorKeys: Uint32Array = new Uint32Array(0);
  authorCount = 0;
  norms: Float32Array = new Float32Array(0);
  df: Uint32Array;
  /** Main postings: bucket b's bytes are post[termStart[b] .. termStart[b + 1]) (varint doc gaps, tf bytes). */
  termStart: Uint32Array;
  post: Uint8Array = new Uint8Array(0);
  /** Number of postings in `post` (for the compaction trigger). */
  postCount = 0;
  /** Postings of papers added since the last compaction: bucket → [doc, tf, doc, tf, …]. */
  delta = new Map<number, number[]>();
  deltaSize = 0;
  lsa: Lsa | null = null;
  scratch: Float32Array = new Float32Array(0);
  sims: Float32Array = new Float32Array(0);
  slot: Int32Array = new Int32Array(0);
  maxYear = 0;

  constructor(bits: number, ranking: RelatedOptions, termTables = true) {
    this.bits = bits;
    this.ranking = ranking;
    this.df = new Uint32Array(termTables ? 2 ** bits : 0);
    this.termStart = new Uint32Array(termTables ? 2 ** bits + 1 : 0);
  }

  /** Number of live papers. */
  get size(): number {
    return this.n - this.removed;
  }


  /** @internal Appends a paper's metadata (a live copy with the same id is retired); returns its doc number. */
  appendDoc(p: Paper, tags: readonly Pick<TopicTag, 'id' | 'score'>[], profile: TopicProfile): number {
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
    this.profTopics = grow(this.profTopics, cap * PROFILE_TOPICS);
    this.profWeights = grow(this.profWeights, cap * PROFILE_TOPICS);
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
    for (let i = 0; i < PROFILE_TOPICS; i++) {
      const has = i < profile.topics.length;
      this.profTopics[d * PROFILE_TOPICS + i] = has ? profile.topics[i]! + 1 : 0;
      this.profWeights[d * PROFILE_TOPICS + i] = has ? Math.round(profile.weights[i]! * 255) : 0;
    }
    const authors = p.authors ?? [];
    this.authorKeys = grow(this.authorKeys, this.authorCount + authors.length);
    for (const a of authors) this.authorKeys[this.authorCount++] = authorKey(a);
    this.authorStart[d + 1] = this.authorCount;
    return d;
  }

  /** k-dim LSA coordinates of a weighted term vector (weights already TF-IDF; divided by `norm`). */
  foldIn(buckets: number[], weights: number[], norm: number): Float32Array {
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
}
