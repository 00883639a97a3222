import { parseArxivId } from '../arxiv-id';
import { Paper, describeZodError, type PagePaper } from '../schema';
import { normalizeTitle, paperIdFor } from '../text/normalize';
import { latexToText } from './latex';

/**
 * One import record → one validated `Paper` (origin 'imported'), or the reason it was skipped.
 * Two record shapes are accepted anywhere in an import file:
 *  - a line of the arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json");
 *  - a Margin `Paper` (corpus export / bundled corpus), recognised by its `arxivId` or `normTitle` key.
 */
export type RecordResult = { ok: true; paper: Paper } | { ok: false; reason: string };

/** Schema limits, applied by truncating rather than rejecting a real paper (huge collaborations). */
const MAX_AUTHORS = 2000;
const MAX_AUTHOR_CHARS = 300;

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'string' ? 'a string' : t === 'number' ? 'a number' : t === 'boolean' ? 'a boolean' : t;
}

function preview(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
}

function fail(reason: string): RecordResult {
  return { ok: false, reason };
}

/**
 * Same result as `cleanText`, several times faster on snapshot text: it only rewrites whitespace that is not
 * already a single space (the snapshot's hard line wraps), instead of every space of a 1,000-character abstract.
 */
const UNUSUAL_SPACE = /\s{2,}|[^\S ]/g;
export function collapseSpace(text: string): string {
  return text.replace(UNUSUAL_SPACE, ' ').trim();
}

/** Text field: LaTeX-ish markup made readable, whitespace collapsed. */
export function cleanField(text: string): string {
  return collapseSpace(latexToText(text));
}

/** "Mon, 2 Apr 2007 19:18:42 GMT" or "2007-04-02…" → "2007-04-02"; null when unreadable. */
export function parseSnapshotDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const rfc = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})/.exec(value);
  if (rfc) {
    const month = MONTHS[rfc[2]!.toLowerCase()];
    if (month) return `${rfc[3]}-${month}-${rfc[1]!.padStart(2, '0')}`;
  }
  return null;
}

/** The year a new-style id was submitted in (2401.01234 → 2024), as a last resort. */
function yearFromId(id: string): number | null {
  const m = /^(\d{2})(\d{2})\./.exec(id);
  if (!m) return null;
  const yy = Number(m[1]);
  return yy >= 7 && yy <= 99 ? 2000 + yy : null;
}

/** `[["Last","First","Suffix",...], ...]` → "First Last Suffix". Extra elements (affiliations) are ignored. */
function authorsFromParsed(parsed: unknown[]): string[] | null {
  const out: string[] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry)) return null;
    const [last, first, suffix] = entry as unknown[];
    const parts: string[] = [];
    if (typeof first === 'string' && first) parts.push(first.replace(/\.\s+-/g, '.-'));
    if (typeof last === 'string' && last) parts.push(last);
    if (typeof suffix === 'string' && suffix) parts.push(suffix);
    const name = cleanField(parts.join(' '));
    if (name) out.push(name.slice(0, MAX_AUTHOR_CHARS));
    if (out.length >= MAX_AUTHORS) break;
  }
  return out;
}

/** "A. Author, B. Author (MIT) and C. Author" → names. Parenthesised affiliations are dropped. */
export function splitAuthors(authors: string): string[] {
  let s = latexToText(authors);
  // Affiliations, possibly nested: strip innermost groups until none is left.
  for (let i = 0; i < 5 && s.includes('('); i++) s = s.replace(/\([^()]*\)/g, ' ');
  const out: string[] = [];
  for (const part of s.split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*/)) {
    const name = collapseSpace(part);
    if (name && !/^et\.? al\.?$/i.test(name)) out.push(name.slice(0, MAX_AUTHOR_CHARS));
    if (out.length >= MAX_AUTHORS) break;
  }
  return out;
}

function validate(candidate: unknown): RecordResult {
  const parsed = Paper.safeParse(candidate);
  return parsed.success ? { ok: true, paper: parsed.data } : fail(describeZodError(parsed.error));
}

/** Optional string field: undefined/null → fallback; wrong type → error message. */
function optionalString(obj: Record<string, unknown>, key: string): string | null | { error: string } {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { error: `${key}: expected a string, got ${typeName(value)}` };
  return value;
}

