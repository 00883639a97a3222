import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { generateSnapshotLines } from '../../scripts/synthetic';
import { bundledCorpus, expect, fixture, openPopup, serveSites, test } from './fixtures';

const corpus = bundledCorpus();
const source = { titles: corpus.papers.map((p) => p.title), abstracts: corpus.papers.map((p) => p.abstract) };
const dir = mkdtempSync(join(tmpdir(), 'margin-import-'));

function writeSnapshot(name: string, count: number, seed: number): { path: string; lines: string[] } {
  const lines = [...generateSnapshotLines(count, seed, source)];
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, lines };
}

/** Opens the popup, searches for the snapshot line's paper by its own title, and expects it among the top three. */
async function expectPopupFinds(context: BrowserContext, extensionId: string, line: string): Promise<Page> {
  const title = (JSON.parse(line) as { title: string }).title.replace(/\s+/g, ' ').trim();
  const popup = await openPopup(context, extensionId);
  await popup.getByTestId('search-input').fill(title);
  await expect(popup.getByTestId('search-result').first()).toBeVisible();
  const titles = await popup.getByTestId('search-result').locator('.result-title').allInnerTexts();
  expect(titles.slice(0, 3).map((t) => t.replace(/\s+/g, ' ').trim())).toContain(title);
  return popup;
}

async function openOptions(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.getByTestId('options-stats')).toContainText('318 papers');
  return page;
}

test('importing a 10k-paper arXiv snapshot shows progress, completes, and the popup finds an imported paper', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const { path, lines } = writeSnapshot('snapshot-10k.jsonl', 10_000, 7);
  const options = await openOptions(context, extensionId);
  // The rebuild after the file is stored reports how far it has got; remember what the page showed.
  await options.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { indexProgressSeen: string[] }).indexProgressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="index-progress"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  // The file is parsed and stored in a worker of the page, ended before the background rebuilds (its memory with it).
  const importWorkers: Array<{ url: string; closed: boolean }> = [];
  options.on('worker', (worker) => {
    const seen = { url: worker.url(), closed: false };
    importWorkers.push(seen);
    worker.on('close', () => (seen.closed = true));
  });
  await options.getByTestId('corpus-import-input').setInputFiles(path);
  await expect(options.getByTestId('import-progress')).toBeVisible();
  await expect(options.getByTestId('import-progress')).toContainText('updating the search and related indexes', { timeout: 120_000 });
  await expect.poll(() => importWorkers.map((w) => w.closed), { timeout: 2_000 }).toEqual([true]);
  expect(importWorkers[0]!.url).toContain('import-worker');
  // Synthetic ids may collide with bundled papers, which keep their curated record: count what is new.
  const bundledIds = new Set(corpus.papers.map((p) => (p as { id?: string }).id));
  const newIds = new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id).filter((id) => !bundledIds.has(id)));
  const fmt = (n: number) => n.toLocaleString('en');
  await expect(options.getByTestId('import-result')).toContainText(`Imported ${fmt(newIds.size)} papers`, { timeout: 150_000 });
  if (newIds.size < lines.length) await expect(options.getByTestId('import-result')).toContainText('already in the bundled corpus');
  await expect(options.getByTestId('options-stats')).toContainText(`${fmt(318 + newIds.size)} papers`);
  await expect(options.getByTestId('options-stats')).toContainText(`${fmt(newIds.size)} imported`);
  const indexProgress = await options.evaluate(() => (window as unknown as { indexProgressSeen: string[] }).indexProgressSeen);
  expect(indexProgress.some((text) => text.includes(`of ${fmt(318 + newIds.size)} papers indexed`))).toBe(true);

  // A paper from the middle of the file, found by its own title in the popup.
  const popup = await expectPopupFinds(context, extensionId, lines[5_000]!);
  await expect(popup.getByTestId('corpus-stats')).toContainText(`${fmt(318 + newIds.size)} papers`);

  // The related-papers index, rebuilt after the import and read back from IndexedDB, suggests imported papers on a
  // paper page.
  await serveSites(context, { 'https://arxiv.org/abs/2401.04088': fixture('arxiv-abs-2023.html') });
  const page = await context.newPage();
  await page.goto('https://arxiv.org/abs/2401.04088');
  const related = page.getByTestId('margin-panel').getByTestId('related-paper');
  await expect(related.first()).toBeVisible();
  const relatedIds = (await related.locator('a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))).map((href) => href.split('/abs/')[1]);
  expect(relatedIds.some((id) => newIds.has(id!))).toBe(true);
});

