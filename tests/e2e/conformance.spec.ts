import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import type { Page } from '@playwright/test';
import { expect, fixture, serveSites, test } from './fixtures';
import { PopupPage } from './pages/popup';

/**
 * Real page captures (tests/conformance/SOURCES.md) served at their real URLs, in the built
 * extension: the panel appears, and the paper Margin read from the page is saved with its exact id,
 * title and full author list, as the popup and the BibTeX export show.
 */

const ABS = 'https://arxiv.org/abs/1706.03762';
const CAPTURE = fixture('arxiv-abs-1706.03762v7-2026layout.html');
const TITLE = 'Attention Is All You Need';
const AUTHORS = ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit', 'Llion Jones', 'Aidan N. Gomez', 'Lukasz Kaiser', 'Illia Polosukhin'];
const HOMES = ['https://arxiv.org/abs/1706.03762', 'https://arxiv.org/pdf/1706.03762', 'https://ar5iv.labs.arxiv.org/html/1706.03762', 'https://huggingface.co/papers/1706.03762'];

const headOnly = (html: string) => `<!DOCTYPE html><html>${/<head[\s>][\s\S]*<\/head>/i.exec(html)![0]}<body></body></html>`;
const unknownBody = (html: string) =>
  headOnly(html).replace('<body></body>', '<body><div class="shell-2031"><div class="paper-card"><span class="t">Attention Is All You Need</span></div></div></body>');

function marginErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const fromExtension = message.location().url.startsWith('chrome-extension://') || /margin/i.test(message.text());
    if ((message.type() === 'error' || message.type() === 'warning') && fromExtension) errors.push(message.text());
  });
  // The captured pages' own scripts are not served, so their inline calls fail: only Margin's errors count.
  page.on('pageerror', (error) => {
    if (/chrome-extension:/.test(error.stack ?? '')) errors.push(String(error));
  });
  return errors;
}

async function hrefs(page: Page, testId: string) {
  await expect(page.getByTestId(testId)).toBeVisible();
  return page.getByTestId(testId).locator('a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
}

test('2026 abs layout: panel after the abstract; the saved paper keeps the exact id, title and every author', async ({ context, extensionId }) => {
  await serveSites(context, { [ABS]: CAPTURE });
  const page = await context.newPage();
  const errors = marginErrors(page);
  await page.goto(ABS);
  const panel = page.getByTestId('margin-panel');
  await expect(panel).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('blockquote.abstract')?.nextElementSibling?.localName)).toBe('margin-panel');
  expect(await hrefs(page, 'paper-homes')).toEqual(HOMES);

  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');

  const current = await PopupPage.openOver(context, extensionId, page);
  await expect(current.current).toContainText(TITLE);
  expect(await hrefs(current.page, 'paper-homes')).toEqual(HOMES);
  await current.page.close();

  const popup = await PopupPage.open(context, extensionId);
  await popup.showReadingList();
  const item = popup.item(TITLE);
  await expect(item).toHaveCount(1);
  await expect(item.locator('a.result-title')).toHaveText(TITLE);
  expect(await item.locator('a.result-title').evaluate((a) => (a as HTMLAnchorElement).href)).toBe(ABS);
  await expect(item).toContainText(`2017 · ${AUTHORS[0]}, ${AUTHORS[1]} et al.`);

  const bib = parseBibtex((await popup.exportAs('bibtex')).text, { sentenceCase: false, english: false, caseProtection: false });
  expect(bib.errors).toEqual([]);
  const entry = bib.entries.find((e) => e.fields.eprint === '1706.03762');
  expect(entry?.fields).toMatchObject({ title: TITLE, year: '2017', archiveprefix: 'arXiv', primaryclass: 'cs.CL', url: ABS });
  expect(entry?.fields.author?.map((name) => `${name.firstName} ${name.lastName}`)).toEqual(AUTHORS);
  expect(errors).toEqual([]);
});

test('a newer version than the one saved is pointed out: "v7 since you saved v1"', async ({ context }) => {
  await serveSites(context, { [`${ABS}v1`]: CAPTURE, [ABS]: CAPTURE });
  const page = await context.newPage();
  await page.goto(`${ABS}v1`);
  const panel = page.getByTestId('margin-panel');
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('newer-version')).toHaveCount(0);

  // The unversioned URL shows the latest version; the page names it (og:url …v7).
  await page.goto(ABS);
  await expect(page.getByTestId('margin-panel').getByTestId('newer-version')).toHaveText('v7 since you saved v1');
});

test('a layout Margin does not know still gets a panel, from the citation metas alone', async ({ context }) => {
  const other = 'https://arxiv.org/abs/1706.03762v5';
  await serveSites(context, { [ABS]: unknownBody(CAPTURE), [other]: headOnly(CAPTURE) });
  const page = await context.newPage();
  const errors = marginErrors(page);
  await page.goto(ABS);
  await expect(page.getByTestId('margin-panel')).toBeVisible();
  // The top of the body: before the unknown markup.
  expect(await page.evaluate(() => document.body.firstElementChild?.localName)).toBe('margin-panel');
  await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toHaveAttribute('aria-label', new RegExp(TITLE));

  await page.goto(other);
  await expect(page.getByTestId('margin-panel')).toBeVisible();
  expect(errors).toEqual([]);
});

test('an empty monthly listing (2023 layout): Margin runs, annotates nothing, and reports no error', async ({ context }) => {
  const url = 'https://arxiv.org/list/cs/9101';
  await serveSites(context, { [url]: fixture('arxiv-list-cs-9101-empty-2023layout.html') });
  const page = await context.newPage();
  const errors = marginErrors(page);
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-margin-loaded', '');
  await expect(page.getByText('No updates for this time period')).toBeVisible();
  await page.waitForTimeout(1000);
  await expect(page.locator('[data-margin]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
