/**
 * Reference implementations, run in Node on the same papers (bundled corpus + the same synthetic file,
 * read with the product's streaming importer) and the same queries as the browser run:
 *  - search: MiniSearch (prefix on the last term as typed, fuzzy 0.2 on terms of 4+ characters, title/author boosts);
 *  - related: brute-force TF-IDF cosine (every document scored against the query paper, exact top-k).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import MiniSearch from 'minisearch';
import { eng } from 'stopword';
import { readPapers } from '../lib/import/snapshot';
import type { Paper } from '../lib/schema';
import type { SearchDoc } from '../lib/search/index';
import { searchDoc } from '../lib/service/engine';
import { summarize, type Summary } from './stats';

export async function loadBundled(path: string): Promise<Paper[]> {
  return (JSON.parse(readFileSync(path, 'utf8')) as { papers: Paper[] }).papers;
}

/** Bundled papers plus a synthetic snapshot read with the product's own streaming importer (bundled records win, as in `storeImportedBatch`). */
export async function loadCorpus(bundled: Paper[], syntheticPath: string | null): Promise<Paper[]> {
  const byId = new Map<string, Paper>();
  if (syntheticPath) {
    const stream = Readable.toWeb(createReadStream(syntheticPath)) as unknown as ReadableStream<Uint8Array>;
    for await (const batch of readPapers(stream, { batchSize: 5000 })) for (const paper of batch.papers) byId.set(paper.id, paper);
  }
  for (const paper of bundled) byId.set(paper.id, paper);
  return [...byId.values()];
}

export interface Timed<T> {
  value: T;
  ms: number;
}
function timed<T>(fn: () => T): Timed<T> {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

// ---- MiniSearch reference ------------------------------------------------------------------------

interface MiniDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  tags: string;
}

export function buildMiniSearch(docs: SearchDoc[]): Timed<MiniSearch<MiniDoc>> {
  return timed(() => {
    const mini = new MiniSearch<MiniDoc>({
      fields: ['title', 'abstract', 'authors', 'tags'],
      storeFields: [],
      searchOptions: {
        boost: { title: 5, authors: 3, tags: 2 },
        // As typed: the last term is a prefix; typo tolerance on longer terms (Margin allows edits from 4 characters too).
        prefix: (_term, i, terms) => i === terms.length - 1,
        fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      },
    });
    mini.addAll(docs.map((d) => ({ id: d.id, title: d.title, abstract: d.abstract, authors: d.authors.join(' '), tags: (d.tagLabels ?? []).join(' ') })));
    return mini;
  });
}

// ---- Brute-force TF-IDF cosine reference ---------------------------------------------------------

const STOP = new Set(eng);
function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = match[0];
    if (w.length > 1 && !STOP.has(w)) out.push(w);
  }
  return out;
}

/** Plain TF-IDF (1 + log tf, log N/df, title counted twice), L2-normalized, in CSR arrays; queries score every document. */
export class BruteTfidf {
  private constructor(
    readonly ids: string[],
    private readonly start: Uint32Array,
    private readonly terms: Uint32Array,
    private readonly weights: Float32Array,
    private readonly vocabSize: number,
    private readonly rowOf: Map<string, number>,
  ) {}

  static build(papers: Paper[]): Timed<BruteTfidf> {
    return timed(() => {
      const vocab = new Map<string, number>();
      const bags: Array<Map<number, number>> = [];
      const df: number[] = [];
      for (const p of papers) {
        const bag = new Map<number, number>();
        for (const w of [...words(p.title), ...words(p.title), ...words(p.abstract)]) {
          let t = vocab.get(w);
          if (t === undefined) {
            t = vocab.size;
            vocab.set(w, t);
            df.push(0);
          }
          bag.set(t, (bag.get(t) ?? 0) + 1);
        }
        for (const t of bag.keys()) df[t]!++;
        bags.push(bag);
      }
      const n = papers.length;
      const total = bags.reduce((s, b) => s + b.size, 0);
      const start = new Uint32Array(n + 1);
      const terms = new Uint32Array(total);
      const weights = new Float32Array(total);
      let at = 0;
      bags.forEach((bag, row) => {
        start[row] = at;
        let norm = 0;
        const from = at;
        for (const [t, tf] of bag) {
          const w = (1 + Math.log(tf)) * Math.log(n / df[t]!);
          terms[at] = t;
          weights[at] = w;
          norm += w * w;
          at++;
        }
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = from; j < at; j++) weights[j]! *= inv;
      });
      start[n] = at;
      return new BruteTfidf(
        papers.map((p) => p.id),
        start,
        terms,
        weights,
        vocab.size,
        new Map(papers.map((p, i) => [p.id, i])),
      );
    });
  }

  /** Exact top-k cosine neighbours of a corpus paper, scanning every document. */
  related(id: string, k: number): string[] {
    const row = this.rowOf.get(id);
    if (row === undefined) return [];
    const q = new Float32Array(this.vocabSize);
    for (let j = this.start[row]!; j < this.start[row + 1]!; j++) q[this.terms[j]!] = this.weights[j]!;
    const topScore: number[] = [];
    const topRow: number[] = [];
    const n = this.ids.length;
    for (let d = 0; d < n; d++) {
      if (d === row) continue;
      let s = 0;
      for (let j = this.start[d]!, end = this.start[d + 1]!; j < end; j++) s += this.weights[j]! * q[this.terms[j]!]!;
      if (s <= 0 || (topScore.length === k && s <= topScore[k - 1]!)) continue;
      let i = topScore.length < k ? topScore.length : k - 1;
      while (i > 0 && topScore[i - 1]! < s) {
        if (i < k) {
          topScore[i] = topScore[i - 1]!;
          topRow[i] = topRow[i - 1]!;
        }
        i--;
      }
      topScore[i] = s;
      topRow[i] = d;
    }
    return topRow.map((r) => this.ids[r]!);
  }
}

