import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { describe, expect, it, test } from 'vitest';
import { PagePaper } from '../../lib/schema';
import { firstLast, isoDate, readableText } from '../../lib/detect/dom';
import { extractListingEntries, extractPaper, type ListingEntry } from '../../lib/detect/extract';
import { detectPage, type PageInfo } from '../../lib/detect/page';

/**
 * Page reading against saved pages. arxiv-html-2407.16314v1, arxiv-search-distributed-systems and
 * hf-daily-papers-2024-08-01 are real captures; the abs, listing and HF paper pages are hand-made
 * after the real markup, with real metadata, and reuse real page chrome. Counts are taken independently of
 * the code under test (regexes over the raw HTML), so a reader that silently drops entries fails.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function raw(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

function parse(html: string, url = 'https://arxiv.org/'): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
  });
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

function page(url: string): PageInfo {
  const info = detectPage(url);
  if (!info) throw new Error(`fixture URL ${url} is not detected: fix the test or lib/detect/page.ts`);
  return info;
}

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

const MIXTRAL_ABSTRACT_START = 'We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model. Mixtral has';
const MIXTRAL_ABSTRACT_END = 'Both the base and instruct models are released under the Apache 2.0 license.';

/** Links in arXiv's div.authors block. */
function absAuthorLinks(html: string): number {
  return count(/<div class="authors">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '', /<a /g);
}

function expectValidPaper(paper: unknown): void {
  const parsed = PagePaper.safeParse(paper);
  expect(parsed.success, 'extracted paper does not satisfy the PagePaper schema').toBe(true);
}

/** `shownAuthors`: the number of author elements counted in the raw HTML. */
function expectMixtral(paper: PagePaper | null, shownAuthors: number): void {
  expect(paper, 'the Mixtral page was not read at all').not.toBeNull();
  if (!paper) return;
  expectValidPaper(paper);
  expect(paper.arxivId).toBe('2401.04088');
  expect(paper.title).toBe('Mixtral of Experts');
  expect(paper.authors[0]).toBe('Albert Q. Jiang');
  expect(paper.authors.at(-1)).toBe('William El Sayed');
  // Particles stay with the surname when "Last, First" is turned around; entities are decoded.
  expect(paper.authors).toContain('Teven Le Scao');
  expect(paper.authors).toContain('Diego de las Casas');
  expect(paper.authors).toContain('Lélio Renard Lavaud');
  expect(paper.authors.length).toBe(26);
  expect(paper.authors.length, 'author count differs from the author elements of the page').toBe(shownAuthors);
  expect(paper.categories).toEqual(['cs.LG', 'cs.CL']);
  expect(paper.published).toBe('2024-01-08');
  expect(paper.abstract.startsWith(MIXTRAL_ABSTRACT_START), paper.abstract.slice(0, 120)).toBe(true);
  expect(paper.abstract.endsWith(MIXTRAL_ABSTRACT_END)).toBe(true);
  expect(paper.abstract).not.toMatch(/\n|\s{2}|^Abstract/);
}

