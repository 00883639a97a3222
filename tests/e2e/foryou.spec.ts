import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { ROOT, expect, fixture, openPopup, serveSites, test } from './fixtures';

/**
 * For you: three MoE papers saved on their abstract pages, then arXiv's cs.LG /new (a real capture, 12 entries in
 * three sections) ranked by closeness to them.
 */
const LIST = 'https://arxiv.org/list/cs.LG/new';
const shots = join(ROOT, 'docs', 'screenshots');

const SAVES = [
  {
    id: '2212.05055',
    title: 'Sparse Upcycling: Training Mixture-of-Experts from Dense Checkpoints',
    abstract:
      'Training large, deep neural networks to convergence can be prohibitively expensive. We propose sparse upcycling, a simple way to reuse sunk training costs by initializing a sparsely activated Mixture-of-Experts model from a dense checkpoint. Upcycled language and vision models outperform their dense counterparts.',
  },
  {
    id: '2408.06567',
    title: 'AquilaMoE: Efficient Training for MoE Models with Scale-Up and Scale-Out Strategies',
    abstract:
      'We present AquilaMoE, a bilingual 8*16B Mixture of Experts (MoE) language model trained with EfficientScale, a training methodology that scales up and scales out from a dense model, transferring knowledge to the experts.',
  },
  {
    id: '2504.14960',
    title: 'MoE Parallel Folding: Heterogeneous Parallelism Mappings for Efficient Large-Scale MoE Model Training with Megatron Core',
    abstract:
      'Mixture of Experts (MoE) models enhance neural network scalability by dynamically selecting relevant experts per input token. We present an end-to-end training framework for large-scale MoE models that decouples the parallelization of attention and MoE layers (expert parallelism).',
  },
];
const MIXTRAL = '2401.04088';
const MOE_MAMBA = '2401.04081';

/** An arXiv abstract page for a corpus paper: the captured page with its id, title and abstract swapped in. */
function absPage({ id, title, abstract }: (typeof SAVES)[number]): string {
  return fixture('arxiv-abs-2023.html')
    .replaceAll('2401.04088', id)
    .replaceAll('Mixtral of Experts', title)
    .replace(/content="We introduce Mixtral[^"]*"/g, `content="${abstract}"`)
    .replace(/(<span class="descriptor">Abstract:<\/span>)[\s\S]*?(<\/blockquote>)/, `$1${abstract}$2`);
}

const sites = { [LIST]: fixture('arxiv-list-cs-lg-new.html'), ...Object.fromEntries(SAVES.map((paper) => [`https://arxiv.org/abs/${paper.id}`, absPage(paper)])) };

async function saveThree(context: BrowserContext) {
  const page = await context.newPage();
  for (const paper of SAVES) {
    await page.goto(`https://arxiv.org/abs/${paper.id}`);
    const toggle = page.getByTestId('margin-panel').getByTestId('save-toggle');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  }
  await page.close();
}

const annotation = (page: Page, id: string) => page.locator(`[data-testid="listing-annotation"][data-arxiv-id="${id}"]`);
const scoreOf = async (page: Page, id: string) => Number(await annotation(page, id).getAttribute('data-foryou'));
/** Per section, the arXiv ids in page order, read from arXiv's own <dt> (not from Margin's annotations). */
const pageOrder = (page: Page) =>
  page.locator('dl').evaluateAll((lists) => lists.map((dl) => Array.from(dl.querySelectorAll(':scope > dt a[title="Abstract"]'), (a) => a.textContent!.trim().replace(/^arXiv:/, ''))));

