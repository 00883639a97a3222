import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { expect } from 'vitest';
import { PagePaper } from '../../lib/schema';
import { detectPage, type PageInfo } from '../../lib/detect/page';

/** Saved pages and the reading of them, shared by the detect-dom tests (one file per kind of page). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function raw(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

export function parse(html: string, url = 'https://arxiv.org/'): Document {
  const window = new Window({
    url,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
  });
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

export function page(url: string): PageInfo {
  const info = detectPage(url);
  if (!info) throw new Error(`fixture URL ${url} is not detected: fix the test or lib/detect/page.ts`);
  return info;
}

export function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

export function expectValidPaper(paper: unknown): void {
  const parsed = PagePaper.safeParse(paper);
  expect(parsed.success, 'extracted paper does not satisfy the PagePaper schema').toBe(true);
}
