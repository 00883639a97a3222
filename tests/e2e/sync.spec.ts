import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { SyncRecord } from '../../lib/schema';
import { makeStamp } from '../../lib/sync/clock';
import { decodePage, encodePage, isPageKey, pageText } from '../../lib/sync/codec';
import { EXTENSION_DIR, expect, fixture, serveSites, serviceWorker, test } from './fixtures';
import { PopupPage } from './pages/popup';

/**
 * The reading list through chrome.storage.sync, in the built extension. "Another browser" is played by writing
 * Margin's pages into storage.sync from the service worker, as Chrome Sync does when another device synced.
 */

const corpus = JSON.parse(readFileSync(join(EXTENSION_DIR, 'corpus.json'), 'utf8')) as { papers: Array<{ arxivId: string | null; title: string }> };
const TORCHDISTILL = 'torchdistill: A Modular, Configuration-Driven Framework for Knowledge Distillation';
const torchdistillId = corpus.papers.find((p) => p.title === TORCHDISTILL)!.arxivId!;
const MIXTRAL = 'Mixtral of Experts';
const MIXTRAL_ID = '2401.04088';
const MIXTRAL_ABS = `https://arxiv.org/abs/${MIXTRAL_ID}`;

/** The records in the sync area, decoded as another browser would. */
async function syncedRecords(context: BrowserContext): Promise<SyncRecord[]> {
  const worker = await serviceWorker(context);
  const items = (await worker.evaluate(() => chrome.storage.sync.get(null))) as Record<string, unknown>;
  const records: SyncRecord[] = [];
  for (const [key, value] of Object.entries(items)) {
    if (!isPageKey(key)) continue;
    const page = await decodePage(value);
    if (page.ok) records.push(...page.records);
  }
  return records;
}

/** Writes records into storage.sync under a page key of its own, as another device's sync would. */
async function writeFromOutside(context: BrowserContext, key: string, records: SyncRecord[]) {
  const value = await encodePage(pageText(records));
  const worker = await serviceWorker(context);
  await worker.evaluate(([k, v]) => chrome.storage.sync.set({ [k]: v }), [key, value] as const);
}

function savedFromElsewhere(paperId: string, fields: Partial<SyncRecord> = {}): SyncRecord {
  const at = makeStamp(Date.now(), 0, 'zzzz');
  return { paperId, saved: true, savedAt: at, status: 'reading', statusAt: at, notes: '', notesAt: at, notesVersion: {}, addedAt: Date.now(), ...fields };
}

async function openArxivPage(context: BrowserContext): Promise<Page> {
  await serveSites(context, { [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html') });
  const page = await context.newPage();
  await page.goto(MIXTRAL_ABS);
  await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toBeVisible();
  return page;
}

async function openOptions(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  return page;
}

test('a save writes the entry to storage.sync; the options page counts it', async ({ context, extensionId }) => {
  const page = await openArxivPage(context);
  await page.getByTestId('margin-panel').getByTestId('save-toggle').click();
  await expect.poll(async () => (await syncedRecords(context)).find((r) => r.paperId === MIXTRAL_ID), { timeout: 15_000 }).toMatchObject({
    saved: true,
    title: MIXTRAL,
    status: 'to-read',
  });
  const options = await openOptions(context, extensionId);
  await expect(options.getByTestId('sync-enabled')).toBeChecked();
  await expect(options.getByTestId('sync-status')).toContainText('1 of 1 saved papers synced');
  await expect(options.getByTestId('sync-status')).toContainText('last change from another browser: never');
});

test('a change arriving in storage.sync from another browser appears in the popup and in an open panel', async ({ context, extensionId }) => {
  const page = await openArxivPage(context);
  const toggle = page.getByTestId('margin-panel').getByTestId('save-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const popup = await PopupPage.open(context, extensionId);
  await popup.showReadingList();
  await expect(popup.items).toHaveCount(0);

  // Saved elsewhere: a paper of the corpus (its metadata comes from the corpus) and the page's paper, with a note.
  await writeFromOutside(context, 'm:7', [
    savedFromElsewhere(torchdistillId),
    savedFromElsewhere(MIXTRAL_ID, { title: MIXTRAL, authors: ['Albert Q. Jiang'], year: 2024, notes: 'Read on the desktop: routing in §2.' }),
  ]);
  await expect(popup.items).toHaveCount(2);
  await expect(popup.item(TORCHDISTILL).getByTestId('entry-status')).toHaveValue('reading');
  await expect(popup.item(MIXTRAL).getByTestId('entry-notes')).toHaveValue('Read on the desktop: routing in §2.');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // Removed elsewhere, later.
  await writeFromOutside(context, 'm:8', [{ paperId: MIXTRAL_ID, saved: false, savedAt: makeStamp(Date.now() + 1000, 0, 'zzzz'), notesVersion: {} }]);
  await expect(popup.items).toHaveCount(1);
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');

  const options = await openOptions(context, extensionId);
  await expect(options.getByTestId('sync-last-received')).not.toHaveText('never');
});

test('turning sync off stops both directions and keeps the local list; on again, both catch up', async ({ context, extensionId }) => {
  const page = await openArxivPage(context);
  const options = await openOptions(context, extensionId);
  await expect(options.getByTestId('sync-enabled')).toBeChecked();
  await options.getByTestId('sync-enabled').uncheck();
  await expect(options.getByTestId('sync-status')).toContainText('Sync is off');

  await page.getByTestId('margin-panel').getByTestId('save-toggle').click();
  await writeFromOutside(context, 'm:7', [savedFromElsewhere(torchdistillId)]);
  const popup = await PopupPage.open(context, extensionId);
  await popup.showReadingList();
  await expect(popup.item(MIXTRAL)).toBeVisible();
  // Longer than sync waits after a local edit (2 s): nothing went out, nothing came in.
  await popup.page.waitForTimeout(3500);
  expect((await syncedRecords(context)).map((r) => r.paperId)).toEqual([torchdistillId]);
  await expect(popup.items).toHaveCount(1);

  await options.getByTestId('sync-enabled').check();
  await expect(options.getByTestId('sync-status')).toContainText('2 of 2 saved papers synced');
  await expect(popup.items).toHaveCount(2);
  await expect.poll(async () => (await syncedRecords(context)).map((r) => r.paperId).sort(), { timeout: 15_000 }).toEqual([MIXTRAL_ID, torchdistillId].sort());
});
