import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundledCorpus } from '../../lib/schema';

export const ROOT = join(import.meta.dirname, '..', '..');
export const EXTENSION_DIR = process.env.MARGIN_EXTENSION_DIR ?? join(ROOT, '.output', 'chrome-mv3');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Launches real Chromium with the built extension in a fresh (or given) profile. */
export async function launchWithExtension(userDataDir: string): Promise<BrowserContext> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('Build the extension first: npm run build');
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless=new',
      '--no-sandbox',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export type SitePages = Record<string, string | { body: string; contentType?: string }>;

/**
 * Serves fixture pages for the real site URLs so the content scripts match as in real life.
 * Anything not listed (scripts, fonts, images of the captured pages) gets an empty 404:
 * the tests never reach the network.
 */
export async function serveSites(context: BrowserContext, pages: SitePages) {
  // Every web request is answered here: the listed pages, and an empty 404 for the rest (CDNs, analytics).
  await context.route(/^https?:\/\//, (route) => {
    const url = route.request().url();
    if (route.request().resourceType() === 'stylesheet') {
      const site = /huggingface\.co/.test(url) ? 'huggingface.css' : /arxiv\.org/.test(url) ? 'arxiv.css' : null;
      return route.fulfill({ status: 200, contentType: 'text/css', body: site ? fixture(`site-css/${site}`) : '' });
    }
    const page = pages[url] ?? pages[url.replace(/#.*$/, '')];
    if (page === undefined) return route.fulfill({ status: 404, contentType: 'text/plain', body: '' });
    const { body, contentType } = typeof page === 'string' ? { body: page, contentType: 'text/html; charset=utf-8' } : page;
    return route.fulfill({ status: 200, contentType: contentType ?? 'text/html; charset=utf-8', body });
  });
}

export async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

export async function extensionId(context: BrowserContext): Promise<string> {
  return new URL((await serviceWorker(context)).url()).host;
}

/** The bundled corpus as built into the extension under test. */
export function bundledCorpus(): BundledCorpus {
  return JSON.parse(readFileSync(join(EXTENSION_DIR, 'corpus.json'), 'utf8')) as BundledCorpus;
}

export type Reply = { ok: boolean; error?: string; data?: unknown };

/** Sends a raw message to the background from an extension page, as the popup and options do. */
export function send(page: Page, name: string, data: unknown): Promise<Reply> {
  return page.evaluate(
    ([name, data]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime.sendMessage({ margin: 1, name, data }),
    [name, data] as const,
  );
}

export async function extensionUrl(context: BrowserContext, path: string): Promise<string> {
  return `chrome-extension://${new URL((await serviceWorker(context)).url()).host}/${path}`;
}

/** Opens an extension page (`popup.html`, `options.html`); `before` runs on the page before it loads (init scripts). */
export async function extensionPage(context: BrowserContext, path: string, before?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await context.newPage();
  if (before) await before(page);
  await page.goto(await extensionUrl(context, path));
  return page;
}

/** A reading-list backup exported by the options page, with its time stamp blanked so two exports compare byte for byte. */
export async function exportBackup(options: Page): Promise<string> {
  const [download] = await Promise.all([options.waitForEvent('download'), options.getByTestId('backup-export').click()]);
  const path = await download.path();
  return readFileSync(path, 'utf8').replace(/"exportedAt": "[^"]*"/, '"exportedAt": "…"');
}

export async function openPopup(context: BrowserContext, id: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  return page;
}

interface Fixtures {
  userDataDir: string;
  context: BrowserContext;
  extensionId: string;
}

export const test = base.extend<Fixtures>({
  userDataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'margin-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  context: async ({ userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir);
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    await use(await extensionId(context));
  },
});

export const expect = test.expect;
