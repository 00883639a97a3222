import { stemmer } from 'stemmer';
import { ACRONYM_EXPANSIONS, CONTENT_STOPWORDS, ENGLISH_STOPWORDS, KEEP, SEARCH_STOPWORDS, SOFT_STOPWORDS, STEM_OVERRIDES } from './lexicon';

export { ACRONYM_EXPANSIONS, isStopword, SEARCH_STOPWORDS } from './lexicon';

/**
 * Margin's one tokenizer, in named variants. Each name has one meaning:
 *
 * Content variants (topic tagger, related-papers index: a word means the same thing to both):
 * - `tokens(text)`: the token stream, stop words flagged, with clause numbers and offsets;
 * - `stemmedTerms(text)`: stemmed content words (no stop words, no bigrams);
 * - `analyze(text)` / `analyzeTokens(tokens, text)`: the bag of terms: unigrams, in-clause bigrams, acronyms.
 *
 * Their rules: lower-cased, accent-folded (`stripAccents`), unicode-aware (letters and digits of any script);
 * - model and dataset names with digits stay whole ("gpt-4", "llama-3", "3d", "fp8", "wav2vec2.0")
 *   and also yield their word part ("gpt", "llama"), so "LLaMA-2" still meets "LLaMA";
 * - plain hyphenated words split ("mixture-of-experts" → mixture, of, experts);
 * - acronyms (two or more capitals: "MoE", "LLMs", "GNNs", "NeRF") are kept unstemmed and singular;
 * - Porter stemming (wooorm's `stemmer`) for ordinary words; English stop words (`stopword`)
 *   plus Margin's own list of words every abstract uses ("propose", "results", "novel", ...);
 * - bigrams of adjacent content words inside one clause (not across , . ; : or brackets), so
 *   "mixture of experts" gives the phrase term "mixtur expert";
 * - known expansions ("large language models", "retrieval-augmented generation") also emit their
 *   acronym ("llm", "rag"), so the spelled-out and the short form meet.
 *
 * Search variants (search index, its queries and the popup's highlighting: a word is highlighted exactly when the
 * index would have matched it), unstemmed so that prefixes and typos work on words as written:
 * - `foldForSearch(text)`: NFKD, combining marks removed, lower case, plus the Latin letters NFKD leaves whole;
 * - `searchWords(text)`: folded words (letters and digits), in order, duplicates kept;
 * - `searchTerms(text)`: `searchWords` without `SEARCH_STOPWORDS`.
 */

/**
 * One token of a text. A paper has a few hundred, and a bulk build makes tens of millions: each keeps only its
 * position and a reference to its word form's analysis (shared by every occurrence, see `wordCache`); the rest are
 * getters (at 100k papers: tagging 9% faster, the build's peak heap 10% lower than with ten-field objects).
 */
export class Token {
  constructor(
    private readonly part: WordPart,
    /** Clause index: bigrams never cross clause boundaries. */
    readonly clause: number,
    /** Character offset of the surface in the text. */
    readonly start: number,
  ) {}

