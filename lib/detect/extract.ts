import { PagePaper } from '../schema';
import { readArxivAbs, readArxivHtml, readArxivListing, readArxivSearch } from './arxiv';
import { readHfList, readHfPaper } from './huggingface';
import type { PageInfo } from './page';

/**
 * Reads the paper(s) a detected page shows. Pages change without notice, so every reader is
 * wrapped: a page that cannot be read gives null or [] (the annotation is skipped), never an
 * exception in the content script, and every result is checked against the PagePaper schema.
 */

export interface ListingEntry {
  /** Unique per page: the arXiv id. */
  key: string;
  paper: PagePaper;
  /** The entry's title/authors block: the compact annotation goes right after it. */
  anchor: Element;
}

// Over-long fields would fail the schema and lose the whole paper; a cut abstract is still useful.
const MAX_ABSTRACT = 20000;

function validated(draft: PagePaper | null): PagePaper | null {
  if (!draft) return null;
  const parsed = PagePaper.safeParse({
    ...draft,
    abstract: draft.abstract.slice(0, MAX_ABSTRACT),
    authors: draft.authors.slice(0, 2000),
    categories: draft.categories.slice(0, 50),
  });
  return parsed.success ? parsed.data : null;
}

/** The paper of a single-paper page (abs, HTML, HF paper); null for PDFs, listings and unreadable pages. */
export function extractPaper(doc: Document, page: PageInfo): PagePaper | null {
  try {
    switch (page.kind) {
      case 'arxiv-abs':
        return validated(readArxivAbs(doc, page));
      case 'arxiv-html':
        return validated(readArxivHtml(doc, page));
      case 'hf-paper':
        return validated(readHfPaper(doc, page));
      case 'arxiv-pdf':
        // The browser's PDF viewer has no document to read; callers fetch metadata by id instead.
        return null;
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** The papers of a listing page, in page order, one per arXiv id; [] for single-paper pages and unreadable pages. */
export function extractListingEntries(doc: Document, page: PageInfo): ListingEntry[] {
  let entries: ListingEntry[];
  try {
    switch (page.kind) {
      case 'arxiv-listing':
        entries = readArxivListing(doc);
        break;
      case 'arxiv-search':
        entries = readArxivSearch(doc);
        break;
      case 'hf-list':
        entries = readHfList(doc);
        break;
      default:
        return [];
    }
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
