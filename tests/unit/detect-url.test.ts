import { describe, expect, it, test } from 'vitest';
import { ARXIV_ID_PATTERN } from '../../lib/schema';
import { absUrl, normalizeArxivId, paperHomes, parseArxivId, versionedId } from '../../lib/arxiv-id';
import {
  arxivIdFromUrl,
  detectPage,
  isArxivAbs,
  isArxivHtml,
  isArxivListing,
  isArxivPdf,
  isArxivSearch,
  isHfList,
  isHfPaper,
  paperRefFromUrl,
  type PageKind,
} from '../../lib/detect/page';

/**
 * One row per real-looking URL: the kind Margin must detect (null: leave the page alone) and the
 * paper it names. Every predicate is checked against every row, so a URL claimed by two detectors,
 * or by the wrong one, fails here.
 */
type Row = [url: string, kind: PageKind | null, id: string | null, version: number | null];

const ROWS: Row[] = [
  // arXiv abstract pages
  ['https://arxiv.org/abs/2401.04088', 'arxiv-abs', '2401.04088', null],
  ['https://arxiv.org/abs/2401.04088v1', 'arxiv-abs', '2401.04088', 1],
  ['https://arxiv.org/abs/1706.03762v7', 'arxiv-abs', '1706.03762', 7],
  ['https://arxiv.org/abs/2401.04088/', 'arxiv-abs', '2401.04088', null],
  ['https://arxiv.org/abs/2401.04088?context=cs.LG', 'arxiv-abs', '2401.04088', null],
  ['https://arxiv.org/abs/2401.04088v1#history', 'arxiv-abs', '2401.04088', 1],
  ['http://arxiv.org/abs/0704.0001', 'arxiv-abs', '0704.0001', null],
  ['https://www.arxiv.org/abs/1412.6980v9', 'arxiv-abs', '1412.6980', 9],
  ['https://export.arxiv.org/abs/1706.03762v7?context=cs#history', 'arxiv-abs', '1706.03762', 7],
  ['https://arxiv.org/abs/hep-th/9901001', 'arxiv-abs', 'hep-th/9901001', null],
  ['https://arxiv.org/abs/hep-th/9711200v3', 'arxiv-abs', 'hep-th/9711200', 3],
  // The subject class is not part of an old-style id: math.CA/0611800 is math/0611800.
  ['https://arxiv.org/abs/math.CA/0611800v2', 'arxiv-abs', 'math/0611800', 2],
  // Archives with a "v" in their name: the version stripper must leave them whole.
  ['https://arxiv.org/abs/solv-int/9901001', 'arxiv-abs', 'solv-int/9901001', null],
  ['https://arxiv.org/abs/cond-mat/0102536v1', 'arxiv-abs', 'cond-mat/0102536', 1],
  ['https://arxiv.org/abs/adap-org/9806001v2', 'arxiv-abs', 'adap-org/9806001', 2],
  ['https://arxiv.org/abs//2401.04088', 'arxiv-abs', '2401.04088', null],

  // arXiv PDFs
  ['https://arxiv.org/pdf/2401.04088', 'arxiv-pdf', '2401.04088', null],
  ['https://arxiv.org/pdf/2401.04088v1', 'arxiv-pdf', '2401.04088', 1],
  ['https://arxiv.org/pdf/2401.04088.pdf', 'arxiv-pdf', '2401.04088', null],
  ['https://arxiv.org/pdf/2401.04088v1.pdf', 'arxiv-pdf', '2401.04088', 1],
  ['http://export.arxiv.org/pdf/1706.03762v5', 'arxiv-pdf', '1706.03762', 5],
  ['https://arxiv.org/pdf/hep-th/9901001v1', 'arxiv-pdf', 'hep-th/9901001', 1],
  ['https://arxiv.org/pdf/hep-th/9901001.pdf', 'arxiv-pdf', 'hep-th/9901001', null],
  ['https://arxiv.org/pdf/cond-mat/0102536v1.pdf', 'arxiv-pdf', 'cond-mat/0102536', 1],

  // arXiv HTML (LaTeXML)
  ['https://arxiv.org/html/2407.16314', 'arxiv-html', '2407.16314', null],
  ['https://arxiv.org/html/2407.16314v1', 'arxiv-html', '2407.16314', 1],
  ['https://arxiv.org/html/2407.16314v1/', 'arxiv-html', '2407.16314', 1],
  ['https://arxiv.org/html/2407.16314v1/#S2', 'arxiv-html', '2407.16314', 1],
  ['https://arxiv.org/html/2401.04088v1?utm_source=x', 'arxiv-html', '2401.04088', 1],

  // arXiv listings
  ['https://arxiv.org/list/cs.LG/new', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/cs.LG/recent', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/cs.LG/recent?skip=0&show=25', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/cs/pastweek?show=1000', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/hep-th/current', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/astro-ph.CO/2024', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/math.CA/2024-01', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/physics.acc-ph/2401?skip=25&show=25', 'arxiv-listing', null, null],
  ['https://arxiv.org/list/hep-th/99', 'arxiv-listing', null, null],
  ['https://arxiv.org/catchup/cs.LG/2024-01-08', 'arxiv-listing', null, null],
  ['https://arxiv.org/catchup?smonth=01&group=grp_&sday=08&num=50&archive=cs&method=with&syear=2024', 'arxiv-listing', null, null],

  // arXiv search results
  ['https://arxiv.org/search/?query=distributed+systems&searchtype=abstract&size=200', 'arxiv-search', null, null],
  ['https://arxiv.org/search?query=mixture+of+experts&searchtype=all', 'arxiv-search', null, null],
  ['https://arxiv.org/search/cs?searchtype=author&query=Jiang,+A+Q', 'arxiv-search', null, null],
  [
    'https://arxiv.org/search/advanced?advanced=&terms-0-operator=AND&terms-0-term=transformer&terms-0-field=title&classification-physics_archives=all&date-filter_by=all_dates&size=50&order=-announced_date_first',
    'arxiv-search',
    null,
    null,
  ],

  // Hugging Face paper pages
  ['https://huggingface.co/papers/2401.04088', 'hf-paper', '2401.04088', null],
  ['https://huggingface.co/papers/2401.04088#community', 'hf-paper', '2401.04088', null],
  ['https://huggingface.co/papers/2407.21783?utm_source=digest', 'hf-paper', '2407.21783', null],
  ['https://huggingface.co/papers/2407.21783/', 'hf-paper', '2407.21783', null],

  // Hugging Face paper lists
  ['https://huggingface.co/papers', 'hf-list', null, null],
  ['https://huggingface.co/papers?date=2024-08-01', 'hf-list', null, null],
  ['https://huggingface.co/papers/date/2024-08-01', 'hf-list', null, null],
  ['https://huggingface.co/papers/week/2024-W31', 'hf-list', null, null],
  ['https://huggingface.co/papers/month/2024-08', 'hf-list', null, null],
  ['https://huggingface.co/papers/trending', 'hf-list', null, null],

  // Not Margin's pages
  ['https://arxiv.org/', null, null, null],
  ['https://arxiv.org/help/api/user-manual', null, null, null],
  ['https://arxiv.org/a/jiang_a_1', null, null, null],
  ['https://arxiv.org/list', null, null, null], // no category
  ['https://arxiv.org/list/cs.LG', null, null, null], // no period
  ['https://arxiv.org/catchup', null, null, null], // the empty form
  ['https://arxiv.org/search/', null, null, null], // the empty form
  ['https://arxiv.org/search/advanced', null, null, null], // the empty form
  ['https://arxiv.org/search/advanced?advanced=&terms-0-term=&terms-0-field=title', null, null, null],
  ['https://arxiv.org/format/2401.04088', null, null, null], // a download chooser
  ['https://arxiv.org/src/2401.04088v1', null, null, null],
  ['https://arxiv.org/html/2407.16314v1/x1.png', null, null, null], // a figure, not the document
  ['https://arxiv.org/abs/2401.0408', null, null, null], // 4-digit number after 1501
  ['https://arxiv.org/abs/1312.60381', null, null, null], // 5-digit number before 1501
  ['https://arxiv.org/abs/2413.04088', null, null, null], // month 13
  ['https://arxiv.org/abs/', null, null, null],
  ['https://arxiv.org/abs/mixtral', null, null, null],
  ['ftp://arxiv.org/abs/2401.04088', null, null, null],
  ['https://arxiv.com/abs/2401.04088', null, null, null], // not arXiv's host
  ['https://notarxiv.org/abs/2401.04088', null, null, null],
  ['https://huggingface.co/papers/submit', null, null, null],
  ['https://huggingface.co/papers/date', null, null, null],
  ['https://huggingface.co/papers/date/yesterday', null, null, null],
  ['https://huggingface.co/papers/week/2024-31', null, null, null],
  ['https://huggingface.co/papers/2401.04088/discussion', null, null, null],
  ['https://huggingface.co/mistralai/Mixtral-8x7B-v0.1', null, null, null],
  ['https://huggingface.co/spaces/huggingface/HuggingDiscussions', null, null, null],
  ['https://huggingface.co/models?other=arxiv:2401.04088', null, null, null],
  ['https://www.alphaxiv.org/abs/2401.04088', null, null, null], // a mirror: an id for links, not a page
  ['/abs/2401.04088', null, null, null], // relative: no host to trust
  ['not a url', null, null, null],
  ['', null, null, null],
];

const PREDICATES: Record<PageKind, (url: string) => boolean> = {
  'arxiv-abs': isArxivAbs,
  'arxiv-pdf': isArxivPdf,
  'arxiv-html': isArxivHtml,
  'arxiv-listing': isArxivListing,
  'arxiv-search': isArxivSearch,
  'hf-paper': isHfPaper,
  'hf-list': isHfList,
};

const PREDICATE_NAMES: Record<PageKind, string> = {
  'arxiv-abs': 'isArxivAbs',
  'arxiv-pdf': 'isArxivPdf',
  'arxiv-html': 'isArxivHtml',
  'arxiv-listing': 'isArxivListing',
  'arxiv-search': 'isArxivSearch',
  'hf-paper': 'isHfPaper',
  'hf-list': 'isHfList',
};

describe('the URL table', () => {
  it('has enough rows, each URL once, and every kind covered', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
    const urls = ROWS.map(([url]) => url);
    expect(new Set(urls).size, 'a URL is listed twice in ROWS').toBe(urls.length);
    for (const kind of Object.keys(PREDICATES) as PageKind[]) {
      expect(ROWS.filter((row) => row[1] === kind).length, `no URLs for ${kind}: add some to ROWS`).toBeGreaterThan(2);
    }
    expect(ROWS.filter((row) => row[1] === null).length).toBeGreaterThan(15);
  });

  it('only names ids that satisfy the shared schema', () => {
    for (const [url, , id] of ROWS) {
      if (id !== null) expect(id, `${url}: the expected id is not an ArxivId`).toMatch(ARXIV_ID_PATTERN);
    }
  });
});

