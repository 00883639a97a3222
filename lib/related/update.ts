import type { Paper } from '../schema';
import { PROFILE_TOPICS } from '../topics/tagger';
import { IdTable } from '../util/id-table';
import { grow } from '../util/typed-array';
import { readVarint, writeVarint } from '../util/varint';
import { prepareRelated, type PreparedPaper } from './options';
import { MAX_TF, MAX_TOPICS, quantizeRow, TF_W, type RelatedStore } from './store';
import { idf, termBagOf } from './tfidf';

/** Changing a built related index in place: papers added to a delta, removed by tombstone, merged on compaction. */

/** Adds (or replaces, by id) papers without rebuilding: postings go to a delta merged on compaction. */
export function addPapers(s: RelatedStore, papers: readonly Paper[], prepared?: readonly PreparedPaper[]): void {
  for (let i = 0; i < papers.length; i++) {
    const p = papers[i]!;
    const prep = prepared?.[i] ?? prepareRelated(p);
    const d = s.appendDoc(p, prep.tags, prep.profile);
    const bag = termBagOf(prep.tokens, p.title, p.abstract, s.bits).tf;
    for (const [b, tf] of bag) {
      s.df[b]!++;
      let list = s.delta.get(b);
      if (!list) s.delta.set(b, (list = []));
      list.push(d, Math.min(tf, MAX_TF));
      s.deltaSize++;
    }
    // Norm with the current statistics; LSA fold-in in the space learnt at build time.
    const live = s.size;
    let norm = 0;
    for (const [b, tf] of bag) norm += (TF_W[Math.min(tf, MAX_TF)]! * idf(s.df[b]!, live)) ** 2;
    s.norms[d] = Math.sqrt(norm);
    if (s.lsa) {
      const { k } = s.lsa;
      s.lsa.docVecs = grow(s.lsa.docVecs, (d + 1) * k);
      s.lsa.docScale = grow(s.lsa.docScale, d + 1);
      const v = s.foldIn([...bag.keys()], [...bag].map(([b, tf]) => TF_W[Math.min(tf, MAX_TF)]! * idf(s.df[b]!, live)), s.norms[d]!);
      quantizeRow(v, 0, k, s.lsa.docVecs, s.lsa.docScale, d);
    }
  }
  if (s.deltaSize > Math.max(10_000, s.postCount / 4)) compact(s);
}

/** Removes papers by id (they stop appearing at once; space is reclaimed on compaction). */
export function removeIds(s: RelatedStore, ids: readonly string[]): void {
  for (const id of ids) {
    const d = s.idToDoc.get(id);
    if (d === undefined || !s.alive[d]) continue;
    s.alive[d] = 0;
    s.removed++;
    s.idToDoc.delete(id);
  }
  if (s.removed > Math.max(1000, s.n / 10)) compact(s);
}

/** Merges the delta into the main postings, drops removed papers and refreshes statistics. */
export function compact(s: RelatedStore): void {
  const remap = new Int32Array(s.n).fill(-1);
  let m = 0;
  for (let d = 0; d < s.n; d++) if (s.alive[d]) remap[d] = m++;
  mergePostings(s, remap);
  compactDocs(s, remap, m);
  s.delta.clear();
  s.deltaSize = 0;
  s.norms = new Float32Array(m);
  recomputeNorms(s);
}

