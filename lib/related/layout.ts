import { PROFILE_TOPICS } from '../topics/tagger';
import { release } from '../util/typed-array';
import { varintSize, writeVarint } from '../util/varint';
import type { DocMajorPostings } from './doc-major';
import { fitLsa, type SparseColumns } from './lsa';
import type { BuildOptions } from './options';
import { exact, MAX_TOPICS, quantizeRow, TF_W, type RelatedStore } from './store';
import { idf } from './tfidf';
import { compact } from './update';

/**
 * Building the related index at the end of a bulk load: the builder's doc-major postings become the term-major
 * index, with norms and LSA, in four passes over the postings: document frequencies and byte sizes; norms (and the
 * LSA sample's column sizes); the LSA sample; every doc's LSA vector and term-major bytes, the doc-major bytes
 * freed as they are read.
 */

const DEFAULT_LSA_SAMPLE = 5000;

/** What the LSA is fitted on (see `planLsa`). */
interface LsaPlan {
  chosen: number[];
  rows: number;
  rowOfDoc: Int32Array;
  rowOfBucket: Int32Array;
  weightOf: Float32Array;
  /** Column sizes of the sample, counted by `computeNorms`. */
  start: Uint32Array;
}

/** Projects doc d (its `m` postings decoded) into the LSA space. */
type Project = (d: number, m: number) => void;

export function layout(s: RelatedStore, postings: DocMajorPostings, options: BuildOptions): void {
  const count = countTerms(s, postings, options.minDf ?? (s.size >= 20_000 ? 2 : 1));
  const dims = options.lsaDims ?? 64;
  const plan = dims > 0 && s.size >= (options.lsaMinDocs ?? 50) ? planLsa(s, options.lsaMaxTerms ?? 20_000, options.lsaSampleDocs ?? DEFAULT_LSA_SAMPLE) : null;
  computeNorms(s, postings, plan);
  const project = plan ? fitOnSample(s, postings, plan, dims, options.seed ?? 0x5eed) : null;
  writeTermMajor(s, postings, project);
  if (plan) release(plan.rowOfBucket, plan.weightOf);
  s.postCount = count;
  if (s.removed > 0) compact(s);
  trimToSize(s);
}

/**
 * Document frequencies and each bucket's term-major byte size into fresh `df` and `termStart` (as offsets);
 * buckets in fewer than `minDf` papers are dropped whole. Returns the number of postings kept.
 */
function countTerms(s: RelatedStore, postings: DocMajorPostings, minDf: number): number {
  const n = s.n;
  const bucketCount = 2 ** s.bits;
  const df = (s.df = new Uint32Array(bucketCount));
  const start = (s.termStart = new Uint32Array(bucketCount + 1));
  const { buckets } = postings;
  const last = new Uint32Array(bucketCount);
  for (let d = 0; d < n; d++) {
    if (!s.alive[d]) continue;
    for (let i = 0, m = postings.decode(d); i < m; i++) {
      const b = buckets[i]!;
      df[b]!++;
      start[b + 1]! += varintSize(d - last[b]!) + 1;
      last[b] = d;
    }
  }
  // Made again for the last pass: it would otherwise sit through the LSA fit, the build's peak.
  release(last);
  let count = 0;
  for (let b = 0; b < bucketCount; b++) {
    if (df[b]! < minDf) {
      df[b] = 0;
      start[b + 1] = 0;
    } else count += df[b]!;
  }
  for (let b = 0; b < bucketCount; b++) start[b + 1]! += start[b]!;
  return count;
}

