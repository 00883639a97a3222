import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { CslData } from '../csl-schema';
import { ROOT, bundledCorpus, expect, extensionId as extensionIdOf, fixture, launchWithExtension, serveSites, test } from './fixtures';
import { PopupPage } from './pages/popup';

/** The bundled corpus, read independently of the UI: title → arXiv id. */
const corpus = bundledCorpus();
const idOf = (title: string) => corpus.papers.find((p) => p.title === title)!.arxivId!;

const TORCHDISTILL = 'torchdistill: A Modular, Configuration-Driven Framework for Knowledge Distillation';
const KARRAS = 'Training Generative Adversarial Networks with Limited Data';
const MEGATRON = 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM';
const LAYER_NORM = 'Layer Normalization';
/** On arxiv.org (fixture page) but not in the bundled corpus: saved with the metadata read from the page. */
const MIXTRAL = 'Mixtral of Experts';
const MIXTRAL_ABS = 'https://arxiv.org/abs/2401.04088';

const shots = join(ROOT, 'docs', 'screenshots');

/** A stand-in arXiv abstract page for every corpus paper, so opened tabs land on a real URL. */
const corpusAbsPages = Object.fromEntries(
  corpus.papers.filter((p) => p.arxivId).map((p) => [`https://arxiv.org/abs/${p.arxivId}`, `<!doctype html><title>[${p.arxivId}] ${p.title.replace(/[<&]/g, '')}</title><h1>${p.title.replace(/[<&]/g, '')}</h1>`]),
);

async function openArxivPage(context: BrowserContext, url = MIXTRAL_ABS): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toBeVisible();
  return page;
}

/** Saves a corpus paper from the popup's search results, as a user does. */
async function saveFromSearch(popup: PopupPage, query: string, title: string) {
  await popup.search(query);
  const toggle = popup.result(title).getByTestId('save-toggle');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
}

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

