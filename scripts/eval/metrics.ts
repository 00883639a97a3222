import type { JudgedQuery, JudgmentSet } from './judgments';

export const K = 5;

/** nDCG@k with gain 2^g − 1 (g may be fractional: the mean of two judges). */
export function ndcgAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k = K): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    dcg += (2 ** (grades.get(id) ?? 0) - 1) / Math.log2(i + 2);
  });
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

/**
 * Share of the first k graded at least 1 ("related"); on the mean of two judges that is 2 + 0, 1 + 1 or better.
 * A short list counts its missing places as misses.
 */
export function precisionAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k = K): number {
  return ranked.slice(0, k).filter((id) => (grades.get(id) ?? 0) >= 1).length / k;
}

export interface QueryScore {
  ndcg: number;
  p: number;
  /** Per judge, in `JudgmentSet.judgeNames` order. */
  byJudge: Array<{ ndcg: number; p: number }>;
}

export function scoreQuery(q: JudgedQuery, ranked: readonly string[]): QueryScore {
  return {
    ndcg: ndcgAt(ranked, q.mean),
    p: precisionAt(ranked, q.mean),
    byJudge: q.judges.map((g) => ({ ndcg: ndcgAt(ranked, g), p: precisionAt(ranked, g) })),
  };
}

export interface SetScore {
  ndcg: number;
  p: number;
  byJudge: Array<{ ndcg: number; p: number }>;
  perQuery: QueryScore[];
  /** Queries that got an empty list. */
  empty: number;
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

export function aggregate(set: JudgmentSet, perQuery: QueryScore[], empty = 0): SetScore {
  return {
    ndcg: avg(perQuery.map((s) => s.ndcg)),
    p: avg(perQuery.map((s) => s.p)),
    byJudge: set.judgeNames.map((_, j) => ({ ndcg: avg(perQuery.map((s) => s.byJudge[j]!.ndcg)), p: avg(perQuery.map((s) => s.byJudge[j]!.p)) })),
    perQuery,
    empty,
  };
}

/** Scores a ranker (query id → ranked ids) on every query of a set. */
export function scoreSet(set: JudgmentSet, rank: (queryId: string) => readonly string[]): SetScore {
  let empty = 0;
  const perQuery = set.queries.map((q) => {
    const ranked = rank(q.id);
    if (!ranked.length) empty++;
    return scoreQuery(q, ranked);
  });
  return aggregate(set, perQuery, empty);
}