/** Every doc's TF-IDF norm (the sums `recomputeNorms` makes, in the same bucket order), and the sample's column sizes. */
function computeNorms(s: RelatedStore, postings: DocMajorPostings, plan: LsaPlan | null): void {
  const { buckets, tfs } = postings;
  const live = s.size;
  const df = s.df;
  const bucketCount = df.length;
  const weight = new Float64Array(bucketCount);
  for (let b = 0; b < bucketCount; b++) if (df[b]! > 0) weight[b] = idf(df[b]!, live);
  for (let d = 0; d < s.n; d++) {
    let sq = 0;
    if (s.alive[d]) {
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
    s.norms[d] = Math.sqrt(sq);
  }
  release(weight);
}

/**
 * Fits the LSA on the sample's rows, gathered column by column (docs ascending within a column), and sets `s.lsa`;
 * returns how every doc is then projected.
 */
function fitOnSample(s: RelatedStore, postings: DocMajorPostings, plan: LsaPlan, dims: number, seed: number): Project {
  const { buckets, tfs } = postings;
  const { rowOfDoc, rowOfBucket, weightOf, start: colStart, chosen } = plan;
  const cols = chosen.length;
  for (let j = 0; j < cols; j++) colStart[j + 1]! += colStart[j]!;
  const postDoc = new Uint32Array(colStart[cols]!);
  const postVal = new Float32Array(colStart[cols]!);
  const at = colStart.slice(0, cols);
  for (let d = 0; d < s.n; d++) {
    const row = rowOfDoc[d]!;
    if (row < 0) continue;
    const nd = s.norms[d]!;
    for (let i = 0, m = postings.decode(d); i < m; i++) {
      const j = rowOfBucket[buckets[i]!]!;
      if (j < 0) continue;
      postDoc[at[j]!] = row;
      // Rows normalized by the full TF-IDF norm: the same scaling a query gets.
      postVal[at[j]!++] = nd > 0 ? (TF_W[tfs[i]!]! * weightOf[j]!) / nd : 0;
    }
  }
  const matrix: SparseColumns = { rows: plan.rows, cols, start: colStart, postDoc, postVal };
  const model = fitLsa(matrix, { k: Math.min(dims, Math.floor(plan.rows / 2)), seed, docVecs: false });
  release(colStart, postDoc, postVal, at, rowOfDoc);
  const k = model.k;
  const tv = model.termVecs;
  const docVecs = new Int8Array(s.n * k);
  const docScale = new Float32Array(s.n);
  const v = new Float64Array(k);
  s.lsa = { k, termBuckets: Uint32Array.from(chosen), rowOf: new Map(chosen.map((b, j) => [b, j])), termVecs: tv, docVecs, docScale };
  // Every doc goes through the fold-in matrix (x_d · V_k, x_d its normalized TF-IDF row), as a query is folded
  // in, one k-vector at a time, then is quantized.
  return (d, m) => {
    const nd = s.norms[d]!;
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

/** The last pass: term-major postings (varint doc gap, tf byte) and each doc's LSA vector. */
function writeTermMajor(s: RelatedStore, postings: DocMajorPostings, project: Project | null): void {
  const { buckets, tfs } = postings;
  const df = s.df;
  const start = s.termStart;
  const bucketCount = df.length;
  const post = new Uint8Array(start[bucketCount]!);
  const fill = start.slice(0, bucketCount);
  const last = new Uint32Array(bucketCount);
  for (let d = 0; d < s.n; d++) {
    // The doc-major bytes go as the term-major ones come, so the two never take their full size at once.
    postings.releaseBefore(d);
    if (!s.alive[d]) continue;
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
  s.post = post;
}

/** A bulk build ends here: the grown arrays trimmed to size, once, so serialize can share them. */
function trimToSize(s: RelatedStore): void {
  s.titleKeys = exact(s.titleKeys, s.n);
  s.years = exact(s.years, s.n);
  s.alive = exact(s.alive, s.n);
  s.topics = exact(s.topics, s.n * MAX_TOPICS);
  s.topicConf = exact(s.topicConf, s.n * MAX_TOPICS);
  s.profTopics = exact(s.profTopics, s.n * PROFILE_TOPICS);
  s.profWeights = exact(s.profWeights, s.n * PROFILE_TOPICS);
  s.norms = exact(s.norms, s.n);
  s.authorStart = exact(s.authorStart, s.n + 1);
  s.authorKeys = exact(s.authorKeys, s.authorCount);
}

/**
 * What the LSA is fitted on: the useful terms (shared by ≥ 2 papers and by at most half of them, the ~20k most
 * frequent) and an evenly spread sample of live docs (all of them below `sampleMax`); null when too few terms.
 * `start` is for the caller to count the sample's column sizes into.
 */
function planLsa(s: RelatedStore, maxTerms: number, sampleMax: number): LsaPlan | null {
  const live = s.size;
  const bucketCount = s.df.length;
  const useful = (df: number) => df >= 2 && df <= live * 0.5;
  let count = 0;
  for (let b = 0; b < bucketCount; b++) if (useful(s.df[b]!)) count++;
  // Hundreds of thousands of candidates at 100k papers: a typed array keeps them (and their sort) off the heap.
  const cand = new Uint32Array(count);
  for (let b = 0, i = 0; b < bucketCount; b++) if (useful(s.df[b]!)) cand[i++] = b;
  cand.sort((a, b) => s.df[b]! - s.df[a]! || a - b);
  const chosen = Array.from(cand.subarray(0, maxTerms)).sort((a, b) => a - b);
  release(cand);
  if (chosen.length < 10) return null;
  // Sample rows: every step-th live doc.
  const rowOfDoc = new Int32Array(s.n).fill(-1);
  const step = Math.max(1, live / Math.max(1, sampleMax));
  let rows = 0;
  let liveSeen = 0;
  let next = 0;
  for (let d = 0; d < s.n; d++) {
    if (!s.alive[d]) continue;
    if (liveSeen++ >= next) {
      rowOfDoc[d] = rows++;
      next += step;
    }
  }
  const weightOf = new Float32Array(chosen.length);
  const rowOfBucket = new Int32Array(bucketCount).fill(-1);
  for (let j = 0; j < chosen.length; j++) {
    rowOfBucket[chosen[j]!] = j;
    weightOf[j] = idf(s.df[chosen[j]!]!, live);
  }
  return { chosen, rows, rowOfDoc, rowOfBucket, weightOf, start: new Uint32Array(chosen.length + 1) };
}
