import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, expect, extensionUrl, fixture, send, serveSites, test } from './fixtures';
import { PAYLOADS, escapeHtml, expectInert, expectNoXss, installXssTrap } from './hostile';

/**
 * Hostile content: payloads in titles, abstracts, authors, page metadata, notes and imported files show as inert text
 * in the panel, listings, popup, options and exports. tests/unit/hostile-text.test.ts checks storage and exporters.
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
