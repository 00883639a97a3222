import { siftDown, siftUp } from '../util/heap';
import { readVarint } from '../util/varint';
import { searchTerms } from '../text/tokenize';
import { WEIGHT_SCALE } from './fields';
import { fuzzyCandidates } from './fuzzy';
import { cmp, lowerBound, postingCount, type Segment } from './segment';

/**
 * Scoring a query: each query term expands to exact, prefix and typo matches in every segment; a doc takes the best
 * match of each term (idf × match quality × stored field weight); docs matching more query terms rank first, then
 * by score. Exact > prefix > typo match quality.
 */

const QUALITY_EXACT = 1;
const QUALITY_FUZZY = [1, 0.45, 0.3];
const MAX_QUERY_TERMS = 16;
/** Cap on prefix expansions (most frequent first): short prefixes cover thousands of terms. */
function prefixCap(len: number): number {
  return len <= 1 ? 24 : len === 2 ? 48 : len === 3 ? 160 : 2048;
}
/** Edit distance allowed for a query term: 1 from 4 characters, 2 from 8. */
function maxEdits(len: number): number {
  return len >= 8 ? 2 : len >= 4 ? 1 : 0;
}

/** One dictionary term a query term matched, and how well. */
export interface Expansion {
  seg: Segment;
  ti: number;
  quality: number;
}

/** Per-doc accumulators of a query, grown with the doc table and left zeroed after each query. */
export interface Scratch {
  acc: Float64Array;
  termAcc: Float64Array;
  mask: Uint32Array;
}

export interface RankedDoc {
  d: number;
  /** Query terms matched. */
  cov: number;
  score: number;
}

/** A query's distinct terms (at most 16), in order. */
export function queryTerms(query: string): string[] {
  return [...new Set(searchTerms(query))].slice(0, MAX_QUERY_TERMS);
}

/** Exact, prefix and typo expansions of one query term in every segment. */
export function expand(segs: Segment[], q: string): Expansion[] {
  const out: Expansion[] = [];
  const edits = maxEdits(q.length);
  for (const seg of segs) {
    const lo = lowerBound(seg.terms, q);
    const hi = lowerBound(seg.terms, q + '\uffff');
    let first = lo;
    if (seg.terms[lo] === q) {
      out.push({ seg, ti: lo, quality: QUALITY_EXACT });
      first = lo + 1;
    }
    const cap = prefixCap(q.length);
    let range: number[] = [];
    for (let ti = first; ti < hi; ti++) range.push(ti);
    if (range.length > cap) range = range.sort((a, b) => postingCount(seg, b) - postingCount(seg, a)).slice(0, cap);
    for (const ti of range) out.push({ seg, ti, quality: 0.5 + (0.4 * q.length) / seg.terms[ti]!.length });
    if (edits > 0) for (const c of fuzzyCandidates(seg, q, edits)) out.push({ seg, ti: c.ti, quality: QUALITY_FUZZY[c.dist]! });
  }
  return out;
}

/**
 * Adds query term `qi`'s best match per doc (over its `expansions`) to `acc` and its bit to `mask`, among `live`
 * docs; docs seen for the first time are appended to `touchedAll`.
 */
export function accumulateTerm(expansions: Expansion[], qi: number, live: number, scratch: Scratch, touchedAll: number[]): void {
  const { acc, termAcc, mask } = scratch;
  // df by term string across segments, for idf.
  const df = new Map<string, number>();
  for (const e of expansions) {
    const t = e.seg.terms[e.ti]!;
    df.set(t, (df.get(t) ?? 0) + postingCount(e.seg, e.ti));
  }
  const touched: number[] = [];
  const cur = { pos: 0 };
  for (const e of expansions) {
    const n = df.get(e.seg.terms[e.ti]!)!;
    const idf = Math.log(1 + (live - n + 0.5) / (n + 0.5));
    const f = (idf * e.quality) / WEIGHT_SCALE;
    const { docs, weights } = e.seg;
    cur.pos = e.seg.docStarts[e.ti]!;
    let d = 0;
    for (let p = e.seg.starts[e.ti]!, end = e.seg.starts[e.ti + 1]!; p < end; p++) {
      d += readVarint(docs, cur);
      const s = weights[p]! * f;
      const old = termAcc[d]!;
      if (old === 0) touched.push(d);
      if (s > old) termAcc[d] = s;
    }
  }
  const bit = 1 << qi;
  for (const d of touched) {
    if (mask[d] === 0) touchedAll.push(d);
    acc[d]! += termAcc[d]!;
    mask[d]! |= bit;
    termAcc[d] = 0;
  }
}

/**
 * The best `limit` of the touched docs that `accept` lets through, by (terms matched, score), ties by id; clears
 * the accumulators of every touched doc.
 */
export function topDocs(touchedAll: number[], scratch: Scratch, limit: number, accept: (d: number) => boolean, ids: readonly string[]): RankedDoc[] {
  const { acc, mask } = scratch;
  const heap: RankedDoc[] = [];
  const worse = (a: RankedDoc, b: RankedDoc) => a.cov < b.cov || (a.cov === b.cov && a.score < b.score);
  for (const d of touchedAll) {
    const score = acc[d]!;
    const m = mask[d]!;
    acc[d] = 0;
    mask[d] = 0;
    if (!accept(d)) continue;
    const item = { d, cov: popcount(m), score };
    if (heap.length < limit) {
      heap.push(item);
      siftUp(heap, heap.length - 1, worse);
    } else if (worse(heap[0]!, item)) {
      heap[0] = item;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : cmp(ids[a.d]!, ids[b.d]!)));
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
