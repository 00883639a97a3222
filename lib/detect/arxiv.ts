import type { PagePaper } from '../schema';
import { cleanText } from '../text/normalize';
import { normalizeArxivId, parseArxivId } from '../arxiv-id';
import {
  CATEGORY_CODE,
  categoriesFromSubjects,
  cleanNames,
  firstLast,
  isoDate,
  metaContent,
  metaContents,
  readableText,
  stripLabel,
  unique,
} from './dom';
import type { ListingEntry } from './types';
import { paperRefFromUrl, type PageInfo } from './page';

/**
 * Readers for arXiv's own pages: the abstract page, the LaTeXML HTML rendering, listings and
 * search results. Each returns a draft; extract.ts validates it against the PagePaper schema.
 */

function idFromLink(anchor: Element | null): string | null {
  const href = anchor?.getAttribute('href');
  if (!href) return null;
  // Listing links are relative (/abs/2401.04088); resolve them against arXiv, not the document,
  // so fixtures without a URL read the same as the live page.
  try {
    return paperRefFromUrl(new URL(href, 'https://arxiv.org/'))?.id ?? null;
  } catch {
    return null;
  }
}

/* ------------------------------------------------------------------ abstract page */

/**
 * The abstract page. Highwire `citation_*` metas come first: they are server-rendered, stable across
 * redesigns and carry TeX untouched by MathJax. The visible markup covers pages or fields without
 * them (newer layouts drop citation_abstract), og: tags are the last resort.
 */
export function readArxivAbs(doc: Document, page: PageInfo): PagePaper | null {
  const titleElement = doc.querySelector('h1.title');
  const title =
    metaContent(doc, 'citation_title') ??
    (stripLabel(readableText(titleElement), 'Title') ||
      metaContent(doc, 'og:title') ||
      titleFromHead(doc));

  const metaAuthors = metaContents(doc, 'citation_author').map(firstLast);
  const authors = metaAuthors.length
    ? cleanNames(metaAuthors)
    : cleanNames(Array.from(doc.querySelectorAll('div.authors a'), (a) => readableText(a)));

  const abstract =
    metaContent(doc, 'citation_abstract') ??
    (stripLabel(readableText(doc.querySelector('blockquote.abstract')), 'Abstract') ||
      metaContent(doc, 'og:description') ||
      '');

  const subjects = readableText(doc.querySelector('td.subjects, .metatable .subjects'));
  // "arXiv:2401.04088 [cs.LG]" names the primary category when the subjects row is missing.
  const citeAs = readableText(doc.querySelector('td.arxivid, span.arxivid'));
  const primaryFromCite = /\[([^\]]+)\]/.exec(citeAs)?.[1] ?? '';
  const categories = unique([
    ...categoriesFromSubjects(subjects),
    ...(CATEGORY_CODE.test(primaryFromCite) ? [primaryFromCite] : []),
  ]);

  const arxivId =
    page.arxivId ??
    parseArxivId(metaContent(doc, 'citation_arxiv_id') ?? '')?.id ??
    parseArxivId(/arXiv:(\S+)/.exec(citeAs)?.[1] ?? '')?.id ??
    null;

  // citation_date is the first submission; citation_online_date the latest version, so it comes last.
  const history = readableText(doc.querySelector('.submission-history'));
  const published =
    isoDate(metaContent(doc, 'citation_date')) ??
    isoDate(/Submitted on ([^(\]]+)/.exec(readableText(doc.querySelector('.dateline')))?.[1]) ??
    isoDate(/\[v1\]([^(]+)/.exec(history)?.[1]) ??
    isoDate(metaContent(doc, 'citation_online_date'));

  // The 2026 layout's URL and citation_arxiv_id name no version; og:url does (…/abs/1706.03762v7).
  const ogRef = parseArxivId(/\/abs\/(.+)$/.exec(metaContent(doc, 'og:url') ?? '')?.[1] ?? '');
  const version = page.version ?? (ogRef && ogRef.id === arxivId ? ogRef.version : null);

  if (!title) return null;
  return { arxivId, title, abstract, authors, categories, published, version };
}

/**
 * `<title>[2401.04088] Mixtral of Experts</title>`. Only a title that names a paper id counts: an
 * error page served at a paper's URL ("<title>Error</title>") is not a paper called "Error".
 */
function titleFromHead(doc: Document): string {
  const match = /^\[([^\]]+)\]\s*(.+)$/.exec(cleanText(doc.title ?? ''));
  return match?.[1] && match[2] && normalizeArxivId(match[1]) ? match[2] : '';
}

/* ------------------------------------------------------------------ LaTeXML HTML */

/**
 * arXiv's HTML rendering (LaTeXML). It has no citation metas; the author block mixes names with
 * footnote marks, affiliations and e-mails (after a <br>), so names are read up to the first
 * line break, without <sup>, and split on commas and "and".
 */
