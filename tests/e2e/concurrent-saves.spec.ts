import type { Page } from '@playwright/test';
import { bundledCorpus, expect, extensionPage, send, test, type Reply } from './fixtures';

/** Two tabs racing on the reading list: the final list is what the operations say, nothing lost or duplicated. */

const corpus = bundledCorpus();

test('two tabs save and unsave 100 papers each, concurrently: the final list matches, nothing lost or duplicated', async ({ context }) => {
  const papers = corpus.papers.slice(0, 150);
  const tabA = await extensionPage(context, 'popup.html');
  const tabB = await extensionPage(context, 'options.html');
  const unsaveA = papers.slice(0, 50).filter((_, i) => i % 3 === 0).map((p) => p.id);
  const unsaveB = papers.slice(100, 150).filter((_, i) => i % 3 === 0).map((p) => p.id);
  // Each tab fires all its operations at once; per paper, save happens before unsave within the tab.
  const run = (page: Page, ids: string[], unsave: string[]) =>
    page.evaluate(
      async ([ids, unsave]) => {
        const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Reply> } } }).chrome.runtime;
        const call = (data: unknown) => runtime.sendMessage({ margin: 1, name: 'setSaved', data });
        const replies = await Promise.all(
          ids.map(async (paperId) => {
            const first = await call({ paperId, saved: true });
            return unsave.includes(paperId) ? [first, await call({ paperId, saved: false })] : [first];
          }),
        );
        return replies.flat().filter((reply) => !reply.ok);
      },
      [ids, unsave] as const,
    );
  const [failedA, failedB] = await Promise.all([run(tabA, papers.slice(0, 100).map((p) => p.id), unsaveA), run(tabB, papers.slice(50, 150).map((p) => p.id), unsaveB)]);
  expect(failedA).toEqual([]);
  expect(failedB).toEqual([]);

  const expected = papers.map((p) => p.id).filter((id) => !unsaveA.includes(id) && !unsaveB.includes(id));
  const list = (await send(tabA, 'readingList', {})).data as Array<{ paperId: string }>;
  expect(list.map((e) => e.paperId).sort()).toEqual([...expected].sort());
  expect(new Set(list.map((e) => e.paperId)).size).toBe(list.length);
  // What the user sees agrees.
  await tabA.reload();
  await expect(tabA.getByTestId('tab-reading-list')).toHaveText(`Reading list (${expected.length})`);
  await expect(tabA.getByTestId('corpus-stats')).toContainText(`${expected.length} saved`);
});
