import { parseArxivId, type ArxivRef } from '../arxiv-id';

/**
 * Which pages Margin annotates, decided from the URL alone: pure and synchronous, so it runs the
 * same on `location`, on a link and on a test string. Real example URLs, positive and negative,
 * live in tests/unit/detect-url.test.ts; the gotchas they pin down are commented here.
 */

export type PageKind =
  | 'arxiv-abs'
  | 'arxiv-html'
  | 'arxiv-pdf'
  | 'arxiv-listing'
  | 'arxiv-search'
  | 'hf-paper'
  | 'hf-list';

export interface PageInfo {
  kind: PageKind;
  /** Version-less arXiv id of the page's paper; null on listing pages. */
  arxivId: string | null;
  /** The version the URL asks for (`v2`), null when it names none. */
  version: number | null;
}

/** Anything a URL can be read from: a parsed URL, a link element, `location`, or an absolute URL string. */
export type UrlLike = URL | HTMLAnchorElement | Location | string;

// export.arxiv.org is the mirror arXiv asks robots and API clients to use; people land there
// from API results, so its pages are the same pages.
const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org']);
const HF_HOSTS = new Set(['huggingface.co', 'www.huggingface.co']);

// cs, hep-th, cs.LG, astro-ph.CO, physics.acc-ph, q-bio.NC
const CATEGORY = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/;
// new, recent, pastweek, current; a year (2024) or, with the same four digits, a YYMM month (2401);
// YYYY-MM; and the two-digit years of old bookmarks (/list/hep-th/99).
const LISTING_PERIOD = /^(?:new|recent|pastweek|current|\d{2}|\d{4}|\d{4}-\d{2})$/;

function toUrl(input: UrlLike): URL | null {
  try {
    if (typeof input === 'string') return new URL(input);
    if (input instanceof URL) return input;
    // Location and HTMLAnchorElement both expose an absolute `href`, even for a relative link.
    return new URL(input.href);
  } catch {
    // Relative strings and garbage: no base to resolve against, so no page.
    return null;
  }
}

/** Path without duplicate or trailing slashes: `/abs//2401.04088/` and `/abs/2401.04088` are one page. */
function cleanPath(url: URL): string {
  return url.pathname.replace(/\/{2,}/g, '/').replace(/\/$/, '');
}

function isWebProtocol(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}

function paperPage(kind: PageKind, ref: ArxivRef | null): PageInfo | null {
  return ref ? { kind, arxivId: ref.id, version: ref.version } : null;
}

function listPage(kind: PageKind): PageInfo {
  return { kind, arxivId: null, version: null };
}

function detectArxiv(url: URL): PageInfo | null {
  const path = cleanPath(url);
  const [, section = '', ...rest] = path.split('/');
  const tail = rest.join('/');

  switch (section) {
    case 'abs':
      // /abs/2401.04088v2?context=cs.LG#history, /abs/hep-th/9901001. Old-style ids contain a
      // slash, which is why the whole tail is parsed rather than one segment.
      return paperPage('arxiv-abs', parseArxivId(tail));
    case 'pdf':
      // /pdf/2401.04088, /pdf/2401.04088v1.pdf, /pdf/hep-th/9901001v1: the ".pdf" is optional
      // and comes after the version.
      return paperPage('arxiv-pdf', parseArxivId(tail.replace(/\.pdf$/, '')));
    case 'ftp': {
      // The old download path: /ftp/arxiv/papers/1110/1110.2832.pdf (new-style ids) and
      // /ftp/cond-mat/papers/0408/0408502.pdf (old-style, archive in place of "arxiv").
      const [archive = '', papers = '', yymm = '', file = '', ...extra] = rest;
      const name = /^(.+)\.pdf$/.exec(file)?.[1];
      if (papers !== 'papers' || !name || !name.startsWith(yymm) || extra.length > 0) return null;
      return paperPage('arxiv-pdf', parseArxivId(archive === 'arxiv' ? name : `${archive}/${name}`));
    }
    case 'html':
      // /html/2407.16314v1/ is the document; /html/2407.16314v1/x1.png is one of its figures
      // (extra segments make the id unparseable, so figures are not pages).
      return paperPage('arxiv-html', parseArxivId(tail));
    case 'list': {
      // /list/cs.LG/new. Bare /list and /list/cs.LG (no period) are not listings of papers.
      const [category = '', period = '', ...extra] = rest;
      return CATEGORY.test(category) && LISTING_PERIOD.test(period) && extra.length === 0
        ? listPage('arxiv-listing')
        : null;
    }
    case 'catchup': {
      // Two generations: /catchup/cs.LG/2024-01-08 and /catchup?syear=2024&smonth=01&sday=08&archive=cs.
      // Bare /catchup is the form that asks for those parameters, with no papers on it.
      if (rest.length === 0) {
        const params = url.searchParams;
        return params.get('archive') || params.get('syear') ? listPage('arxiv-listing') : null;
      }
      const [category = '', date = '', ...extra] = rest;
      return CATEGORY.test(category) && /^\d{4}-\d{2}-\d{2}$/.test(date) && extra.length === 0
        ? listPage('arxiv-listing')
        : null;
    }
    case 'search':
      return isSearchResults(url, rest) ? listPage('arxiv-search') : null;
    default:
      // /, /help/..., /a/<author> (author pages), /format/<id>, /src/<id>, /ps/<id>, /tb/<id>:
      // either no paper or a download, none of them a page Margin annotates.
      return null;
  }
}

