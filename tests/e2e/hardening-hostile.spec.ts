import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { FIXTURES, expect, fixture, serveSites, serviceWorker, test } from './fixtures';
import { PAYLOADS, escapeHtml, expectInert, expectNoXss, installXssTrap } from './hardening-helpers';

/**
 * Hostile content: payloads in titles, abstracts, authors, page metadata, notes and imported
 * files show as inert text in the panel, listings, popup, options and exports; hostile page
 * stylesheets cannot restyle or hide the panel, and the panel's styles stay in its shadow root.
 */

const ABS = fixture('arxiv-abs-2023.html');
const MIXTRAL_ABSTRACT = /<meta name="citation_abstract" content="([^"]*)"/.exec(ABS)![1]!;

/** An arXiv abstract page for `id` whose title, authors, abstract and citation_* metas carry payloads (HTML-escaped, as arXiv serves them). */
function hostileAbsPage(id: string, marker: string, payloads: string[]): string {
  const title = `${marker} ${payloads.join(' ¦ ')}`.slice(0, 990);
  const abstract = `${MIXTRAL_ABSTRACT} ${PAYLOADS.map((p) => p.text).join(' ')}`;
  const authors = PAYLOADS.slice(0, 12).map((p) => p.text.replace(/,/g, ' '));
  let html = ABS.replaceAll('2401.04088', id);
  html = html.replace(/<meta name="citation_title" content="[^"]*"/, `<meta name="citation_title" content="${escapeHtml(title)}"`);
  html = html.replace(/<meta name="citation_abstract" content="[^"]*"/, `<meta name="citation_abstract" content="${escapeHtml(abstract)}"`);
  html = html.replace(/(<meta name="citation_author" content="[^"]*" \/>\s*)+/, authors.map((a) => `<meta name="citation_author" content="${escapeHtml(a)}" />\n`).join(''));
  html = html.replace(/<title>[^<]*<\/title>/, `<title>[${id}] ${escapeHtml(title)}</title>`);
  html = html.replace(/(<h1 class="title mathjax"><span class="descriptor">Title:<\/span>)[^<]*/, `$1${escapeHtml(title)}`);
  html = html.replace(/(<blockquote class="abstract mathjax">\s*<span class="descriptor">Abstract:<\/span>)[^<]*/, `$1${escapeHtml(abstract)}`);
  return html;
}

/** Text as the page's DOM reader will have read it (meta content, whitespace collapsed). */
const asRead = (text: string) => text.replace(/\s+/g, ' ').trim();

type Reply = { ok: boolean; error?: string; data?: unknown };
function send(page: Page, name: string, data: unknown): Promise<Reply> {
  return page.evaluate(
    ([name, data]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime.sendMessage({ margin: 1, name, data }),
    [name, data] as const,
  );
}

async function extensionUrl(context: BrowserContext, path: string) {
  return `chrome-extension://${new URL((await serviceWorker(context)).url()).host}/${path}`;
}

test('payloads in page titles, authors, abstracts and metadata, notes and imported files stay inert text everywhere', async ({ context }) => {
  test.setTimeout(90_000);
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
  const { dialogs } = await installXssTrap(context);
  const texts = PAYLOADS.map((p) => p.text);
  const pages = {
    'https://arxiv.org/abs/2501.30001': hostileAbsPage('2501.30001', 'HOSTILE-1', texts.slice(0, 8)),
    'https://arxiv.org/abs/2501.30002': hostileAbsPage('2501.30002', 'HOSTILE-2', texts.slice(8, 16)),
    'https://arxiv.org/abs/2501.30003': hostileAbsPage('2501.30003', 'HOSTILE-3', texts.slice(16)),
    'https://arxiv.org/list/cs.LG/new': (() => {
      let n = 0;
      return fixture('arxiv-list-cs-lg-new.html').replace(
        /(<div class='list-title mathjax'><span class='descriptor'>Title:<\/span>)\s*[^<]*/g,
        (_m, open: string) => `${open}${escapeHtml(texts[n++ % texts.length]!)} listing entry`,
      );
    })(),
  };
  await serveSites(context, pages);

  // Visiting the three papers teaches Margin about them, so each later one lists the earlier ones as related work.
  const page = await context.newPage();
  for (const url of Object.keys(pages).slice(0, 3)) {
    await page.goto(url);
    const loaded = page.getByTestId('margin-panel').locator('[data-testid="save-toggle"], [role="alert"]');
    await expect(loaded.first()).toBeVisible();
    await expect(page.getByTestId('margin-panel').getByRole('alert'), `no error in the panel of ${url}`).toHaveCount(0);
    await expectNoXss(page, dialogs);
  }
  const panel = page.getByTestId('margin-panel');
  const related = panel.getByTestId('related-paper');
  await expect(related.filter({ hasText: 'HOSTILE-1' })).toHaveCount(1);
  await expect(related.filter({ hasText: 'HOSTILE-2' })).toHaveCount(1);
  // Exactly the stored title, as text: nothing parsed, nothing dropped.
  const stored = await context.newPage();
  await stored.goto(await extensionUrl(context, 'options.html'));
  for (const id of ['2501.30001', '2501.30002']) {
    const view = (await send(stored, 'paperView', { arxivId: id })) as { ok: true; data: { paper: { title: string } } };
    const title = view.data.paper.title;
    const link = related.locator(`a[href="https://arxiv.org/abs/${id}"]`);
    expect(await link.textContent()).toBe(title);
  }
  for (const text of texts.slice(0, 8)) await expect(related.filter({ hasText: 'HOSTILE-1' })).toContainText(asRead(text).slice(0, 40));
  await expect(panel).toContainText('<script>');
  await expectInert(page, 'margin');
  await expectNoXss(page, dialogs);

  // Save all three (the third from its panel, the others from the toggles in their own pages' panels).
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
  for (const id of ['2501.30001', '2501.30002']) await send(stored, 'setSaved', { paperId: id, saved: true });

  // A listing with hostile titles: annotated, inert.
  const listing = await context.newPage();
  await listing.goto('https://arxiv.org/list/cs.LG/new');
  await expect(listing.getByTestId('listing-annotation').first()).toBeVisible();
  await expectInert(listing, 'margin');
  await expectNoXss(listing, dialogs);

  // Popup: reading list and search show the titles as text; a note full of payloads is stored and shown verbatim.
  const popup = await context.newPage();
  await popup.goto(await extensionUrl(context, 'popup.html'));
  await popup.getByTestId('search-input').fill('HOSTILE');
  await expect(popup.getByTestId('search-result').filter({ hasText: 'HOSTILE-1' })).toBeVisible();
  await expect(popup.getByTestId('search-result').filter({ hasText: 'HOSTILE-3' })).toContainText(`<object data="javascript:window.__xss='object'"></object>`);
  await popup.getByTestId('tab-reading-list').click();
  const items = popup.getByTestId('reading-list-item');
  await expect(items).toHaveCount(3);
  await expect(items.filter({ hasText: 'HOSTILE-1' })).toContainText('<script>window.__xss');
  const note = texts.join('\n');
  const notes = items.filter({ hasText: 'HOSTILE-1' }).getByTestId('entry-notes');
  await notes.fill(note);
  await notes.blur();
  await expect.poll(async () => ((await send(stored, 'readingList', {})).data as Array<{ paperId: string; notes: string }>).find((e) => e.paperId === '2501.30001')?.notes).toBe(note);
  await popup.reload();
  await popup.getByTestId('tab-reading-list').click();
  await expect(popup.getByTestId('reading-list-item').filter({ hasText: 'HOSTILE-1' }).getByTestId('entry-notes')).toHaveValue(note);
  await expectInert(popup, 'document');
  await expectNoXss(popup, dialogs);

  // Exports from the popup: Markdown has no live HTML and links only to arXiv.
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByTestId('export-markdown').click()]);
  const markdown = readFileSync(await download.path(), 'utf8');
  expect(markdown).not.toMatch(/(?<!\\)<(script|img|svg|iframe|a|details|input|style|object|embed|meta)\b/i);
  for (const [, target] of markdown.matchAll(/\]\(([^)]*)\)/g)) expect(target).toMatch(/^https:\/\/arxiv\.org\/abs\/2501\.3000[123]$/);

  // Options: a hostile file name and hostile entries in a valid backup; a hostile title in an invalid one.
  const options = stored;
  const hostileName = `<img src=x onerror=window.__xss='filename'>.json`;
  const entries = texts.map((text, i) => ({
    paperId: `t:hostile${i}`, arxivId: null, title: `IMPORTED ${text}`, authors: [text.slice(0, 300)], year: 2025, published: null,
    abstract: text, categories: [], status: 'to-read', notes: text, addedAt: 1_700_000_000_000 + i, updatedAt: 1_700_000_000_000 + i,
  }));
  const backup = JSON.stringify({ format: 'margin-backup', version: 1, exportedAt: '2025-01-01T00:00:00.000Z', entries });
  await options.getByTestId('backup-import-input').setInputFiles({ name: hostileName, mimeType: 'application/json', buffer: Buffer.from(backup) });
  await expect(options.getByTestId('backup-preview')).toContainText(`${hostileName}: ${entries.length} new`);
  await options.getByTestId('backup-apply').click();
  await expect(options.getByTestId('backup-result')).toContainText(`${entries.length} new`);
  await options.getByTestId('backup-import-input').setInputFiles(join(FIXTURES, 'import-bad', '19-invalid-status-hostile-title.json'));
  await expect(options.getByTestId('backup-error')).toContainText(`("<script>window.__xss='title'</script>") is invalid`);
  await expectInert(options, 'document');
  await expectNoXss(options, dialogs);

  // The imported hostile entries in the popup list, and their links are arXiv title searches, never the payload.
  await popup.reload();
  await popup.getByTestId('tab-reading-list').click();
  await expect(popup.getByTestId('reading-list-item')).toHaveCount(3 + entries.length);
  await expect(popup.getByTestId('reading-list-item').filter({ hasText: 'IMPORTED javascript:' })).toHaveCount(1);
  const links = await expectInert(popup, 'document');
  expect(links.filter((href) => href.startsWith('https://arxiv.org/search/'))).toHaveLength(entries.length);
  await expectNoXss(popup, dialogs);
});

