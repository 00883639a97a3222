import { cleanText } from '../text/normalize';
import type { PagePaper } from '../schema';
import { cleanNames, isRecord, isoDate, metaContent, parseJsonAttribute, readableText, stringField } from './dom';
import { parseArxivId } from '../arxiv-id';
import { paperRefFromUrl, type PageInfo } from './page';
import type { ListingEntry } from './types';

/**
 * Readers for huggingface.co/papers. HF pages are server-rendered Svelte: every component's state is
 * in the `data-props` JSON of its `div.SVELTE_HYDRATER` (PaperContent on a paper page, DailyPapers on
 * the daily list). That JSON is the structured source here, as citation metas are on arXiv; the markup
 * is read for what the JSON lacks and for the elements annotations attach to.
 */

interface HfPaperData {
  id: string;
  title: string | null;
  summary: string | null;
  authors: string[];
  publishedAt: string | null;
}

// Hydration blobs are nested a few levels (props.paper, props.dailyPapers[i].paper); a bound keeps a
// hostile or huge blob from costing more than a glance.
const MAX_DEPTH = 6;
const MAX_RECORDS = 5000;

/** Every paper-shaped record (arXiv `id` plus `title`) in the page's hydration data, by id. */
export function hydratedPapers(doc: Document): Map<string, HfPaperData> {
  const papers = new Map<string, HfPaperData>();
  let visited = 0;
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || visited++ > MAX_RECORDS) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    const paper = asPaper(value);
    if (paper && !papers.has(paper.id)) papers.set(paper.id, paper);
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) visit(child, depth + 1);
    }
  };
  for (const element of Array.from(doc.querySelectorAll('[data-props]'))) {
    visit(parseJsonAttribute(element, 'data-props'), 0);
  }
  return papers;
}

function asPaper(record: Record<string, unknown>): HfPaperData | null {
  const ref = parseArxivId(stringField(record, 'id') ?? '');
  const title = stringField(record, 'title');
  if (!ref || !title) return null;
  const authors = Array.isArray(record.authors)
    ? record.authors.flatMap((author) => {
        // Authors are `{name, hidden, user?}`. `hidden` marks a wrongly-claimed duplicate on HF's side,
        // but arXiv still lists the name (2407.21781 "Xuanyu Huang"), so it is kept to match arXiv.
        const name = isRecord(author) ? stringField(author, 'name') : null;
        return name ? [name] : [];
      })
    : [];
  return {
    id: ref.id,
    title: cleanText(title),
    summary: stringField(record, 'summary'),
    authors,
    publishedAt: stringField(record, 'publishedAt'),
  };
}

function idFromHfLink(anchor: Element | null): string | null {
  const href = anchor?.getAttribute('href');
  if (!href) return null;
  try {
    return paperRefFromUrl(new URL(href, 'https://huggingface.co/'))?.id ?? null;
  } catch {
    return null;
  }
}

// HF's og:description on paper pages is boilerplate, not the abstract.
const BOILERPLATE_DESCRIPTION = /join the discussion on this paper page|on a journey to advance and democratize/i;

/**
 * The page's own paper: the `paper` prop at the top of a hydration blob (PaperContent). Papers nested
 * deeper (similar papers, recommendations) are someone else's and must not stand in for it.
 */
function hydratedPagePaper(doc: Document, arxivId: string): HfPaperData | null {
  for (const element of Array.from(doc.querySelectorAll('[data-props]'))) {
    const props = parseJsonAttribute(element, 'data-props');
    const paper = isRecord(props) && isRecord(props.paper) ? asPaper(props.paper) : null;
    if (paper?.id === arxivId) return paper;
  }
  return null;
}

/** The arXiv ids the page links to (its "arxiv:<id>" and "View arXiv page" buttons, among others). */
function linkedArxivIds(doc: Document): string[] {
  const ids: string[] = [];
  for (const anchor of Array.from(doc.querySelectorAll('a[href*="arxiv.org/"]'))) {
    const id = idFromHfLink(anchor);
    if (id) ids.push(id);
  }
  return ids;
}