describe('extractPaper: arXiv abstract pages', () => {
  it('reads the 2023 layout (citation metas, including citation_abstract)', () => {
    const html = raw('arxiv-abs-2023.html');
    expect(count(html, /name="citation_author"/g)).toBe(26);
    expectMixtral(extractPaper(parse(html), page('https://arxiv.org/abs/2401.04088')), absAuthorLinks(html));
  });

  it('reads the 2025 layout (no citation_abstract: the abstract comes from the blockquote)', () => {
    const html = raw('arxiv-abs-2025.html');
    expect(html).not.toContain('citation_abstract');
    expectMixtral(extractPaper(parse(html), page('https://arxiv.org/abs/2401.04088v1')), absAuthorLinks(html));
  });

  it('prefers citation metas over the markup, and falls back to og:description, then to no abstract', () => {
    const doc = parse(raw('arxiv-abs-2025.html'));
    const h1 = doc.querySelector('h1.title');
    if (h1) h1.textContent = 'Something else entirely';
    expect(extractPaper(doc, page('https://arxiv.org/abs/2401.04088'))?.title).toBe('Mixtral of Experts');

    doc.querySelector('blockquote.abstract')?.remove();
    expect(extractPaper(doc, page('https://arxiv.org/abs/2401.04088'))?.abstract.startsWith(MIXTRAL_ABSTRACT_START)).toBe(true);
    doc.querySelector('meta[property="og:description"]')?.remove();
    expect(extractPaper(doc, page('https://arxiv.org/abs/2401.04088'))?.abstract).toBe('');
  });

  it('reads a page without any citation or og metas from its markup (old-style id, revised paper)', () => {
    const html = raw('arxiv-abs-nometa-hep-th-9711200.html');
    expect(html).not.toMatch(/<meta (name|property)="(citation_|og:)/);
    const paper = extractPaper(parse(html), page('https://arxiv.org/abs/hep-th/9711200v3'));
    expect(paper).toEqual({
      arxivId: 'hep-th/9711200',
      title: 'The Large N Limit of Superconformal Field Theories and Supergravity',
      authors: ['Juan M. Maldacena'],
      categories: ['hep-th'],
      // The first submission (dateline "Submitted on 27 Nov 1997 (v1), last revised 22 Jan 1998").
      published: '1997-11-27',
      // The version the URL asks for, remembered when the paper is saved.
      version: 3,
      abstract: expect.stringMatching(/^We show that the large N limit of certain conformal field theories .* five non-compact dimensions\.$/),
    });
  });

  it('finds the id in the page ("Cite as") when the caller has none', () => {
    const doc = parse(raw('arxiv-abs-nometa-hep-th-9711200.html'));
    const paper = extractPaper(doc, { kind: 'arxiv-abs', arxivId: null, version: null });
    expect(paper?.arxivId).toBe('hep-th/9711200');
  });

  it('keeps TeX as written when MathJax has already rendered the page', () => {
    const doc = parse(`<html><body><h1 class="title mathjax"><span class="descriptor">Title:</span>On
      <span class="MathJax_Preview" style="display: none;"></span><span class="MathJax" id="MathJax-Element-1-Frame"><nobr><span class="math">O(n2)</span></nobr></span><script type="math/tex" id="MathJax-Element-1">O(n^2)</script>
      sorting</h1>
      <blockquote class="abstract mathjax"><span class="descriptor">Abstract:</span>  We show
      <mjx-container class="MathJax" jax="CHTML"><mjx-math>glyphs</mjx-math><mjx-assistive-mml><math alttext="E=mc^2"><mi>E</mi></math></mjx-assistive-mml></mjx-container>
      holds.</blockquote></body></html>`);
    const paper = extractPaper(doc, page('https://arxiv.org/abs/2401.00001'));
    expect(paper?.title).toBe('On $O(n^2)$ sorting');
    expect(paper?.abstract).toBe('We show $E=mc^2$ holds.');
  });
});

describe('extractPaper: arXiv HTML (LaTeXML), real capture 2407.16314v1', () => {
  const html = raw('arxiv-html-2407.16314v1.html');
  const paper = extractPaper(parse(html, 'https://arxiv.org/html/2407.16314v1'), page('https://arxiv.org/html/2407.16314v1'));

  it('reads title, abstract and id', () => {
    expect(paper).not.toBeNull();
    expectValidPaper(paper);
    expect(paper?.arxivId).toBe('2407.16314');
    expect(paper?.title).toBe('Capital as Artificial Intelligence');
    // The "Abstract" heading (h6.ltx_title_abstract) is not part of the abstract.
    expect(paper?.abstract.startsWith('We gather many perspectives on Capital and synthesize their commonalities.')).toBe(true);
    expect(paper?.abstract.endsWith('interact with a part of Capital.')).toBe(true);
    expect(paper?.categories).toEqual([]);
    expect(paper?.published).toBeNull();
  });

  it('keeps author names only: no footnote marks, affiliations, "Equal Contribution" or e-mails', () => {
    expect(paper?.authors).toEqual(['Cesare Carissimo', 'Marcin Korecki']);
    expect(paper?.authors.length).toBe(count(html, /ltx_role_author/g));
  });

  it('reads the id from <base href> when the caller has none', () => {
    const other = extractPaper(parse(html), { kind: 'arxiv-html', arxivId: null, version: null });
    expect(other?.arxivId).toBe('2407.16314');
  });
});

describe('extractPaper: Hugging Face paper page', () => {
  const html = raw('hf-paper-2401.04088.html');
  const hfPage = page('https://huggingface.co/papers/2401.04088');

  it('reads the paper from the hydration data', () => {
    const paper = extractPaper(parse(html, 'https://huggingface.co/papers/2401.04088'), hfPage);
    // HF shows no arXiv categories; everything else matches the arXiv page.
    expect(paper?.categories).toEqual([]);
    expectMixtral(paper ? { ...paper, categories: ['cs.LG', 'cs.CL'] } : null, count(html, /class="author /g));
  });

  it('reads the same paper from the markup when the hydration data is missing', () => {
    const doc = parse(html, 'https://huggingface.co/papers/2401.04088');
    for (const element of Array.from(doc.querySelectorAll('[data-props]'))) element.removeAttribute('data-props');
    const paper = extractPaper(doc, hfPage);
    expect(paper?.title).toBe('Mixtral of Experts');
    expect(paper?.authors.length).toBe(26);
    expect(paper?.authors[0]).toBe('Albert Q. Jiang');
    expect(paper?.authors.at(-1)).toBe('William El Sayed');
    expect(paper?.abstract.startsWith(MIXTRAL_ABSTRACT_START)).toBe(true);
    expect(paper?.published).toBe('2024-01-08');
    expect(paper?.arxivId).toBe('2401.04088');
  });

  it('reads authors from the "Authors:" row when the per-author spans lose their class', () => {
    const doc = parse(html.replace(/class="author /g, 'class="'));
    for (const element of Array.from(doc.querySelectorAll('[data-props]'))) element.removeAttribute('data-props');
    const authors = extractPaper(doc, hfPage)?.authors;
    expect(authors?.length).toBe(26);
    expect(authors?.[13]).toBe('Lélio Renard Lavaud');
  });

  it('does not read a document that does not name the paper (stale DOM after client-side navigation)', () => {
    const doc = parse(html);
    expect(extractPaper(doc, page('https://huggingface.co/papers/2401.04081'))).toBeNull();
  });

  it('never takes the boilerplate og:description for an abstract', () => {
    const doc = parse(html);
    for (const element of Array.from(doc.querySelectorAll('[data-props]'))) element.removeAttribute('data-props');
    for (const heading of Array.from(doc.querySelectorAll('h2'))) heading.remove();
    expect(doc.querySelector('meta[property="og:description"]')?.getAttribute('content')).toBe('Join the discussion on this paper page');
    const paper = extractPaper(doc, hfPage);
    expect(paper?.title).toBe('Mixtral of Experts');
    expect(paper?.abstract).toBe('');
  });
});

function expectListing(entries: ListingEntry[], expected: { count: number; first: string; last: string }): void {
  expect(entries.length, 'entry count differs from an independent count over the raw HTML').toBe(expected.count);
  expect(entries[0]?.key).toBe(expected.first);
  expect(entries.at(-1)?.key).toBe(expected.last);
  expect(new Set(entries.map((entry) => entry.key)).size, 'listing keys must be unique').toBe(entries.length);
  for (const entry of entries) {
    expect(entry.key).toBe(entry.paper.arxivId);
    expectValidPaper(entry.paper);
    expect(entry.anchor.isConnected, `${entry.key}: anchor is not in the document`).toBe(true);
  }
}

describe('extractListingEntries: arXiv listing /list/cs.LG/new', () => {
  const html = raw('arxiv-list-cs-lg-new.html');
  const entries = extractListingEntries(parse(html), page('https://arxiv.org/list/cs.LG/new'));

  it('finds every entry, new submissions, cross-lists and replacements alike', () => {
    expectListing(entries, { count: count(html, /title="Abstract"/g), first: '2401.04088', last: '2312.00752' });
    expect(entries.length).toBe(12);
  });

  it('reads each entry and anchors after its authors', () => {
    const moeMamba = entries[1];
    expect(moeMamba?.paper).toEqual({
      arxivId: '2401.04081',
      title: 'MoE-Mamba: Efficient Selective State Space Models with Mixture of Experts',
      authors: ['Maciej Pióro', 'Kamil Ciebiera', 'Krystian Król', 'Jan Ludziejewski', 'Sebastian Jaszczur'],
      categories: ['cs.LG', 'cs.AI', 'cs.CL'],
      published: null,
      abstract: expect.stringMatching(/^State Space Models \(SSMs\) have become .*\$2\.35\\times\$ fewer training steps.*against Transformer\.$/),
    });
    expect(moeMamba?.anchor.classList.contains('list-authors')).toBe(true);
    expect(entries[0]?.paper.authors.length).toBe(26);
  });

  it('keeps the cross-list primary category first and reads replacements without abstracts', () => {
    expect(entries.find((entry) => entry.key === '2401.09417')?.paper.categories).toEqual(['cs.CV', 'cs.LG']);
    const adam = entries.find((entry) => entry.key === '1412.6980');
    expect(adam?.paper.title).toBe('Adam: A Method for Stochastic Optimization');
    expect(adam?.paper.authors).toEqual(['Diederik P. Kingma', 'Jimmy Ba']);
    expect(adam?.paper.abstract).toBe('');
  });
});

describe('extractListingEntries: arXiv search results, real capture', () => {
  const html = raw('arxiv-search-distributed-systems.html');
  const entries = extractListingEntries(
    parse(html),
    page('https://arxiv.org/search/?query=distributed+systems&searchtype=abstract&size=200'),
  );

  it('finds every result', () => {
    expectListing(entries, { count: count(html, /<li class="arxiv-result">/g), first: '2512.03003', last: '2512.08261' });
    expect(entries.length).toBe(200);
  });

  it('reads the first result completely', () => {
    const first = entries[0];
    expect(first?.paper).toEqual({
      arxivId: '2512.03003',
      title: 'The role of the top Yukawa coupling in triple Higgs production at the LHC',
      authors: ['Luca Panizzi'],
      categories: ['hep-ph'],
      published: '2025-12-02',
      // The full abstract, without the "△ Less" toggle that ends span.abstract-full.
      abstract: expect.stringMatching(/^In this letter I quantify the effects .* and other global observables\.$/),
    });
    expect(first?.anchor.classList.contains('authors')).toBe(true);
  });

  it('keeps primary category first, takes the v1 date, and never mistakes the DOI badge for a category', () => {
    expect(entries[1]?.paper.categories).toEqual(['quant-ph', 'cond-mat.stat-mech']);
    expect(entries[1]?.paper.authors).toEqual(['Yi-Cheng Wang', 'Ehud Altman', 'Samuel J. Garratt']);
    expect(entries.find((entry) => entry.key === '2512.07321')?.paper.published).toBe('2025-12-08');
    expect(entries.some((entry) => entry.paper.categories.includes('doi'))).toBe(false);
    expect(entries.find((entry) => entry.key === '2512.10701')?.paper.categories.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.paper.abstract, entry.key).not.toMatch(/(Less|More)$|^Abstract/);
      expect(entry.paper.categories.length, `${entry.key} has no categories`).toBeGreaterThan(0);
    }
  });
});

describe('extractListingEntries: Hugging Face daily papers, real capture 2024-08-01', () => {
  const html = raw('hf-daily-papers-2024-08-01.html');
  const hfPage = page('https://huggingface.co/papers?date=2024-08-01');

  it('finds every card and anchors on its title heading', () => {
    const entries = extractListingEntries(parse(html, 'https://huggingface.co/papers?date=2024-08-01'), hfPage);
    expectListing(entries, { count: count(html, /<article /g), first: '2407.21783', last: '2404.01300' });
    expect(entries.length).toBe(13);
    expect(entries.every((entry) => entry.anchor.localName === 'h3')).toBe(true);
  });

  it('fills authors, abstract and date from the hydration data, matching the "N authors" of each card', () => {
    const doc = parse(html);
    const entries = extractListingEntries(doc, hfPage);
    const llama = entries[0]?.paper;
    expect(llama?.title).toBe('The Llama 3 Herd of Models');
    expect(llama?.authors[0]).toBe('Abhimanyu Dubey');
    expect(llama?.published).toBe('2024-07-31');
    expect(llama?.abstract.startsWith('Modern artificial intelligence (AI) systems are powered by foundation models. This paper')).toBe(true);
    for (const entry of entries) {
      const shown = /(\d+)\s+authors/.exec(readableText(entry.anchor.closest('article')))?.[1];
      expect(entry.paper.authors.length, `${entry.key}: card says ${shown} authors`).toBe(Number(shown));
    }
    // NeRF-MAE was published in April and featured in August: the arXiv date, not the feature date.
    expect(entries.at(-1)?.paper.published).toBe('2024-04-01');
  });

  it('still lists every card (titles only) when the hydration data is gone', () => {
    const doc = parse(html);
    for (const element of Array.from(doc.querySelectorAll('[data-props]'))) element.removeAttribute('data-props');
    const entries = extractListingEntries(doc, hfPage);
    expect(entries.length).toBe(13);
    expect(entries[1]?.paper).toEqual({
      arxivId: '2407.21705',
      title: 'Tora: Trajectory-oriented Diffusion Transformer for Video Generation',
      authors: [],
      abstract: '',
      categories: [],
      published: null,
    });
  });
});

describe('unreadable pages give null or [] and never throw', () => {
  const singles: [string, string][] = [
    ['https://arxiv.org/abs/2401.04088', 'arxiv-abs'],
    ['https://arxiv.org/html/2407.16314v1', 'arxiv-html'],
    ['https://huggingface.co/papers/2401.04088', 'hf-paper'],
    ['https://arxiv.org/pdf/2401.04088', 'arxiv-pdf'],
  ];
  const lists = [
    'https://arxiv.org/list/cs.LG/new',
    'https://arxiv.org/search/?query=x',
    'https://huggingface.co/papers',
  ];
  const garbage = [
    '',
    '<html></html>',
    '<html><body>\u0000\u0001 garbage <<<>>> &&& <dl><dt><a title="Abstract" href="/abs/nope">x</a></dt><dd></dd></dl></body></html>',
    '<html><body><h1 class="title mathjax"><span class="descriptor">Title:</span>   </h1><blockquote class="abstract">text</blockquote></body></html>',
    '<html><head><title>Article identifier not recognized</title></head><body><h1>Article identifier \'2401.99999\' not recognized</h1></body></html>'.replace(
      '<title>Article identifier not recognized</title>',
      '',
    ),
  ];

  test.each(singles)('%s', (url) => {
    for (const html of garbage) {
      expect(() => extractPaper(parse(html), page(url))).not.toThrow();
      expect(extractPaper(parse(html), page(url)), `${url} with ${JSON.stringify(html.slice(0, 60))}`).toBeNull();
    }
  });

  test.each(lists)('%s', (url) => {
    for (const html of garbage) {
      expect(extractListingEntries(parse(html), page(url))).toEqual([]);
    }
  });

  it('an abs page whose title is missing is unreadable, even with authors and abstract', () => {
    const doc = parse(raw('arxiv-abs-nometa-hep-th-9711200.html'));
    doc.querySelector('h1.title')?.remove();
    doc.querySelector('head > title')?.remove();
    expect(extractPaper(doc, page('https://arxiv.org/abs/hep-th/9711200'))).toBeNull();
  });

  it('a document that throws on access gives null / []', () => {
    const hostile = new Proxy({} as Document, {
      get() {
        throw new Error('boom');
      },
    });
    expect(extractPaper(hostile, page('https://arxiv.org/abs/2401.04088'))).toBeNull();
    expect(extractListingEntries(hostile, page('https://arxiv.org/list/cs.LG/new'))).toEqual([]);
  });

  it('single-paper and listing readers do not answer for each other', () => {
    const listing = parse(raw('arxiv-list-cs-lg-new.html'));
    expect(extractPaper(listing, page('https://arxiv.org/list/cs.LG/new'))).toBeNull();
    expect(extractListingEntries(parse(raw('arxiv-abs-2023.html')), page('https://arxiv.org/abs/2401.04088'))).toEqual([]);
  });
});

describe('helpers', () => {
  test.each([
    ['Jiang, Albert Q.', 'Albert Q. Jiang'],
    ['Scao, Teven Le', 'Teven Le Scao'],
    ['de las Casas, Diego', 'Diego de las Casas'],
    ['King, Jr., Martin Luther', 'Martin Luther King Jr.'],
    ['King, Martin Luther, Jr.', 'Martin Luther King Jr.'],
    ['ATLAS Collaboration', 'ATLAS Collaboration'],
    ['  Vaswani ,  Ashish ', 'Ashish Vaswani'],
  ])('firstLast(%j) = %j', (input, expected) => {
    expect(firstLast(input)).toBe(expected);
  });

  test.each([
    ['2024/01/08', '2024-01-08'],
    ['2024-07-31T17:54:27.000Z', '2024-07-31'],
    ['17 Jul 2024 (v1), last revised', '2024-07-17'],
    [' Mon, 8 Jan 2024 18:47:34 UTC (2,811 KB)', '2024-01-08'],
    ['8 December, 2025', '2025-12-08'],
    ['Jan 8, 2024', '2024-01-08'],
    ['2017', null],
    ['31 Feb 2024', null],
    ['', null],
  ])('isoDate(%j) = %j', (input, expected) => {
    expect(isoDate(input)).toBe(expected);
  });
});
