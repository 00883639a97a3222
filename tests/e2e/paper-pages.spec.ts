import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, fixture, openPopup, serveSites, serviceWorker, test } from './fixtures';

const shots = join(ROOT, 'docs', 'screenshots');
mkdirSync(shots, { recursive: true });

const MIXTRAL = 'https://arxiv.org/abs/2401.04088';
const MOE_TITLE = /MoE|Mixture-of-Experts|Mixture of Experts|Expert/i;

/**
 * Errors from Margin's content scripts: a page Margin cannot read must stay silent. The captured
 * pages' own missing resources (404s of their scripts and icons) are the page's business.
 */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const fromExtension = message.location().url.startsWith('chrome-extension://') || /margin/i.test(message.text());
    if ((message.type() === 'error' || message.type() === 'warning') && fromExtension) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

async function expectMoePanel(page: Page) {
  const panel = page.getByTestId('margin-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('topic-tag').filter({ hasText: 'Mixture of Experts' })).toBeVisible();
  const related = panel.getByTestId('related-paper');
  await expect(related.first()).toBeVisible();
  const count = await related.count();
  expect(count).toBeGreaterThanOrEqual(3);
  expect(count).toBeLessThanOrEqual(5);
  const titles = await related.locator('a').allInnerTexts();
  expect(titles.filter((title) => MOE_TITLE.test(title)).length, titles.join('\n')).toBeGreaterThanOrEqual(2);
  for (const href of await related.locator('a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) {
    expect(href).toMatch(/^https:\/\/arxiv\.org\/(abs\/[\w./-]+|search\/\?searchtype=title&query=.+)$/);
  }
  // Every suggestion explains itself in one line.
  for (const text of await related.allInnerTexts()) expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
  return panel;
}

test.describe('arXiv paper pages', () => {
  test('abs page, 2023 layout: panel below the abstract with topics, related papers and a save toggle, no layout shift', async ({ context }) => {
    await serveSites(context, { [MIXTRAL]: fixture('arxiv-abs-2023.html') });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { abstractTop: number }).abstractTop = document.querySelector('blockquote.abstract')!.getBoundingClientRect().top;
      });
    });
    await page.goto(MIXTRAL);
    const panel = await expectMoePanel(page);
    const abstract = await page.locator('blockquote.abstract').boundingBox();
    const box = await panel.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(abstract!.y + abstract!.height - 1);
    // The text the reader is looking at does not move when the panel arrives.
    expect(await page.evaluate(() => (window as unknown as { abstractTop: number }).abstractTop)).toBeCloseTo(abstract!.y, 0);
    await panel.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(shots, 'arxiv-abs-light.png') });
    expect(errors).toEqual([]);
  });

  test('abs page, 2025+ layout (with version in the URL) gets the same panel', async ({ context }) => {
    await serveSites(context, { 'https://arxiv.org/abs/2401.04088v2': fixture('arxiv-abs-2025.html') });
    const page = await context.newPage();
    await page.goto('https://arxiv.org/abs/2401.04088v2');
    await expectMoePanel(page);
  });

  test('dark scheme: the panel follows the page', async ({ context }) => {
    await serveSites(context, { [MIXTRAL]: fixture('arxiv-abs-2023.html') });
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(MIXTRAL);
    const panel = await expectMoePanel(page);
    await expect(panel).toHaveAttribute('data-theme', 'dark');
    const background = await panel.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).not.toBe('rgb(251, 250, 255)');
    await panel.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(shots, 'arxiv-abs-dark.png') });
  });

  test('HTML full text (LaTeXML, real capture) gets a panel after the abstract', async ({ context }) => {
    const url = 'https://arxiv.org/html/2407.16314v1';
    await serveSites(context, { [url]: fixture('arxiv-html-2407.16314v1.html') });
    const page = await context.newPage();
    await page.goto(url);
    const panel = page.getByTestId('margin-panel');
    await expect(panel).toBeVisible();
    const abstract = await page.locator('.ltx_abstract').boundingBox();
    expect((await panel.boundingBox())!.y).toBeGreaterThanOrEqual(abstract!.y + abstract!.height - 1);
    // The paper (an economics essay on AI) is either related to something or says plainly that nothing is close.
    await expect(panel.getByTestId('related-paper').first().or(panel.getByTestId('no-related'))).toBeVisible();
  });

  test('an off-field paper (hep-th, no citation meta) gets no invented topics and no weak matches', async ({ context }) => {
    const url = 'https://arxiv.org/abs/hep-th/9711200v3';
    await serveSites(context, { [url]: fixture('arxiv-abs-nometa-hep-th-9711200.html') });
    const page = await context.newPage();
    await page.goto(url);
    const panel = page.getByTestId('margin-panel');
    await expect(panel.getByTestId('no-related')).toHaveText('Nothing in your corpus is close enough to this paper.');
    await expect(panel.getByTestId('topic-tag')).toHaveCount(0);
    await expect(panel).toContainText('hep-th');
  });

  test('the save toggle round-trips through the background and shows in the popup', async ({ context, extensionId }) => {
    await serveSites(context, { [MIXTRAL]: fixture('arxiv-abs-2023.html') });
    const page = await context.newPage();
    await page.goto(MIXTRAL);
    const toggle = page.getByTestId('margin-panel').getByTestId('save-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');

    const popup = await openPopup(context, extensionId);
    await popup.getByTestId('tab-reading-list').click();
    await expect(popup.getByTestId('reading-list-item')).toHaveCount(1);
    await expect(popup.getByTestId('reading-list-item')).toContainText('Mixtral of Experts');

    await page.reload();
    await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('margin-panel').getByTestId('save-toggle').click();
    await expect(page.getByTestId('margin-panel').getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect(popup.getByTestId('reading-list-item')).toHaveCount(0);
  });

  test('the tab answers the extension in the contract: its paper, the save shortcut, and nothing for a malformed event', async ({ context, extensionId }) => {
    await serveSites(context, { [MIXTRAL]: fixture('arxiv-abs-2023.html') });
    const page = await context.newPage();
    await page.goto(MIXTRAL);
    const toggle = page.getByTestId('margin-panel').getByTestId('save-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    // What the popup and the background's shortcut send (an extension page can message tabs as they do).
    const extensionPage = await openPopup(context, extensionId);
    const send = (message: unknown) =>
      extensionPage.evaluate(async ([url, message]) => {
        const [tab] = await chrome.tabs.query({ url: url as string });
        return chrome.tabs.sendMessage(tab!.id!, message).then(
          (reply: unknown) => ({ reply }),
          (error: Error) => ({ error: error.message }),
        );
      }, [MIXTRAL, message] as const);

    expect(await send({ margin: 1, event: 'getPaper' })).toMatchObject({ reply: { arxivId: '2401.04088', title: 'Mixtral of Experts' } });
    expect(await send({ margin: 1, event: 'toggleSave' })).toEqual({ reply: true });
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    // A malformed event gets no answer and changes nothing.
    expect(await send({ margin: 1, event: 'savedChanged', changes: 'all' })).toEqual({ reply: undefined });
    expect(await send({ margin: 1, event: 'deleteEverything' })).toEqual({ reply: undefined });
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  });

  test('collapsing is keyboard accessible and remembered across pages', async ({ context }) => {
    await serveSites(context, { [MIXTRAL]: fixture('arxiv-abs-2023.html') });
    const page = await context.newPage();
    await page.goto(MIXTRAL);
    const panel = await expectMoePanel(page);
    const collapse = panel.getByRole('button', { name: /Margin/ });
    await collapse.focus();
    await page.keyboard.press('Enter');
    await expect(collapse).toHaveAttribute('aria-expanded', 'false');
    await expect(panel.getByTestId('related-paper')).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('margin-panel').getByRole('button', { name: /Margin/ })).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('margin-panel').getByRole('button', { name: /Margin/ }).click();
    await expect(page.getByTestId('margin-panel').getByTestId('related-paper').first()).toBeVisible();
  });
});

