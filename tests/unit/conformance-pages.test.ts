import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { panelPlace } from '../../components/content/placement';
import { extractListingEntries, extractPaper } from '../../lib/detect/extract';
import { detectPage, type PageInfo } from '../../lib/detect/page';

/**
 * Real captures (tests/conformance/SOURCES.md) and the same pages after a redesign Margin has not
 * seen: the body swapped for unknown markup, or nothing left but the <head>. As long as the page
 * carries citation_* metas, Margin reads the paper and finds a place for its panel.
 */

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

function parse(html: string, url: string): Document {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

const head = (html: string) => /<head[\s>][\s\S]*<\/head>/i.exec(html)![0];
const withBody = (html: string, body: string) => `<!DOCTYPE html><html lang="en">${head(html)}<body>${body}</body></html>`;

const ATTENTION = {
  arxivId: '1706.03762',
  title: 'Attention Is All You Need',
  authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit', 'Llion Jones', 'Aidan N. Gomez', 'Lukasz Kaiser', 'Illia Polosukhin'],
};
const URL_2026 = 'https://arxiv.org/abs/1706.03762';
const html2026 = fixture('arxiv-abs-1706.03762v7-2026layout.html');

// Markup no arXiv layout has used: no abstract blockquote, no h1.title, no main.
const UNKNOWN_BODY = `<div class="shell-2031"><div class="paper-card"><span class="t">Attention Is All You Need</span>
  <p class="summary">The dominant sequence transduction models…</p></div></div>`;

describe('the 2026 abs layout (real capture of 1706.03762v7)', () => {
  const page = detectPage(URL_2026)!;
  const doc = parse(html2026, URL_2026);

  it('reads the exact id, title and full author list, and the version from og:url', () => {
    expect(page).toEqual({ kind: 'arxiv-abs', arxivId: '1706.03762', version: null });
    const paper = extractPaper(doc, page);
    expect(paper).toMatchObject({ ...ATTENTION, version: 7, categories: expect.arrayContaining(['cs.CL']), published: '2017-06-12' });
    expect(paper?.abstract).toMatch(/^The dominant sequence transduction models are based on complex recurrent/);
  });

  it('puts the panel right after the abstract', () => {
    const place = panelPlace(doc, page)!;
    expect(place.position).toBe('after');
    expect(place.element.matches('blockquote.abstract')).toBe(true);
  });
});

describe('a layout Margin does not know, with citation metas', () => {
  const page = detectPage(URL_2026)!;

  it('unknown body markup: the paper is still read, and the panel goes to the top of the body', () => {
    const doc = parse(withBody(html2026, UNKNOWN_BODY), URL_2026);
    expect(extractPaper(doc, page)).toMatchObject({ ...ATTENTION, version: 7 });
    const place = panelPlace(doc, page)!;
    expect(place).toMatchObject({ position: 'before' });
    expect(place.element.className).toBe('shell-2031');
  });

  it('unknown markup with a main element and a site header: the top of the main content', () => {
    const doc = parse(withBody(html2026, `<header class="site">arXiv</header><main><section class="x">${UNKNOWN_BODY}</section></main>`), URL_2026);
    expect(extractPaper(doc, page)?.title).toBe(ATTENTION.title);
    const place = panelPlace(doc, page)!;
    expect(place.position).toBe('before');
    expect(place.element.parentElement?.localName).toBe('main');
  });

  it('unknown markup with only a site header: just after it', () => {
    const doc = parse(withBody(html2026, `<header class="site">arXiv</header><div>${UNKNOWN_BODY}</div>`), URL_2026);
    const place = panelPlace(doc, page)!;
    expect(place).toMatchObject({ position: 'after' });
    expect(place.element.className).toBe('site');
  });

  it('only the <head> left: the paper is read from the metas and the panel still has a place', () => {
    const doc = parse(withBody(html2026, ''), URL_2026);
    expect(extractPaper(doc, page)).toMatchObject(ATTENTION);
    expect(panelPlace(doc, page)).toMatchObject({ element: doc.body, position: 'append' });
  });

  it('no citation metas and no known markup (an error page at a paper URL): no panel', () => {
    const doc = parse('<!doctype html><title>Error</title><main><h2>Article identifier not recognized</h2></main>', URL_2026);
    expect(panelPlace(doc, page)).toBeNull();
    // Nor is it read as a paper titled "Error" (the popup would offer to save it).
    expect(extractPaper(doc, page)).toBeNull();
    expect(extractPaper(parse('<!doctype html><title>[1706.03762] Attention Is All You Need</title>', URL_2026), page)?.title).toBe(ATTENTION.title);
  });

  it.each([
    ['arxiv-abs-2023.html', 'https://arxiv.org/abs/2401.04088'],
    ['arxiv-abs-2025.html', 'https://arxiv.org/abs/2401.04088'],
  ])('the same holds for the %s capture with its body replaced', (name, url) => {
    const html = fixture(name);
    const info: PageInfo = detectPage(url)!;
    const known = extractPaper(parse(html, url), info)!;
    const doc = parse(withBody(html, UNKNOWN_BODY), url);
    expect(extractPaper(doc, info)).toMatchObject({ arxivId: known.arxivId, title: known.title, authors: known.authors });
    expect(panelPlace(doc, info)).not.toBeNull();
  });
});

describe('an empty monthly listing (real capture, 2023 layout)', () => {
  it('is a listing with no papers: nothing to annotate, and no error', () => {
    const url = 'https://arxiv.org/list/cs/9101';
    const page = detectPage(url)!;
    expect(page.kind).toBe('arxiv-listing');
    const doc = parse(fixture('arxiv-list-cs-9101-empty-2023layout.html'), url);
    expect(doc.body.textContent).toMatch(/No updates for this time period/);
    expect(extractListingEntries(doc, page)).toEqual([]);
  });
});