test('a listing is ranked by the saved papers: scores, marks, sort and back, not interested, popup', async ({ context, extensionId }) => {
  await serveSites(context, sites);
  await saveThree(context);
  const page = await context.newPage();
  await page.goto(LIST);
  const annotations = page.getByTestId('listing-annotation');
  await expect(annotations).toHaveCount(12);
  await expect(page.locator('[data-testid="listing-annotation"][data-foryou]')).toHaveCount(12);
  for (const element of await annotations.all()) {
    expect(await element.getAttribute('data-arxiv-id')).toMatch(/^\d{4}\.\d{4,5}$/);
    const score = Number(await element.getAttribute('data-foryou'));
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
  }
  // The MoE entries are marked, with a reason naming the saves; a handful at most (12 entries: 3).
  const marks = page.getByTestId('foryou-mark');
  expect(await marks.count()).toBeGreaterThan(0);
  expect(await marks.count()).toBeLessThanOrEqual(3);
  for (const id of [MIXTRAL, MOE_MAMBA]) await expect(annotation(page, id).getByTestId('foryou-mark')).toHaveText(/^close to your saved (Sparse Upcycling|AquilaMoE|MoE Parallel Folding)/);
  // The two mixture-of-experts entries are the closest of the page.
  const scores = await annotations.evaluateAll((all) => all.map((a) => Number(a.getAttribute('data-foryou'))));
  const moe = Math.min(await scoreOf(page, MIXTRAL), await scoreOf(page, MOE_MAMBA));
  expect(scores.filter((score) => score >= moe).length).toBe(2);

  // Sort: each section's entries by closeness, arXiv's own <dt>/<dd> pairs moved together; unsort restores the page exactly.
  const original = await pageOrder(page);
  const html = await page.locator('#dlpage').innerHTML();
  const sort = page.getByTestId('foryou-sort');
  await sort.click();
  await expect(sort).toHaveAttribute('aria-pressed', 'true');
  const sorted = await pageOrder(page);
  expect(sorted).not.toEqual(original);
  expect(sorted.map((ids) => [...ids].sort())).toEqual(original.map((ids) => [...ids].sort()));
  expect(sorted[0]!.slice(0, 2).sort()).toEqual([MOE_MAMBA, MIXTRAL]);
  const inDdOrder = await page.locator('dl').evaluateAll((lists) =>
    lists.map((dl) => Array.from(dl.querySelectorAll(':scope > dd'), (dd) => Number(dd.querySelector('[data-margin]')!.shadowRoot!.querySelector('[data-foryou]')!.getAttribute('data-foryou')))),
  );
  for (const section of inDdOrder) expect(section).toEqual([...section].sort((a, b) => b - a));
  // Each annotation still sits with its own entry.
  const paired = await page.locator('dl > dd').evaluateAll((dds) =>
    dds.every((dd) => {
      const dt = dd.previousElementSibling!;
      const id = dt.querySelector('a[title="Abstract"]')!.textContent!.trim().replace(/^arXiv:/, '');
      return dd.querySelector('[data-margin]')!.shadowRoot!.querySelector('[data-arxiv-id]')!.getAttribute('data-arxiv-id') === id;
    }),
  );
  expect(paired).toBe(true);
  await page.screenshot({ path: join(shots, 'listing-foryou-light.png') });
  await sort.click();
  await expect(sort).toHaveAttribute('aria-pressed', 'false');
  expect(await pageOrder(page)).toEqual(original);
  expect(await page.locator('#dlpage').innerHTML()).toBe(html);

  // Not interested: dims the entry, lowers a similar one, survives a reload; the reading list is untouched.
  const moeMamba = await scoreOf(page, MOE_MAMBA);
  const button = annotation(page, MIXTRAL).getByTestId('not-interested');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  const mixtralEntry = page.locator('dl > dt').filter({ hasText: MIXTRAL });
  await expect(mixtralEntry).toHaveCSS('opacity', '0.5');
  await expect.poll(() => scoreOf(page, MOE_MAMBA)).toBeLessThan(moeMamba);
  await page.reload();
  await expect(annotation(page, MIXTRAL).getByTestId('not-interested')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('dl > dt').filter({ hasText: MIXTRAL })).toHaveCSS('opacity', '0.5');
  await expect(annotation(page, MIXTRAL)).toHaveAttribute('data-saved', 'false');

  // The popup's For-you tab: unsaved corpus papers close to the saves; the not-interested paper is listed, removable.
  const popup = await openPopup(context, extensionId);
  await popup.getByTestId('tab-for-you').click();
  const items = popup.getByTestId('foryou-item');
  await expect(items.first()).toBeVisible();
  const titles = await items.locator('.result-title').allTextContents();
  for (const saved of SAVES) expect(titles).not.toContain(saved.title);
  expect(titles.slice(0, 5).some((title) => /MoE|Mixture|Expert/i.test(title))).toBe(true);
  await expect(items.first()).toContainText('close to your saved');
  await popup.getByText(/^Not interested \(1\)/).click();
  await expect(popup.getByTestId('not-interested-item')).toContainText('Mixtral of Experts');
  await popup.getByTestId('not-interested-item').getByRole('button', { name: /Remove/ }).click();
  await expect(popup.getByTestId('not-interested-item')).toHaveCount(0);
  await page.reload();
  await expect(annotation(page, MIXTRAL).getByTestId('not-interested')).toHaveAttribute('aria-pressed', 'false');

  // Dark scheme, sorted.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await page.getByTestId('foryou-sort').click();
  await expect(annotation(page, MIXTRAL)).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: join(shots, 'listing-foryou-dark.png') });
});

