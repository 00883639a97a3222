/**
 * Title normalization shared by the corpus builder, the database and page detection,
 * so that one paper met in a corpus capture (data/seeds), on arXiv and on Hugging Face gets one key.
 */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Collapses runs of whitespace (including newlines and NBSP) the way a browser renders text. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** cyrb53: a fast 53-bit string hash; collisions are negligible at 100k+ titles, unlike 32-bit hashes. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The stable paper key: the arXiv id (without version) when known, else a hash of the normalized title. */
export function paperIdFor(arxivId: string | null | undefined, title: string): string {
  if (arxivId) return arxivId;
  return 't:' + hash53(normalizeTitle(title)).toString(36);
}