test.describe('listings', () => {
  test('arXiv listing: one compact annotation per entry', async ({ context }) => {
    const url = 'https://arxiv.org/list/cs.LG/new';
    const html = fixture('arxiv-list-cs-lg-new.html');
    await serveSites(context, { [url]: html });
    const page = await context.newPage();
    await page.goto(url);
    const entries = (html.match(/<dt>/g) ?? []).length;
    await expect(page.getByTestId('listing-annotation')).toHaveCount(entries);
    await expect(page.getByTestId('margin-panel')).toHaveCount(0);
    // Each annotation sits inside its own entry, after the authors line.
    const first = page.locator('dd').first();
    await expect(first.getByTestId('listing-annotation')).toHaveCount(1);
    await expect(page.getByTestId('listing-annotation').getByTestId('topic-tag').first()).toBeVisible();
  });

  test('arXiv search results (real capture): annotations, and saving one entry marks it', async ({ context }) => {
    const url = 'https://arxiv.org/search/?query=distributed+systems&searchtype=all&source=header';
    await serveSites(context, { [url]: fixture('arxiv-search-distributed-systems.html') });
    const page = await context.newPage();
    await page.goto(url);
    const results = await page.locator('li.arxiv-result').count();
    expect(results).toBeGreaterThan(10);
    await expect(page.getByTestId('listing-annotation')).toHaveCount(results);
    const first = page.getByTestId('listing-annotation').first();
    await first.getByTestId('save-toggle').click();
    await expect(first.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(first).toHaveAttribute('data-saved', 'true');
    await page.reload();
    await expect(page.getByTestId('listing-annotation').first()).toHaveAttribute('data-saved', 'true');
    await expect(page.locator('[data-testid="listing-annotation"][data-saved="true"]')).toHaveCount(1);
  });

  test('HF daily papers (real capture): one annotation per paper card', async ({ context }) => {
    const url = 'https://huggingface.co/papers?date=2024-08-01';
    const html = fixture('hf-daily-papers-2024-08-01.html');
    await serveSites(context, { [url]: html });
    const page = await context.newPage();
    await page.goto(url);
    const cards = (html.match(/<article/g) ?? []).length;
    expect(cards).toBeGreaterThan(5);
    await expect(page.getByTestId('listing-annotation')).toHaveCount(cards);
  });
});

test.describe('Hugging Face paper pages', () => {
  const HF_URL = 'https://huggingface.co/papers/2401.04088';

  test('paper page: panel below the abstract, light and dark', async ({ context }) => {
    await serveSites(context, { [HF_URL]: fixture('hf-paper-2401.04088.html') });
    const page = await context.newPage();
    await page.goto(HF_URL);
    const panel = await expectMoePanel(page);
    const heading = page.getByRole('heading', { name: 'Abstract' });
    expect((await panel.boundingBox())!.y).toBeGreaterThan((await heading.boundingBox())!.y);
    await panel.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(shots, 'hf-paper-light.png') });
    await page.evaluate(() => document.documentElement.classList.add('dark'));
    await expect(panel).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: join(shots, 'hf-paper-dark.png') });
  });

  test('client-side navigation re-annotates for the new paper and leaves no stale panel', async ({ context }) => {
    const other = fixture('hf-paper-2401.04088.html')
      .replaceAll('2401.04088', '2404.12759')
      .replaceAll('Mixtral of Experts', 'decoupleQ: Towards 2-bit Post-Training Uniform Quantization via decoupling Parameters into Integer and Floating Points')
      .replace(/We introduce Mixtral 8x7B[^<"&]*/g, 'Quantization emerges as one of the most promising compression technologies for deploying efficient large models. We propose decoupleQ, 2-bit post-training uniform quantization of weights with low-bit integer and floating point parts, keeping accuracy close to fp16.');
    await serveSites(context, { [HF_URL]: fixture('hf-paper-2401.04088.html'), 'https://huggingface.co/papers/2404.12759': other });
    const page = await context.newPage();
    await page.goto(HF_URL);
    await expectMoePanel(page);

    // HF swaps the page content in place and pushes the new URL, without a page load.
    await page.evaluate((html) => {
      const next = new DOMParser().parseFromString(html, 'text/html');
      history.pushState({}, '', '/papers/2404.12759');
      document.title = next.title;
      document.querySelector('main')!.replaceWith(document.adoptNode(next.querySelector('main')!));
    }, other);

    const panel = page.getByTestId('margin-panel');
    await expect(panel.getByTestId('topic-tag').filter({ hasText: /Quantization/ })).toBeVisible();
    await expect(panel).toHaveCount(1);
    await expect(panel.getByTestId('topic-tag').filter({ hasText: 'Mixture of Experts' })).toHaveCount(0);
    const titles = await panel.getByTestId('related-paper').locator('a').allInnerTexts();
    expect(titles.some((title) => /quantiz|bit/i.test(title)), titles.join('\n')).toBe(true);

    // Back to a list page: no paper panel survives.
    await page.evaluate(() => {
      history.pushState({}, '', '/papers');
      document.querySelector('main')!.replaceChildren();
    });
    await expect(page.getByTestId('margin-panel')).toHaveCount(0);
  });
});

