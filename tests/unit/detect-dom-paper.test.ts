import { describe, expect, it, test } from 'vitest';
import type { PagePaper } from '../../lib/schema';
import { extractPaper } from '../../lib/detect/extract';
import { count, expectValidPaper, page, parse, raw } from '../helpers/dom';

/**
 * Page reading against saved pages. arxiv-html-2407.16314v1, arxiv-search-distributed-systems and
 * hf-daily-papers-2024-08-01 are real captures; the abs, listing and HF paper pages are hand-made
 * after the real markup, with real metadata, and reuse real page chrome. Counts are taken independently of
 * the code under test (regexes over the raw HTML), so a reader that silently drops entries fails.
 */

const MIXTRAL_ABSTRACT_START = 'We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model. Mixtral has';
const MIXTRAL_ABSTRACT_END = 'Both the base and instruct models are released under the Apache 2.0 license.';

/** Links in arXiv's div.authors block. */
function absAuthorLinks(html: string): number {
  return count(/<div class="authors">[\s\S]*?<\/div>/.exec(html)?.[0] ?? '', /<a /g);
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