test.describe('current tab', () => {
  test('shows the active tab’s paper (abs, HF and PDF pages) with tags, related papers and a working save toggle', async ({ context, extensionId }) => {
    const megatronId = idOf(MEGATRON);
    await serveSites(context, {
      [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html'),
      'https://huggingface.co/papers/2401.04088': fixture('hf-paper-2401.04088.html'),
      [`https://arxiv.org/pdf/${megatronId}`]: { body: '%PDF-1.4 placeholder', contentType: 'text/plain' },
    });

    // An arXiv abstract page of a paper outside the corpus: the card uses what the page says.
    const abs = await openArxivPage(context);
    const popup = await PopupPage.openOver(context, extensionId, abs);
    await expect(popup.current).toContainText(MIXTRAL);
    await expect(popup.current.getByTestId('topic-tag').first()).toBeVisible();
    await expect(popup.current.getByTestId('current-related').first()).toBeVisible();
    const toggle = popup.current.getByTestId('save-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    // The page's own panel learns about the save without a reload.
    await expect(abs.getByTestId('margin-panel').getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await popup.showReadingList();
    await expect(popup.item(MIXTRAL)).toContainText('Albert Q. Jiang');
    await popup.page.close();

    // Its Hugging Face page is the same paper, already saved.
    const hf = await context.newPage();
    await hf.goto('https://huggingface.co/papers/2401.04088');
    await expect(hf.getByTestId('margin-panel')).toBeVisible();
    const onHf = await PopupPage.openOver(context, extensionId, hf);
    await expect(onHf.current).toContainText(MIXTRAL);
    await expect(onHf.current.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await onHf.page.close();

    // A PDF tab has no content script: the card comes from the URL and the corpus.
    const pdf = await context.newPage();
    await pdf.goto(`https://arxiv.org/pdf/${megatronId}`);
    const onPdf = await PopupPage.openOver(context, extensionId, pdf);
    await expect(onPdf.current).toContainText(MEGATRON);
    await expect(onPdf.current.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
  });

  test('shows no card when the active tab is not a paper', async ({ context, extensionId }) => {
    const popup = await PopupPage.open(context, extensionId);
    await expect(popup.input).toBeVisible();
    await expect(popup.current).toHaveCount(0);
  });
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

  test('exports parse, and importing the Margin JSON into a fresh profile restores the same list', async ({ context, extensionId }) => {
    await serveSites(context, { [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html') });
    const popup = await PopupPage.open(context, extensionId);
    await saveFromSearch(popup, 'torchdistill', TORCHDISTILL);
    await saveFromSearch(popup, 'Karras', KARRAS);
    const page = await openArxivPage(context);
    await page.getByTestId('margin-panel').getByTestId('save-toggle').click();
    await popup.showReadingList();
    await expect(popup.items).toHaveCount(3);
    await popup.item(KARRAS).getByTestId('entry-status').selectOption('done');
    await popup.item(MIXTRAL).getByTestId('entry-status').selectOption('reading');
    const notes = 'Line one: {braces} & 100% $math$ _under_\nline two — “quotes”';
    await popup.item(MIXTRAL).getByTestId('entry-notes').fill(notes);
    await popup.item(MIXTRAL).getByTestId('entry-notes').blur();
    await expect(popup.item(MIXTRAL).getByText('Saved', { exact: true })).toBeVisible();
    const titles = [MIXTRAL, KARRAS, TORCHDISTILL];

    const dir = mkdtempSync(join(tmpdir(), 'margin-export-'));
    try {
      // BibTeX: one entry per saved paper, parsed by a real BibTeX parser.
      const bib = await popup.exportAs('bibtex');
      expect(bib.name).toMatch(/^margin-\d{4}-\d{2}-\d{2}\.bib$/);
      const lib = parseBibtex(bib.text, { sentenceCase: false, english: false, caseProtection: false });
      expect(lib.errors).toEqual([]);
      expect(lib.entries).toHaveLength(3);
      expect(lib.entries.map((e) => e.fields.title).sort()).toEqual([...titles].sort());
      expect(lib.entries.find((e) => e.fields.title === MIXTRAL)!.fields).toMatchObject({ eprint: '2401.04088', note: notes.replace(/\s+/g, ' ') });

      // CSL-JSON: valid against the csl-data schema.
      const csl = await popup.exportAs('csl-json');
      expect(csl.name).toMatch(/\.csl\.json$/);
      const items = CslData.safeParse(JSON.parse(csl.text));
      expect(items.success, items.success ? '' : JSON.stringify(items.error.issues)).toBe(true);
      expect(items.data!.map((i) => i.title).sort()).toEqual([...titles].sort());

      // Markdown: a list with each title as an arXiv link and its status.
      const md = await popup.exportAs('markdown');
      expect(md.text).toMatch(/^# Reading list\n/);
      expect(md.text).toContain(`[${MIXTRAL}](https://arxiv.org/abs/2401.04088)`);
      expect(md.text).toContain(`(https://arxiv.org/abs/${idOf(KARRAS)}) — Tero Karras et al. (2020) · done`);
      expect(md.text.match(/^- /gm)).toHaveLength(3);

      // Margin JSON: everything.
      const backup = await popup.exportAs('backup');
      const original = JSON.parse(backup.text) as { format: string; entries: Array<Record<string, unknown>> };
      expect(original.format).toBe('margin-backup');
      expect(original.entries).toHaveLength(3);
      const backupFile = join(dir, backup.name);
      copyFileSync(backup.path, backupFile);
      const badFile = join(dir, 'not-a-backup.json');
      writeFileSync(badFile, csl.text);

      // A fresh profile: a bad file is refused with a clear error and changes nothing; the backup restores the list.
      const freshDir = mkdtempSync(join(tmpdir(), 'margin-e2e-fresh-'));
      const fresh = await launchWithExtension(freshDir);
      try {
        const id = await extensionIdOf(fresh);
        const options = await fresh.newPage();
        await options.goto(`chrome-extension://${id}/options.html#backup`);
        await options.getByTestId('backup-import-input').setInputFiles(badFile);
        await expect(options.getByTestId('backup-error')).toContainText('not a Margin backup');
        await expect(options.getByTestId('backup-error')).toContainText('Nothing was changed');
        await expect(options.getByTestId('backup-preview')).toHaveCount(0);

        await options.getByTestId('backup-import-input').setInputFiles(backupFile);
        await expect(options.getByTestId('backup-preview')).toContainText('3 new, 0 updated, 0 unchanged');
        await options.getByTestId('backup-apply').click();
        await expect(options.getByTestId('backup-result')).toContainText('3 new');

        const restored = await PopupPage.open(fresh, id);
        await restored.showReadingList();
        await expect(restored.items.locator('.result-title')).toHaveText(titles);
        await expect(restored.item(KARRAS).getByTestId('entry-status')).toHaveValue('done');
        await expect(restored.item(MIXTRAL).getByTestId('entry-status')).toHaveValue('reading');
        await expect(restored.item(MIXTRAL).getByTestId('entry-notes')).toHaveValue(notes);

        // The same list, field for field: its own backup equals the imported one.
        const again = JSON.parse((await restored.exportAs('backup')).text) as typeof original;
        expect(again.entries).toEqual(original.entries);

        // Importing the same file again merges: nothing new, nothing lost.
        await options.getByTestId('backup-import-input').setInputFiles(backupFile);
        await expect(options.getByTestId('backup-preview')).toContainText('0 new, 0 updated, 3 unchanged');
      } finally {
        await fresh.close();
        rmSync(freshDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
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
