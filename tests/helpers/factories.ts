import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PagePaper, Paper, ReadingListEntry } from '../../lib/schema';
import { ROOT } from './corpus';

/** One time stamp for made-up rows, so exports of them compare byte for byte. */
export const T0 = 1_700_000_000_000;

/** A reading-list entry with neutral defaults (no arXiv id, no text beyond a title); `over` sets what a test is about. */
export function readingListEntry(over: Partial<ReadingListEntry> = {}): ReadingListEntry {
  return {
    paperId: 'p',
    arxivId: null,
    title: 'Untitled',
    authors: [],
    year: 2024,
    published: null,
    abstract: '',
    categories: [],
    status: 'to-read',
    notes: '',
    addedAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** The entry saving `paper` makes (its own copy of the metadata), with `over` for status, notes and dates. */
export function entryFromPaper(paper: Paper, over: Partial<ReadingListEntry> = {}): ReadingListEntry {
  const { id, arxivId, title, authors, year, published, abstract, categories } = paper;
  return readingListEntry({ paperId: id, arxivId, title, authors, year, published, abstract, categories, ...over });
}

/** What a content script reads from the page of `paper`. */
export function pageOf(paper: Paper): PagePaper {
  const { arxivId, title, abstract, authors, categories, published } = paper;
  return { arxivId, title, abstract, authors, categories, published };
}

/** The hostile strings of tests/fixtures/hostile/payloads.json (script tags, handlers, bidi tricks…). */
export const PAYLOADS: Array<{ name: string; text: string }> = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/hostile/payloads.json'), 'utf8')).payloads;

/** A page paper outside the corpus whose title, abstract and first author carry `payload`. */
export function hostilePage(i: number, payload: string): PagePaper {
  return {
    arxivId: `2501.${String(10000 + i)}`,
    title: `${payload} — hostile paper ${i}`,
    abstract: `${payload} We study sparse mixture of experts routing. ${payload}`,
    authors: [payload.slice(0, 300), 'Ada Lovelace'],
    categories: ['cs.LG'],
    published: '2025-01-02',
  };
}
