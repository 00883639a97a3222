import { cleanText } from '../text/normalize';

/**
 * Reading helpers shared by the arXiv and Hugging Face page readers. They only read: nothing here
 * writes to the page, and nothing relies on browser-extension globals, so the same code runs on
 * the live page and on a fixture parsed by happy-dom.
 */

// Node.* constants are not globals outside a browser (tests run under Node).
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;

// Elements that render as their own line: their text must not run into the neighbours' text
// (textContent would turn "<p>A</p><p>B</p>" into "AB").
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table',
  'tbody', 'td', 'th', 'thead', 'tr', 'ul',
]);

// Never text: code, styles, icons, and form controls (HF's upvote/collection buttons).
const SKIPPED_TAGS = new Set(['style', 'noscript', 'template', 'svg', 'button', 'select', 'textarea', 'img']);

const SKIPPED_CLASSES = [
  // arXiv's visible labels: "Title:", "Authors:", "Abstract:", "Subjects:".
  'descriptor',
  // MathJax 2 output. The TeX source stays in the neighbouring <script type="math/tex">, which is read
  // instead, so text comes out the same before and after MathJax has run.
  'MathJax_Preview', 'MathJax', 'MathJax_Display', 'MathJax_SVG', 'MathJax_CHTML',
  // LaTeXML footnotes and author contact blocks (affiliations, e-mails).
  'ltx_note', 'ltx_contact', 'ltx_role_email', 'ltx_role_affiliation', 'ltx_role_address',
];

export interface TextOptions {
  /** Extra class names whose elements are left out (e.g. an "Abstract" heading). */
  skipClasses?: readonly string[];
  /** Leave out <sup> (footnote and affiliation marks next to author names). */
  skipSup?: boolean;
  /** Stop at the first <br>: LaTeXML puts affiliations after a line break in the author block. */
  stopAtBreak?: boolean;
}

/**
 * The text a reader sees in `node`, whitespace collapsed. Unlike textContent it keeps TeX as
 * `$...$` instead of MathJax's or MathML's rendered glyph soup, drops arXiv's "Title:"-style labels,
 * and puts spaces between blocks.
 */
export function readableText(node: Node | null | undefined, options: TextOptions = {}): string {
  if (!node) return '';
  const parts: string[] = [];
  collect(node, options, parts);
  return cleanText(parts.join(''));
}

/** Returns false once a <br> stopped the walk (with `stopAtBreak`). */
function collect(node: Node, options: TextOptions, out: string[]): boolean {
  if (node.nodeType === TEXT_NODE) {
    out.push(node.nodeValue ?? '');
    return true;
  }
  if (node.nodeType !== ELEMENT_NODE && node.nodeType !== DOCUMENT_NODE && node.nodeType !== DOCUMENT_FRAGMENT_NODE) return true;
  if (node.nodeType === ELEMENT_NODE) {
    const element = node as Element;
    const tag = element.localName.toLowerCase();
    if (tag === 'br') {
      out.push(' ');
      return !options.stopAtBreak;
    }
    if (tag === 'script') {
      const type = element.getAttribute('type') ?? '';
      if (/^math\/tex/i.test(type)) out.push(` $${element.textContent ?? ''}$ `);
      return true;
    }
    if (tag === 'math') {
      // MathML (LaTeXML, MathJax 3's assistive copy): its text is presentation plus annotation markup;
      // LaTeXML keeps the TeX in alttext.
      const tex = element.getAttribute('alttext');
      out.push(tex ? ` $${tex}$ ` : ` ${element.textContent ?? ''} `);
      return true;
    }
    if (tag === 'mjx-container') {
      // MathJax 3 replaces the TeX; its hidden MathML copy is the only readable form left.
      const math = element.querySelector('math');
      if (math) collect(math, options, out);
      return true;
    }
    if (SKIPPED_TAGS.has(tag)) return true;
    if (options.skipSup && tag === 'sup') return true;
    const classes = element.classList;
    if (SKIPPED_CLASSES.some((name) => classes.contains(name))) return true;
    if (options.skipClasses?.some((name) => classes.contains(name))) return true;
    const block = BLOCK_TAGS.has(tag);
    if (block) out.push(' ');
    for (const child of Array.from(element.childNodes)) {
      if (!collect(child, options, out)) return false;
    }
    if (block) out.push(' ');
    return true;
  }
  for (const child of Array.from(node.childNodes)) {
    if (!collect(child, options, out)) return false;
  }
  return true;
}

