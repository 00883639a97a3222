import type { Page, Worker } from '@playwright/test';
import { bundledCorpus, expect, exportBackup, extensionPage, fixture, send, serveSites, serviceWorker, test } from './fixtures';

/** IndexedDB unavailable or out of quota: a clear message where the user is, and nothing written. */

const corpus = bundledCorpus();

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