describe('cross-matrix: each URL is detected by its own predicate and by no other', () => {
  test.each(ROWS)('%s', (url, kind) => {
    for (const [predicateKind, predicate] of Object.entries(PREDICATES) as [PageKind, (u: string) => boolean][]) {
      const name = PREDICATE_NAMES[predicateKind];
      const expected = predicateKind === kind;
      expect(
        predicate(url),
        expected
          ? `${name} should match ${url}. Is this URL really a ${kind} page? Yes → fix ${name} in lib/detect/page.ts; No → fix its row in ROWS.`
          : `${name} should NOT match ${url} (expected ${kind ?? 'no kind'}). Is it a ${predicateKind} page? Yes → fix its row in ROWS; No → tighten ${name} in lib/detect/page.ts.`,
      ).toBe(expected);
    }
  });
});

describe('detectPage names the paper of each URL', () => {
  test.each(ROWS)('%s', (url, kind, id, version) => {
    const page = detectPage(url);
    if (kind === null) {
      expect(page, `${url} should be no Margin page: tighten detectPage or fix its row`).toBeNull();
      return;
    }
    expect(page, `${url} was not detected at all: expected ${kind}`).not.toBeNull();
    expect(
      { kind: page?.kind, arxivId: page?.arxivId, version: page?.version },
      `${url}: wrong kind/id/version. Fix the parser in lib/detect/page.ts or lib/detect/arxiv-id.ts, or the row if the expectation is wrong.`,
    ).toEqual({ kind, arxivId: id, version });
  });
});

