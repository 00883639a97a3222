import { siftDown, siftUp } from '../util/heap';
import { release, grow } from '../util/typed-array';
import { gapsSize, readVarint, writeGaps, writeVarint } from '../util/varint';
import { quantize, type Analyzed } from './fields';

/**
 * Storing the search index: segments, each a sorted term dictionary with postings in flat typed arrays (doc
 * numbers as varint gaps, one byte weight per posting), how they are built from analyzed docs, merged and walked.
 */

export interface Segment {
  terms: string[];
  /** Postings of term i are [starts[i], starts[i + 1]) (indexes into `weights`). */
  starts: Uint32Array;
  /** Doc numbers of term i: varint gaps (the first from doc 0) in docs[docStarts[i] .. docStarts[i + 1]). */
  docStarts: Uint32Array;
  docs: Uint8Array;
  weights: Uint8Array;
  grams?: GramIndex;
}

export interface GramIndex {
  ids: Map<number, number>;
  starts: Uint32Array;
  termIds: Uint32Array;
  termLens: Uint8Array;
  /** Scratch counters, one per term. */
  counts: Uint8Array;
}

export const EMPTY_SEGMENT: Segment = { terms: [], starts: new Uint32Array(1), docStarts: new Uint32Array(1), docs: new Uint8Array(0), weights: new Uint8Array(0) };


/** Gap-encodes per-term ascending doc lists (term i: docs[starts[i] .. starts[i + 1])). */
function encodeDocs(starts: Uint32Array, docs: Uint32Array): { docStarts: Uint32Array; docs: Uint8Array } {
  const terms = starts.length - 1;
  const docStarts = new Uint32Array(terms + 1);
  for (let t = 0; t < terms; t++) docStarts[t + 1] = docStarts[t]! + gapsSize(docs, starts[t]!, starts[t + 1]!);
  const out = new Uint8Array(docStarts[terms]!);
  for (let t = 0; t < terms; t++) writeGaps(out, docStarts[t]!, docs, starts[t]!, starts[t + 1]!);
  return { docStarts, docs: out };
}

/** Merges segments whose docs are in ascending order segment after segment, dropping and renumbering docs via `remap` (-1 = dead). */
export function mergeMany(segs: Segment[], remap: Int32Array): Segment {
  const parts = segs.filter((x) => x.terms.length > 0);
  // Renumbered gaps never grow, and a segment's first gap is an absolute doc number: input bytes bound the output.
  let cap = 0;
  let capBytes = 0;
  for (const x of parts) {
    cap += x.weights.length;
    capBytes += x.docs.length;
  }
  const docs = new Uint8Array(capBytes);
  const weights = new Uint8Array(cap);
  const terms: string[] = [];
  const startsArr: number[] = [0];
  const docStartsArr: number[] = [0];
  let at = 0;
  const pos = new Uint32Array(parts.length);
  const termAt = (i: number) => parts[i]!.terms[pos[i]!]!;
  const worse = (a: number, b: number) => {
    const ta = termAt(a);
    const tb = termAt(b);
    return ta < tb || (ta === tb && a < b);
  };
  const heap: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    heap.push(i);
    siftUp(heap, heap.length - 1, worse);
  }
  let n = 0;
  const cur = { pos: 0 };
  while (heap.length) {
    const term = termAt(heap[0]!);
    const before = n;
    let prev = 0;
    // Pops come in (term, segment) order: a term's postings are copied segment after segment, docs stay ascending.
    while (heap.length && termAt(heap[0]!) === term) {
      const i = heap[0]!;
      const x = parts[i]!;
      const ti = pos[i]!;
      cur.pos = x.docStarts[ti]!;
      let old = 0;
      for (let p = x.starts[ti]!, e = x.starts[ti + 1]!; p < e; p++) {
        old += readVarint(x.docs, cur);
        const d = remap[old]!;
        if (d < 0) continue;
        at = writeVarint(docs, at, d - prev);
        prev = d;
        weights[n] = x.weights[p]!;
        n++;
      }
      pos[i] = ti + 1;
      if (ti + 1 < x.terms.length) {
        siftDown(heap, 0, worse);
      } else {
        const last = heap.pop()!;
        if (heap.length) {
          heap[0] = last;
          siftDown(heap, 0, worse);
        }
      }
    }
    if (n > before) {
      terms.push(term);
      startsArr.push(n);
      docStartsArr.push(at);
    }
  }
  return {
    terms,
    starts: Uint32Array.from(startsArr),
    docStarts: Uint32Array.from(docStartsArr),
    // Views, not copies: renumbered gaps are a little shorter, and copying 20 MB at 100k papers to save 1 would be a bad trade.
    docs: docs.subarray(0, at),
    weights: weights.subarray(0, n),
  };
}


