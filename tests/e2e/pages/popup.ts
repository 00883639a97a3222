import type { BrowserContext, Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { ROOT, bundledCorpus, expect, serviceWorker } from '../fixtures';

/** The popup page, opened as a tab, and the moves a user makes in it. */
export class PopupPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext, id: string, query = ''): Promise<PopupPage> {
    const page = await context.newPage();
    await page.setViewportSize({ width: 460, height: 720 });
    await page.goto(`chrome-extension://${id}/popup.html${query}`);
    const popup = new PopupPage(page);
    await expect(popup.page.getByTestId('corpus-stats')).toContainText('papers in your corpus');
    return popup;
  }

  /**
   * Opens the popup as a background tab of the window whose active tab is `paperTab`, so its
   * `tabs.query({ active: true, currentWindow: true })` finds that tab, as the toolbar popup does.
   */
  static async openOver(context: BrowserContext, id: string, paperTab: Page): Promise<PopupPage> {
    await paperTab.bringToFront();
    const worker = await serviceWorker(context);
    const opened = context.waitForEvent('page', (p) => p.url().startsWith(`chrome-extension://${id}/popup.html`));
    await worker.evaluate((url) => (globalThis as any).chrome.tabs.create({ url, active: false }).then(() => undefined), `chrome-extension://${id}/popup.html`);
    const page = await opened;
    await page.setViewportSize({ width: 460, height: 720 });
    return new PopupPage(page);
  }

  get input(): Locator {
    return this.page.getByTestId('search-input');
  }
  get results(): Locator {
    return this.page.getByTestId('search-result');
  }
  get items(): Locator {
    return this.page.getByTestId('reading-list-item');
  }
  get current(): Locator {
    return this.page.getByTestId('current-paper');
  }

  result(title: string | RegExp): Locator {
    return this.results.filter({ hasText: title });
  }
  item(title: string | RegExp): Locator {
    return this.items.filter({ hasText: title });
  }

  async search(query: string) {
    await this.page.getByRole('tab', { name: 'Search' }).click();
    await this.input.fill(query);
  }

  async showReadingList() {
    await this.page.getByTestId('tab-reading-list').click();
    await expect(this.page.getByRole('region', { name: 'Reading list' })).toBeVisible();
  }

  /** Downloads one export format and returns its file name and text. */
  async exportAs(format: 'bibtex' | 'csl-json' | 'markdown' | 'backup'): Promise<{ name: string; text: string; path: string }> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId(`export-${format}`).click();
    const file = await download;
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8'), path };
  }
}

/** The bundled corpus, read independently of the UI: title → arXiv id. */
export const corpus = bundledCorpus();
export const idOf = (title: string) => corpus.papers.find((p) => p.title === title)!.arxivId!;

export const TORCHDISTILL = 'torchdistill: A Modular, Configuration-Driven Framework for Knowledge Distillation';
export const KARRAS = 'Training Generative Adversarial Networks with Limited Data';
export const MEGATRON = 'Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM';
export const LAYER_NORM = 'Layer Normalization';
/** On arxiv.org (fixture page) but not in the bundled corpus: saved with the metadata read from the page. */
export const MIXTRAL = 'Mixtral of Experts';
export const MIXTRAL_ABS = 'https://arxiv.org/abs/2401.04088';

export const shots = join(ROOT, 'docs', 'screenshots');

/** A stand-in arXiv abstract page for every corpus paper, so opened tabs land on a real URL. */
export const corpusAbsPages = Object.fromEntries(
  corpus.papers.filter((p) => p.arxivId).map((p) => [`https://arxiv.org/abs/${p.arxivId}`, `<!doctype html><title>[${p.arxivId}] ${p.title.replace(/[<&]/g, '')}</title><h1>${p.title.replace(/[<&]/g, '')}</h1>`]),
);

export async function openArxivPage(context: BrowserContext, url = MIXTRAL_ABS): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toBeVisible();
  return page;
}

/** Saves a corpus paper from the popup's search results, as a user does. */
export async function saveFromSearch(popup: PopupPage, query: string, title: string) {
  await popup.search(query);
  const toggle = popup.result(title).getByTestId('save-toggle');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
}
