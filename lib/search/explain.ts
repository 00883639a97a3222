import type { Expansion } from './score';
import { eachPosting } from './segment';

/**
 * Which dictionary terms each hit contains, for `highlight`: one walk of every expansion's postings, up to the
 * last hit. `hits[h]` gets `matched[h]`, distinct terms in expansion order.
 */
export function matchedTerms(hits: ReadonlyArray<{ d: number }>, expansions: Expansion[]): string[][] {
  const slot = new Map<number, number>();
  let maxHit = -1;
  hits.forEach(({ d }, h) => {
    slot.set(d, h);
    if (d > maxHit) maxHit = d;
  });
  const has = new Uint8Array(hits.length * expansions.length);
  expansions.forEach((e, xi) =>
    eachPosting(e.seg, e.ti, (d) => {
      if (d > maxHit) return false;
      const h = slot.get(d);
      if (h !== undefined) has[h * expansions.length + xi] = 1;
    }),
  );
  return hits.map((_, h) => {
    const matched = new Set<string>();
    for (let xi = 0; xi < expansions.length; xi++) if (has[h * expansions.length + xi]) matched.add(expansions[xi]!.seg.terms[expansions[xi]!.ti]!);
    return [...matched];
  });
}
