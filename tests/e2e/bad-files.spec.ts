import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledCorpus, expect, exportBackup, extensionPage, FIXTURES, send, test } from './fixtures';

/** Malformed files given to the options page's backup and corpus imports: a clear error each, the reading list untouched. */

const corpus = bundledCorpus();

test('malformed import files: each gets a clear error and the reading list is byte-identical afterwards', async ({ context }) => {
  const options = await extensionPage(context, 'options.html');
  await expect(options.getByTestId('options-stats')).toContainText('318 papers');
  for (const paper of corpus.papers.slice(0, 2)) await send(options, 'setSaved', { paperId: paper.id, saved: true });
  await send(options, 'updateEntry', { paperId: corpus.papers[0]!.id, notes: 'keep <b>me</b> \u202e' });
  const before = await exportBackup(options);

  const dir = join(FIXTURES, 'import-bad');
  const files: Array<{ name: string; mimeType: string; buffer: Buffer }> = readdirSync(dir).sort().map((name) => ({ name, mimeType: 'application/json', buffer: readFileSync(join(dir, name)) }));
  files.push({ name: '10mb-single-line.json', mimeType: 'application/json', buffer: Buffer.from(`{"format":"margin-backup","version":1,"exportedAt":"x","entries":[{"paperId":"a","notes":"${'A'.repeat(10 * 1024 * 1024)}"}]}`) });
  expect(files.length).toBeGreaterThanOrEqual(15);
  const input = options.getByTestId('backup-import-input');
  const error = options.getByTestId('backup-error');
  for (const file of files) {
    await input.setInputFiles(file);
    await expect(error, file.name).toContainText(`${file.name}: `);
    await expect(error, file.name).toContainText(/Nothing was changed\.$/);
    await expect(options.getByTestId('backup-preview')).toHaveCount(0);
  }
  // The same files given to the corpus import: a clear failure or skipped records, never the reading list.
  const corpusInput = options.getByTestId('corpus-import-input');
  for (const file of files.filter((f) => /empty|binary|zip|utf16|not-json|null/.test(f.name))) {
    await corpusInput.setInputFiles(file);
    await expect(options.getByTestId('import-result'), file.name).toHaveText(/^(?!.*undefined).*(empty|binary|ZIP|UTF-16|not a JSON|not valid JSON|neither|Nothing was imported).*$/);
  }
  expect(await exportBackup(options)).toBe(before);
});
