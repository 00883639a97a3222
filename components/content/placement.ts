import type { PageInfo } from '@/lib/detect/page';

export interface PanelPlace {
  element: Element;
  position: 'after' | 'before' | 'append';
}

function first(doc: Document, ...selectors: string[]): Element | null {
  for (const selector of selectors) {
    const element = doc.querySelector(selector);
    if (element) return element;
  }
  return null;
}

/** Below the abstract, where a reader's eyes already are, on the layouts Margin knows. */
function knownPlace(doc: Document, page: PageInfo): PanelPlace | null {
  if (page.kind === 'arxiv-abs') {
    const element = first(doc, 'blockquote.abstract', '#abs .abstract', '.abstract', 'h1.title');
    return element ? { element, position: 'after' } : null;
  }
  if (page.kind === 'arxiv-html') {
    const element = first(doc, '.ltx_abstract', 'h1.ltx_title_document', '.ltx_title');
    return element ? { element, position: 'after' } : null;
  }
  if (page.kind === 'hf-paper') {
    const heading = [...doc.querySelectorAll('h2, h3')].find((h) => /^\s*abstract\s*$/i.test(h.textContent ?? ''));
    const abstract = heading?.parentElement ?? null;
    if (abstract) return { element: abstract, position: 'after' };
    const title = doc.querySelector('h1');
    return title?.parentElement ? { element: title.parentElement, position: 'after' } : null;
  }
  return null;
}

/**
 * For a layout Margin does not know (arXiv redesigned its pages in 2023 and 2025 and will again):
 * the top of the main content, else just after the site's header, else the top of the body.
 * A page that was read as a paper always gets its panel somewhere visible, never silently none.
 */
function fallbackPlace(doc: Document): PanelPlace | null {
  const main = first(doc, 'main', '[role="main"]', '#content', '#main');
  if (main) return main.firstElementChild ? { element: main.firstElementChild, position: 'before' } : { element: main, position: 'append' };
  const header = first(doc, 'body > header', 'header', '[role="banner"]');
  if (header) return { element: header, position: 'after' };
  const body = doc.body;
  if (!body) return null;
  return body.firstElementChild ? { element: body.firstElementChild, position: 'before' } : { element: body, position: 'append' };
}

/**
 * Where the panel of a paper page goes. The fallback is only for pages that say they are a paper
 * (a citation_title meta): an error page at a paper's URL gets no panel.
 */
export function panelPlace(doc: Document, page: PageInfo): PanelPlace | null {
  const known = knownPlace(doc, page);
  if (known) return known;
  return doc.querySelector('meta[name="citation_title"]') ? fallbackPlace(doc) : null;
}
