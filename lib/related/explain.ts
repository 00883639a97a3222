import { readVarint } from '../util/varint';
import { nameable } from './nameable';
import type { RelatedHit } from './options';
import type { QueryVector } from './query';
import { TF_W, type RelatedStore } from './store';
import { idf } from './tfidf';

/** Why a paper is related: the shared terms (as the query wrote them), topics and authors, in one short line. */

/** sharedTerms ranks the strongest this-many shared terms. */
const SHARED_SCAN = 12;

/** A hit to explain: its doc, score, the lexical and semantic cosines, and the topics and authors it shares. */
export interface ScoredDoc {
  d: number;
  score: number;
  lex: number;
  sem: number;
  topics: string[];
  authors: string[];
}

/** The hits as the panel shows them, with their shared terms and reason line. */
export function explainHits(s: RelatedStore, qv: QueryVector, top: ScoredDoc[], maxDf: number, live: number): RelatedHit[] {
  const tfs = tfTable(s, qv, top.map((c) => c.d), maxDf);
  return top.map((c, h) => {
    const shared = sharedTerms(s, qv, tfs.subarray(h * qv.buckets.length, (h + 1) * qv.buckets.length), live);
    return {
      paperId: s.ids[c.d]!,
      score: Math.round(c.score * 10000) / 10000,
      reason: reasonLine(c.topics, shared, c.authors, c.lex, c.sem),
      sharedTerms: shared,
      sharedTopics: c.topics,
    };
  });
}

/**
 * Term frequencies of the query terms in each of `docs`: tf of term i in docs[h] at [h * terms + i].
 * Terms in more than `maxDf` papers (long lists, tiny weights) are looked up only for a doc that shares
 * fewer than `SHARED_SCAN` other terms, where they could still make the shown list.
 */
function tfTable(s: RelatedStore, qv: QueryVector, docs: number[], maxDf: number): Uint8Array {
  const nq = qv.buckets.length;
  const out = new Uint8Array(docs.length * nq);
  if (!docs.length) return out;
  // slot[d] = hit index + 1 for the hits, 0 elsewhere (a scratch array, cleared on the way out).
  if (s.slot.length < s.n) s.slot = new Int32Array(s.n);
  const slot = s.slot;
  let maxDoc = 0;
  docs.forEach((d, h) => {
    slot[d] = h + 1;
    if (d > maxDoc) maxDoc = d;
  });
  const post = s.post;
  const found = new Uint32Array(docs.length);
  const scan = (i: number) => {
    const b = qv.buckets[i]!;
    let d = 0;
    const end = s.termStart[b + 1]!;
    // A cursor of its own: one shared by the calls would live in the closure's context, not in registers.
    for (const cur = { pos: s.termStart[b]! }; cur.pos < end; ) {
      d += readVarint(post, cur);
      const tf = post[cur.pos++]!;
      if (d > maxDoc) break;
      const h = slot[d]!;
      if (h !== 0) {
        out[(h - 1) * nq + i] = tf;
        found[h - 1]!++;
      }
    }
    const list = s.delta.get(b);
    if (list) {
      for (let j = 0; j < list.length; j += 2) {
        const h = slot[list[j]!]!;
        if (h !== 0) {
          out[(h - 1) * nq + i] = list[j + 1]!;
          found[h - 1]!++;
        }
      }
    }
  };
  for (let i = 0; i < nq; i++) if (s.df[qv.buckets[i]!]! <= maxDf) scan(i);
  if (found.some((c) => c < SHARED_SCAN)) for (let i = 0; i < nq; i++) if (s.df[qv.buckets[i]!]! > maxDf) scan(i);
  for (const d of docs) slot[d] = 0;
  return out;
}

function sharedTerms(s: RelatedStore, qv: QueryVector, tfs: Uint8Array, live: number): string[] {
  const contrib: Array<{ b: number; w: number }> = [];
  for (let i = 0; i < qv.buckets.length; i++) {
    const b = qv.buckets[i]!;
    const tf = tfs[i]!;
    if (tf > 0) contrib.push({ b, w: qv.weights[i]! * TF_W[tf]! * idf(s.df[b]!, live) });
  }
  contrib.sort((a, b) => b.w - a.w || a.b - b.b);
  // The strongest terms, phrases preferred over the words they contain ("newton iterations", not "newton" too).
  const top = contrib.slice(0, SHARED_SCAN).map(({ b }) => ({ s: qv.surface.get(b) ?? '', phrase: qv.words.get(b) === 2 })).filter((t) => t.s);
  const phraseWords = new Set(top.filter((t) => t.phrase).flatMap((t) => t.s.toLowerCase().split(/[\s-]+/)));
  const out: string[] = [];
  const covered = new Set<string>();
  for (const t of top) {
    const words = t.s.toLowerCase().split(/[\s-]+/);
    if (!t.phrase && phraseWords.has(words[0]!)) continue;
    if (!nameable(t.s, words)) continue;
    if (words.every((w) => covered.has(w))) continue;
    out.push(t.s);
    for (const w of words) covered.add(w);
    if (out.length >= 5) break;
  }
  return out;
}

function reasonLine(topics: string[], terms: string[], authors: string[], lex: number, sem: number): string {
  const parts: string[] = [];
  if (authors.length) parts.push(`Shared authors: ${authors.slice(0, 2).join(', ')}`);
  if (topics.length) parts.push(`Same topic: ${topics.slice(0, 2).join(', ')}`);
  const shownTerms = terms.slice(0, topics.length || authors.length ? 3 : 4);
  if (shownTerms.length) parts.push(`${parts.length ? 'shared' : 'Shared terms'}: ${shownTerms.join(', ')}`);
  if (!parts.length || (sem > lex * 2 && terms.length < 2)) parts.push(parts.length ? 'similar wording overall' : 'Similar wording overall (latent topics)');
  return parts.join(' · ');
}
