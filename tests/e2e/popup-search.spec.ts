import { expect, serveSites, test } from './fixtures';
import { KARRAS, LAYER_NORM, MEGATRON, MIXTRAL, PopupPage, TORCHDISTILL, corpus, corpusAbsPages, idOf, saveFromSearch } from './pages/popup';

test.beforeAll(() => {
  expect(corpus.papers.map((p) => p.title)).toEqual(expect.arrayContaining([TORCHDISTILL, KARRAS, MEGATRON, LAYER_NORM]));
  expect(corpus.papers.some((p) => p.title === MIXTRAL)).toBe(false);
});

test.describe('search', () => {
  test('finds papers by a title word, an author and a typo, title matches first, with highlighted terms', async ({ context, extensionId }) => {
    const popup = await PopupPage.open(context, extensionId);
    await expect(popup.input).toBeFocused();

    // A title word.
    await popup.input.fill('torchdistill');
    await expect(popup.results.first()).toContainText(TORCHDISTILL);
    await expect(popup.results.first().locator('.result-title mark')).toHaveText(['torchdistill']);

    // An author (a family name that appears nowhere but in the author list); the result shows it.
    await popup.input.fill('Karras');
    await expect(popup.results).toHaveCount(1);
    await expect(popup.results.first()).toContainText(KARRAS);
    await expect(popup.results.first().locator('.result-meta')).toContainText('Tero Karras');
    await expect(popup.results.first().locator('.result-meta mark')).toHaveText(['Karras']);
    await expect(popup.results.first().locator('.result-meta')).toContainText('2020');

    // A typo'd term: "megatorn" finds Megatron-LM, and highlights the real word.
    await popup.input.fill('megatorn');
    await expect(popup.results.first()).toContainText(MEGATRON);
    await expect(popup.results.first().locator('.result-title mark')).toHaveText(['Megatron']);

    // Prefix: a half-typed word already finds it.
    await popup.input.fill('torchdis');
    await expect(popup.results.first()).toContainText(TORCHDISTILL);

    // Title matches rank above papers that only mention the word in the abstract.
    await popup.input.fill('distillation');
    // Wait for this query's answer (the previous one had a single result).
    await expect(popup.results.nth(4)).toBeVisible();
    const titles = await popup.results.locator('.result-title').allTextContents();
    const inTitle = titles.map((t) => /distill/i.test(t));
    expect(inTitle.indexOf(false)).toBeGreaterThan(2);
    expect(inTitle.slice(0, inTitle.indexOf(false)).every(Boolean)).toBe(true);
    expect(inTitle.slice(inTitle.indexOf(false)).some(Boolean)).toBe(false);

    // Every result shows title, year, first authors and its topic tags.
    const first = popup.results.first();
    await expect(first.locator('.result-meta')).toHaveText(/^\d{4}/);
    await expect(first.getByTestId('topic-tag').first()).toBeVisible();

    // Nothing found is said plainly.
    await popup.input.fill('xyzzyplugh');
    await expect(popup.results).toHaveCount(0);
    await expect(popup.page.getByText('No paper matches “xyzzyplugh”')).toBeVisible();
  });

  test('filters by topic, year and saved-only; an empty query shows recent saves; Esc clears', async ({ context, extensionId }) => {
    const popup = await PopupPage.open(context, extensionId);
    await expect(popup.page.getByText('Type to search your corpus')).toBeVisible();

    await popup.input.fill('training');
    await expect(popup.results.nth(10)).toBeVisible();
    const all = await popup.results.count();

    // Year: every result is from 2020.
    await popup.page.getByRole('combobox', { name: 'Year' }).selectOption('2020');
    await expect.poll(() => popup.results.count()).toBeLessThan(all);
    await expect(popup.results.first()).toBeVisible();
    for (const meta of await popup.results.locator('.result-meta').allTextContents()) expect(meta).toMatch(/^2020/);
    await popup.page.getByRole('combobox', { name: 'Year' }).selectOption('');

    // Topic, picked by clicking a result's tag: every result carries that tag.
    await popup.input.fill('batch normalization');
    await expect(popup.results.first().locator('.result-title')).toContainText(/batch/i);
    const tag = popup.results.first().getByTestId('topic-tag').first();
    const topic = (await tag.getAttribute('data-topic'))!;
    const label = (await tag.textContent())!;
    await tag.click();
    await expect(popup.page.getByRole('combobox', { name: 'Topic' })).toHaveValue(topic);
    await expect(popup.results.first()).toBeVisible();
    for (const result of await popup.results.all()) await expect(result.locator(`[data-topic="${topic}"]`)).toHaveText(label);

    // A topic alone (empty query, as when a tag on a paper page opens the search) lists that topic's papers.
    await popup.input.fill('');
    await expect(popup.results.first()).toBeVisible();
    for (const result of await popup.results.all()) await expect(result.locator(`[data-topic="${topic}"]`)).toBeVisible();
    await popup.page.getByRole('combobox', { name: 'Topic' }).selectOption('');

    // A year alone (no words) lists that year's papers.
    await popup.page.getByRole('combobox', { name: 'Year' }).selectOption('2020');
    await expect(popup.results.nth(2)).toBeVisible();
    for (const meta of await popup.results.locator('.result-meta').allTextContents()) expect(meta).toMatch(/^2020/);
    await popup.page.getByRole('combobox', { name: 'Year' }).selectOption('');

    // Saved only: nothing before a save, then exactly the saved paper.
    await popup.input.fill('normalization');
    await popup.page.getByLabel('Saved only').check();
    await expect(popup.page.getByText('No paper matches “normalization”')).toBeVisible();
    await popup.page.getByLabel('Saved only').uncheck();
    await saveFromSearch(popup, 'normalization', LAYER_NORM);
    await popup.page.getByLabel('Saved only').check();
    await expect(popup.results).toHaveCount(1);
    await expect(popup.results.first()).toContainText(LAYER_NORM);

    // Esc clears the box; an empty box with "Saved only" lists the saves; a second Esc clears the filters.
    await popup.input.press('Escape');
    await expect(popup.input).toHaveValue('');
    await expect(popup.page.getByRole('heading', { name: 'Saved papers' })).toBeVisible();
    await expect(popup.page.getByTestId('recent-save')).toHaveText([new RegExp(LAYER_NORM)]);
    await popup.input.press('Escape');
    await expect(popup.page.getByLabel('Saved only')).not.toBeChecked();
    await expect(popup.page.getByRole('heading', { name: 'Recently saved' })).toBeVisible();
    await expect(popup.page.getByTestId('recent-save')).toHaveCount(1);
    await expect(popup.page.getByTestId('recent-save')).toContainText(LAYER_NORM);
  });

  test('is keyboard driven: ↓/↑ move the selection and Enter opens that paper’s arXiv page', async ({ context, extensionId }) => {
    await serveSites(context, corpusAbsPages);
    const popup = await PopupPage.open(context, extensionId);
    await expect(popup.input).toBeFocused();
    // One input event, so the list read below is the final answer, not a prefix's.
    await popup.input.fill('normalization');
    await expect(popup.results.nth(3)).toBeVisible();
    const titles = await popup.results.locator('.result-title').allTextContents();

    await popup.page.keyboard.press('ArrowDown');
    await popup.page.keyboard.press('ArrowDown');
    await popup.page.keyboard.press('ArrowDown');
    await popup.page.keyboard.press('ArrowUp');
    await expect(popup.results.nth(2)).toHaveAttribute('aria-selected', 'true');
    await expect(popup.page.locator('[role=option][aria-selected=true]')).toHaveCount(1);
    await expect(popup.input).toBeFocused();

    const opened = context.waitForEvent('page');
    await popup.page.keyboard.press('Enter');
    const tab = await opened;
    await expect(tab).toHaveURL(`https://arxiv.org/abs/${idOf(titles[2]!)}`);

    // ↑ stops at the first result, Esc empties the box.
    for (let i = 0; i < 5; i++) await popup.input.press('ArrowUp');
    await expect(popup.results.first()).toHaveAttribute('aria-selected', 'true');
    await popup.input.press('Escape');
    await expect(popup.input).toHaveValue('');
    await expect(popup.results).toHaveCount(0);

    // Typing and pressing Enter at once opens the top hit of what was typed, not a stale result.
    await popup.page.keyboard.type('Karras');
    const quick = context.waitForEvent('page');
    await popup.page.keyboard.press('Enter');
    await expect(await quick).toHaveURL(`https://arxiv.org/abs/${idOf(KARRAS)}`);
  });

  test('clicking a result opens the paper in a new tab', async ({ context, extensionId }) => {
    await serveSites(context, corpusAbsPages);
    const popup = await PopupPage.open(context, extensionId);
    await popup.input.fill('Karras');
    const opened = context.waitForEvent('page');
    await popup.result(KARRAS).locator('.result-title').click();
    await expect(await opened).toHaveURL(`https://arxiv.org/abs/${idOf(KARRAS)}`);
    // The popup itself stays where it was.
    await expect(popup.page).toHaveURL(/popup\.html/);
  });
});
