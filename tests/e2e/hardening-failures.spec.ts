import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { EXTENSION_DIR, FIXTURES, expect, fixture, serveSites, serviceWorker, test } from './fixtures';
import { exportBackup } from './hardening-helpers';

/**
 * Failures lose nothing: a stopped service worker, two tabs racing on the reading list,
 * IndexedDB unavailable or out of quota, malformed import files. And the manifest stays minimal.
 */

const corpus = JSON.parse(readFileSync(join(EXTENSION_DIR, 'corpus.json'), 'utf8')) as { papers: Array<{ id: string; arxivId: string | null; title: string }> };

type Reply = { ok: boolean; error?: string; data?: unknown };

/** Sends a raw message to the background from an extension page, as the popup and options do. */
function send(page: Page, name: string, data: unknown): Promise<Reply> {
  return page.evaluate(
    ([name, data]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime.sendMessage({ margin: 1, name, data }),
    [name, data] as const,
  );
}

async function extensionPage(context: BrowserContext, path: string, before?: (page: Page) => Promise<unknown>): Promise<Page> {
  const id = new URL((await serviceWorker(context)).url()).host;
  const page = await context.newPage();
  if (before) await before(page);
  await page.goto(`chrome-extension://${id}/${path}`);
  return page;
}

/**
 * Stops the extension's service worker as Chrome does when it idles (CDP, as
 * chrome://serviceworker-internals' Stop button). Playwright keeps its Worker handle, so
 * a marker in the worker's global scope tells the old instance from the restarted one.
 */
async function stopServiceWorker(context: BrowserContext, page: Page): Promise<void> {
  const worker = await serviceWorker(context);
  const scope = new URL(worker.url()).host;
  await worker.evaluate(() => ((globalThis as unknown as { __marginMarker: number }).__marginMarker = 1));
  const cdp = await context.newCDPSession(page);
  let status = '';
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) if (version.scriptURL.includes(scope)) status = version.runningStatus;
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(() => status, { message: 'the service worker stops' }).toBe('stopped');
  await cdp.detach();
}

async function isFreshWorker(context: BrowserContext): Promise<boolean> {
  const worker = context.serviceWorkers().at(-1) ?? (await serviceWorker(context));
  return (await worker.evaluate(() => (globalThis as unknown as { __marginMarker?: number }).__marginMarker)) === undefined;
}

test('the service worker is stopped mid-session: the next page is annotated, the popup works, the save survives', async ({ context }) => {
  await serveSites(context, {
    'https://arxiv.org/abs/2401.04088': fixture('arxiv-abs-2023.html'),
    'https://huggingface.co/papers/2401.04088': fixture('hf-paper-2401.04088.html'),
  });
  const page = await context.newPage();
  await page.goto('https://arxiv.org/abs/2401.04088');
  const panel = page.getByTestId('margin-panel');
  await expect(panel.getByTestId('related-paper').first()).toBeVisible();
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');

  await stopServiceWorker(context, page);

  // The panel already on the page keeps working: unsave + save goes to a fresh worker.
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await isFreshWorker(context)).toBe(true);

  await stopServiceWorker(context, page);
  // The next page load wakes the worker and is annotated with related work.
  const next = await context.newPage();
  await next.goto('https://huggingface.co/papers/2401.04088');
  const nextPanel = next.getByTestId('margin-panel');
  await expect(nextPanel.getByTestId('related-paper').first()).toBeVisible();
  await expect(nextPanel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await isFreshWorker(context)).toBe(true);

  await stopServiceWorker(context, next);
  const popup = await extensionPage(context, 'popup.html');
  await expect(popup.getByTestId('corpus-stats')).toContainText('319 papers in your corpus · 1 saved'); // 318 bundled + Mixtral, learned while browsing
  await popup.getByTestId('tab-reading-list').click();
  await expect(popup.getByTestId('reading-list-item')).toHaveCount(1);
  await expect(popup.getByTestId('reading-list-item')).toContainText('Mixtral of Experts');
  expect(await isFreshWorker(context)).toBe(true);
});