/** huggingface.co/papers/<id>. */
export function readHfPaper(doc: Document, page: PageInfo): PagePaper | null {
  const linked = linkedArxivIds(doc);
  const arxivId = page.arxivId ?? linked[0] ?? null;
  if (!arxivId) return null;
  const data = hydratedPagePaper(doc, arxivId);
  // HF navigates client-side: the URL can already name the next paper while the DOM still shows the
  // previous one (or an error page). Read only a document that itself names the paper.
  if (!data && !linked.includes(arxivId)) return null;

  const main = doc.querySelector('main') ?? doc.body;
  const heading = main?.querySelector('h1') ?? null;
  const ogTitle = (metaContent(doc, 'og:title') ?? '').replace(/^Paper page\s*[-–—:]\s*/i, '');
  const title = data?.title || readableText(heading) || ogTitle;

  const ogDescription = metaContent(doc, 'og:description') ?? '';
  const abstract =
    cleanText(data?.summary ?? '') ||
    abstractFromMarkup(main) ||
    (BOILERPLATE_DESCRIPTION.test(ogDescription) ? '' : ogDescription);

  const authors = data?.authors.length ? cleanNames(data.authors) : authorsFromMarkup(main);

  const publishedText = /Published on ([A-Za-z]+\.? \d{1,2},? \d{4})/.exec(readableText(main))?.[1];
  const published = isoDate(data?.publishedAt) ?? isoDate(publishedText);

  if (!title) return null;
  return { arxivId, title, abstract, authors, categories: [], published };
}

/** The block after the "Abstract" heading. */
function abstractFromMarkup(root: Element | null | undefined): string {
  if (!root) return '';
  for (const heading of Array.from(root.querySelectorAll('h2, h3'))) {
    if (readableText(heading).toLowerCase() !== 'abstract') continue;
    const block = heading.nextElementSibling;
    return readableText(block);
  }
  return '';
}

/** The names after "Authors:": one span.author each, linked (claimed on HF) or plain text. */
function authorsFromMarkup(root: Element | null | undefined): string[] {
  if (!root) return [];
  const spans = Array.from(root.querySelectorAll('.author'), (span) => readableText(span));
  if (spans.length) return cleanNames(spans);
  for (const label of Array.from(root.querySelectorAll('h3, h4, strong, span'))) {
    // textContent first: cheap, and most elements are not the label.
    if ((label.textContent ?? '').trim() !== 'Authors:' || !label.parentElement) continue;
    const text = readableText(label.parentElement).replace(/^Authors:\s*/, '');
    return cleanNames(text.split(/\s*,\s*/));
  }
  return [];
}

/**
 * Daily, weekly, monthly and trending lists: one `<article>` per paper whose `h3 > a` links to the
 * paper page. The card's author row only shows HF avatars (usernames in `title`) and "· N authors",
 * so names, abstract and date come from the hydration data when it is there.
 */
export function readHfList(doc: Document): ListingEntry[] {
  const hydrated = hydratedPapers(doc);
  const entries: ListingEntry[] = [];
  const seen = new Set<string>();
  for (const article of Array.from(doc.querySelectorAll('article'))) {
    const link = article.querySelector('h3 a[href*="/papers/"]');
    const arxivId = idFromHfLink(link);
    const heading = link?.closest('h3') ?? null;
    if (!arxivId || !heading || seen.has(arxivId)) continue;
    const data = hydrated.get(arxivId);
    const title = readableText(heading) || data?.title || '';
    if (!title) continue;
    seen.add(arxivId);
    entries.push({
      key: arxivId,
      anchor: heading,
      paper: {
        arxivId,
        title,
        abstract: cleanText(data?.summary ?? ''),
        authors: cleanNames(data?.authors ?? []),
        categories: [],
        published: isoDate(data?.publishedAt),
      },
    });
  }
  return entries;
}
