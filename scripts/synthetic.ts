/**
 * Deterministic synthetic arXiv metadata snapshot lines (Kaggle "arxiv-metadata-oai-snapshot.json" format),
 * for import and scale benchmarks. Browser-safe and pure: the caller supplies the text the vocabulary is
 * drawn from (titles and abstracts of real papers), the output depends only on (count, seed, source).
 *
 * Titles and abstracts come from word-bigram Markov chains over the source text, so lengths, vocabulary
 * and term co-occurrence look like real ML papers; ids are unique (new-style over 2015–2025, ~5% old-style),
 * and a few titles/authors carry the LaTeX markup the real snapshot has.
 */

import { mulberry32 } from '../lib/util/random';

export interface SyntheticSource {
  titles: string[];
  abstracts: string[];
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

/** Word-bigram chain: next words by word (repeats encode frequency), and the words that start a unit. */
class Chain {
  private next = new Map<string, string[]>();
  readonly starts: string[] = [];

  add(text: string, sentences: boolean): void {
    const words = text.split(/\s+/).filter(Boolean);
    let prev: string | null = null;
    for (const word of words) {
      if (prev === null) this.starts.push(word);
      else {
        let list = this.next.get(prev);
        if (!list) this.next.set(prev, (list = []));
        list.push(word);
      }
      prev = sentences && /[.!?]$/.test(word) ? null : word;
    }
  }