export function readArxivHtml(doc: Document, page: PageInfo): PagePaper | null {
  const title =
    readableText(doc.querySelector('h1.ltx_title_document'), { skipSup: true }) ||
    readableText(doc.querySelector('head > title'));

  const names: string[] = [];
  for (const person of Array.from(doc.querySelectorAll('.ltx_authors .ltx_personname'))) {
    const text = readableText(person, { skipSup: true, stopAtBreak: true });
    for (const part of text.split(/\s*(?:,|;|&|\band\b)\s*/)) {
      if (looksLikeName(part)) names.push(part);
    }
  }

  const abstract = stripLabel(
    readableText(doc.querySelector('.ltx_abstract'), { skipClasses: ['ltx_title_abstract'] }),
    'Abstract',
  );

  // The watermark, when present, reads "arXiv:2407.16314v1 [cs.CY] 23 Jul 2024".
  const watermark = readableText(doc.querySelector('#watermark-tr'));
  const primary = /\[([^\]]+)\]/.exec(watermark)?.[1] ?? '';
  const base = doc.querySelector('base[href]')?.getAttribute('href') ?? '';
  const arxivId =
    page.arxivId ??
    parseArxivId(/\/html\/([^/]+)/.exec(base)?.[1] ?? '')?.id ??
    parseArxivId(/arXiv:(\S+)/.exec(watermark)?.[1] ?? '')?.id ??
    null;

  if (!title) return null;
  return {
    arxivId,
    version: page.version,
    title,
    abstract,
    authors: cleanNames(names),
    categories: CATEGORY_CODE.test(primary) ? [primary] : [],
    published: isoDate(watermark.replace(/^\S*\s*\[[^\]]*\]/, '')),
  };
}

/** Filters affiliation and e-mail fragments out of a LaTeXML author block. */
function looksLikeName(text: string): boolean {
  if (!text || text.length > 80) return false;
  if (/[@\d]|https?:/.test(text)) return false;
  const words = text.split(' ');
  return words.length >= 1 && words.length <= 6 && /^\p{Lu}/u.test(text);
}

/* ------------------------------------------------------------------ listings */

/**
 * /list/… and /catchup/…: `<dl>` of `<dt>` (links: "arXiv:2401.01234 [pdf, html, other]") and
 * `<dd>` (div.list-title, div.list-authors, div.list-subjects, optional p.mathjax abstract).
 * Cross-lists and replacements use the same pair, so a paper can only be told apart by its id.
 */
export function readArxivListing(doc: Document): ListingEntry[] {
  const entries: ListingEntry[] = [];
  for (const dt of Array.from(doc.querySelectorAll('dl > dt'))) {
    const dd = dt.nextElementSibling;
    if (!dd || dd.localName.toLowerCase() !== 'dd') continue;
    const arxivId = idFromLink(dt.querySelector('a[title="Abstract"]') ?? dt.querySelector('a[href*="/abs/"]'));
    const titleElement = dd.querySelector('.list-title');
    const title = stripLabel(readableText(titleElement), 'Title');
    if (!arxivId || !title) continue;
    const authorsElement = dd.querySelector('.list-authors');
    entries.push({
      key: arxivId,
      anchor: authorsElement ?? titleElement ?? dd,
      paper: {
        arxivId,
        title,
        abstract: readableText(dd.querySelector('p.mathjax, .list-abstract')),
        authors: cleanNames(Array.from(authorsElement?.querySelectorAll('a') ?? [], (a) => readableText(a))),
        categories: categoriesFromSubjects(readableText(dd.querySelector('.list-subjects'))),
        // A listing shows the announcement day, not the submission date.
        published: null,
      },
    });
  }
  return entries;
}

/* ------------------------------------------------------------------ search results */

/**
 * arxiv.org/search: `li.arxiv-result`. The full abstract is in span.abstract-full (hidden until
 * "More" is clicked) and ends with its "△ Less" toggle link; the short one is truncated with "…".
 * Categories are the span.tag elements with a data-tooltip (the subject's name), primary first. The
 * DOI badge is a span.tag too, reading "doi", which looks like a category code, hence the attribute.
 */
export function readArxivSearch(doc: Document): ListingEntry[] {
  const entries: ListingEntry[] = [];
  for (const item of Array.from(doc.querySelectorAll('li.arxiv-result'))) {
    const arxivId = idFromLink(item.querySelector('.list-title a'));
    const title = readableText(item.querySelector('p.title'));
    if (!arxivId || !title) continue;
    const authorsElement = item.querySelector('p.authors');
    const abstractElement = item.querySelector('.abstract-full') ?? item.querySelector('p.abstract');
    const abstract = stripLabel(readableText(abstractElement), 'Abstract')
      .replace(/\s*[△▽]\s*(?:Less|More)\s*$/u, '')
      .trim();
    // "Submitted 11 December, 2025; v1 submitted 8 December, 2025; originally announced …"
    const dates = readableText(item.querySelector('p.is-size-7'));
    const published = isoDate(/v1 submitted ([^;]+)/.exec(dates)?.[1]) ?? isoDate(/Submitted ([^;]+)/.exec(dates)?.[1]);
    entries.push({
      key: arxivId,
      anchor: authorsElement ?? item.querySelector('p.title') ?? item,
      paper: {
        arxivId,
        title,
        abstract,
        authors: cleanNames(Array.from(authorsElement?.querySelectorAll('a') ?? [], (a) => readableText(a))),
        categories: unique(
          Array.from(item.querySelectorAll('.tag[data-tooltip]'), (tag) => readableText(tag)).filter((code) =>
            CATEGORY_CODE.test(code),
          ),
        ),
        published,
      },
    });
  }
  return entries;
}
