import { expect, extensionId as extensionIdOf, fixture, launchWithExtension, serveSites, test } from './fixtures';
import { KARRAS, LAYER_NORM, MEGATRON, MIXTRAL, MIXTRAL_ABS, PopupPage, TORCHDISTILL, corpus, openArxivPage, saveFromSearch } from './pages/popup';

test.beforeAll(() => {
  expect(corpus.papers.map((p) => p.title)).toEqual(expect.arrayContaining([TORCHDISTILL, KARRAS, MEGATRON, LAYER_NORM]));
  expect(corpus.papers.some((p) => p.title === MIXTRAL)).toBe(false);
});

test.describe('reading list', () => {
  test('a paper saved on an arXiv page appears live in the popup; its status and note survive a browser restart', async ({ context, extensionId, userDataDir }) => {
    await serveSites(context, { [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html') });
    const popup = await PopupPage.open(context, extensionId);
    await popup.showReadingList();
    await expect(popup.items).toHaveCount(0);

    const page = await openArxivPage(context);
    await page.getByTestId('margin-panel').getByTestId('save-toggle').click();

    // The open popup shows it without a reload, with the metadata read from the page.
    const item = popup.item(MIXTRAL);
    await expect(item).toBeVisible();
    await expect(popup.items).toHaveCount(1);
    await expect(item).toContainText('2024');
    await expect(item).toContainText('Albert Q. Jiang');
    await expect(item).toContainText(`added ${await popup.page.evaluate(() => new Date().toLocaleDateString())}`);
    await expect(item.getByTestId('entry-status')).toHaveValue('to-read');
    await expect(popup.page.getByTestId('tab-reading-list')).toHaveText('Reading list (1)');
    await expect(popup.page.getByTestId('corpus-stats')).toContainText('1 saved');

    await item.getByTestId('entry-status').selectOption('reading');
    const note = 'Sparse MoE: compare routing with Switch Transformer {§3}, 100% worth it.';
    await item.getByTestId('entry-notes').fill(note);
    await item.getByTestId('entry-notes').blur();
    await expect(item.getByText('Saved', { exact: true })).toBeVisible();

    // Restart the browser on the same profile.
    await context.close();
    const again = await launchWithExtension(userDataDir);
    try {
      const reopened = await PopupPage.open(again, await extensionIdOf(again));
      await reopened.showReadingList();
      await expect(reopened.items).toHaveCount(1);
      const restored = reopened.item(MIXTRAL);
      await expect(restored.getByTestId('entry-status')).toHaveValue('reading');
      await expect(restored.getByTestId('entry-notes')).toHaveValue(note);
      await expect(restored).toContainText('Albert Q. Jiang');
    } finally {
      await again.close();
    }
  });

  test('sorts by date added, status and title; removes with undo', async ({ context, extensionId }) => {
    const popup = await PopupPage.open(context, extensionId);
    await saveFromSearch(popup, 'torchdistill', TORCHDISTILL);
    await saveFromSearch(popup, 'Karras', KARRAS);
    await saveFromSearch(popup, 'layer normalization', LAYER_NORM);
    await popup.showReadingList();
    const titles = () => popup.items.locator('.result-title');

    await expect(titles()).toHaveText([LAYER_NORM, KARRAS, TORCHDISTILL]);
    await popup.item(KARRAS).getByTestId('entry-status').selectOption('done');
    await popup.item(TORCHDISTILL).getByTestId('entry-status').selectOption('reading');

    await popup.page.getByTestId('reading-list-sort').selectOption('status');
    await expect(titles()).toHaveText([TORCHDISTILL, LAYER_NORM, KARRAS]);
    await popup.page.getByTestId('reading-list-sort').selectOption('title');
    await expect(titles()).toHaveText([LAYER_NORM, TORCHDISTILL, KARRAS]);
    await popup.page.getByTestId('reading-list-sort').selectOption('added');
    await expect(titles()).toHaveText([LAYER_NORM, KARRAS, TORCHDISTILL]);

    // Remove, then undo: the entry comes back with its status.
    await popup.item(KARRAS).getByTestId('entry-notes').fill('GAN data augmentation');
    await popup.item(KARRAS).getByTestId('entry-notes').blur();
    await expect(popup.item(KARRAS).getByText('Saved', { exact: true })).toBeVisible();
    await popup.item(KARRAS).getByTestId('entry-remove').click();
    await expect(popup.items).toHaveCount(2);
    await expect(popup.page.getByRole('status')).toContainText(`Removed “${KARRAS}”`);
    // The undo offer survives a look at the Search tab.
    await popup.page.getByRole('tab', { name: 'Search' }).click();
    await popup.page.getByTestId('tab-reading-list').click();
    await expect(popup.page.getByRole('status')).toContainText(`Removed “${KARRAS}”`);
    await popup.page.getByTestId('undo-remove').click();
    await expect(titles()).toHaveText([LAYER_NORM, KARRAS, TORCHDISTILL]);
    await expect(popup.item(KARRAS).getByTestId('entry-status')).toHaveValue('done');
    await expect(popup.item(KARRAS).getByTestId('entry-notes')).toHaveValue('GAN data augmentation');

    // Results already on screen in another popup follow the list live.
    const other = await PopupPage.open(context, extensionId);
    await other.search('torchdistill');
    const toggle = other.result(TORCHDISTILL).getByTestId('save-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await popup.page.bringToFront();
    await popup.item(TORCHDISTILL).getByTestId('entry-remove').click();
    await expect(popup.items).toHaveCount(2);
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(other.page.getByTestId('corpus-stats')).toContainText('2 saved');
  });
});
