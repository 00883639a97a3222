/**
 * The built Firefox extension (`.output/firefox-mv2`) in a real Firefox (Debian's firefox-esr), driven over WebDriver
 * BiDi with puppeteer-core: Playwright drives only its own patched Firefox, which cannot be installed here.
 *
 * The extension is loaded from the profile (an extension proxy file pointing at the build) with a fixed internal
 * UUID, and the options page is the URL Firefox starts on: WebDriver may not navigate to `moz-extension:` URLs, but an
 * extension page may navigate itself to another of its pages. Paper pages are fixtures served at the real URLs.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSnapshotLines } from '../../scripts/synthetic';

const ROOT = resolve(__dirname, '../..');
const EXTENSION_DIR = join(ROOT, '.output/firefox-mv2');
const FIXTURES = join(ROOT, 'tests/fixtures');
const ADDON_ID = 'margin@margin.local';
const UUID = '0b7f3a52-9c1d-4e8a-a6f0-5d2c8e41b973';
const BASE = `moz-extension://${UUID}`;
const FIREFOX = [process.env.FIREFOX, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path): path is string => Boolean(path && existsSync(path)));

const corpus = JSON.parse(readFileSync(join(EXTENSION_DIR, 'corpus.json'), 'utf8')) as { papers: Array<{ id: string; title: string; abstract: string }> };
const source = { titles: corpus.papers.map((p) => p.title), abstracts: corpus.papers.map((p) => p.abstract) };

let browser: Browser;
let extensionPage: Page;

/** Polls `probe` in the page until it returns something truthy; fails with the last value seen. */
async function until<T>(page: Page, probe: () => T, what: string, timeoutMs = 30_000): Promise<NonNullable<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<T> | null = null;
  while (Date.now() < deadline) {
    last = (await page.evaluate(probe).catch(() => null)) as Awaited<T> | null;
    if (last) return last as NonNullable<Awaited<T>>;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`Firefox: ${what} did not happen within ${timeoutMs / 1000} s (last seen: ${JSON.stringify(last)})`);
}

/** The panel the content script put on the page, read from its open shadow root. */
function panelState() {
  const root = document.querySelector('margin-panel')?.shadowRoot;
  if (!root) return null;
  const related = [...root.querySelectorAll('[data-testid="related-paper"]')].map((item) => item.textContent ?? '');
  const tags = [...root.querySelectorAll('[data-testid="topic-tag"]')].map((tag) => tag.textContent ?? '');
  const save = root.querySelector('[data-testid="save-toggle"]');
  return related.length ? { related, tags, saved: save?.getAttribute('aria-pressed') } : null;
}

async function paperPage(url: string, fixture: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: readFileSync(join(FIXTURES, fixture), 'utf8') });
    else if (request.url().startsWith('https://')) void request.respond({ status: 404, body: '' });
    else void request.continue();
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

beforeAll(async () => {
  if (!FIREFOX) throw new Error('Firefox not found: install Debian\'s firefox-esr (apt-get install firefox-esr) or set FIREFOX to its path.');
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No Firefox build in ${EXTENSION_DIR}: run npm run build first.`);
  const profile = mkdtempSync(join(tmpdir(), 'margin-firefox-'));
  mkdirSync(join(profile, 'extensions'));
  writeFileSync(join(profile, 'extensions', ADDON_ID), EXTENSION_DIR);
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    args: [`${BASE}/options.html`],
    extraPrefsFirefox: {
      'xpinstall.signatures.required': false,
      'extensions.autoDisableScopes': 0,
      'extensions.enabledScopes': 15,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: UUID }),
    },
  });
  const pages = await browser.pages();
  extensionPage = pages.find((page) => page.url().startsWith(BASE)) ?? pages[0]!;
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('Margin in Firefox', () => {
  it('shows topic tags and related papers with reasons on an arXiv abstract page, and saves the paper', async () => {
    const page = await paperPage('https://arxiv.org/abs/2401.04088', 'arxiv-abs-2023.html');
    const panel = await until(page, panelState, 'the panel with related papers');
    expect(panel.tags).toContain('Mixture of Experts');
    expect(panel.related.length).toBeGreaterThanOrEqual(3);
    // Each suggestion carries its one-line reason.
    expect(panel.related.every((text) => /Same topic|Shared authors|shared:/.test(text))).toBe(true);
    expect(panel.saved).toBe('false');
    await page.evaluate(() => (document.querySelector('margin-panel')!.shadowRoot!.querySelector('[data-testid="save-toggle"]') as HTMLButtonElement).click());
    await until(page, () => document.querySelector('margin-panel')?.shadowRoot?.querySelector('[data-testid="save-toggle"]')?.getAttribute('aria-pressed') === 'true' || null, 'the saved state');
    await page.close();
  });

  it('shows the panel on a Hugging Face paper page, already marked as saved', async () => {
    const page = await paperPage('https://huggingface.co/papers/2401.04088', 'hf-paper-2401.04088.html');
    const panel = await until(page, panelState, 'the panel with related papers');
    expect(panel.related.length).toBeGreaterThanOrEqual(3);
    expect(panel.saved).toBe('true');
    await page.close();
  });

  it('imports a snapshot file on the options page (bad lines reported), and the popup finds an imported paper', async () => {
    const good = [...generateSnapshotLines(2000, 31, source)];
    const lines = [...good];
    lines.splice(100, 0, '{"id": "2401.99999", "title": ');
    const file = join(mkdtempSync(join(tmpdir(), 'margin-firefox-import-')), 'snapshot.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const page = extensionPage;
    await until(page, () => document.querySelector('[data-testid="options-stats"]')?.textContent?.includes('318 papers') || null, 'the options page');
    const input = await page.$('input[data-testid="corpus-import-input"]');
    await input!.uploadFile(file);
    const result = await until(page, () => document.querySelector('[data-testid="import-result"]')?.textContent ?? null, 'the import result', 120_000);
    const bundled = new Set(corpus.papers.map((p) => p.id));
    const fresh = new Set(good.map((line) => (JSON.parse(line) as { id: string }).id).filter((id) => !bundled.has(id)));
    expect(result).toContain(`Imported ${fresh.size.toLocaleString('en')} papers`);
    expect(await until(page, () => document.querySelector('[data-testid="import-errors"]')?.textContent ?? null, 'the error list')).toContain('Line 101:');
    // (The paper page visited above is in the corpus too now, learned from browsing.)
    expect(await until(page, () => document.querySelector('[data-testid="options-stats"]')?.textContent ?? null, 'the stats')).toContain(`${fresh.size.toLocaleString('en')} imported, 1 met while browsing`);

    const wanted = JSON.parse(good[1500]!) as { id: string; title: string };
    await page.evaluate(() => location.assign('/popup.html'));
    await until(page, () => (document.querySelector('[data-testid="search-input"]') as HTMLInputElement | null)?.disabled === false || null, 'the popup search box');
    await page.evaluate((query) => {
      const box = document.querySelector('[data-testid="search-input"]') as HTMLInputElement;
      box.value = query;
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }, wanted.title.replace(/\s+/g, ' ').trim());
    const titles = await until(page, () => [...document.querySelectorAll('[data-testid="search-result"] .result-title')].map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()).slice(0, 3).join('\n') || null, 'search results');
    expect(titles.split('\n')).toContain(wanted.title.replace(/\s+/g, ' ').trim());
    // The paper saved on the arXiv page is in the reading list.
    expect(await until(page, () => document.querySelector('[data-testid="tab-reading-list"]')?.textContent ?? null, 'the reading list tab')).toContain('(1)');
  });
});
