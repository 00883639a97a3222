import { postingCount, type GramIndex, type Segment } from './segment';

/** Typo candidates: a trigram index over a segment's dictionary with a count filter, then a bounded OSA distance. */

const MAX_FUZZY_EXPANSIONS = 16;
const PAD_START = 1;
const PAD_END = 2;

/** Distinct padded trigram keys of a term (chars as UTF-16 code units, 3 × 16 bits in a safe integer). */
function gramKeys(term: string): number[] {
  const codes = [PAD_START, PAD_START];
  for (let i = 0; i < term.length; i++) codes.push(term.charCodeAt(i));
  codes.push(PAD_END, PAD_END);
  const out: number[] = [];
  for (let i = 0; i + 2 < codes.length; i++) {
    const key = codes[i]! * 4294967296 + codes[i + 1]! * 65536 + codes[i + 2]!;
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

const MIN_FUZZY_TERM = 3;

function buildGrams(seg: Segment): GramIndex {
  const counts = new Map<number, number>();
  const perTerm: number[][] = [];
  for (let t = 0; t < seg.terms.length; t++) {
    const term = seg.terms[t]!;
    const keys = term.length >= MIN_FUZZY_TERM ? gramKeys(term) : [];
    perTerm.push(keys);
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const ids = new Map<number, number>();
  const starts = new Uint32Array(counts.size + 1);
  let g = 0;
  for (const [k, c] of counts) {
    ids.set(k, g);
    starts[g + 1] = starts[g]! + c;
    g++;
  }
  const fill = starts.slice(0, counts.size);
  const termIds = new Uint32Array(starts[counts.size]!);
  const termLens = new Uint8Array(seg.terms.length);
  for (let t = 0; t < perTerm.length; t++) {
    termLens[t] = Math.min(255, seg.terms[t]!.length);
    for (const k of perTerm[t]!) termIds[fill[ids.get(k)!]!++] = t;
  }
  return { ids, starts, termIds, termLens, counts: new Uint8Array(seg.terms.length) };
}

const osaRows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal-string-alignment distance (a transposition counts 1), or max + 1 when it exceeds max. */
export function boundedOsa(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > osaRows[0]!.length) for (let i = 0; i < 3; i++) osaRows[i] = new Int32Array(lb + 1);
  let prev2 = osaRows[0]!;
  let prev = osaRows[1]!;
  let cur = osaRows[2]!;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb]!, max + 1);
}

/** Terms of `seg` within `edits` of `q` (excluding terms starting with `q`), closest and most frequent first. */
export function fuzzyCandidates(seg: Segment, q: string, edits: number): Array<{ ti: number; dist: number }> {
  if (seg.terms.length === 0) return [];
  const grams = (seg.grams ??= buildGrams(seg));
  const keys = gramKeys(q);
  // Each edit (incl. a transposition) destroys at most 4 of the query's distinct trigrams.
  const threshold = keys.length - 4 * edits;
  if (threshold < 1) return [];
  const { counts, termLens, termIds, starts } = grams;
  const touched: number[] = [];
  const found: number[] = [];
  const L = q.length;
  for (const k of keys) {
    const g = grams.ids.get(k);
    if (g === undefined) continue;
    for (let p = starts[g]!, e = starts[g + 1]!; p < e; p++) {
      const t = termIds[p]!;
      const len = termLens[t]!;
      if (len > L + edits || len + edits < L) continue;
      const c = counts[t]!;
      if (c === 0) touched.push(t);
      if (c < 255) counts[t] = c + 1;
      if (c + 1 === threshold) found.push(t);
    }
  }
  for (const t of touched) counts[t] = 0;
  const out: Array<{ ti: number; dist: number }> = [];
  for (const t of found) {
    const term = seg.terms[t]!;
    if (term.startsWith(q)) continue;
    const dist = boundedOsa(q, term, edits);
    if (dist >= 1 && dist <= edits) out.push({ ti: t, dist });
  }
  out.sort((x, y) => x.dist - y.dist || postingCount(seg, y.ti) - postingCount(seg, x.ti));
  return out.slice(0, MAX_FUZZY_EXPANSIONS);
}
