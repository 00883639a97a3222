import type { RelatedOptions } from '../../lib/related/rank';

/**
 * Blend weights fitted on the dev set by grid search, with the honest figure beside it: leave-one-query-out
 * cross-validation (for each query, the grid point best on the other queries is scored on it). Only a handful of
 * engine weights are searched, never anything per query.
 */
export interface GridFit<T> {
  /** The grid point best on all queries, and its mean nDCG@5. */
  best: T;
  fitted: number;
  /** Mean over queries of the held-out query's nDCG@5 under the point best on the rest. */
  cv: number;
  /** Per query: the held-out nDCG@5 and how many queries picked the fitted point. */
  cvPerQuery: number[];
  agreeing: number;
}

/** `scores[g][q]`: nDCG@5 of grid point g on query q. Ties go to the earlier grid point. */
export function leaveOneQueryOut<T>(points: readonly T[], scores: readonly (readonly number[])[]): GridFit<T> {
  const totals = scores.map((row) => row.reduce((s, x) => s + x, 0));
  const argmax = (score: (g: number) => number) => {
    let best = 0;
    for (let g = 1; g < points.length; g++) if (score(g) > score(best) + 1e-12) best = g;
    return best;
  };
  const best = argmax((g) => totals[g]!);
  const nq = scores[0]?.length ?? 0;
  const cvPerQuery: number[] = [];
  let agreeing = 0;
  for (let q = 0; q < nq; q++) {
    const g = argmax((h) => totals[h]! - scores[h]![q]!);
    if (g === best) agreeing++;
    cvPerQuery.push(scores[g]![q]!);
  }
  return {
    best: points[best]!,
    fitted: totals[best]! / Math.max(1, nq),
    cv: cvPerQuery.reduce((s, x) => s + x, 0) / Math.max(1, nq),
    cvPerQuery,
    agreeing,
  };
}

export function grid(axes: Record<string, readonly number[]>): Array<Partial<RelatedOptions>> {
  let points: Array<Record<string, number>> = [{}];
  for (const [key, values] of Object.entries(axes)) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return points as Array<Partial<RelatedOptions>>;
}
