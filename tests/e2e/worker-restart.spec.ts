import type { BrowserContext, Page } from '@playwright/test';
import { expect, extensionPage, fixture, serveSites, serviceWorker, test } from './fixtures';

/** Chrome stops an idle extension service worker at any time: pages, panels and the popup carry on, saves survive. */

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
