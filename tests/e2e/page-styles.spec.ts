import type { Page } from '@playwright/test';
import { expect, fixture, serveSites, test } from './fixtures';

/** Hostile page stylesheets cannot restyle or hide the panel, and the panel's styles stay in its shadow root. */

const ABS = fixture('arxiv-abs-2023.html');

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
