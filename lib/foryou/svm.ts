import type { SparseVector } from './features';

/**
 * arxiv-sanity-lite's per-user model, for comparison: a linear SVM (squared hinge loss, L2, class-balanced,
 * C = 0.01 as there) trained with the user's papers as positives and every other corpus paper as a negative, solved
 * by dual coordinate descent as liblinear (scikit-learn's LinearSVC) does. Scores are decision values.
 */
export interface SvmOptions {
  c?: number;
  epochs?: number;
  tolerance?: number;
}

export function trainSvm(examples: ReadonlyArray<{ vector: SparseVector; positive: boolean }>, options: SvmOptions = {}): (vector: SparseVector) => number {
  const c = options.c ?? 0.01;
  const epochs = options.epochs ?? 200;
  const tolerance = options.tolerance ?? 1e-4;
  const n = examples.length;
  const positives = examples.filter((e) => e.positive).length;
  const negatives = n - positives;
  if (!positives || !negatives) return () => 0;
  let dim = 0;
  for (const e of examples) for (const k of e.vector.keys) dim = Math.max(dim, k + 1);
  const w = new Float64Array(dim);
  let bias = 0;
  const alpha = new Float64Array(n);
  // Class-balanced C (scikit-learn's class_weight='balanced'); the intercept is a constant feature of 1.
  const diag = examples.map((e) => 1 / (2 * c * (e.positive ? n / (2 * positives) : n / (2 * negatives))));
  const qii = examples.map((e, i) => {
    let s = 1;
    for (const v of e.vector.values) s += v * v;
    return s + diag[i]!;
  });
  for (let epoch = 0; epoch < epochs; epoch++) {
    let maxViolation = 0;
    for (let i = 0; i < n; i++) {
      const { vector, positive } = examples[i]!;
      const y = positive ? 1 : -1;
      let wx = bias;
      for (let j = 0; j < vector.keys.length; j++) wx += w[vector.keys[j]!]! * vector.values[j]!;
      const g = y * wx - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxViolation = Math.max(maxViolation, Math.abs(pg));
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qii[i]!, 0);
      const step = (alpha[i]! - old) * y;
      for (let j = 0; j < vector.keys.length; j++) w[vector.keys[j]!]! += step * vector.values[j]!;
      bias += step;
    }
    if (maxViolation < tolerance) break;
  }
  return (vector) => {
    let s = bias;
    for (let j = 0; j < vector.keys.length; j++) {
      const k = vector.keys[j]!;
      if (k < dim) s += w[k]! * vector.values[j]!;
    }
    return s;
  };
}