test('two tabs save and unsave 100 papers each, concurrently: the final list matches, nothing lost or duplicated', async ({ context }) => {
  const papers = corpus.papers.slice(0, 150);
  const tabA = await extensionPage(context, 'popup.html');
  const tabB = await extensionPage(context, 'options.html');
  const unsaveA = papers.slice(0, 50).filter((_, i) => i % 3 === 0).map((p) => p.id);
  const unsaveB = papers.slice(100, 150).filter((_, i) => i % 3 === 0).map((p) => p.id);
  // Each tab fires all its operations at once; per paper, save happens before unsave within the tab.
  const run = (page: Page, ids: string[], unsave: string[]) =>
    page.evaluate(
      async ([ids, unsave]) => {
        const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime;
        const call = (data: unknown) => runtime.sendMessage({ margin: 1, name: 'setSaved', data });
        const replies = await Promise.all(
          ids.map(async (paperId) => {
            const first = await call({ paperId, saved: true });
            return unsave.includes(paperId) ? [first, await call({ paperId, saved: false })] : [first];
          }),
        );
        return replies.flat().filter((reply) => !reply.ok);
      },
      [ids, unsave] as const,
    );
  const [failedA, failedB] = await Promise.all([run(tabA, papers.slice(0, 100).map((p) => p.id), unsaveA), run(tabB, papers.slice(50, 150).map((p) => p.id), unsaveB)]);
  expect(failedA).toEqual([]);
  expect(failedB).toEqual([]);

  const expected = papers.map((p) => p.id).filter((id) => !unsaveA.includes(id) && !unsaveB.includes(id));
  const list = (await send(tabA, 'readingList', {})).data as Array<{ paperId: string }>;
  expect(list.map((e) => e.paperId).sort()).toEqual([...expected].sort());
  expect(new Set(list.map((e) => e.paperId)).size).toBe(list.length);
  // What the user sees agrees.
  await tabA.reload();
  await expect(tabA.getByTestId('tab-reading-list')).toHaveText(`Reading list (${expected.length})`);
  await expect(tabA.getByTestId('corpus-stats')).toContainText(`${expected.length} saved`);
});

/** Breaks IndexedDB inside the running service worker (until it restarts or `restore` runs). */
async function breakWorkerStorage(worker: Worker, mode: 'unavailable' | 'quota') {
  await worker.evaluate((mode) => {
    const g = globalThis as unknown as { __restore?: () => void };
    const put = IDBObjectStore.prototype.put;
    const add = IDBObjectStore.prototype.add;
    let puts = 0;
    const objectStore = IDBTransaction.prototype.objectStore;
    if (mode === 'unavailable') {
      // What Chrome reports when the profile's IndexedDB backing store is broken or blocked.
      IDBTransaction.prototype.objectStore = function () {
        throw new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError');
      };
    } else {
      // The disk fills up in the middle of a write: the first few rows go through, then the quota error.
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (++puts > 5) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
      IDBObjectStore.prototype.add = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    }
    g.__restore = () => {
      IDBTransaction.prototype.objectStore = objectStore;
      IDBObjectStore.prototype.put = put;
      IDBObjectStore.prototype.add = add;
    };
  }, mode);
}

const UNAVAILABLE = /Margin cannot open its local database \(IndexedDB is unavailable/;

test('IndexedDB unavailable: a clear message in panel, popup and options; nothing written', async ({ context }) => {
  await serveSites(context, { 'https://arxiv.org/abs/2401.04088': fixture('arxiv-abs-2023.html') });
  const options = await extensionPage(context, 'options.html');
  await expect(options.getByTestId('options-stats')).toContainText('318 papers');
  await send(options, 'setSaved', { paperId: corpus.papers[0]!.id, saved: true });
  const before = await exportBackup(options);

  await breakWorkerStorage(await serviceWorker(context), 'unavailable');
  // The extension pages' own IndexedDB is gone too (as in a profile with site data blocked).
  const noIdb = (page: Page) => page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true }));

  const page = await context.newPage();
  await page.goto('https://arxiv.org/abs/2401.04088');
  await expect(page.getByTestId('margin-panel').getByRole('alert')).toContainText(UNAVAILABLE);

  const popup = await extensionPage(context, 'popup.html', noIdb);
  await expect(popup.getByRole('alert').first()).toContainText(UNAVAILABLE);

  const brokenOptions = await extensionPage(context, 'options.html', noIdb);
  await expect(brokenOptions.getByRole('alert').first()).toContainText(UNAVAILABLE);
  const valid = { format: 'margin-backup', version: 1, exportedAt: '2024-05-01T00:00:00.000Z', entries: [] };
  await brokenOptions.getByTestId('backup-import-input').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(valid)) });
  await expect(brokenOptions.getByTestId('backup-error')).toContainText(UNAVAILABLE);

  // Storage comes back (the worker restarts): everything is as it was.
  await (await serviceWorker(context)).evaluate(() => (globalThis as unknown as { __restore: () => void }).__restore());
  expect(await exportBackup(options)).toBe(before);
});

