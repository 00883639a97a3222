import { describe, expect, it } from 'vitest';
import { ndcgAt, precisionAt, scoreQuery } from '../../scripts/eval/metrics';

describe('eval metrics (dev set scoring)', () => {
  const a = new Map([['x', 2], ['y', 1]]);
  const b = new Map([['x', 1], ['z', 1]]);
  const mean = new Map([['x', 1.5], ['y', 0.5], ['z', 0.5]]);

  it('nDCG@5 is 1 for the ideal order of the mean grades and lower for a worse one', () => {
    expect(ndcgAt(['x', 'y', 'z'], mean)).toBeCloseTo(1);
    expect(ndcgAt(['y', 'x'], mean)).toBeLessThan(1);
    expect(ndcgAt(['q', 'r'], mean)).toBe(0);
  });

  it('gain is 2^g − 1 on fractional grades', () => {
    const ideal = 2 ** 1.5 - 1 + (2 ** 0.5 - 1) / Math.log2(3) + (2 ** 0.5 - 1) / 2;
    expect(ndcgAt(['y'], mean)).toBeCloseTo((2 ** 0.5 - 1) / ideal);
  });

  it('P@5 counts mean grades ≥ 1 and a short list as misses', () => {
    expect(precisionAt(['x', 'y', 'z'], mean)).toBeCloseTo(1 / 5);
    expect(precisionAt(['x', 'y'], a)).toBeCloseTo(2 / 5);
  });

  it('scores each judge on their own grades', () => {
    const s = scoreQuery({ id: 'q', title: 'q', judges: [a, b], mean }, ['z', 'x']);
    expect(s.byJudge[0]!.ndcg).toBeLessThan(s.byJudge[1]!.ndcg);
    expect(s.byJudge[1]!.p).toBeCloseTo(2 / 5);
  });
});
