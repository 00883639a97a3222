import { bundledCorpus, expect, openPopup, serviceWorker, test } from './fixtures';

const bundled = bundledCorpus();

test('the built extension loads, installs the bundled corpus, and the popup counts it', async ({ context, extensionId }) => {
  expect(bundled.papers).toHaveLength(318);
  const worker = await serviceWorker(context);
  expect(worker.url()).toContain('background.js');

  const popup = await openPopup(context, extensionId);
  await expect(popup.getByTestId('corpus-stats')).toContainText('318 papers in your corpus');

  // The corpus really is in the extension's IndexedDB, not only counted from the bundled file.
  const stored = await popup.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('margin');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('papers').objectStore('papers').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(stored).toBe(318);
});