/**
 * A segment in the making: analyzed docs are appended (in ascending doc-number order) straight into flat postings.
 * A bulk load keeps thousands of docs here before the segment is built; as per-doc maps they outlived the young
 * generation and filled the old one with garbage.
 */
export class SegmentBuilder {
  private termIds = new Map<string, number>();
  private termList: string[] = [];
  // Kept from one segment to the next (see `reset`): a bulk load fills twenty of them at 100k papers.
  private pTerm = new Uint32Array(1 << 14);
  private pDoc = new Uint32Array(1 << 14);
  private pW = new Uint8Array(1 << 14);
  private sorted = new Uint32Array(0);
  private total = 0;
  docs = 0;

  add(doc: number, terms: Analyzed): void {
    const need = this.total + terms.size;
    if (this.pTerm.length < need) {
      const old = [this.pTerm, this.pDoc, this.pW];
      this.pTerm = grow(this.pTerm, need);
      this.pDoc = grow(this.pDoc, need);
      this.pW = grow(this.pW, need);
      release(...old);
    }
    const { termIds, termList, pTerm, pDoc, pW } = this;
    let k = this.total;
    for (const [t, w] of terms) {
      let id = termIds.get(t);
      if (id === undefined) {
        id = termList.length;
        const term = ownString(t);
        termIds.set(term, id);
        termList.push(term);
      }
      pTerm[k] = id;
      pDoc[k] = doc;
      pW[k] = quantize(w);
      k++;
    }
    this.total = k;
    this.docs++;
  }

  build(): Segment {
    const { termList, pTerm, pDoc, pW, total } = this;
    const order = termList.map((_, i) => i).sort((a, b) => cmp(termList[a]!, termList[b]!));
    const rank = new Uint32Array(termList.length);
    order.forEach((id, r) => (rank[id] = r));
    const starts = new Uint32Array(termList.length + 1);
    for (let i = 0; i < total; i++) starts[rank[pTerm[i]!]! + 1]!++;
    for (let i = 0; i < termList.length; i++) starts[i + 1]! += starts[i]!;
    const fill = starts.slice(0, termList.length);
    if (this.sorted.length < total) {
      release(this.sorted);
      this.sorted = new Uint32Array(this.pTerm.length);
    }
    const docs = this.sorted.subarray(0, total);
    const weights = new Uint8Array(total);
    // Stable counting sort: docs stay ascending within each term.
    for (let i = 0; i < total; i++) {
      const r = rank[pTerm[i]!]!;
      const at = fill[r]!++;
      docs[at] = pDoc[i]!;
      weights[at] = pW[i]!;
    }
    return { terms: order.map((id) => termList[id]!), starts, ...encodeDocs(starts, docs), weights };
  }

  /** Empties the builder for the next segment, keeping its buffers. */
  reset(): void {
    this.termIds = new Map();
    this.termList = [];
    this.total = 0;
    this.docs = 0;
  }

  /** Frees the buffers kept for the next segment (some 13 MB at 5,000 docs). */
  dispose(): void {
    release(this.pTerm, this.pDoc, this.pW, this.sorted);
    this.reset();
  }
}

/**
 * `s` in a string of its own. V8 cuts a match of 13 characters or more out of its text as a slice that keeps the
 * whole text alive: a dictionary of such words kept ~4,000 abstracts (4 MB) at 100k papers.
 */
function ownString(s: string): string {
  return s.length >= 13 ? (' ' + s).slice(1) : s;
}

/** Builds a segment from analyzed docs given in ascending doc-number order. */
export function buildSegment(items: Array<{ doc: number; terms: Analyzed }>): Segment {
  const builder = new SegmentBuilder();
  for (const it of items) builder.add(it.doc, it.terms);
  const segment = builder.build();
  builder.dispose();
  return segment;
}

/** Frees a segment's arrays: for segments no one else holds (the bulk segments, a merge's own inputs). */
export function releaseSegment(seg: Segment): void {
  if (seg === EMPTY_SEGMENT) return;
  release(seg.starts, seg.docStarts, seg.docs, seg.weights, seg.grams?.starts, seg.grams?.termIds, seg.grams?.termLens, seg.grams?.counts);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index i with terms[i] >= key. */
export function lowerBound(terms: string[], key: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls visit(doc, posting index) for each posting of term ti, docs ascending; stops when visit returns false. */
export function eachPosting(seg: Segment, ti: number, visit: (doc: number, p: number) => boolean | void): void {
  const bytes = seg.docs;
  const cur = { pos: seg.docStarts[ti]! };
  let d = 0;
  for (let p = seg.starts[ti]!, e = seg.starts[ti + 1]!; p < e; p++) {
    d += readVarint(bytes, cur);
    if (visit(d, p) === false) return;
  }
}

export function postingCount(seg: Segment, ti: number): number {
  return seg.starts[ti + 1]! - seg.starts[ti]!;
}