describe('inputs other than strings', () => {
  it('accepts URL objects', () => {
    expect(detectPage(new URL('https://arxiv.org/abs/2401.04088v1'))).toEqual({
      kind: 'arxiv-abs',
      arxivId: '2401.04088',
      version: 1,
    });
  });

  it('accepts Location-like and anchor-like objects through their absolute href', () => {
    const location = { href: 'https://huggingface.co/papers/2401.04088#community' } as Location;
    expect(isHfPaper(location)).toBe(true);
    const anchor = { href: 'https://arxiv.org/pdf/2401.04088v1' } as HTMLAnchorElement;
    expect(arxivIdFromUrl(anchor)).toBe('2401.04088');
  });
});

describe('arxivIdFromUrl', () => {
  test.each([
    ['https://arxiv.org/abs/2401.04088v2', '2401.04088'],
    ['https://arxiv.org/pdf/hep-th/9901001v1.pdf', 'hep-th/9901001'],
    ['https://arxiv.org/html/2407.16314v1/', '2407.16314'],
    ['https://huggingface.co/papers/2401.04088', '2401.04088'],
    ['https://ar5iv.labs.arxiv.org/html/1706.03762', '1706.03762'],
    ['https://ar5iv.org/abs/hep-th/9711200', 'hep-th/9711200'],
    ['https://www.alphaxiv.org/abs/2401.04088v1', '2401.04088'],
    ['https://www.alphaxiv.org/overview/2401.04088', '2401.04088'],
    ['https://arxiv.org/list/cs.LG/new', null],
    ['https://huggingface.co/papers/trending', null],
    ['https://huggingface.co/papers/submit', null],
    ['https://huggingface.co/papers/date/2024-08-01', null],
    ['https://arxiv.org/format/2401.04088', null],
    ['https://example.com/abs/2401.04088', null],
    ['nonsense', null],
  ])('%s → %s', (url, id) => {
    expect(arxivIdFromUrl(url)).toBe(id);
  });

  it('keeps the version in paperRefFromUrl', () => {
    expect(paperRefFromUrl('https://www.alphaxiv.org/abs/2401.04088v3')).toEqual({ id: '2401.04088', version: 3 });
    expect(paperRefFromUrl('https://arxiv.org/abs/solv-int/9901001v2')).toEqual({ id: 'solv-int/9901001', version: 2 });
  });
});

