import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, fixture, serveSites, test } from './fixtures';
import { KARRAS, LAYER_NORM, MEGATRON, MIXTRAL, MIXTRAL_ABS, PopupPage, TORCHDISTILL, corpus, openArxivPage, saveFromSearch, shots } from './pages/popup';

test.beforeAll(() => {
  expect(corpus.papers.map((p) => p.title)).toEqual(expect.arrayContaining([TORCHDISTILL, KARRAS, MEGATRON, LAYER_NORM]));
  expect(corpus.papers.some((p) => p.title === MIXTRAL)).toBe(false);
});

test('screenshots of the popup at 460 px: search with results and the reading list with notes', async ({ context, extensionId }) => {
  mkdirSync(shots, { recursive: true });
  await serveSites(context, { [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html') });
  const abs = await openArxivPage(context);
  await abs.getByTestId('margin-panel').getByTestId('save-toggle').click();
  const popup = await PopupPage.open(context, extensionId);
  await saveFromSearch(popup, 'torchdistill', TORCHDISTILL);
  await saveFromSearch(popup, 'layer normalization', LAYER_NORM);
  await popup.showReadingList();
  await popup.item(MIXTRAL).getByTestId('entry-status').selectOption('reading');
  await popup.item(MIXTRAL).getByTestId('entry-notes').fill('Sparse MoE with 8 experts, 2 active per token.\nCompare the router with Switch Transformer.');
  await popup.item(LAYER_NORM).getByTestId('entry-status').selectOption('done');
  await popup.item(LAYER_NORM).getByTestId('entry-notes').fill('Normalizes over features, not the batch.');
  await popup.item(LAYER_NORM).getByTestId('entry-notes').blur();
  await expect(popup.item(LAYER_NORM).getByText('Saved', { exact: true })).toBeVisible();
  await popup.page.locator('main.popup').screenshot({ path: join(shots, 'popup-reading-list.png') });

  const search = await PopupPage.openOver(context, extensionId, abs);
  await expect(search.current).toContainText(MIXTRAL);
  await search.page.bringToFront();
  await search.input.fill('distilation');
  await expect(search.results.nth(3)).toBeVisible();
  await search.input.press('ArrowDown');
  await expect(search.results.nth(1)).toHaveAttribute('aria-selected', 'true');
  // Like the toolbar popup: the page never scrolls, the result list does.
  const size = await search.page.evaluate(() => ({
    height: document.querySelector('main.popup')!.getBoundingClientRect().height,
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    resultsScroll: document.getElementById('search-results')!.scrollHeight > document.getElementById('search-results')!.clientHeight,
  }));
  expect(size).toEqual({ height: expect.any(Number), overflowX: 0, resultsScroll: true });
  expect(size.height).toBeLessThanOrEqual(600);
  await search.page.locator('main.popup').screenshot({ path: join(shots, 'popup-search.png') });
});
