import { describe, expect, it, test } from 'vitest';
import { readableText } from '../../lib/detect/dom';
import { extractListingEntries, type ListingEntry } from '../../lib/detect/extract';
import { count, expectValidPaper, page, parse, raw } from '../helpers/dom';

/**
 * Page reading against saved pages. arxiv-html-2407.16314v1, arxiv-search-distributed-systems and
 * hf-daily-papers-2024-08-01 are real captures; the abs, listing and HF paper pages are hand-made
 * after the real markup, with real metadata, and reuse real page chrome. Counts are taken independently of
 * the code under test (regexes over the raw HTML), so a reader that silently drops entries fails.
 */

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
