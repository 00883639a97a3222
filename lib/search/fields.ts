import { searchTerms } from '../text/tokenize';
import type { SearchDoc } from './types';

/**
 * Building the search index, document side: each field's terms and their BM25F weights, quantized to a byte at
 * index time (field boosts and length normalization folded in).
 */

export const enum Field {
  Title = 0,
  Abstract = 1,
  Authors = 2,
  Tags = 3,
}
export const FIELD_COUNT = 4;
/** Title first; a title hit (≥ ~3.5) beats a saturated abstract-only hit (≤ 2.2). */
const BOOST = [5, 1, 3, 2];
const B = [0.3, 0.75, 0.3, 0.3];
const K1 = 1.2;
/** Weights are stored as round(w × 10) in a byte; max representable 25.5. */
export const WEIGHT_SCALE = 10;

/** Analyzed document: term → BM25F weight (already scaled to a byte). */
export type Analyzed = Map<string, number>;

/** The four fields' index terms, in `Field` order. */
export function fieldTerms(doc: SearchDoc): string[][] {
  return [
    searchTerms(doc.title),
    searchTerms(doc.abstract),
    searchTerms(doc.authors.join(' ')),
    searchTerms(doc.tagLabels?.length ? doc.tags.join(' ') + ' ' + doc.tagLabels.join(' ') : doc.tags.join(' ')),
  ];
}

export function weigh(fields: string[][], avg: number[]): Analyzed {
  const out: Analyzed = new Map();
  const tf = new Map<string, number>();
  for (let f = 0; f < FIELD_COUNT; f++) {
    const toks = fields[f]!;
    if (toks.length === 0) continue;
    tf.clear();
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
    const norm = K1 * (1 - B[f]! + (B[f]! * toks.length) / Math.max(1, avg[f]!));
    for (const [t, n] of tf) {
      const w = (BOOST[f]! * (n * (K1 + 1))) / (n + norm);
      out.set(t, (out.get(t) ?? 0) + w);
    }
  }
  return out;
}

export function fieldLengths(doc: SearchDoc): number[] {
  return fieldTerms(doc).map((f) => f.length);
}

export function quantize(w: number): number {
  return Math.min(255, Math.max(1, Math.round(w * WEIGHT_SCALE)));
}