/** Computed styles that would show a page restyling Margin's UI. */
async function panelStyles(page: Page) {
  return page.evaluate(() => {
    const host = document.querySelector('margin-panel')!;
    const root = host.shadowRoot!;
    const props = ['display', 'visibility', 'opacity', 'font-size', 'font-family', 'font-weight', 'line-height', 'letter-spacing', 'text-transform', 'color', 'background-color', 'border-left-width', 'padding-top', 'transform', 'filter', 'position', 'direction'];
    const pick = (el: Element | null) => {
      if (!el) return null;
      const style = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    };
    return {
      host: pick(host),
      panel: pick(root.querySelector('.m-panel')),
      brand: pick(root.querySelector('.m-brand')),
      tag: pick(root.querySelector('.m-tag')),
      save: pick(root.querySelector('.m-save')),
      title: pick(root.querySelector('.m-related-title')),
      reason: pick(root.querySelector('.m-reason')),
    };
  });
}

test('a hostile page stylesheet cannot restyle or hide the panel, and the panel styles do not leak into the page', async ({ context }) => {
  const hostileCss = `<style>
    * { font-size: 48px !important; font-family: "Comic Sans MS", serif !important; color: red !important; background-color: yellow !important;
        line-height: 5 !important; letter-spacing: 9px !important; text-transform: uppercase !important; visibility: hidden !important;
        padding: 40px !important; border: 7px dotted lime !important; direction: rtl !important; }
    html, body { visibility: visible !important; }
    :root { font-size: 80px !important; }
    div:not(:has(margin-panel)) { display: none !important; }
    margin-panel, margin-annotation, [data-margin], section, button, a, li, ul, ol, h2 {
      display: none !important; opacity: 0 !important; transform: scale(0) !important; filter: blur(20px) !important; position: absolute !important; }
  </style>`;
  const decoys = `<div id="decoys"><div class="m-panel" id="decoy-panel">decoy</div><button class="m-save" id="decoy-save">decoy</button>
    <span class="m-tag" id="decoy-tag">decoy</span><a class="m-related-title" id="decoy-link" href="#x">decoy</a></div>`;
  await serveSites(context, {
    'https://arxiv.org/abs/2401.04088': ABS.replace('</body>', `${decoys}</body>`),
    'https://www.arxiv.org/abs/2401.04088': ABS.replace('</head>', `${hostileCss}</head>`),
  });
  const page = await context.newPage();
  await page.goto('https://arxiv.org/abs/2401.04088');
  await expect(page.getByTestId('margin-panel').getByTestId('related-paper').first()).toBeVisible();
  const baseline = await panelStyles(page);
  expect(baseline.panel?.['font-size']).toBe('14px');

  // Leak check: the page's own elements named like Margin's classes keep the browser's default look.
  const decoyStyles = await page.evaluate(() => {
    const style = (id: string) => getComputedStyle(document.getElementById(id)!);
    return {
      panelBackground: style('decoy-panel').backgroundColor,
      panelBorder: style('decoy-panel').borderLeftWidth,
      panelFont: style('decoy-panel').fontFamily,
      saveBorderColor: style('decoy-save').borderTopColor,
      tagRadius: style('decoy-tag').borderTopLeftRadius,
      tagBackground: style('decoy-tag').backgroundColor,
      linkWeight: style('decoy-link').fontWeight,
      documentSheets: document.adoptedStyleSheets.length,
      styleElements: [...document.querySelectorAll('style')].filter((s) => /m-panel|m-tag|:host/.test(s.textContent ?? '')).length,
      hostInlineStyle: document.querySelector('margin-panel')!.getAttribute('style'),
    };
  });
  expect(decoyStyles).toEqual({
    panelBackground: 'rgba(0, 0, 0, 0)',
    panelBorder: '0px',
    panelFont: expect.not.stringContaining('Segoe UI'),
    saveBorderColor: expect.not.stringMatching(/^rgb\(91, 63, 176\)$/),
    tagRadius: '0px',
    tagBackground: 'rgba(0, 0, 0, 0)',
    linkWeight: '400',
    documentSheets: 0,
    styleElements: 0,
    hostInlineStyle: null,
  });

  const hostile = await context.newPage();
  await hostile.goto('https://www.arxiv.org/abs/2401.04088');
  const panel = hostile.getByTestId('margin-panel');
  await expect(panel.getByTestId('related-paper').first()).toBeVisible();
  await expect(panel.getByTestId('save-toggle')).toBeVisible();
  await expect(panel.getByTestId('topic-tag').first()).toBeVisible();
  // The hostile page really is hostile: its own text is red, 48px, Comic Sans.
  expect(await hostile.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontSize)).toBe('48px');
  // …and the panel looks exactly as on a clean page.
  expect(await panelStyles(hostile)).toEqual(baseline);
  await panel.scrollIntoViewIfNeeded();
  const box = await panel.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(80);
  // Nothing of the page covers the panel: the topmost element at its centre is Margin's.
  const onTop = await hostile.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.tagName.toLowerCase(), { x: box!.x + box!.width / 2, y: box!.y + Math.min(20, box!.height / 2) });
  expect(onTop).toBe('margin-panel');
  // Still usable: saving works through the hostile styles.
  await panel.getByTestId('save-toggle').click();
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
});