test.describe('PDF tabs', () => {
  test('the toolbar badge knows the paper from the PDF URL alone, and marks it saved', async ({ context }) => {
    const pdf = '%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF';
    await serveSites(context, {
      'https://arxiv.org/pdf/2109.10465v1': { body: pdf, contentType: 'application/pdf' },
      'https://arxiv.org/pdf/2401.99999': { body: pdf, contentType: 'application/pdf' },
    });
    const worker = await serviceWorker(context);
    const badgeFor = (url: string) =>
      worker.evaluate(async (target) => {
        const [tab] = await chrome.tabs.query({ url: target });
        return tab?.id === undefined ? null : chrome.action.getBadgeText({ tabId: tab.id });
      }, url);

    const page = await context.newPage();
    await page.goto('https://arxiv.org/pdf/2109.10465v1');
    await expect.poll(() => badgeFor('https://arxiv.org/pdf/2109.10465v1')).toBe('•');

    // Saved from an extension page (as the popup's toggle does): the badge says so.
    const extensionPage = await openPopup(context, new URL(worker.url()).host);
    const reply = await extensionPage.evaluate(() => chrome.runtime.sendMessage({ margin: 1, name: 'setSaved', data: { paperId: '2109.10465', saved: true } }));
    expect(reply).toMatchObject({ ok: true, data: { saved: true } });
    await page.reload();
    await expect.poll(() => badgeFor('https://arxiv.org/pdf/2109.10465v1'), { timeout: 20_000 }).toBe('✓');

    // A paper outside the corpus still gets the "this is a paper" mark; nothing claims it is saved.
    const other = await context.newPage();
    await other.goto('https://arxiv.org/pdf/2401.99999');
    await expect.poll(() => badgeFor('https://arxiv.org/pdf/2401.99999')).toBe('•');
  });
});

test.describe('pages that are not papers', () => {
  test('arXiv home, an HF non-paper page and an unreadable abs page get nothing and log nothing', async ({ context }) => {
    await serveSites(context, {
      'https://arxiv.org/': '<!doctype html><title>arXiv.org e-Print archive</title><h1>arXiv</h1><p>Open access to 2.4 million papers.</p>',
      'https://huggingface.co/papers/submit': '<!doctype html><title>Submit a paper</title><main><h1>Submit a paper</h1></main>',
      'https://arxiv.org/abs/2401.00001': '<!doctype html><title>Error</title><main><h2>Article identifier not recognized</h2></main>',
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    for (const url of ['https://arxiv.org/', 'https://huggingface.co/papers/submit', 'https://arxiv.org/abs/2401.00001']) {
      await page.goto(url);
      await page.waitForTimeout(300);
      await expect(page.locator('margin-panel, margin-annotation')).toHaveCount(0);
    }
    expect(errors).toEqual([]);
  });
});