describe('parseArxivId', () => {
  test.each([
    ['2401.04088', { id: '2401.04088', version: null }],
    ['arXiv:2401.04088v2', { id: '2401.04088', version: 2 }],
    [' 0704.0001 ', { id: '0704.0001', version: null }],
    ['hep-th/9901001v1', { id: 'hep-th/9901001', version: 1 }],
    ['math.CA/0611800v2', { id: 'math/0611800', version: 2 }],
    ['solv-int/9901001', { id: 'solv-int/9901001', version: null }],
    ['cond-mat/0102536v1', { id: 'cond-mat/0102536', version: 1 }],
    ['0703.0001', null], // before new-style ids existed
    ['2401.04088v0', { id: '2401.04088', version: null }],
    ['trending', null],
    ['2401.04088.pdf', null],
    // Archives are case-insensitive to arXiv (arxiv-browse's test_good_identifiers).
    ['HEP-TH/9901001', { id: 'hep-th/9901001', version: null }],
    ['0704.0000', null], // no paper number 0
    ['1412.12345', null], // 5-digit numbers start in 1501
    ['1501.0001', null],
    ['hep-th/9013001', null], // month 13
    ['hep-th/9001001', null], // before arXiv (August 1991)
    ['hep-th/0704001', null], // old-style ids ended in March 2007
    ['hep-th/9901001/extra', null], // strict: one id, nothing after it
  ])('%s', (text, expected) => {
    expect(parseArxivId(text)).toEqual(expected);
  });
});

describe('normalizeArxivId forgives what arXiv forgives, and nothing glued to the id', () => {
  test.each([
    ['/hep-th//9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['physics/0303098/static/icon.png', { id: 'physics/0303098', version: null }],
    ['arXiv:1701.08223v2?234', { id: '1701.08223', version: 2 }],
    ['hep-th/1601.07616', { id: '1601.07616', version: null }],
    ['math.GT/0309136', { id: 'math/0309136', version: null }],
    ['0707.2096va', null],
    ['0705.35950705.3595v1/', null],
    ['2401.04088.pdf', null],
  ])('%s', (text, expected) => {
    expect(normalizeArxivId(text)).toEqual(expected);
  });
});

describe("a paper's homes, built from its id", () => {
  it('new-style ids since December 2023: arXiv abstract, PDF, arXiv HTML, Hugging Face', () => {
    expect(paperHomes('2401.04088').map((home) => home.url)).toEqual([
      'https://arxiv.org/abs/2401.04088',
      'https://arxiv.org/pdf/2401.04088',
      'https://arxiv.org/html/2401.04088',
      'https://huggingface.co/papers/2401.04088',
    ]);
  });
  it('older papers have their HTML on ar5iv; old-style ids have no Hugging Face page', () => {
    expect(paperHomes('1706.03762').find((home) => home.kind === 'html')?.url).toBe('https://ar5iv.labs.arxiv.org/html/1706.03762');
    expect(paperHomes('hep-th/9901001').map((home) => home.kind)).toEqual(['abs', 'pdf', 'html']);
  });
  it('no homes for a string that is not an id', () => {
    expect(paperHomes('javascript:alert(1)')).toEqual([]);
    expect(paperHomes(null)).toEqual([]);
  });
  it('every home is a page Margin recognises as that paper', () => {
    for (const id of ['2401.04088', '1706.03762', 'hep-th/9901001']) {
      for (const home of paperHomes(id)) expect(paperRefFromUrl(home.url)?.id, home.url).toBe(id);
    }
  });
});

it('versionedId writes the version only when known', () => {
  expect(versionedId({ id: '1706.03762', version: 7 })).toBe('1706.03762v7');
  expect(versionedId({ id: 'hep-th/9901001', version: null })).toBe('hep-th/9901001');
});

it('absUrl builds the canonical abstract URL', () => {
  expect(absUrl('2401.04088')).toBe('https://arxiv.org/abs/2401.04088');
  expect(absUrl('hep-th/9901001')).toBe('https://arxiv.org/abs/hep-th/9901001');
  expect(detectPage(absUrl('hep-th/9901001'))?.arxivId).toBe('hep-th/9901001');
});