// ---- One corpus size --------------------------------------------------------------------------

export interface NodeSizeResult {
  papers: number;
  build: { miniSearchMs: number; tfidfMs: number };
  search: { miniSearch: Summary; keystrokes: number; cutShort: boolean };
  related: { tfidf: Summary; queries: number; overlapAt5: number | null };
}

/**
 * References on one corpus: MiniSearch over every keystroke, brute-force TF-IDF for every query paper
 * (one untimed warm-up query each). `marginHits` (query id → Margin's top-5 from the browser run) gives
 * the top-5 agreement with the exact cosine neighbours.
 */
export function runNodeSize(
  papers: Paper[],
  prefixes: string[],
  relatedIds: string[],
  marginHits: Map<string, string[]> | null,
  log: (msg: string) => void,
  /** Time allowed for each query loop; a slow reference is cut short (fewer samples) rather than stall the run. */
  loopBudgetMs = 30_000,
): NodeSizeResult {
  log(`  node: building MiniSearch over ${papers.length.toLocaleString('en')} papers`);
  const docs = papers.map((p) => searchDoc(p));
  const mini = buildMiniSearch(docs);
  log(`  node: building brute-force TF-IDF`);
  const tfidf = BruteTfidf.build(papers);
  const known = new Set(papers.map((p) => p.id));

  // Warm-up: the first query of each kind (JIT); then every keystroke once, within the budget.
  mini.value.search(prefixes[prefixes.length - 1] ?? 'a');
  const miniSearch: number[] = [];
  let deadline = performance.now() + loopBudgetMs;
  // Strided order: if the budget cuts the loop short, the keystrokes timed still span every query and length.
  const stride = 7;
  const order = Array.from({ length: stride }, (_, k) => prefixes.filter((_, i) => i % stride === k)).flat();
  for (const prefix of order) {
    if (performance.now() > deadline) break;
    const t = performance.now();
    mini.value.search(prefix).slice(0, 50);
    miniSearch.push(performance.now() - t);
  }
  if (miniSearch.length < prefixes.length) log(`  node: MiniSearch cut short after ${miniSearch.length} of ${prefixes.length} keystrokes`);

  const tfidfRelated: number[] = [];
  let overlap = 0;
  let compared = 0;
  const first = relatedIds.find((id) => known.has(id));
  if (first) tfidf.value.related(first, 5);
  deadline = performance.now() + loopBudgetMs;
  for (const id of relatedIds) {
    if (!known.has(id) || performance.now() > deadline) continue;
    const t = performance.now();
    const ref = tfidf.value.related(id, 5);
    tfidfRelated.push(performance.now() - t);
    const mine = marginHits?.get(id);
    if (mine) {
      const refSet = new Set(ref);
      overlap += mine.filter((h) => refSet.has(h)).length / 5;
      compared++;
    }
  }
  return {
    papers: papers.length,
    build: { miniSearchMs: mini.ms, tfidfMs: tfidf.ms },
    search: { miniSearch: summarize(miniSearch), keystrokes: miniSearch.length, cutShort: miniSearch.length < prefixes.length },
    related: { tfidf: summarize(tfidfRelated), queries: tfidfRelated.length, overlapAt5: compared ? overlap / compared : null },
  };
}