/** A line of the arXiv metadata snapshot → Paper. */
export function snapshotRecordToPaper(obj: Record<string, unknown>): RecordResult {
  const rawId = obj.id;
  if (rawId === undefined || rawId === null || rawId === '') return fail('missing id');
  if (typeof rawId !== 'string') {
    return fail(`id: expected a string, got ${typeName(rawId)}${typeof rawId === 'number' ? ' (ids like 0704.0001 must be quoted, or leading zeros are lost)' : ''}`);
  }
  const id = parseArxivId(rawId)?.id;
  if (!id) return fail(`id ${preview(rawId)} is not an arXiv id (expected e.g. 2401.01234 or hep-th/9901001)`);

  const rawTitle = obj.title;
  if (rawTitle === undefined || rawTitle === null) return fail('missing title');
  if (typeof rawTitle !== 'string') return fail(`title: expected a string, got ${typeName(rawTitle)}`);
  const title = cleanField(rawTitle);
  if (!title) return fail('title: must not be empty');

  const rawAbstract = optionalString(obj, 'abstract');
  if (rawAbstract && typeof rawAbstract === 'object') return fail(rawAbstract.error);
  const abstract = rawAbstract ? cleanField(rawAbstract) : '';

  let authors: string[] | null = null;
  if (Array.isArray(obj.authors_parsed)) authors = authorsFromParsed(obj.authors_parsed);
  if (authors === null || (authors.length === 0 && obj.authors)) {
    const rawAuthors = obj.authors;
    if (typeof rawAuthors === 'string') authors = splitAuthors(rawAuthors);
    else if (Array.isArray(rawAuthors) && rawAuthors.every((a) => typeof a === 'string')) {
      authors = (rawAuthors as string[]).map(cleanField).filter(Boolean).slice(0, MAX_AUTHORS);
    } else if (rawAuthors === undefined || rawAuthors === null) authors = [];
    else return fail(`authors: expected a string, got ${typeName(rawAuthors)}`);
  }

  let categories: string[] = [];
  const rawCategories = obj.categories;
  if (typeof rawCategories === 'string') categories = rawCategories.split(/\s+/).filter(Boolean);
  else if (Array.isArray(rawCategories) && rawCategories.every((c) => typeof c === 'string')) categories = rawCategories as string[];
  else if (rawCategories !== undefined && rawCategories !== null) {
    return fail(`categories: expected a string like "cs.LG stat.ML", got ${typeName(rawCategories)}`);
  }

  let published: string | null = null;
  const versions = obj.versions;
  if (Array.isArray(versions) && versions.length > 0) {
    const first = versions.find((v) => (v as { version?: unknown } | null)?.version === 'v1') ?? versions[0];
    published = parseSnapshotDate((first as { created?: unknown } | null)?.created);
  }
  published ??= parseSnapshotDate(obj.update_date);
  const year = published ? Number(published.slice(0, 4)) : yearFromId(id);

  return validate({
    id,
    arxivId: id,
    title,
    normTitle: normalizeTitle(title) || title.toLowerCase(),
    abstract,
    authors,
    authorCount: null,
    published,
    year,
    categories,
    origin: 'imported',
  });
}

/** A Margin `Paper` (corpus export) → Paper with origin 'imported'; missing derived fields are filled in. */
export function marginRecordToPaper(obj: Record<string, unknown>): RecordResult {
  const title = obj.title;
  if (title === undefined || title === null) return fail('missing title');
  if (typeof title !== 'string') return fail(`title: expected a string, got ${typeName(title)}`);
  const arxivId = obj.arxivId ?? null;
  const id = obj.id ?? (typeof arxivId === 'string' || arxivId === null ? paperIdFor(arxivId, title) : undefined);
  const published = obj.published ?? null;
  return validate({
    ...obj,
    id,
    arxivId,
    normTitle: obj.normTitle ?? normalizeTitle(title),
    abstract: obj.abstract ?? '',
    authors: obj.authors ?? [],
    authorCount: obj.authorCount ?? null,
    published,
    year: obj.year ?? (typeof published === 'string' && /^\d{4}/.test(published) ? Number(published.slice(0, 4)) : null),
    categories: obj.categories ?? [],
    origin: 'imported',
  });
}

/** Any parsed JSON value from an import file → Paper or a reason. */
export function recordToPaper(value: unknown): RecordResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(`expected a JSON object (one paper), got ${typeName(value)}`);
  }
  const obj = value as Record<string, unknown>;
  return 'arxivId' in obj || 'normTitle' in obj ? marginRecordToPaper(obj) : snapshotRecordToPaper(obj);
}

/** A page's paper as a corpus record (origin 'browsed'), as the panel and the listings add papers met while browsing. */
export function paperFromPage(page: PagePaper): Paper {
  return Paper.parse({
    id: paperIdFor(page.arxivId, page.title),
    arxivId: page.arxivId,
    title: page.title,
    normTitle: normalizeTitle(page.title) || page.title.toLowerCase(),
    abstract: page.abstract,
    authors: page.authors,
    authorCount: page.authors.length || null,
    published: page.published,
    year: page.published ? Number(page.published.slice(0, 4)) : null,
    categories: page.categories,
    origin: 'browsed',
  });
}