  /** The normalized form used for matching: a Porter stem, or an acronym/model name as written (lower-cased). */
  get term(): string {
    return this.part.term;
  }
  /** The word as it appears in the text (original case), for evidence and display. */
  get surface(): string {
    return this.part.surface;
  }
  /** Written with two or more capitals (MoE, LLMs, GNN) or a model name with digits (gpt-4). */
  get acronym(): boolean {
    return this.part.acronym;
  }
  /** A stop word: kept in the token stream so surfaces like "mixture of experts" can be rebuilt, never a term. */
  get stop(): boolean {
    return this.part.stop;
  }
  /** A function word (English stop-word list): the stricter sense, used by topic phrases ("first order methods"). */
  get fn(): boolean {
    return this.part.fn;
  }
  /** A soft stop word ("large", "low", "high", "state", "new"): content for phrases, never a bag-of-words term. */
  get soft(): boolean {
    return this.part.soft;
  }
  /** Emitted in addition to the preceding token (the word part of "llama-3"); not part of bigrams. */
  get extra(): boolean {
    return this.part.extra;
  }
  get end(): number {
    return this.start + this.part.re - this.part.rs;
  }
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?(?:[-.][\p{L}\p{N}]+)*/gu;
const CLAUSE_BREAK_RE = /[,;:!?()[\]{}"“”|/]|\.(?:\s|$)/u;
const HAS_DIGIT = /\p{N}/u;
const ONLY_NUMERIC = /^[\p{N}.,-]+$/u;
const HAS_LETTER = /\p{L}/u;


const stemCache = new Map<string, string>();
/** Porter stem of a lower-case word, cached (the vocabulary of a corpus is small next to its word count). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = Object.hasOwn(STEM_OVERRIDES, word) ? STEM_OVERRIDES[word]! : stemmer(word);
    if (stemCache.size > 60_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

const NON_ASCII = /[^\x00-\x7f]/;
/** Accents and other combining marks removed (NFKD); case kept. */
export function stripAccents(text: string): string {
  // ASCII text is its own NFKD form: skip the normalization pass.
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Two or more capitals: MoE, LLMs, GNNs, NeRF, ViT, BERT, DDIM, PyTorch (a name: never stemmed). */
function isAcronymShape(raw: string): boolean {
  let caps = 0;
  for (const ch of raw) if (ch >= 'A' && ch <= 'Z' && ++caps >= 2) return true;
  return false;
}

function normalizeWord(raw: string): { term: string; acronym: boolean } {
  const lower = raw.toLowerCase();
  if (HAS_DIGIT.test(raw)) return { term: lower, acronym: true };
  if (isAcronymShape(raw)) {
    // Plural of an acronym: LLMs → llm, GNNs → gnn, MoEs → moe.
    const singular = /[A-Z]s$/.test(raw) && raw.length > 2 ? lower.slice(0, -1) : lower;
    return { term: singular, acronym: true };
  }
  return { term: stem(lower), acronym: false };
}

/** A token of a word, as cached per written word: offsets relative to the word's start. */
interface WordPart {
  term: string;
  surface: string;
  acronym: boolean;
  stop: boolean;
  fn: boolean;
  extra: boolean;
  soft: boolean;
  rs: number;
  re: number;
}

const NO_PARTS: readonly WordPart[] = [];
/** Written word → its tokens: a corpus repeats a small vocabulary, so each word form is analyzed once. */
const wordCache = new Map<string, readonly WordPart[]>();
const WORD_CACHE_MAX = 60_000;

function wordParts(m0: string): readonly WordPart[] {
  let raw = m0;
  // Trailing dot that ends a sentence is not part of the word ("networks." / "e.g.").
  if (raw.endsWith('.')) raw = raw.slice(0, -1);
  if (ONLY_NUMERIC.test(raw) || !HAS_LETTER.test(raw)) return NO_PARTS;
  raw = raw.replace(/['’]s$/u, '');
  const out: WordPart[] = [];
  const len = m0.length;
  const push = (word: string, rs: number, re: number, extra: boolean) => {
    const digit = HAS_DIGIT.test(word);
    if (word.length < 2 && !digit) return;
    const lower = word.toLowerCase();
    const stop = !digit && CONTENT_STOPWORDS.has(lower);
    const fn = stop && ENGLISH_STOPWORDS.has(lower) && !KEEP.has(lower);
    const { term, acronym } = normalizeWord(word);
    out.push({ term, surface: word, acronym, stop, fn, extra, soft: SOFT_STOPWORDS.has(lower), rs, re });
  };
  if (/^(?:pre|fine)-(?:train|tun)/i.test(raw)) {
    // pre-training / fine-tuned: one word, as "pretraining" / "finetuned" are.
    push(raw.replace('-', ''), 0, len, false);
  } else if (/[-.]/.test(raw)) {
    if (HAS_DIGIT.test(raw)) {
      // A name with digits: keep whole (gpt-4, llama-3, 4-bit), plus its word parts for recall.
      push(raw, 0, len, false);
      for (const part of raw.split(/[-.]/)) {
        if (part.length >= 2 && !HAS_DIGIT.test(part) && !CONTENT_STOPWORDS.has(part.toLowerCase())) push(part, 0, len, true);
      }
    } else {
      // Plain hyphenated/dotted words split: mixture-of-experts, memory-efficient, e.g.
      let offset = 0;
      for (const part of raw.split(/[-.]/)) {
        push(part, offset, offset + part.length, false);
        offset += part.length + 1;
      }
    }
  } else {
    push(raw, 0, len, false);
  }
  return out.length ? out : NO_PARTS;
}

/** Drops the memo tables (word forms, stems): after a bulk build they would only hold memory. */
export function clearTokenCaches(): void {
  wordCache.clear();
  stemCache.clear();
}

/** Whether the text between two words ends a clause: , ; : ! ? brackets quotes | / or a sentence-ending dot. */
function isClauseBreak(src: string, from: number, to: number): boolean {
  // Fast path: the gap between most words is one space.
  if (to - from === 1 && src.charCodeAt(from) === 32) return false;
  return CLAUSE_BREAK_RE.test(src.slice(from, to));
}

const STATE_OF_THE_ART_RE = /\bstate[- ]of[- ]the[- ]art\b/gi;

/**
 * The token stream of a text, stop words included (flagged) so callers can rebuild phrases as written.
 */
export function tokens(text: string): Token[] {
  // "state-of-the-art" says nothing; dropping it keeps "state" for "state space model".
  let src = stripAccents(text);
  if (/state/i.test(src)) src = src.replace(STATE_OF_THE_ART_RE, (m) => ' '.repeat(m.length));
  const out: Token[] = [];
  let clause = 0;
  let last = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(src); m; m = WORD_RE.exec(src)) {
    const start = m.index;
    if (start > last && isClauseBreak(src, last, start)) clause++;
    const m0 = m[0];
    last = start + m0.length;
    let parts = wordCache.get(m0);
    if (parts === undefined) {
      parts = wordParts(m0);
      if (wordCache.size >= WORD_CACHE_MAX) wordCache.clear();
      wordCache.set(m0, parts);
    }
    for (let i = 0; i < parts.length; i++) {
      const w = parts[i]!;
      out.push(new Token(w, clause, start + w.rs));
    }
  }
  return out;
}

/** Stemmed content words (no stop words, no bigrams). */
export function stemmedTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokens(text)) if (!t.stop && !t.soft) out.push(t.term);
  return out;
}

const EXPANSION_SEQS: Array<{ acronym: string; seq: string[] }> = Object.entries(ACRONYM_EXPANSIONS)
  .map(([acronym, phrase]) => ({ acronym, seq: stemmedTerms(phrase) }))
  .filter((e) => e.seq.length >= 2)
  .sort((a, b) => b.seq.length - a.seq.length);

export interface Analysis {
  /** Unigram terms, bigram terms ("mixtur expert") and acronyms emitted for spelled-out forms, with repetition. */
  terms: string[];
  /** How each term reads in this text (first occurrence), for "shared: ..." lines. Only when asked for. */
  surface?: Map<string, string>;
}

export interface AnalyzeOptions {
  bigrams?: boolean;
  surface?: boolean;
}

/** Expansions by their first term, longest first, so a position costs one lookup. */
const EXPANSIONS_BY_FIRST = new Map<string, Array<{ acronym: string; seq: string[] }>>();
for (const e of EXPANSION_SEQS) {
  let list = EXPANSIONS_BY_FIRST.get(e.seq[0]!);
  if (!list) EXPANSIONS_BY_FIRST.set(e.seq[0]!, (list = []));
  list.push(e);
}

/** Bag of terms for indexing and similarity: unigrams, in-clause bigrams, acronyms of spelled-out phrases. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeTokens(tokens(text), text, options);
}

/** `analyze` over the tokens of `text` already computed by `tokens(text)` (one tokenization shared with the tagger). */
export function analyzeTokens(toks: readonly Token[], text: string, options: AnalyzeOptions = {}): Analysis {
  const wantBigrams = options.bigrams !== false;
  const surface = options.surface ? new Map<string, string>() : undefined;
  const folded = surface ? stripAccents(text) : '';
  const terms: string[] = [];
  // Content stream (no stop words, no extras) for bigrams and expansions.
  const content: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.stop) continue;
    if (!t.soft) {
      terms.push(t.term);
      if (surface && !surface.has(t.term)) surface.set(t.term, t.acronym ? t.surface : t.surface.toLowerCase());
    }
    if (!t.extra) content.push(t);
  }
  if (wantBigrams) {
    for (let i = 0; i + 1 < content.length; i++) {
      const a = content[i]!;
      const b = content[i + 1]!;
      if (a.clause !== b.clause || a.term === b.term) continue;
      const term = a.term + ' ' + b.term;
      terms.push(term);
      if (surface && !surface.has(term)) {
        const span = folded.slice(a.start, b.end);
        surface.set(term, span.length <= 40 && !/[\n]/.test(span) ? span.toLowerCase().replace(/\s+/g, ' ') : `${a.surface} ${b.surface}`.toLowerCase());
      }
    }
  }
  // Spelled-out acronyms: "large language models" → also "llm".
  for (let i = 0; i < content.length; i++) {
    const cands = EXPANSIONS_BY_FIRST.get(content[i]!.term);
    if (!cands) continue;
    for (const { acronym, seq } of cands) {
      if (i + seq.length > content.length) continue;
      let ok = true;
      for (let j = 0; j < seq.length; j++) {
        const t = content[i + j]!;
        if (t.term !== seq[j] || t.clause !== content[i]!.clause) {
          ok = false;
          break;
        }
      }
      if (ok) {
        terms.push(acronym);
        if (surface && !surface.has(acronym)) {
          const last = content[i + seq.length - 1]!;
          surface.set(acronym, folded.slice(content[i]!.start, last.end).toLowerCase().replace(/\s+/g, ' '));
        }
        break;
      }
    }
  }
  return surface ? { terms, surface } : { terms };
}

// ---- Search variants ------------------------------------------------------------------------

/** Latin letters NFKD does not decompose: "Łukasz" is found by "lukasz". */
const SEARCH_FOLD: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ı: 'i', ð: 'd', þ: 'th' };
const SEARCH_FOLD_RE = /[łøæœßđıðþ]/g;
const SEARCH_WORD_RE = /[\p{L}\p{N}]+/gu;

export function foldForSearch(text: string): string {
  // ASCII has nothing to decompose or fold.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(SEARCH_FOLD_RE, (c) => SEARCH_FOLD[c] ?? c);
}

/** Folded word tokens (letters and digits), in order, duplicates kept. */
export function searchWords(text: string): string[] {
  return foldForSearch(text).match(SEARCH_WORD_RE) ?? [];
}

/** Search index and query terms: folded words without search stop words. */
export function searchTerms(text: string): string[] {
  return searchWords(text).filter((t) => !SEARCH_STOPWORDS.has(t));
}
