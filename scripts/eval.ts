/**
 * Offline evaluation of Margin's related papers and topic tagger (`npm run eval`).
 *
 * Prints, from one run:
 * 1. the independent dev set (data/relevance-dev, two blind judges): nDCG@5 and P@5 on the mean of both judges'
 *    grades and per judge, for the engine exactly as the panel gets it (MarginService over IndexedDB), its
 *    ablations, and the TF-IDF cosine and BM25 baselines; then per query;
 * 2. the team's own judgments (data/judgments.json) as a second reading;
 * 3. timings, unrelated queries, tag coverage and 20 seeded-random papers with their tags.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { BundledCorpus, type Paper } from '../lib/schema';
import { RelatedIndex, prepareRelated, type RelatedOptions } from '../lib/related/rank';
import { loadDevSet, loadOwnSet, type JudgmentSet } from './eval/judgments';
import { K, scoreSet } from './eval/metrics';
import { Bm25, Tfidf } from './eval/baselines';
import { panelLists } from './eval/panel';
import { atLeast, printPerQuery, printSetTable, type System } from './eval/table';
import { printFits } from './eval/fits';
import { printOffField, printTags, printTimings } from './eval/extras';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpusJson: unknown = JSON.parse(readFileSync(join(root, 'public/corpus.json'), 'utf8'));
const papers = BundledCorpus.parse(corpusJson).papers;
const byId = new Map(papers.map((p) => [p.id, p]));
const dev = loadDevSet(root, papers);
const own = loadOwnSet(root, papers);

// The panel's engine is built page by page in IndexedDB key order; the ablation index is built in that order too.
const inDbOrder = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
let t0 = performance.now();
const index = RelatedIndex.build(inDbOrder, {}, inDbOrder.map(prepareRelated));
const buildMs = performance.now() - t0;
const tfidf = new Tfidf(papers, 'sublinear');
const plainTfidf = new Tfidf(papers, 'plain');
const bm25 = new Bm25(papers);

const queryPapers = (set: JudgmentSet): Paper[] => set.queries.map((q) => byId.get(q.id)!);
const panel = await panelLists(corpusJson, [...queryPapers(dev), ...queryPapers(own)], K);

const ablations: Array<[string, Partial<RelatedOptions>]> = [
  ['engine without LSA', { semanticWeight: 0 }],
  ['engine without topic profile', { profileWeight: 0 }],
  ['engine without tags or profile', { topicWeight: 0, profileWeight: 0 }],
  ['engine lexical only (no floor)', { semanticWeight: 0, topicWeight: 0, profileWeight: 0, authorWeight: 0, recencyWeight: 0, floor: 0, minLexical: 0 }],
];

function systemsFor(set: JudgmentSet): { engine: System; tfidf: System; all: System[] } {
  const engine = { name: 'engine, as the panel shows it', short: 'engine', score: scoreSet(set, (id) => panel.get(id)!.ids) };
  const base = { name: 'TF-IDF cosine, sublinear tf (baseline)', short: 'TF-IDF sub', score: scoreSet(set, (id) => tfidf.related(byId.get(id)!, K)) };
  const plain = { name: 'TF-IDF cosine, raw tf (baseline)', short: 'TF-IDF raw', score: scoreSet(set, (id) => plainTfidf.related(byId.get(id)!, K)) };
  const bm = { name: 'BM25 (baseline)', short: 'BM25', score: scoreSet(set, (id) => bm25.related(byId.get(id)!, K)) };
  const direct = { name: 'engine, RelatedIndex direct', score: scoreSet(set, (id) => index.related(byId.get(id)!, K).map((h) => h.paperId)) };
  const abl = ablations.map(([name, o]) => ({ name, score: scoreSet(set, (id) => index.related(byId.get(id)!, K, o).map((h) => h.paperId)) }));
  return { engine, tfidf: base, all: [engine, direct, ...abl, base, plain, bm] };
}

const devSystems = systemsFor(dev);
console.log(`\nMargin related papers — ${papers.length} papers in the bundled corpus\n`);
console.log(`DEV SET: ${dev.name}, ${dev.queries.length} queries (data/relevance-dev/judgments.json)`);
console.log(`nDCG@5 on the mean of judges ${dev.judgeNames.join(' and ')} (gain 2^g − 1); P@5 counts papers whose mean grade is ≥ 1.\n`);
printSetTable(dev, devSystems.all, devSystems.tfidf);
const engineVsTfidf = atLeast(devSystems.engine.score, devSystems.tfidf.score);
console.log(`\nEngine ≥ TF-IDF on ${engineVsTfidf}/${dev.queries.length} dev queries.`);
printPerQuery(dev, devSystems.all.filter((s) => /panel|baseline/.test(s.name)));
printFits(dev, (id, o) => index.related(byId.get(id)!, K, o).map((h) => h.paperId), devSystems.engine.score.ndcg);

const ownSystems = systemsFor(own);
console.log(`\nOWN SET: ${own.name}, ${own.queries.length} queries (data/judgments.json) — written with the taxonomy, a second reading only\n`);
printSetTable(own, ownSystems.all, ownSystems.tfidf);

printTimings(papers, index, buildMs);
printOffField(index);
printTags(papers);
await import('./eval/foryou').then(({ evalForYou }) => evalForYou(root));
