import { expect, fixture, serveSites, test } from './fixtures';
import { KARRAS, LAYER_NORM, MEGATRON, MIXTRAL, MIXTRAL_ABS, PopupPage, TORCHDISTILL, corpus, idOf, openArxivPage } from './pages/popup';

test.beforeAll(() => {
  expect(corpus.papers.map((p) => p.title)).toEqual(expect.arrayContaining([TORCHDISTILL, KARRAS, MEGATRON, LAYER_NORM]));
  expect(corpus.papers.some((p) => p.title === MIXTRAL)).toBe(false);
});

test.describe('current tab', () => {
  test('shows the active tab’s paper (abs, HF and PDF pages) with tags, related papers and a working save toggle', async ({ context, extensionId }) => {
    const megatronId = idOf(MEGATRON);
    await serveSites(context, {
      [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html'),
      'https://huggingface.co/papers/2401.04088': fixture('hf-paper-2401.04088.html'),
      [`https://arxiv.org/pdf/${megatronId}`]: { body: '%PDF-1.4 placeholder', contentType: 'text/plain' },
    });

    // An arXiv abstract page of a paper outside the corpus: the card uses what the page says.
    const abs = await openArxivPage(context);
    const popup = await PopupPage.openOver(context, extensionId, abs);
    await expect(popup.current).toContainText(MIXTRAL);
    await expect(popup.current.getByTestId('topic-tag').first()).toBeVisible();
    await expect(popup.current.getByTestId('current-related').first()).toBeVisible();
    const toggle = popup.current.getByTestId('save-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    // The page's own panel learns about the save without a reload.
    await expect(abs.getByTestId('margin-panel').getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await popup.showReadingList();
    await expect(popup.item(MIXTRAL)).toContainText('Albert Q. Jiang');
    await popup.page.close();

    // Its Hugging Face page is the same paper, already saved.
    const hf = await context.newPage();
    await hf.goto('https://huggingface.co/papers/2401.04088');
    await expect(hf.getByTestId('margin-panel')).toBeVisible();
    const onHf = await PopupPage.openOver(context, extensionId, hf);
    await expect(onHf.current).toContainText(MIXTRAL);
    await expect(onHf.current.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'true');
    await onHf.page.close();

    // A PDF tab has no content script: the card comes from the URL and the corpus.
    const pdf = await context.newPage();
    await pdf.goto(`https://arxiv.org/pdf/${megatronId}`);
    const onPdf = await PopupPage.openOver(context, extensionId, pdf);
    await expect(onPdf.current).toContainText(MEGATRON);
    await expect(onPdf.current.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
  });

  test('shows no card when the active tab is not a paper', async ({ context, extensionId }) => {
    const popup = await PopupPage.open(context, extensionId);
    await expect(popup.input).toBeVisible();
    await expect(popup.current).toHaveCount(0);
  });
});
