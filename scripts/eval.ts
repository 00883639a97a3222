/**
 * Offline evaluation of Margin's topic tagger and related-papers engine (`npm run eval`).
 *
 * Reads public/corpus.json and data/judgments.json (hand-made relevance grades by meaning), prints:
 * - nDCG@5 / P@5 for the engine, its ablations and a plain TF-IDF cosine baseline;
 * - tag coverage and the distribution of tag counts;
 * - build and per-query timings, serialized size;
 * - 20 seeded-random papers with their tags, for a human to judge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { eng } from 'stopword';
import { BundledCorpus, type Paper } from '../lib/schema';
import { normalizeTitle } from '../lib/text/normalize';
import { tagPaper } from '../lib/topics/tagger';
import { RelatedIndex, type RelatedOptions } from '../lib/related/rank';
import { mulberry32 } from '../lib/util/random';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = BundledCorpus.parse(JSON.parse(readFileSync(join(root, 'public/corpus.json'), 'utf8')));
const papers = corpus.papers;
const byId = new Map(papers.map((p) => [p.id, p]));

interface Judgments {
  queries: Array<{ id: string; title: string; relevant: Array<{ id: string; grade: number }> }>;
}
const judgments = JSON.parse(readFileSync(join(root, 'data/judgments.json'), 'utf8')) as Judgments;
for (const q of judgments.queries) {
  if (!byId.has(q.id)) throw new Error(`judgments: unknown query ${q.id}`);
  for (const r of q.relevant) if (!byId.has(r.id)) throw new Error(`judgments: unknown paper ${r.id}`);
}

const K = 5;

// ---------- baseline: plain TF-IDF cosine (lower-cased words, English stop words, no stemming/bigrams/boosts) ----------
const STOP = new Set(eng);
function plainTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !STOP.has(w));
}
class PlainTfidf {
  private vecs: Array<Map<string, number>> = [];
  private df = new Map<string, number>();
  constructor(private docs: Paper[]) {
    const tfs = docs.map((p) => {
      const tf = new Map<string, number>();
      for (const w of plainTokens(p.title + ' ' + p.abstract)) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return tf;
    });
    this.vecs = tfs.map((tf) => this.weigh(tf));
  }
  private weigh(tf: Map<string, number>): Map<string, number> {
    const v = new Map<string, number>();
    let n = 0;
    for (const [w, c] of tf) {
      const x = c * Math.log(this.docs.length / (this.df.get(w) ?? 1));
      v.set(w, x);
      n += x * x;
    }
    n = Math.sqrt(n) || 1;
    for (const [w, x] of v) v.set(w, x / n);
    return v;
  }
  related(p: Paper, k: number): string[] {
    const tf = new Map<string, number>();
    for (const w of plainTokens(p.title + ' ' + p.abstract)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const q = this.weigh(tf);
    const scored: Array<[string, number]> = [];
    this.docs.forEach((d, i) => {
      if (d.id === p.id || normalizeTitle(d.title) === normalizeTitle(p.title)) return;
      let s = 0;
      for (const [w, x] of q) s += x * (this.vecs[i]!.get(w) ?? 0);
      scored.push([d.id, s]);
    });
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return scored.slice(0, k).map(([id]) => id);
  }
}

// ---------- metrics ----------
function ndcgAt(ranked: string[], grades: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const g = grades.get(id) ?? 0;
    dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}
function precisionAt(ranked: string[], grades: Map<string, number>, k: number): number {
  return ranked.slice(0, k).filter((id) => (grades.get(id) ?? 0) > 0).length / k;
}
function evaluate(run: (p: Paper) => string[]): { ndcg: number; p: number; empty: number } {
  let ndcg = 0;
  let prec = 0;
  let empty = 0;
  for (const q of judgments.queries) {
    const grades = new Map(q.relevant.map((r) => [r.id, r.grade]));
    const ranked = run(byId.get(q.id)!);
    if (ranked.length === 0) empty++;
    ndcg += ndcgAt(ranked, grades, K);
    prec += precisionAt(ranked, grades, K);
  }
  const n = judgments.queries.length;
  return { ndcg: ndcg / n, p: prec / n, empty };
}

const pad = (s: string, n: number) => s.padEnd(n);
const fmt = (x: number) => x.toFixed(3);


// ---------- build ----------
let t0 = performance.now();
const index = RelatedIndex.build(papers);
const buildMs = performance.now() - t0;
t0 = performance.now();
const baseline = new PlainTfidf(papers);
const baselineBuildMs = performance.now() - t0;

const systems: Array<{ name: string; run: (p: Paper) => string[] }> = [
  { name: 'baseline: plain TF-IDF cosine', run: (p) => baseline.related(p, K) },
];
const variants: Array<[string, Partial<RelatedOptions>]> = [
  ['engine (default)', {}],
  ['engine without LSA', { semanticWeight: 0 }],
  ['engine without topic overlap', { topicWeight: 0 }],
  ['engine without LSA, topics', { semanticWeight: 0, topicWeight: 0 }],
  ['engine lexical only (no floor)', { semanticWeight: 0, topicWeight: 0, authorWeight: 0, recencyWeight: 0, floor: 0, minLexical: 0 }],
  ['engine LSA only (no floor)', { lexicalWeight: 0, topicWeight: 0, authorWeight: 0, recencyWeight: 0, floor: -1, minLexical: 2, minSemantic: -1 }],
];
for (const [name, o] of variants) systems.push({ name, run: (p) => index.related(p, K, o).map((h) => h.paperId) });

console.log(`\nMargin related-papers evaluation — ${papers.length} papers, ${judgments.queries.length} judged queries, ${judgments.queries.reduce((s, q) => s + q.relevant.length, 0)} graded pairs\n`);
console.log(`${pad('system', 34)}  nDCG@5  P@5    empty`);
console.log('-'.repeat(58));
for (const s of systems) {
  const r = evaluate(s.run);
  console.log(`${pad(s.name, 34)}  ${fmt(r.ndcg)}   ${fmt(r.p)}  ${r.empty}`);
}

// ---------- timings ----------
t0 = performance.now();
let hitsTotal = 0;
for (const p of papers) hitsTotal += index.related(p, 10).length;
const perQuery = (performance.now() - t0) / papers.length;
t0 = performance.now();
for (const p of papers) baseline.related(p, 10);
const perQueryBaseline = (performance.now() - t0) / papers.length;
const ser = index.serialize();
const serBytes = [ser.titleKeys, ser.years, ser.topics, ser.topicConf, ser.authorStart, ser.authorKeys, ser.norms, ser.terms, ser.termCounts, ser.termBytes, ser.postings, ser.lsa?.termBuckets, ser.lsa?.termVecs, ser.lsa?.docVecs, ser.lsa?.docScale]
  .reduce((s, a) => s + (a?.byteLength ?? 0), 0) + JSON.stringify(ser.ids).length + JSON.stringify(ser.arxivIds).length;
t0 = performance.now();
const restored = RelatedIndex.deserialize(ser);
const loadMs = performance.now() - t0;
const same = papers.slice(0, 40).every((p) => JSON.stringify(restored.related(p, 10)) === JSON.stringify(index.related(p, 10)));
console.log(`\nTimings (${papers.length} papers)`);
console.log(`  build: engine ${buildMs.toFixed(0)} ms (tokenize, tag, index, LSA k=${ser.lsa?.k ?? 0}); baseline ${baselineBuildMs.toFixed(0)} ms`);
console.log(`  related(): engine ${perQuery.toFixed(2)} ms/query (k=10, avg ${(hitsTotal / papers.length).toFixed(1)} hits); baseline ${perQueryBaseline.toFixed(2)} ms/query`);
console.log(`  serialized ≈ ${(serBytes / 1024).toFixed(0)} KiB; deserialize ${loadMs.toFixed(1)} ms; identical results after round trip: ${same}`);

// ---------- floor: unrelated queries ----------
const offField = [
  { title: 'Lithium diffusion in layered oxide cathodes', abstract: 'We study lithium ion diffusion in layered transition metal oxide cathodes using density functional theory and kinetic Monte Carlo simulations. Activation barriers depend on the interlayer spacing and the oxidation state of the transition metal.' },
  { title: 'On the cohomology of moduli spaces of stable curves', abstract: 'We compute the rational cohomology of the moduli space of stable curves of genus two with marked points and prove that the tautological ring is generated by boundary classes.' },
  { title: 'Sourdough fermentation and bread crumb structure', abstract: 'We describe how the ratio of wild yeast to lactic acid bacteria in a sourdough starter changes the crumb structure, acidity and shelf life of rye and wheat breads baked at home.' },
];
console.log(`\nUnrelated queries (should get no suggestions, no tags):`);
for (const q of offField) console.log(`  ${pad(q.title, 52)} related: ${index.related(q, 10).length}  tags: ${tagPaper(q).length}`);

// ---------- tags ----------
const dist = [0, 0, 0, 0, 0];
const perTopic = new Map<string, number>();
for (const p of papers) {
  const tags = tagPaper(p);
  dist[tags.length]!++;
  for (const t of tags) perTopic.set(t.label, (perTopic.get(t.label) ?? 0) + 1);
}
const covered = papers.length - dist[0]!;
console.log(`\nTag coverage: ${covered}/${papers.length} papers (${((100 * covered) / papers.length).toFixed(1)}%) have ≥ 1 tag`);
console.log(`  tags per paper: ${dist.map((c, i) => `${i}: ${c}`).join('  ')}`);
console.log(`  topics used: ${perTopic.size}; most frequent: ${[...perTopic].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([l, c]) => `${l} (${c})`).join(', ')}`);
const untagged = papers.filter((p) => tagPaper(p).length === 0);
if (untagged.length) console.log(`  untagged: ${untagged.map((p) => p.title.slice(0, 60)).join(' | ')}`);

const rand = mulberry32(20240801);
const sample = new Set<number>();
while (sample.size < Math.min(20, papers.length)) sample.add(Math.floor(rand() * papers.length));
console.log(`\n20 random papers (seeded) with their tags — judge them:`);
for (const i of [...sample].sort((a, b) => a - b)) {
  const p = papers[i]!;
  const tags = tagPaper(p);
  console.log(`- ${p.title.slice(0, 100)}`);
  console.log(`    ${tags.length ? tags.map((t) => `${t.label} ${t.score.toFixed(2)} [${t.evidence.slice(0, 3).join(', ')}]`).join(' · ') : '(no tags)'}`);
}
