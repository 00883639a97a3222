import { join } from 'node:path';
import { ROOT, expect, fixture, serveSites, test } from './fixtures';

const shots = join(ROOT, 'docs', 'screenshots');

test('arXiv abs page (2023 layout) gets a panel with topics, related papers and a save toggle', async ({ context }) => {
  await serveSites(context, { 'https://arxiv.org/abs/2401.04088': fixture('arxiv-abs-2023.html') });
  const page = await context.newPage();
  await page.goto('https://arxiv.org/abs/2401.04088');
  const panel = page.getByTestId('margin-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('topic-tag').first()).toBeVisible();
  console.log(await panel.innerText());
  await page.screenshot({ path: join(shots, 'arxiv-abs-light.png'), fullPage: false });
});

test('HF paper page gets a panel', async ({ context }) => {
  await serveSites(context, { 'https://huggingface.co/papers/2401.04088': fixture('hf-paper-2401.04088.html') });
  const page = await context.newPage();
  await page.goto('https://huggingface.co/papers/2401.04088');
  const panel = page.getByTestId('margin-panel');
  await expect(panel).toBeVisible();
  console.log(await panel.innerText());
  await page.screenshot({ path: join(shots, 'hf-paper-light.png'), fullPage: false });
});
