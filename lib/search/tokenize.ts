/**
 * Search-side text analysis, shared by the index (documents and queries) and by `highlight`,
 * so a word is highlighted exactly when the index would have matched it.
 *
 * Folding: NFKD + combining marks removed + lower case (like `normalizeTitle`), plus the few
 * Latin letters NFKD does not decompose (ł, ø, æ, ß, …), so "Łukasz" is found by "lukasz".
 */

const FOLD: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ı: 'i', ð: 'd', þ: 'th' };
const FOLD_RE = /[łøæœßđıðþ]/g;
const WORD_RE = /[\p{L}\p{N}]+/gu;

const NON_ASCII = /[^\x00-\x7f]/;

export function foldText(text: string): string {
  // ASCII has nothing to decompose or fold.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(FOLD_RE, (c) => FOLD[c] ?? c);
}

/** Folded word tokens (letters and digits), in order, duplicates kept. */
export function tokenize(text: string): string[] {
  return foldText(text).match(WORD_RE) ?? [];
}

/**
 * English function words that carry no search signal. Leaving them out of the index keeps
 * postings small and stops "th" from expanding to "the" (which is in every abstract).
 * A deliberately short list: words like "need", "all" or "new" are kept, they occur in titles.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'for', 'from', 'has', 'have', 'in', 'into',
  'is', 'it', 'its', 'of', 'on', 'or', 'than', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they',
  'this', 'those', 'to', 'was', 'we', 'were', 'which', 'while', 'with', 'our', 'us',
]);

/** Index/query terms: folded tokens without stop words. */
export function terms(text: string): string[] {
  return tokenize(text).filter((t) => !STOPWORDS.has(t));
}
