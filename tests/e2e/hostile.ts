import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { FIXTURES, expect } from './fixtures';

/** Hostile payloads and the traps that show they stayed text: shared by the hostile-content and page-styles specs. */

export const PAYLOADS: Array<{ name: string; text: string }> = JSON.parse(readFileSync(join(FIXTURES, 'hostile', 'payloads.json'), 'utf8')).payloads;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

declare global {
  interface Window {
    __xssHits?: string[];
  }
}

/**
 * Every page of the context (sites and extension pages) gets a trap: any payload that runs sets
 * `window.__xss` (recorded), calls alert/confirm/prompt (dialogs are recorded by the test), or
 * trips the extension pages' CSP (recorded from securitypolicyviolation).
 */
export async function installXssTrap(context: BrowserContext): Promise<{ dialogs: string[] }> {
  await context.addInitScript(() => {
    const hits: string[] = [];
    Object.defineProperty(window, '__xssHits', { value: hits, configurable: false });
    Object.defineProperty(window, '__xss', {
      configurable: false,
      get: () => undefined,
      set: (value: unknown) => void hits.push(String(value)),
    });
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        // zod 4 probes once whether `new Function` is allowed (its JIT); the CSP refuses, zod falls back. Not a payload:
        // payloads would be inline handlers/scripts (blockedURI "inline") or foreign URLs.
        if (event.blockedURI === 'eval') return;
        hits.push(`csp:${event.violatedDirective}:${event.blockedURI}`);
      },
      true,
    );
  });
  const dialogs: string[] = [];
  const watch = (page: Page) =>
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => {});
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return { dialogs };
}

export async function expectNoXss(page: Page, dialogs: string[]) {
  const hits = await page.evaluate(() => window.__xssHits);
  expect(hits, 'the XSS trap is installed on this page').toBeDefined();
  expect(hits, `payload code ran on ${page.url()}`).toEqual([]);
  expect(dialogs).toEqual([]);
}

/**
 * Inside Margin's shadow roots (or a whole extension page): no element a payload could have
 * injected, no inline event handler attribute, and every link goes to arXiv or Hugging Face.
 */
export async function expectInert(page: Page, scope: 'margin' | 'document') {
  const found = await page.evaluate((scope) => {
    const roots: Array<Document | ShadowRoot> =
      scope === 'document' ? [document] : [...document.querySelectorAll('[data-margin]')].flatMap((host) => (host.shadowRoot ? [host.shadowRoot] : []));
    const bad: string[] = [];
    const links: string[] = [];
    const origin = location.origin;
    for (const root of roots) {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['iframe', 'object', 'embed', 'img', 'svg', 'math', 'frame', 'base', 'form'].includes(tag)) bad.push(`<${tag}>`);
        if (tag === 'script' && (scope === 'margin' || !(el as HTMLScriptElement).src.startsWith(origin))) bad.push('<script>');
        if (tag === 'meta' && el.hasAttribute('http-equiv')) bad.push('<meta http-equiv>');
        if (tag === 'style' && scope === 'margin') bad.push('<style>');
        for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) bad.push(`${tag}[${attr}]`);
        if (tag === 'a' && el.hasAttribute('href')) links.push((el as HTMLAnchorElement).href);
      }
    }
    return { bad, links, origin, roots: roots.length };
  }, scope);
  expect(found.roots).toBeGreaterThan(0);
  expect(found.bad).toEqual([]);
  for (const link of found.links) {
    // A paper's homes (abstract, PDF, HTML, ar5iv, Hugging Face) are built from a validated id only.
    expect(link).toMatch(/^(https:\/\/(arxiv\.org\/(abs|pdf|html)|ar5iv\.labs\.arxiv\.org\/html)\/(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Za-z-]+)?\/\d{7})$|https:\/\/arxiv\.org\/(search\/\?searchtype=title&query=[^<>"'\s]*)|https:\/\/huggingface\.co\/papers\/\d{4}\.\d{4,5}|chrome-extension:\/\/[a-p]{32}\/[a-z]+\.html(#\w+)?)$/);
  }
  return found.links;
}
