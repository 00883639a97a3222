import type { JudgmentSet } from './judgments';
import type { SetScore } from './metrics';

const pad = (s: string, n: number) => s.padEnd(n);
const f3 = (x: number) => x.toFixed(3);

export interface System {
  name: string;
  /** Column heading in the per-query table (10 characters at most). */
  short?: string;
  score: SetScore;
}

/** One line per system: mean-of-judges nDCG@5 / P@5, then each judge, then queries at or above the reference. */
export function printSetTable(set: JudgmentSet, systems: readonly System[], reference?: System): void {
  const judgeCols = set.judgeNames.length > 1 ? set.judgeNames.map((j) => `  nDCG ${j}  P@5 ${j}`).join('') : '';
  const refCol = reference ? `  ≥ ${reference.name.split(/[,:(]/)[0]!.trim()}` : '';
  console.log(`${pad('system', 40)}  nDCG@5  P@5  ${judgeCols}${refCol}`);
  console.log('-'.repeat(40 + 15 + judgeCols.length + refCol.length));
  for (const s of systems) {
    const judges = set.judgeNames.length > 1 ? s.score.byJudge.map((j) => `  ${f3(j.ndcg)}   ${f3(j.p)} `).join('') : '';
    const ref = reference ? `  ${atLeast(s.score, reference.score)}/${set.queries.length}` : '';
    console.log(`${pad(s.name, 40)}  ${f3(s.score.ndcg)}   ${f3(s.score.p)}${judges}${ref}`);
  }
}

/** Queries where `a` scores at least `b`'s nDCG@5 (ties count: both may be perfect or both zero). */
export function atLeast(a: SetScore, b: SetScore): number {
  return a.perQuery.filter((q, i) => q.ndcg >= b.perQuery[i]!.ndcg - 1e-9).length;
}

/** Per query nDCG@5 (mean of judges) for a few systems side by side, so a regression on one query shows. */
export function printPerQuery(set: JudgmentSet, systems: readonly System[]): void {
  console.log(`\nPer query, nDCG@5 on the mean of judges (${set.name}):`);
  console.log(`${pad('query', 62)}${systems.map((s) => pad((s.short ?? s.name).slice(0, 10), 11)).join('')}`);
  set.queries.forEach((q, i) => {
    const cols = systems.map((s) => pad(f3(s.score.perQuery[i]!.ndcg), 11)).join('');
    console.log(`${pad(`${q.id} ${q.title}`.slice(0, 60), 62)}${cols}`);
  });
}