/** Main and delta postings merged into new main postings, in the live docs' new numbers (`remap`, -1: dropped). */
function mergePostings(s: RelatedStore, remap: Int32Array): void {
  const cur = { pos: 0 };
  const buckets = s.termStart.length - 1;
  const old = s.post;
  // Remapped gaps never grow: the old bytes plus 6 per delta posting bound the new size.
  const post = new Uint8Array(old.length + 6 * s.deltaSize);
  const counts = new Uint32Array(buckets + 1);
  const df = new Uint32Array(buckets);
  let at = 0;
  let count = 0;
  for (let b = 0; b < buckets; b++) {
    let prev = 0;
    let c = 0;
    let d = 0;
    const end = s.termStart[b + 1]!;
    for (cur.pos = s.termStart[b]!; cur.pos < end; ) {
      d += readVarint(old, cur);
      const tf = old[cur.pos++]!;
      const nd = remap[d]!;
      if (nd < 0) continue;
      at = writeVarint(post, at, nd - prev);
      post[at++] = tf;
      prev = nd;
      c++;
    }
    const list = s.delta.get(b);
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
  s.termStart = counts;
  s.post = post.slice(0, at);
  s.postCount = count;
  s.df = df;
}

/** The per-doc arrays of the `m` live docs, renumbered by `remap`. */
function compactDocs(s: RelatedStore, remap: Int32Array, m: number): void {
  const k = s.lsa?.k ?? 0;
  const ids: string[] = [];
  const arxivIds: Array<string | null> = [];
  const titleKeys = new Float64Array(m);
  const years = new Int16Array(m);
  const topics = new Uint8Array(m * MAX_TOPICS);
  const topicConf = new Uint8Array(m * MAX_TOPICS);
  const profTopics = new Uint8Array(m * PROFILE_TOPICS);
  const profWeights = new Uint8Array(m * PROFILE_TOPICS);
  const authorStart = new Uint32Array(m + 1);
  const authorKeys = new Uint32Array(s.authorCount);
  let authorCount = 0;
  const docVecs = new Int8Array(m * k);
  const docScale = new Float32Array(k ? m : 0);
  for (let d = 0; d < s.n; d++) {
    const nd = remap[d]!;
    if (nd < 0) continue;
    ids[nd] = s.ids[d]!;
    arxivIds[nd] = s.arxivIds[d]!;
    titleKeys[nd] = s.titleKeys[d]!;
    years[nd] = s.years[d]!;
    topics.set(s.topics.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
    topicConf.set(s.topicConf.subarray(d * MAX_TOPICS, (d + 1) * MAX_TOPICS), nd * MAX_TOPICS);
    profTopics.set(s.profTopics.subarray(d * PROFILE_TOPICS, (d + 1) * PROFILE_TOPICS), nd * PROFILE_TOPICS);
    profWeights.set(s.profWeights.subarray(d * PROFILE_TOPICS, (d + 1) * PROFILE_TOPICS), nd * PROFILE_TOPICS);
    for (let i = s.authorStart[d]!; i < s.authorStart[d + 1]!; i++) authorKeys[authorCount++] = s.authorKeys[i]!;
    authorStart[nd + 1] = authorCount;
    if (s.lsa) {
      docVecs.set(s.lsa.docVecs.subarray(d * k, (d + 1) * k), nd * k);
      docScale[nd] = s.lsa.docScale[d]!;
    }
  }
  s.n = m;
  s.removed = 0;
  s.ids = ids;
  s.arxivIds = arxivIds;
  s.idToDoc = IdTable.of(ids);
  s.titleKeys = titleKeys;
  s.years = years;
  s.alive = new Uint8Array(m).fill(1);
  s.topics = topics;
  s.topicConf = topicConf;
  s.profTopics = profTopics;
  s.profWeights = profWeights;
  s.authorStart = authorStart;
  s.authorKeys = authorKeys.slice(0, authorCount);
  s.authorCount = authorCount;
  if (s.lsa) {
    s.lsa.docVecs = docVecs;
    s.lsa.docScale = docScale;
  }
}

function recomputeNorms(s: RelatedStore): void {
  const live = s.size;
  const sq = new Float64Array(s.n);
  const buckets = s.termStart.length - 1;
  const post = s.post;
  const cur = { pos: 0 };
  for (let b = 0; b < buckets; b++) {
    const start = s.termStart[b]!;
    const end = s.termStart[b + 1]!;
    if (start === end) continue;
    const w = idf(s.df[b]!, live);
    let d = 0;
    for (cur.pos = start; cur.pos < end; ) {
      d += readVarint(post, cur);
      const v = TF_W[post[cur.pos++]!]! * w;
      sq[d] = sq[d]! + v * v;
    }
  }
  for (const [b, list] of s.delta) {
    const w = idf(s.df[b]!, live);
    for (let i = 0; i < list.length; i += 2) {
      const d = list[i]!;
      const x = TF_W[list[i + 1]!]! * w;
      sq[d] = sq[d]! + x * x;
    }
  }
  for (let d = 0; d < s.n; d++) s.norms[d] = Math.sqrt(sq[d]!);
}
