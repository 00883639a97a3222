import type { ReadingListEntry } from '../schema';
import { arxivUrl, asciiKeyPart, familyName, splitName } from './names';

/**
 * BibTeX in arXiv's own "Export BibTeX citation" form:
 *
 *   @misc{jiang2024mixtral,
 *     title={Mixtral of Experts},
 *     author={Albert Q. Jiang and Alexandre Sablayrolles},
 *     year={2024},
 *     eprint={2401.04088},
 *     archivePrefix={arXiv},
 *     primaryClass={cs.LG},
 *     url={https://arxiv.org/abs/2401.04088},
 *   }
 *
 * The escaper is hand-written on purpose: `escape-latex` (and unicode2latex's minimal table) turn
 * `{`/`}` into `\{`/`\}`, but BibTeX counts those braces too, so a title with a lone `}` would end
 * the field early and corrupt the file; unicode2latex's BibTeX table gets this right but adds
 * ~300 KB of tables to the extension. Non-ASCII text (é, ü, ł) stays UTF-8, which biber and
 * LaTeX (UTF-8 is the default input encoding since 2018) read as is.
 */

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // In LaTeX's default OT1 font encoding these print as other glyphs (¡ ¿ —).
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/** Escapes text for a braced BibTeX field: LaTeX specials become commands, braces stay balanced, whitespace collapses. */
export function escapeBibtex(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}&%$#_~^<>|]/g, (c) => LATEX_SPECIALS[c]!);
}

const KEY_STOPWORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'is', 'are', 'do', 'does', 'with', 'towards', 'toward', 'via', 'from', 'by', 'at', 'how', 'what', 'why', 'when', 'can']);

/** `jiang2024mixtral`: first author's family name, year, first significant title word (ASCII). */
export function citationKeyBase(entry: Pick<ReadingListEntry, 'authors' | 'year' | 'title'>): string {
  const first = entry.authors.find((a) => a.trim() !== '');
  const author = first ? asciiKeyPart(familyName(first)) || 'anon' : 'anon';
  const words = entry.title.split(/[^\p{L}\p{N}]+/u).map(asciiKeyPart).filter(Boolean);
  const word = words.find((w) => !KEY_STOPWORDS.has(w)) ?? words[0] ?? '';
  return `${author.slice(0, 40)}${entry.year ?? ''}${word.slice(0, 30)}`;
}

/** Unique keys in entry order: repeats get a, b, … suffixes (`jiang2024mixtral`, `jiang2024mixtrala`). */
export function citationKeys(entries: ReadonlyArray<Pick<ReadingListEntry, 'authors' | 'year' | 'title'>>): string[] {
  const used = new Set<string>();
  const bases = entries.map(citationKeyBase);
  // Reserve every base key first, so a suffixed key never takes another entry's natural key.
  const natural = new Set(bases);
  return bases.map((base) => {
    let key = base;
    let i = 0;
    while (used.has(key) || (key !== base && natural.has(key))) key = base + suffix(i++);
    used.add(key);
    return key;
  });
}

function suffix(i: number): string {
  // a..z, then aa, ab, …
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

function bibtexName(raw: string): string {
  const name = escapeBibtex(raw);
  if (name === '') return '';
  const parsed = splitName(raw);
  // Organizations, names containing the word "and", or more than one comma are kept whole in braces.
  if (parsed.literal || /(^|\s)and(\s|$)/i.test(name) || (name.match(/,/g) ?? []).length > 1) return `{${name}}`;
  return name;
}

const CATEGORY = /^[a-z-]+(?:\.[A-Za-z-]+)?$/;

export interface BibtexOptions {
  /** Include notes as a `note` field (default true). */
  notes?: boolean;
}

export function toBibtex(entries: ReadingListEntry[], options: BibtexOptions = {}): string {
  const keys = citationKeys(entries);
  const out = entries.map((e, i) => {
    const fields: Array<[string, string]> = [['title', escapeBibtex(e.title)]];
    const authors = e.authors.map(bibtexName).filter(Boolean);
    if (authors.length) fields.push(['author', authors.join(' and ')]);
    const year = e.year ?? (e.published ? Number(e.published.slice(0, 4)) : null);
    if (year) fields.push(['year', String(year)]);
    const url = arxivUrl(e.arxivId);
    if (url && e.arxivId) {
      fields.push(['eprint', e.arxivId], ['archivePrefix', 'arXiv']);
      const primary = e.categories[0];
      if (primary && CATEGORY.test(primary)) fields.push(['primaryClass', primary]);
      fields.push(['url', url]);
    }
    if (options.notes !== false && e.notes.trim() !== '') fields.push(['note', escapeBibtex(e.notes)]);
    return `@misc{${keys[i]},\n${fields.map(([k, v]) => `  ${k}={${v}},`).join('\n')}\n}\n`;
  });
  return out.join('\n');
}