test('quota exceeded in the middle of a backup import: a clear message, the reading list byte-identical', async ({ context }) => {
  const options = await extensionPage(context, 'options.html');
  await expect(options.getByTestId('options-stats')).toContainText('318 papers');
  for (const paper of corpus.papers.slice(0, 3)) await send(options, 'setSaved', { paperId: paper.id, saved: true });
  await send(options, 'updateEntry', { paperId: corpus.papers[0]!.id, notes: 'a note that must survive' });
  const before = await exportBackup(options);

  const entries = corpus.papers.slice(10, 60).map((paper, i) => ({
    paperId: paper.id, arxivId: paper.arxivId, title: paper.title, authors: [], year: 2024, published: null, abstract: '', categories: [],
    status: 'reading', notes: `imported note ${i}`, addedAt: 1_700_000_000_000 + i, updatedAt: 1_700_000_000_000 + i,
  }));
  const file = JSON.stringify({ format: 'margin-backup', version: 1, exportedAt: '2024-05-01T00:00:00.000Z', entries });
  await options.getByTestId('backup-import-input').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(options.getByTestId('backup-preview')).toContainText('50 new');

  await breakWorkerStorage(await serviceWorker(context), 'quota');
  await options.getByTestId('backup-apply').click();
  await expect(options.getByTestId('backup-error')).toContainText(/storage quota exceeded.*Nothing was changed/);
  await (await serviceWorker(context)).evaluate(() => (globalThis as unknown as { __restore: () => void }).__restore());
  expect(await exportBackup(options)).toBe(before);
});

test('malformed import files: each gets a clear error and the reading list is byte-identical afterwards', async ({ context }) => {
  const options = await extensionPage(context, 'options.html');
  await expect(options.getByTestId('options-stats')).toContainText('318 papers');
  for (const paper of corpus.papers.slice(0, 2)) await send(options, 'setSaved', { paperId: paper.id, saved: true });
  await send(options, 'updateEntry', { paperId: corpus.papers[0]!.id, notes: 'keep <b>me</b> \u202e' });
  const before = await exportBackup(options);

  const dir = join(FIXTURES, 'import-bad');
  const files: Array<{ name: string; mimeType: string; buffer: Buffer }> = readdirSync(dir).sort().map((name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(dir, name)) }));
  files.push({ name: '10mb-single-line.json', mimeType: 'application/json', buffer: Buffer.from(`{"format":"margin-backup","version":1,"exportedAt":"x","entries":[{"paperId":"a","notes":"${'A'.repeat(10 * 1024 * 1024)}"}]}`) });
  expect(files.length).toBeGreaterThanOrEqual(15);
  const input = options.getByTestId('backup-import-input');
  const error = options.getByTestId('backup-error');
  for (const file of files) {
    await input.setInputFiles(file);
    await expect(error, file.name).toContainText(`${file.name}: `);
    await expect(error, file.name).toContainText(/Nothing was changed\.$/);
    await expect(options.getByTestId('backup-preview')).toHaveCount(0);
  }
  // The same files given to the corpus import: a clear failure or skipped records, never the reading list.
  const corpusInput = options.getByTestId('corpus-import-input');
  for (const file of files.filter((f) => /empty|binary|zip|utf16|not-json|null/.test(f.name))) {
    await corpusInput.setInputFiles(file);
    await expect(options.getByTestId('import-result'), file.name).toHaveText(/^(?!.*undefined).*(empty|binary|ZIP|UTF-16|not a JSON|not valid JSON|neither|Nothing was imported).*$/);
  }
  expect(await exportBackup(options)).toBe(before);
});

test('the built manifest keeps the minimal permissions (widening it must be a visible decision)', () => {
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  expect([...(manifest.permissions as string[])].sort()).toEqual(['contextMenus', 'storage', 'unlimitedStorage']);
  expect([...(manifest.host_permissions as string[])].sort()).toEqual(['*://arxiv.org/*', '*://export.arxiv.org/*', '*://huggingface.co/*', '*://www.arxiv.org/*']);
  for (const key of ['optional_permissions', 'optional_host_permissions', 'web_accessible_resources', 'externally_connectable', 'content_security_policy']) expect(manifest, key).not.toHaveProperty(key);
});