/** Removes a leading "Title:" / "Abstract:" label left in text (when it is not in its own span). */
export function stripLabel(text: string, ...labels: string[]): string {
  let result = text;
  for (const label of labels) {
    result = result.replace(new RegExp(`^\\s*${label}\\s*:?\\s*`, 'i'), '');
  }
  return result.trim();
}

/** Content of every `<meta name=…>` (or `property=…`) with that key, in page order, trimmed, empty ones dropped. */
export function metaContents(doc: Document, key: string): string[] {
  const values: string[] = [];
  for (const meta of Array.from(doc.querySelectorAll('meta'))) {
    if (meta.getAttribute('name') !== key && meta.getAttribute('property') !== key) continue;
    const content = cleanText(meta.getAttribute('content') ?? '');
    if (content) values.push(content);
  }
  return values;
}

export function metaContent(doc: Document, key: string): string | null {
  return metaContents(doc, key)[0] ?? null;
}

const NAME_SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv)$/i;

/**
 * "Jiang, Albert Q." → "Albert Q. Jiang", as arXiv's citation_author gives "Last, First".
 * Particles stay with the surname ("Le Scao, Teven" → "Teven Le Scao"); "Jr." stays last.
 * Names without a comma (collaborations, already "First Last") are returned as they are.
 */
export function firstLast(name: string): string {
  const parts = cleanText(name).split(/\s*,\s*/).filter(Boolean);
  if (parts.length === 2) return `${parts[1]} ${parts[0]}`;
  if (parts.length === 3) {
    const [last, middle, end] = parts as [string, string, string];
    if (NAME_SUFFIX.test(middle)) return `${end} ${last} ${middle}`; // "King, Jr., Martin Luther"
    if (NAME_SUFFIX.test(end)) return `${middle} ${last} ${end}`; // "King, Martin Luther, Jr."
  }
  return parts.join(', ');
}

/**
 * Author names as shown, trimmed of separators, without empties or over-long junk. Repeated names
 * are kept: two people can share a name (the Llama 3 paper lists two Shaun Lindsays), and the
 * count must match the page's "N authors".
 */
export function cleanNames(names: Iterable<string>): string[] {
  const result: string[] = [];
  for (const raw of names) {
    const name = cleanText(raw).replace(/^(?:and\s+|,\s*)+/i, '').replace(/[\s,;*†‡∗]+$/u, '');
    if (name && name.length <= 300) result.push(name);
  }
  return result;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function iso(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthOf(word: string): number | undefined {
  return MONTHS[word.slice(0, 4).toLowerCase()] ?? MONTHS[word.slice(0, 3).toLowerCase()];
}

/**
 * The first date found in `text`, as YYYY-MM-DD. Understands the forms the readers meet:
 * "2024/01/08" (citation_date), "2024-07-31T17:54:27.000Z" (HF), "17 Jul 2024" (arXiv dateline),
 * "Mon, 8 Jan 2024 18:47:34 UTC" (submission history), "8 December, 2025" (arXiv search),
 * "Jan 8, 2024" (HF "Published on"). A year alone ("2017") is not a date.
 */
export function isoDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const numeric = /(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(text);
  if (numeric) return iso(Number(numeric[1]), Number(numeric[2]), Number(numeric[3]));
  const dayFirst = /(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})/.exec(text);
  if (dayFirst) {
    const month = monthOf(dayFirst[2] ?? '');
    if (month) return iso(Number(dayFirst[3]), month, Number(dayFirst[1]));
  }
  const monthFirst = /([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(text);
  if (monthFirst) {
    const month = monthOf(monthFirst[1] ?? '');
    if (month) return iso(Number(monthFirst[3]), month, Number(monthFirst[2]));
  }
  return null;
}

// A category code in parentheses, as arXiv writes subjects: "Machine Learning (cs.LG)".
const CATEGORY_IN_PARENS = /\(([a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?)\)/g;
export const CATEGORY_CODE = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/;

/** "Machine Learning (cs.LG); Artificial Intelligence (cs.AI)" → ["cs.LG", "cs.AI"], in page order (primary first). */
export function categoriesFromSubjects(text: string): string[] {
  return unique(Array.from(text.matchAll(CATEGORY_IN_PARENS), (match) => match[1] ?? ''));
}

export function unique(values: Iterable<string>): string[] {
  return Array.from(new Set(Array.from(values).filter(Boolean)));
}

/** Parses JSON from an attribute, or null when it is absent or malformed (hydration data is not ours to trust). */
export function parseJsonAttribute(element: Element | null, name: string): unknown {
  const raw = element?.getAttribute(name);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' ? value : null;
}
