import type { ReadingListEntry } from '../schema';
import { citationKeys } from './bibtex';
import { arxivUrl, splitName, type CslName } from './names';

/**
 * CSL-JSON (what Zotero, Mendeley, Pandoc and citeproc read). Items are shaped like Zotero's own
 * export of an arXiv preprint: type "article" (CSL's type for preprints), archive/publisher "arXiv",
 * number "arXiv:<id>", and the DOI arXiv registers for every paper (10.48550/arXiv.<id>).
 * Only the fields of the official csl-data.json schema are used (it forbids any other key).
 */
export interface CslItem {
  id: string;
  type: 'article';
  title: string;
  author?: CslName[];
  issued?: { 'date-parts': [[number] | [number, number] | [number, number, number]] };
  URL?: string;
  DOI?: string;
  number?: string;
  archive?: string;
  publisher?: string;
  abstract?: string;
  note?: string;
}

export function toCslItem(entry: ReadingListEntry, id: string): CslItem {
  const item: CslItem = { id, type: 'article', title: entry.title };
  const authors = entry.authors.filter((a) => a.trim() !== '').map(splitName);
  if (authors.length) item.author = authors;
  const issued = dateParts(entry);
  if (issued) item.issued = { 'date-parts': [issued] };
  const url = arxivUrl(entry.arxivId);
  if (url && entry.arxivId) {
    item.URL = url;
    item.DOI = `10.48550/arXiv.${entry.arxivId}`;
    item.number = `arXiv:${entry.arxivId}`;
    item.archive = 'arXiv';
    item.publisher = 'arXiv';
  }
  if (entry.abstract.trim() !== '') item.abstract = entry.abstract;
  if (entry.notes.trim() !== '') item.note = entry.notes;
  return item;
}

function dateParts(entry: ReadingListEntry): [number] | [number, number, number] | null {
  const m = entry.published?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return entry.year ? [entry.year] : null;
}

/** CSL-JSON items with the same unique ids as the BibTeX citation keys. */
export function toCslJson(entries: ReadingListEntry[]): CslItem[] {
  const keys = citationKeys(entries);
  return entries.map((e, i) => toCslItem(e, keys[i]!));
}

/** The file text (pretty-printed JSON array). */
export function toCslJsonText(entries: ReadingListEntry[]): string {
  return JSON.stringify(toCslJson(entries), null, 2) + '\n';
}