function isSearchResults(url: URL, rest: string[]): boolean {
  const params = url.searchParams;
  if (rest.length === 0 || (rest.length === 1 && rest[0] !== 'advanced')) {
    // /search/?query=...&searchtype=all and /search/cs?searchtype=author&query=Jiang,+A+Q
    // (the author links of abs pages). Without a query it is the empty search form.
    const archive = rest[0];
    if (archive !== undefined && !CATEGORY.test(archive)) return false;
    return (params.get('query') ?? '').trim() !== '';
  }
  if (rest.length === 1 && rest[0] === 'advanced') {
    // /search/advanced?advanced=&terms-0-term=...: results only once a term is filled in;
    // /search/advanced alone (or with empty terms) is the form.
    for (const [key, value] of params) {
      if (/^terms-\d+-term$/.test(key) && value.trim() !== '') return true;
    }
    return false;
  }
  return false;
}

function detectHuggingFace(url: URL): PageInfo | null {
  const [, section, ...rest] = cleanPath(url).split('/');
  if (section !== 'papers') return null; // models, datasets, spaces, users
  if (rest.length === 0) return listPage('hf-list'); // /papers, /papers?date=2024-08-01, /papers?q=...
  const [first = '', second, ...extra] = rest;
  if (rest.length === 1) {
    if (first === 'trending') return listPage('hf-list');
    // HF paper pages are keyed by new-style ids only. Words like "submit", "date" or "trending"
    // never parse as ids, so they cannot leak through as an arXiv id here.
    return paperPage('hf-paper', parseArxivId(first));
  }
  if (extra.length > 0 || second === undefined) return null;
  // Archive pages: /papers/date/2024-08-01, /papers/week/2024-W31, /papers/month/2024-08.
  const archivePattern: Record<string, RegExp> = {
    date: /^\d{4}-\d{2}-\d{2}$/,
    week: /^\d{4}-W\d{2}$/,
    month: /^\d{4}-\d{2}$/,
  };
  return archivePattern[first]?.test(second) ? listPage('hf-list') : null;
}

/** What kind of Margin page `input` is, with the paper it shows; null when Margin leaves the page alone. */
export function detectPage(input: UrlLike): PageInfo | null {
  const url = toUrl(input);
  if (!url || !isWebProtocol(url)) return null;
  const host = url.hostname.toLowerCase();
  if (ARXIV_HOSTS.has(host)) return detectArxiv(url);
  if (HF_HOSTS.has(host)) return detectHuggingFace(url);
  return null;
}

// Each predicate is a view on detectPage, so no two can claim the same URL.
const kindIs = (kind: PageKind) => (input: UrlLike): boolean => detectPage(input)?.kind === kind;

export const isArxivAbs = kindIs('arxiv-abs');
export const isArxivPdf = kindIs('arxiv-pdf');
export const isArxivHtml = kindIs('arxiv-html');
export const isArxivListing = kindIs('arxiv-listing');
export const isArxivSearch = kindIs('arxiv-search');
export const isHfPaper = kindIs('hf-paper');
export const isHfList = kindIs('hf-list');

// Mirrors that show one arXiv paper under its id. Margin does not annotate them, but a link or a
// right-click on one still names a paper.
const AR5IV_PATH = /^\/(?:abs|html|papers)\/(.+)$/;
const ALPHAXIV_PATH = /^\/(?:abs|overview|replicate|audio)\/(.+)$/;
const MIRROR_PATHS: Record<string, RegExp> = {
  'ar5iv.labs.arxiv.org': AR5IV_PATH,
  'ar5iv.org': AR5IV_PATH,
  'alphaxiv.org': ALPHAXIV_PATH,
  'www.alphaxiv.org': ALPHAXIV_PATH,
};

/** The paper (id and version) a URL points at: arXiv abs/pdf/html, a Hugging Face paper page, or an arXiv mirror. */
export function paperRefFromUrl(input: UrlLike): ArxivRef | null {
  const url = toUrl(input);
  if (!url || !isWebProtocol(url)) return null;
  const page = detectPage(url);
  if (page) return page.arxivId ? { id: page.arxivId, version: page.version } : null;
  const mirror = MIRROR_PATHS[url.hostname.toLowerCase()]?.exec(cleanPath(url));
  return mirror?.[1] ? parseArxivId(mirror[1]) : null;
}

/** The version-less arXiv id a URL points at (see paperRefFromUrl), for links and the context menu. */
export function arxivIdFromUrl(input: UrlLike): string | null {
  return paperRefFromUrl(input)?.id ?? null;
}
