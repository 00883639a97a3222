/**
 * For-you evaluation (`npm run eval`, for-you section): does the interest model put what a researcher would read
 * next at the top of a listing?
 *
 * Built on the dev judgments (data/relevance-dev/judgments.json: two judges grading, for each of 30 query papers,
 * every other paper of the bundled corpus). For each query with at least 6 judged papers, the reading list is the
 * query and its two best-judged papers; the listing is the query's other judged papers (gain: the judges' mean
 * grade) mixed with 25 unjudged corpus papers (seeded). Reported: nDCG@5 (gain 2^g − 1) and AUC (a judged paper
 * above an unjudged one; ties count half), for Margin's model, a centroid of the saved papers, and
 * arxiv-sanity-lite's per-user linear SVM over the same features, all in one run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { termCounts, Vocabulary, vectorize, dot, type SparseVector } from '../../lib/foryou/features';
import { InterestModel } from '../../lib/foryou/model';
import { trainSvm } from '../../lib/foryou/svm';
import { BundledCorpus } from '../../lib/schema';
import { normalizeTitle } from '../../lib/text/normalize';
import { mulberry32 } from '../../lib/util/random';

interface DevJudgments {
  queries: Array<{ id: string; title: string }>;
  judges: Record<string, Record<string, Array<[string, number]>>>;
  titles?: Record<string, string>;
}

const MIN_JUDGED = 6;
const UNJUDGED = 25;
const K = 5;

export interface ForYouResult {
  name: string;
  ndcg: number;
  auc: number;
}

function ndcgAt(ranked: string[], grades: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => (dcg += (2 ** (grades.get(id) ?? 0) - 1) / Math.log2(i + 2)));
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

function auc(scores: Map<string, number>, grades: Map<string, number>): number {
  const related = [...scores].filter(([id]) => (grades.get(id) ?? 0) > 0).map(([, s]) => s);
  const unrelated = [...scores].filter(([id]) => !((grades.get(id) ?? 0) > 0)).map(([, s]) => s);
  let wins = 0;
  for (const r of related) for (const u of unrelated) wins += r > u ? 1 : r === u ? 0.5 : 0;
  return related.length && unrelated.length ? wins / (related.length * unrelated.length) : 1;
}

export function evalForYou(root: string, log = console.log): ForYouResult[] {
  const papers = BundledCorpus.parse(JSON.parse(readFileSync(join(root, 'public/corpus.json'), 'utf8'))).papers;
  const judgments = JSON.parse(readFileSync(join(root, 'data/relevance-dev/judgments.json'), 'utf8')) as DevJudgments;
  const byNormTitle = new Map(papers.map((p) => [normalizeTitle(p.title), p.id]));
  const ids = new Set(papers.map((p) => p.id));
  const resolve = (key: string): string => {
    if (ids.has(key)) return key;
    const title = key.startsWith('title:') ? key.slice(6) : judgments.titles?.[key];
    const id = title ? byNormTitle.get(normalizeTitle(title)) : undefined;
    if (!id) throw new Error(`for-you eval: unknown paper ${key}`);
    return id;
  };

  const vocab = new Vocabulary();
  const counts = new Map(papers.map((p) => [p.id, termCounts(p)] as const));
  for (const c of counts.values()) vocab.add(c);
  const vectors = new Map<string, SparseVector>([...counts].map(([id, c]) => [id, vectorize(c, vocab)]));
  const byId = new Map(papers.map((p) => [p.id, p]));
  const rand = mulberry32(20261208);

  const systems: Array<{ name: string; ndcg: number; auc: number }> = [
    { name: 'Margin for-you model', ndcg: 0, auc: 0 },
    { name: 'centroid of saved papers', ndcg: 0, auc: 0 },
    { name: 'per-user linear SVM (arxiv-sanity-lite)', ndcg: 0, auc: 0 },
  ];
  let profiles = 0;
  for (const query of judgments.queries) {
    const qid = resolve(query.id);
    const grades = new Map<string, number>();
    const judges = Object.values(judgments.judges);
    for (const judge of judges) for (const [key, grade] of judge[query.id] ?? []) grades.set(resolve(key), (grades.get(resolve(key)) ?? 0) + grade / judges.length);
    grades.delete(qid);
    if (grades.size < MIN_JUDGED) continue;
    profiles++;
    const best = [...grades].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2).map(([id]) => id);
    const saved = [qid, ...best];
    for (const id of best) grades.delete(id);
    const pool = papers.filter((p) => !saved.includes(p.id) && !grades.has(p.id)).map((p) => p.id);
    const unjudged: string[] = [];
    while (unjudged.length < UNJUDGED && pool.length) unjudged.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]!);
    const listing = [...grades.keys(), ...unjudged];

    const model = new InterestModel();
    for (const id of saved) model.addPositive({ id, title: byId.get(id)!.title, vector: vectors.get(id)! });
    const centroid = centroidOf(saved.map((id) => vectors.get(id)!));
    const svm = trainSvm(papers.map((p) => ({ vector: vectors.get(p.id)!, positive: saved.includes(p.id) })));
    const scorers: Array<(v: SparseVector) => number> = [(v) => model.score(v).raw, (v) => dot(v, centroid), svm];
    scorers.forEach((score, s) => {
      const scores = new Map(listing.map((id) => [id, score(vectors.get(id)!)]));
      const ranked = [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
      systems[s]!.ndcg += ndcgAt(ranked, grades, K);
      systems[s]!.auc += auc(scores, grades);
    });
  }
  for (const s of systems) {
    s.ndcg /= profiles;
    s.auc /= profiles;
  }
  log(`\nFor you: ${profiles} reading lists (query + its two best-judged papers), each listing = its other judged papers + ${UNJUDGED} unjudged`);
  log(`${'system'.padEnd(42)}  nDCG@5  AUC`);
  log('-'.repeat(58));
  for (const s of systems) log(`${s.name.padEnd(42)}  ${s.ndcg.toFixed(3)}   ${s.auc.toFixed(3)}`);
  return systems;
}

function centroidOf(vectors: SparseVector[]): SparseVector {
  const sum = new Map<number, number>();
  for (const v of vectors) v.keys.forEach((k, i) => sum.set(k, (sum.get(k) ?? 0) + v.values[i]!));
  const entries = [...sum].sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(entries.reduce((s, [, x]) => s + x * x, 0)) || 1;
  return { keys: Uint32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1] / norm) };
}

