import { DEFAULT_RANKING, type RelatedOptions } from '../../lib/related/rank';
import { grid, leaveOneQueryOut } from './fit';
import type { JudgmentSet } from './judgments';
import { scoreQuery } from './metrics';

type Ranker = (queryId: string, override: Partial<RelatedOptions>) => string[];

/**
 * The engine's weights that were fitted on the dev set, refitted here by grid search with the cross-validated figure
 * beside the fitted one. Only `profileWeight` was set from the dev set (the others predate it); the wider search is
 * printed to show what fitting more weights on 30 queries would buy: less, once cross-validated.
 */
const SEARCHES: Array<{ name: string; axes: Record<string, readonly number[]> }> = [
  { name: 'profileWeight (the shipped fit)', axes: { profileWeight: [0, 0.05, 0.1, 0.15, 0.2, 0.3] } },
  { name: 'profile, topic, LSA, author weights', axes: { profileWeight: [0, 0.05, 0.1, 0.15, 0.2], topicWeight: [0.02, 0.04, 0.06, 0.08], semanticWeight: [0, 0.1, 0.25], authorWeight: [0.02, 0.05] } },
];

export function printFits(set: JudgmentSet, rank: Ranker, shipped: number): void {
  console.log(`\nWeights fitted on the dev set, leave-one-query-out cross-validated (nDCG@5, mean of judges):`);
  for (const search of SEARCHES) {
    const points = grid(search.axes);
    const scores = points.map((o) => set.queries.map((q) => scoreQuery(q, rank(q.id, o)).ndcg));
    const fit = leaveOneQueryOut(points, scores);
    const best = Object.entries(fit.best).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${search.name.padEnd(38)} fitted ${fit.fitted.toFixed(3)}  CV ${fit.cv.toFixed(3)}  (${points.length} points; best: ${best}; ${fit.agreeing}/${set.queries.length} folds pick it)`);
  }
  const defaults = Object.keys(SEARCHES[0]!.axes).map((k) => `${k} ${DEFAULT_RANKING[k as keyof RelatedOptions]}`).join(', ');
  console.log(`  shipped defaults (${defaults}): ${shipped.toFixed(3)} — read the CV figure of the shipped fit as the honest one`);
}
