import { foldForSearch } from '../text/tokenize';

export interface HighlightPart {
  text: string;
  hit: boolean;
}

/** A word, possibly with combining marks (a decomposed "é" stays one word). */
const WORD_RE = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/**
 * Splits `text` into parts for the popup to render as text nodes (never HTML): a word is a hit
 * when its folded form (case- and accent-insensitive, as the index sees it) starts with one of
 * `matched` (terms from `SearchHit.matched`, or raw query words). No regular expression is built
 * from `matched`, so special characters in a query are inert. Concatenating the parts gives `text`.
 */
export function highlight(text: string, matched: string[]): HighlightPart[] {
  const needles = [...new Set(matched.flatMap((m) => foldForSearch(m).match(/[\p{L}\p{N}]+/gu) ?? []))];
  if (text === '') return [];
  if (needles.length === 0) return [{ text, hit: false }];
  const parts: HighlightPart[] = [];
  const push = (s: string, hit: boolean) => {
    if (s === '') return;
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += s;
    else parts.push({ text: s, hit });
  };
  let pos = 0;
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0];
    const start = m.index;
    const folded = foldForSearch(word).replace(/[^\p{L}\p{N}]+/gu, '');
    const hit = folded !== '' && needles.some((n) => folded.startsWith(n));
    if (!hit) continue;
    push(text.slice(pos, start), false);
    push(word, true);
    pos = start + word.length;
  }
  push(text.slice(pos), false);
  return parts;
}
