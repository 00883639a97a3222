import { cleanText, normalizeTitle } from '../../lib/text/normalize';

/**
 * Parser for the corpus sources: plain-text captures of Hugging Face Daily Papers listings.
 *
 * The captures come in two shapes. Most are blank-line separated: title, abstract, then an
 * optional metadata run ("  • 5 authors" or a submitter line, "·", a date). One is a
 * line-per-record capture: title and abstract on alternating lines, no metadata.
 * Both start with page chrome that must never become a title; in the line-per-record
 * capture the chrome is glued to the first title ("SubscribeWhat's Wrong with…").
 */

export interface SeedRecord {
  title: string;
  abstract: string;
  authorCount: number | null;
  /** ISO date when the capture gave a year; null for "May 29" (no year) or no date. */
  published: string | null;
  /** Where the record came from, for the staleness and "parsed once" checks. */
  file: string;
  line: number;
}

const CHROME_LINES = new Set([
  'new',
  'subscribe',
  'daily papers',
  'byak and the research community',
  'get trending papers in your email inbox!',
  'get trending papers in your email inbox once a day!',
]);

/** Chrome that a capture glued onto the start of a title. */
const CHROME_PREFIX = /^(?:Get trending papers in your email inbox(?: once a day)?!\s*)?Subscribe(?=[A-Z0-9"'“])/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** "Jun 16, 2020", "May 29", "Jul 19, 2024 2" (trailing upvote count), "Jun 9 5". */
const DATE_LINE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? (\d{1,2})(?:, (\d{4}))?(?: \d+)?$/;
const AUTHORS_LINE = /^•\s*(\d+)\s+authors?$/;
const SEPARATOR_LINE = /^[·•]$/;

export function parseSeedDate(line: string): { published: string | null } | null {
  const match = DATE_LINE.exec(line.trim());
  if (!match) return null;
  const [, month, day, year] = match;
  if (!year) return { published: null };
  const monthIndex = MONTHS.indexOf(month!.toLowerCase().slice(0, 3)) + 1;
  return { published: `${year}-${String(monthIndex).padStart(2, '0')}-${day!.padStart(2, '0')}` };
}

function isChrome(line: string): boolean {
  return CHROME_LINES.has(line.toLowerCase());
}

/** A title is a short line that reads like a heading, not a paragraph. */
function looksLikeTitle(line: string): boolean {
  const words = line.split(/\s+/).length;
  return line.length <= 300 && words <= 40 && !/[.!]\s*$/.test(line.replace(/\b(?:et al|etc|vs|e\.g|i\.e)\.$/i, ''));
}

export function parseSeedFile(text: string, file: string): SeedRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records: SeedRecord[] = [];
  let current: SeedRecord | null = null;
  let sawFirstRecord = false;

  const finish = () => {
    if (current && current.abstract) records.push(current);
    current = null;
  };

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    let line = cleanText(raw);
    if (!line) continue;

    if (!sawFirstRecord) {
      if (isChrome(line)) continue;
      // The listing's own date ("Dec 8") sits in the chrome, before any record.
      if (parseSeedDate(line)) continue;
      line = line.replace(CHROME_PREFIX, '');
    }

    const authors = AUTHORS_LINE.exec(line);
    if (authors) {
      if (current) current.authorCount = Number(authors[1]);
      continue;
    }
    if (SEPARATOR_LINE.test(line)) continue;
    const date = parseSeedDate(line);
    if (date && current?.abstract) {
      current.published = date.published;
      continue;
    }
    // An organisation submitter ("openbmb OpenBMB") stands where the author count would, just before "·".
    const next = cleanText(lines[index + 1] ?? '');
    if (current?.abstract && SEPARATOR_LINE.test(next) && line.length < 80) {
      continue;
    }

    if (current && !current.abstract) {
      current.abstract = line;
      continue;
    }
    if (current && current.abstract && !looksLikeTitle(line)) {
      // A second paragraph of the same abstract.
      current.abstract += ' ' + line;
      continue;
    }
    finish();
    sawFirstRecord = true;
    current = { title: line, abstract: '', authorCount: null, published: null, file, line: index + 1 };
  }
  finish();
  return records;
}

export interface MergedSeed extends SeedRecord {
  normTitle: string;
  /** Every place the paper was seen, so tests can prove each record was parsed exactly once. */
  seenIn: Array<{ file: string; line: number }>;
}

/** Deduplicates by normalized title; the same paper in several captures keeps the richest facts. */
export function dedupeSeeds(records: SeedRecord[]): MergedSeed[] {
  const byTitle = new Map<string, MergedSeed>();
  for (const record of records) {
    const normTitle = normalizeTitle(record.title);
    const existing = byTitle.get(normTitle);
    if (!existing) {
      byTitle.set(normTitle, { ...record, normTitle, seenIn: [{ file: record.file, line: record.line }] });
      continue;
    }
    existing.seenIn.push({ file: record.file, line: record.line });
    if (record.abstract.length > existing.abstract.length) existing.abstract = record.abstract;
    existing.authorCount ??= record.authorCount;
    existing.published ??= record.published;
  }
  return [...byTitle.values()];
}