test('a file with bad lines imports the good ones and reports the bad by line number', async ({ context, extensionId }) => {
  const good = [...generateSnapshotLines(5, 11, source)];
  const lines = [good[0], '{"id": "2401.99999", "title": ', good[1], '{"id": 12, "title": "Numeric id"}', good[2], 'not json at all', good[3], '{"title": "No id here", "abstract": "x"}', good[4]];
  const path = join(dir, 'bad-lines.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  const options = await openOptions(context, extensionId);
  await options.getByTestId('corpus-import-input').setInputFiles(path);
  await expect(options.getByTestId('import-result')).toContainText('Imported 5 papers');
  const errors = options.getByTestId('import-errors');
  await expect(errors).toContainText('4 records skipped');
  for (const line of [2, 4, 6, 8]) await expect(errors).toContainText(`Line ${line}:`);
  await expect(options.getByTestId('options-stats')).toContainText('323 papers');

  // A small import is added to the current indexes (no rebuild): the popup finds it at once.
  await expectPopupFinds(context, extensionId, good[3]!);
});

test('cancelling mid-import keeps the finished batches and says how many', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const { path } = writeSnapshot('snapshot-60k.jsonl', 60_000, 3);
  const options = await openOptions(context, extensionId);
  await options.getByTestId('corpus-import-input').setInputFiles(path);
  // Cancel once a few batches are in, well before the end.
  await expect.poll(async () => Number((await options.getByTestId('import-count').innerText()).replace(/,/g, '')), { timeout: 60_000 }).toBeGreaterThan(4000);
  await options.getByTestId('import-cancel').click();
  const result = options.getByTestId('import-result');
  await expect(result).toContainText('Import cancelled', { timeout: 60_000 });
  const stored = Number(/The ([\d,]+) papers stored/.exec(await result.innerText())![1]!.replace(/,/g, ''));
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(60_000);
  // The database holds exactly the bundled corpus plus the batches reported as kept.
  await expect(options.getByTestId('options-stats')).toContainText(`${(318 + stored).toLocaleString('en')} papers`);
  await expect(options.getByTestId('options-stats')).toContainText(`${stored.toLocaleString('en')} imported`);
});

test('the service worker stopped mid-import: the import completes and the indexes hold every stored paper', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const { path, lines } = writeSnapshot('snapshot-30k.jsonl', 30_000, 5);
  const options = await openOptions(context, extensionId);
  await options.getByTestId('corpus-import-input').setInputFiles(path);
  await expect.poll(async () => Number((await options.getByTestId('import-count').innerText()).replace(/,/g, '')), { timeout: 60_000 }).toBeGreaterThan(8000);
  // Stopped as Chrome does when it idles: the live index build is lost with the worker.
  const cdp = await context.newCDPSession(options);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  const result = options.getByTestId('import-result');
  await expect(result).toContainText('Imported', { timeout: 150_000 });
  const imported = Number(/Imported ([\d,]+) papers/.exec(await result.innerText())![1]!.replace(/,/g, ''));
  const fmt = (n: number) => n.toLocaleString('en');
  await expect(options.getByTestId('options-stats')).toContainText(`${fmt(318 + imported)} papers`);

  // Papers stored before and after the worker stopped are both searchable.
  const popup = await openPopup(context, extensionId);
  await expect(popup.getByTestId('corpus-stats')).toContainText(`${fmt(318 + imported)} papers`);
  for (const index of [1_000, 29_000]) {
    const title = (JSON.parse(lines[index]!) as { title: string }).title.replace(/\s+/g, ' ').trim();
    await popup.getByTestId('search-input').fill(title);
    // Polled: the previous query's results stay on screen until this one's arrive.
    await expect
      .poll(async () => (await popup.getByTestId('search-result').locator('.result-title').allInnerTexts()).slice(0, 3).map((t) => t.replace(/\s+/g, ' ').trim()))
      .toContain(title);
  }
});