test('a pasted abstract in the popup search returns related papers with reasons', async ({ context, extensionId }) => {
  const popup = await openPopup(context, extensionId);
  const abstract =
    'Routing tokens to experts at scale. We train sparse mixture-of-experts language models in which a learned router sends each token to two of eight feed-forward experts; an auxiliary load balancing loss keeps the experts evenly used, and expert parallelism spreads them over GPUs.';
  await popup.getByTestId('search-input').fill(abstract);
  const results = popup.getByTestId('search-result');
  await expect(results.first()).toBeVisible();
  await expect(results.first().locator('.related-reason')).not.toBeEmpty();
  const titles = await results.locator('.result-title').allTextContents();
  expect(titles.slice(0, 5).some((title) => /MoE|Mixture|Expert/i.test(title))).toBe(true);
});

test('a /new listing with abstracts adds its papers to the corpus, and not when the setting is off', async ({ context, extensionId }) => {
  await serveSites(context, sites);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const setting = options.getByLabel(/Add papers I read/);
  await expect(setting).toBeChecked();
  await setting.uncheck();
  await expect(setting).not.toBeChecked();
  const page = await context.newPage();
  await page.goto(LIST);
  await expect(page.getByTestId('listing-annotation')).toHaveCount(12);
  const popup = await openPopup(context, extensionId);
  const findSelfRewarding = async () => {
    await popup.getByTestId('search-input').fill('');
    await popup.getByTestId('search-input').fill('Self-Rewarding Language Models');
    // Other papers match the words too: once they show, the answer for this query is on screen.
    await expect(popup.getByTestId('search-result').filter({ hasText: 'Training Language Models to Win Debates' })).toBeVisible();
    return popup.getByTestId('search-result').filter({ hasText: 'Self-Rewarding Language Models' }).count();
  };
  expect(await findSelfRewarding()).toBe(0);

  await setting.check();
  await expect(setting).toBeChecked();
  await page.reload();
  await expect(page.getByTestId('listing-annotation')).toHaveCount(12);
  await expect.poll(findSelfRewarding, { timeout: 10_000 }).toBe(1);
  await popup.reload();
  await expect(popup.getByTestId('corpus-stats')).toContainText(/^3\d\d papers/);
});

test('the panel offers "not interested": remembered across a reload, undoable, and the reading list is untouched', async ({ context }) => {
  await serveSites(context, sites);
  const page = await context.newPage();
  const url = `https://arxiv.org/abs/${SAVES[0]!.id}`;
  await page.goto(url);
  const panel = page.getByTestId('margin-panel');
  const button = panel.getByTestId('not-interested');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(panel.getByTestId('not-interested')).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('save-toggle')).toHaveAttribute('aria-pressed', 'false');
  await panel.getByTestId('not-interested').click();
  await expect(panel.getByTestId('not-interested')).toHaveAttribute('aria-pressed', 'false');
  await page.reload();
  await expect(panel.getByTestId('not-interested')).toHaveAttribute('aria-pressed', 'false');
});
