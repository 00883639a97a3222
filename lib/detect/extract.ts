import { ARXIV_ID_PATTERN } from '../arxiv-id';
import type { PagePaper } from '../schema';
import { readArxivAbs, readArxivHtml, readArxivListing, readArxivSearch } from './arxiv';
import { readHfList, readHfPaper } from './huggingface';
import type { PageInfo, PageKind } from './page';
import type { ListingEntry } from './types';

export type { ListingEntry };

/**
 * Reads the paper(s) a detected page shows. Pages change without notice, so every reader is
 * wrapped: a page that cannot be read gives null or [] (the annotation is skipped), never an
 * exception in the content script, and every result is checked against the PagePaper schema.
 */

/**
 * Fits a draft to the PagePaper contract without zod (it would triple the content bundle; the
 * background parses every request with the real schema). Over-long fields would fail that
 * schema and lose the whole paper, so they are cut: a cut abstract is still useful.
 */
function validated(draft: PagePaper | null): PagePaper | null {
  if (!draft) return null;
  const title = draft.title.trim().slice(0, 1000);
  if (!title) return null;
  return {
    arxivId: draft.arxivId && ARXIV_ID_PATTERN.test(draft.arxivId) ? draft.arxivId : null,
    title,
    abstract: draft.abstract.slice(0, 20000),
    authors: draft.authors.slice(0, 2000).map((author) => author.slice(0, 300)),
    categories: draft.categories.slice(0, 50).map((category) => category.slice(0, 40)),
    published: draft.published && /^\d{4}-\d{2}-\d{2}$/.test(draft.published) ? draft.published : null,
    // Only when the page names one: most readers never do, and their drafts stay as they were.
    ...(draft.version && Number.isInteger(draft.version) && draft.version <= 1000 ? { version: draft.version } : {}),
  };
}

type PaperReader = (doc: Document, page: PageInfo) => PagePaper | null;
type ListingReader = (doc: Document) => ListingEntry[];

/** Which reader handles which page kind. Each content script takes only its own site's readers, to stay small. */
export interface SiteReaders {
  paper: Partial<Record<PageKind, PaperReader>>;
  listing: Partial<Record<PageKind, ListingReader>>;
}

export const ARXIV_READERS: SiteReaders = {
  paper: { 'arxiv-abs': readArxivAbs, 'arxiv-html': readArxivHtml },
  listing: { 'arxiv-listing': readArxivListing, 'arxiv-search': (doc) => readArxivSearch(doc) },
};

export const HF_READERS: SiteReaders = {
  paper: { 'hf-paper': readHfPaper },
  listing: { 'hf-list': readHfList },
};

/**
 * The paper of a single-paper page (abs, HTML, HF paper); null for PDFs (the browser's viewer has
 * no document to read: callers look the id up instead), listings and unreadable pages.
 */
export function readPaper(readers: SiteReaders, doc: Document, page: PageInfo): PagePaper | null {
  try {
    const reader = readers.paper[page.kind];
    return reader ? validated(reader(doc, page)) : null;
  } catch {
    return null;
  }
}

/** The papers of a listing page, in page order, one per arXiv id; [] for single-paper pages and unreadable pages. */
export function readListing(readers: SiteReaders, doc: Document, page: PageInfo): ListingEntry[] {
  let entries: ListingEntry[];
  try {
    const reader = readers.listing[page.kind];
    if (!reader) return [];
    entries = reader(doc);
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const result: ListingEntry[] = [];
  for (const entry of entries) {
    const paper = validated(entry.paper);
    if (!paper || seen.has(entry.key)) continue;
    seen.add(entry.key);
    result.push({ ...entry, paper });
  }
  return result;
}

const ALL_READERS: SiteReaders = {
  paper: { ...ARXIV_READERS.paper, ...HF_READERS.paper },
  listing: { ...ARXIV_READERS.listing, ...HF_READERS.listing },
};

export function extractPaper(doc: Document, page: PageInfo): PagePaper | null {
  return readPaper(ALL_READERS, doc, page);
}

export function extractListingEntries(doc: Document, page: PageInfo): ListingEntry[] {
  return readListing(ALL_READERS, doc, page);
}
