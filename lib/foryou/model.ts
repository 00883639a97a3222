import { dot, type SparseVector } from './features';

/**
 * What the user reads, as a model: the saved papers (positives) and the papers marked "not interested"
 * (negatives), each a unit TF-IDF + topic vector against the corpus's document frequencies.
 *
 * An entry's closeness is mostly its similarity to the saved paper it is closest to (a reading list holds several
 * interests; a centroid blurs them into none), plus a smaller share of its mean similarity to its closest few (an
 * entry near several saves is a safer bet), less its similarity to the closest negative. Fitting is adding or
 * dropping one vector: a save costs microseconds, and an empty list costs nothing.
 */

export interface Example {
  id: string;
  title: string;
  vector: SparseVector;
}


export interface Closeness {
  /** In [0, 1], the same for the same entry on any page. */
  score: number;
  /** The raw similarity before squashing, for ranking and evaluation. */
  raw: number;
  /** Saved papers the entry is closest to, closest first (those worth naming in a reason). */
  close: Example[];
}

export interface ModelWeights {
  /** Share of the best single similarity (the rest is the mean of the best `support`). */
  maxShare: number;
  support: number;
  /** How much similarity to the closest negative takes away. */
  negativeWeight: number;
  /** Squash: raw `midpoint` maps to 0.5, `spread` sets the slope. */
  midpoint: number;
  spread: number;
}

export const DEFAULT_WEIGHTS: ModelWeights = { maxShare: 0.7, support: 3, negativeWeight: 0.6, midpoint: 0.12, spread: 0.04 };

/** A named paper's similarity must reach this share of the best one to be named in the reason too. */
const REASON_SHARE = 0.8;

export class InterestModel {
  private readonly positives = new Map<string, Example>();
  private readonly negatives = new Map<string, Example>();

  constructor(readonly weights: ModelWeights = DEFAULT_WEIGHTS) {}

  get empty(): boolean {
    return this.positives.size === 0;
  }

  get positiveIds(): string[] {
    return [...this.positives.keys()];
  }

  get negativeIds(): string[] {
    return [...this.negatives.keys()];
  }

  hasPositive(id: string): boolean {
    return this.positives.has(id);
  }

  hasNegative(id: string): boolean {
    return this.negatives.has(id);
  }

  addPositive(example: Example): void {
    this.positives.set(example.id, example);
  }

  removePositive(id: string): void {
    this.positives.delete(id);
  }

  addNegative(example: Example): void {
    this.negatives.set(example.id, example);
  }

  removeNegative(id: string): void {
    this.negatives.delete(id);
  }

  clear(): void {
    this.positives.clear();
    this.negatives.clear();
  }

  score(vector: SparseVector): Closeness {
    if (this.empty) return { score: 0, raw: 0, close: [] };
    const w = this.weights;
    const sims: Array<{ example: Example; sim: number }> = [];
    for (const example of this.positives.values()) sims.push({ example, sim: dot(vector, example.vector) });
    sims.sort((a, b) => b.sim - a.sim);
    const best = sims[0]!.sim;
    const top = sims.slice(0, w.support);
    let mean = 0;
    for (const s of top) mean += s.sim;
    mean /= w.support;
    let negative = 0;
    for (const example of this.negatives.values()) negative = Math.max(negative, dot(vector, example.vector));
    const raw = Math.max(0, w.maxShare * best + (1 - w.maxShare) * mean - w.negativeWeight * negative);
    const close = sims.filter((s) => s.sim > 0 && s.sim >= REASON_SHARE * best).slice(0, 2).map((s) => s.example);
    return { score: squash(raw, w), raw, close };
  }
}

function squash(raw: number, w: ModelWeights): number {
  if (raw <= 0) return 0;
  const s = 1 / (1 + Math.exp(-(raw - w.midpoint) / w.spread));
  return Math.round(s * 1000) / 1000;
}

/** "close to your saved *GaLore*, *LoQT*": the reason a mark shows. */
export function reasonFor(close: readonly Example[]): string {
  if (!close.length) return '';
  return `close to your saved ${close.map((e) => shortTitle(e.title)).join(', ')}`;
}

/** A title's head (before a colon, at most 60 characters): enough to recognise one's own save. */
export function shortTitle(title: string): string {
  const head = title.split(/:\s/)[0]!.trim();
  const text = head.length >= 4 ? head : title.trim();
  return text.length > 60 ? text.slice(0, 57).trimEnd() + '…' : text;
}