  /** About `target` words; with `sentences`, runs on to the end of the sentence (up to 25 more words). */
  generate(rng: Rng, target: number, sentences: boolean): string {
    const out: string[] = [];
    let word = pick(rng, this.starts);
    for (;;) {
      out.push(word);
      const ended = /[.!?]$/.test(word);
      if (out.length >= target && (!sentences || ended || out.length >= target + 25)) break;
      const options = ended && sentences ? undefined : this.next.get(word);
      word = options ? pick(rng, options) : pick(rng, this.starts);
    }
    let text = out.join(' ');
    if (sentences && !/[.!?]$/.test(text)) text += '.';
    return text;
  }
}

const FIRST = [
  'Wei', 'Yann', 'Geoffrey', 'Fei-Fei', 'Ashish', 'Noam', 'Jakob', 'Diederik', 'Jimmy', 'Ilya', 'Oriol', 'Quoc',
  'Kaiming', 'Ross', 'Piotr', 'Andrej', 'Percy', 'Christopher', 'Dan', 'Chelsea', 'Sergey', 'Pieter', 'Yoshua',
  'Aaron', 'Alec', 'Tom', 'Jared', 'Dario', 'Jan', 'Sara', 'Emma', 'Maria', 'Hugo', 'Louis', 'Edward', 'Yelong',
  'Zeyuan', 'Yuanzhi', 'Lu', 'Weizhu', 'Xin', 'Yi', 'Jie', 'Ming', 'Hao', 'Anna', 'Laura', 'Rohan', 'Priya', 'Arjun',
  'Olga', 'Dmitry', 'Elena', 'Kenji', 'Yuki', 'Hiroshi', 'Min-Jun', 'Seo-yeon', 'Fatima', 'Omar', 'Lukas', 'Jürgen',
];
const LAST = [
  'Zhang', 'Wang', 'Li', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Smith', 'Johnson', 'Brown', 'Lee',
  'Kim', 'Park', 'Nguyen', 'Garcia', 'Martinez', 'Rodriguez', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber',
  'Dubois', 'Moreau', 'Rossi', 'Russo', 'Kowalski', 'Nowak', 'Ivanov', 'Petrov', 'Sato', 'Suzuki', 'Takahashi',
  'Tanaka', 'Singh', 'Kumar', 'Sharma', 'Gupta', 'Patel', 'Khan', 'Ali', 'Hernández', 'López', 'González', 'Pérez',
  'Bengio', 'Hinton', 'LeCun', 'Vaswani', 'Kingma', 'Sutskever', 'Vinyals', 'Karpathy', 'Liang', 'Manning', 'Finn',
  'Levine', 'Abbeel', 'Radford', 'Kaplan', 'Balázs', 'Šimůnek', 'Ødegaard',
];
/** How the snapshot's `authors` string spells accented letters (authors_parsed has them as Unicode). */
const TEX_ACCENTS: Record<string, string> = {
  'ü': '\\"u', 'á': "\\'a", 'é': "\\'e", 'í': "\\'i", 'ó': "\\'o", 'š': '\\v{s}', 'ů': '\\r{u}', 'Ø': '{\\O}', 'Š': '\\v{S}',
};
const PRIMARY = [
  ['cs.LG', 30], ['cs.CV', 20], ['cs.CL', 20], ['cs.AI', 8], ['stat.ML', 6], ['cs.RO', 4], ['cs.IR', 3],
  ['cs.NE', 2], ['cs.SD', 2], ['eess.IV', 2], ['cs.CR', 2], ['cs.DC', 1], ['math.OC', 1], ['eess.AS', 1],
] as const;
const SECONDARY = ['cs.LG', 'cs.AI', 'stat.ML', 'cs.CL', 'cs.CV', 'cs.NE', 'cs.IR', 'cs.HC', 'math.OC', 'eess.SP', 'cs.MA'];
const OLD_ARCHIVES = ['hep-th', 'hep-ph', 'astro-ph', 'cond-mat', 'quant-ph', 'math', 'cs', 'physics', 'gr-qc', 'nlin'];
const OLD_CATEGORIES: Record<string, string> = {
  'hep-th': 'hep-th', 'hep-ph': 'hep-ph', 'astro-ph': 'astro-ph', 'cond-mat': 'cond-mat.stat-mech', 'quant-ph': 'quant-ph',
  math: 'math.PR', cs: 'cs.LG', physics: 'physics.data-an', 'gr-qc': 'gr-qc', nlin: 'nlin.AO',
};
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LATEX_TITLE_PREFIXES = ['$\\alpha$-', '$\\beta$-', '$\\epsilon$-', '$k$-', '$\\ell_1$-', '$\\mathcal{O}(1)$ '];
const GREEK = ['$\\lambda$', '$\\gamma$', '$\\mu$P', '$\\pi_0$', '\\textit{et al.}'];

function rfcDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`;
}

/** Hard-wraps like the snapshot: titles and authors continue with "\n  ", abstracts with "\n". */
function wrap(text: string, width: number, indent: string): string {
  if (text.length <= width) return text;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? current + ' ' + word : word;
  }
  if (current) lines.push(current);
  return lines.join('\n' + indent);
}

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Yields `count` JSON lines (without the trailing newline), deterministic for (count, seed, source). */
export function* generateSnapshotLines(count: number, seed: number, source: SyntheticSource): Generator<string> {
  const titles = new Chain();
  const abstracts = new Chain();
  for (const t of source.titles) titles.add(t, false);
  for (const a of source.abstracts) abstracts.add(a, true);
  if (!titles.starts.length || !abstracts.starts.length) throw new Error('generateSnapshotLines: the source has no titles or abstracts');
  const rng = mulberry32(seed);
  const counters = new Map<string, number>();
  const nextNumber = (key: string) => {
    const n = (counters.get(key) ?? 0) + between(rng, 1, 3);
    counters.set(key, n);
    return n;
  };

  for (let i = 0; i < count; i++) {
    let id: string;
    let created: Date;
    let categories: string[];
    if (rng() < 0.05) {
      // Old-style: archive/YYMMNNN, 1992–2006.
      const archive = pick(rng, OLD_ARCHIVES);
      const year = between(rng, 1992, 2006);
      const month = between(rng, 1, 12);
      const yymm = String(year % 100).padStart(2, '0') + String(month).padStart(2, '0');
      id = `${archive}/${yymm}${String(nextNumber(archive + yymm)).padStart(3, '0')}`;
      created = new Date(Date.UTC(year, month - 1, between(rng, 1, 28), between(rng, 0, 23), between(rng, 0, 59), between(rng, 0, 59)));
      categories = [OLD_CATEGORIES[archive]!];
    } else {
      // New-style: YYMM.NNNNN, 2015–2025, more papers in later years.
      const year = 2015 + Math.floor(Math.sqrt(rng()) * 11);
      const month = between(rng, 1, 12);
      const yymm = String(year % 100).padStart(2, '0') + String(month).padStart(2, '0');
      id = `${yymm}.${String(nextNumber(yymm)).padStart(5, '0')}`;
      created = new Date(Date.UTC(year, month - 1, between(rng, 1, 28), between(rng, 0, 23), between(rng, 0, 59), between(rng, 0, 59)));
      categories = [weighted(rng, PRIMARY)];
      const extra = between(rng, 0, 3);
      for (let k = 0; k < extra; k++) {
        const c = pick(rng, SECONDARY);
        if (!categories.includes(c)) categories.push(c);
      }
    }

    let title = titles.generate(rng, between(rng, 5, 14), false).replace(/[.,;:]$/, '');
    title = title.charAt(0).toUpperCase() + title.slice(1);
    const markup = rng();
    if (markup < 0.03) title = pick(rng, LATEX_TITLE_PREFIXES) + title;
    else if (markup < 0.05) title = title + ' with ' + pick(rng, GREEK);
    const abstract = abstracts.generate(rng, between(rng, 70, 190), true);

    const nAuthors = rng() < 0.9 ? between(rng, 1, 8) : between(rng, 9, 12);
    const parsed: [string, string, string][] = [];
    for (let k = 0; k < nAuthors; k++) parsed.push([pick(rng, LAST), pick(rng, FIRST), '']);
    const names = parsed.map(([last, first]) => `${first} ${last}`.replace(/[üáéíóšůØŠ]/g, (ch) => TEX_ACCENTS[ch] ?? ch));
    const authors = names.length > 1 ? names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1] : names[0]!;

    const versions = [{ version: 'v1', created: rfcDate(created) }];
    let last = created;
    const nVersions = rng() < 0.6 ? 1 : between(rng, 2, 4);
    for (let v = 2; v <= nVersions; v++) {
      last = new Date(last.getTime() + between(rng, 1, 200) * 86_400_000 + between(rng, 0, 86_399) * 1000);
      versions.push({ version: `v${v}`, created: rfcDate(last) });
    }
    const update = new Date(last.getTime() + between(rng, 0, 30) * 86_400_000).toISOString().slice(0, 10);

    yield JSON.stringify({
      id,
      submitter: `${parsed[0]![1]} ${parsed[0]![0]}`,
      authors: wrap(authors, 74, '  '),
      title: wrap(title, 72, '  '),
      comments: rng() < 0.7 ? `${between(rng, 4, 40)} pages, ${between(rng, 1, 15)} figures` : null,
      'journal-ref': null,
      doi: rng() < 0.2 ? `10.48550/arXiv.${id.replace('/', '.')}` : null,
      'report-no': null,
      categories: categories.join(' '),
      license: rng() < 0.5 ? 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/' : 'http://creativecommons.org/licenses/by/4.0/',
      abstract: '  ' + wrap(abstract, 78, '') + '\n',
      versions,
      update_date: update,
      authors_parsed: parsed,
    });
  }
}
