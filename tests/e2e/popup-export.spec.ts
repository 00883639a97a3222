import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CslData } from '../csl-schema';
import { expect, extensionId as extensionIdOf, fixture, launchWithExtension, serveSites, test } from './fixtures';
import { KARRAS, LAYER_NORM, MEGATRON, MIXTRAL, MIXTRAL_ABS, PopupPage, TORCHDISTILL, corpus, idOf, openArxivPage, saveFromSearch } from './pages/popup';

test.beforeAll(() => {
  expect(corpus.papers.map((p) => p.title)).toEqual(expect.arrayContaining([TORCHDISTILL, KARRAS, MEGATRON, LAYER_NORM]));
  expect(corpus.papers.some((p) => p.title === MIXTRAL)).toBe(false);
});

test.describe('reading list', () => {
  test('exports parse, and importing the Margin JSON into a fresh profile restores the same list', async ({ context, extensionId }) => {
    await serveSites(context, { [MIXTRAL_ABS]: fixture('arxiv-abs-2023.html') });
    const popup = await PopupPage.open(context, extensionId);
    await saveFromSearch(popup, 'torchdistill', TORCHDISTILL);
    await saveFromSearch(popup, 'Karras', KARRAS);
    const page = await openArxivPage(context);
    await page.getByTestId('margin-panel').getByTestId('save-toggle').click();
    await popup.showReadingList();
    await expect(popup.items).toHaveCount(3);
    await popup.item(KARRAS).getByTestId('entry-status').selectOption('done');
    await popup.item(MIXTRAL).getByTestId('entry-status').selectOption('reading');
    const notes = 'Line one: {braces} & 100% $math$ _under_\nline two — “quotes”';
    await popup.item(MIXTRAL).getByTestId('entry-notes').fill(notes);
    await popup.item(MIXTRAL).getByTestId('entry-notes').blur();
    await expect(popup.item(MIXTRAL).getByText('Saved', { exact: true })).toBeVisible();
    const titles = [MIXTRAL, KARRAS, TORCHDISTILL];

    const dir = mkdtempSync(join(tmpdir(), 'margin-export-'));
    try {
      // BibTeX: one entry per saved paper, parsed by a real BibTeX parser.
      const bib = await popup.exportAs('bibtex');
      expect(bib.name).toMatch(/^margin-\d{4}-\d{2}-\d{2}\.bib$/);
      const lib = parseBibtex(bib.text, { sentenceCase: false, english: false, caseProtection: false });
      expect(lib.errors).toEqual([]);
      expect(lib.entries).toHaveLength(3);
      expect(lib.entries.map((e) => e.fields.title).sort()).toEqual([...titles].sort());
      expect(lib.entries.find((e) => e.fields.title === MIXTRAL)!.fields).toMatchObject({ eprint: '2401.04088', note: notes.replace(/\s+/g, ' ') });

      // CSL-JSON: valid against the csl-data schema.
      const csl = await popup.exportAs('csl-json');
      expect(csl.name).toMatch(/\.csl\.json$/);
      const items = CslData.safeParse(JSON.parse(csl.text));
      expect(items.success, items.success ? '' : JSON.stringify(items.error.issues)).toBe(true);
      expect(items.data!.map((i) => i.title).sort()).toEqual([...titles].sort());

      // Markdown: a list with each title as an arXiv link and its status.
      const md = await popup.exportAs('markdown');
      expect(md.text).toMatch(/^# Reading list\n/);
      expect(md.text).toContain(`[${MIXTRAL}](https://arxiv.org/abs/2401.04088)`);
      expect(md.text).toContain(`(https://arxiv.org/abs/${idOf(KARRAS)}) — Tero Karras et al. (2020) · done`);
      expect(md.text.match(/^- /gm)).toHaveLength(3);

      // Margin JSON: everything.
      const backup = await popup.exportAs('backup');
      const original = JSON.parse(backup.text) as { format: string; entries: Array<Record<string, unknown>> };
      expect(original.format).toBe('margin-backup');
      expect(original.entries).toHaveLength(3);
      const backupFile = join(dir, backup.name);
      copyFileSync(backup.path, backupFile);
      const badFile = join(dir, 'not-a-backup.json');
      writeFileSync(badFile, csl.text);

      // A fresh profile: a bad file is refused with a clear error and changes nothing; the backup restores the list.
      const freshDir = mkdtempSync(join(tmpdir(), 'margin-e2e-fresh-'));
      const fresh = await launchWithExtension(freshDir);
      try {
        const id = await extensionIdOf(fresh);
        const options = await fresh.newPage();
        await options.goto(`chrome-extension://${id}/options.html#backup`);
        await options.getByTestId('backup-import-input').setInputFiles(badFile);
        await expect(options.getByTestId('backup-error')).toContainText('not a Margin backup');
        await expect(options.getByTestId('backup-error')).toContainText('Nothing was changed');
        await expect(options.getByTestId('backup-preview')).toHaveCount(0);

        await options.getByTestId('backup-import-input').setInputFiles(backupFile);
        await expect(options.getByTestId('backup-preview')).toContainText('3 new, 0 updated, 0 unchanged');
        await options.getByTestId('backup-apply').click();
        await expect(options.getByTestId('backup-result')).toContainText('3 new');

        const restored = await PopupPage.open(fresh, id);
        await restored.showReadingList();
        await expect(restored.items.locator('.result-title')).toHaveText(titles);
        await expect(restored.item(KARRAS).getByTestId('entry-status')).toHaveValue('done');
        await expect(restored.item(MIXTRAL).getByTestId('entry-status')).toHaveValue('reading');
        await expect(restored.item(MIXTRAL).getByTestId('entry-notes')).toHaveValue(notes);

        // The same list, field for field: its own backup equals the imported one.
        const again = JSON.parse((await restored.exportAs('backup')).text) as typeof original;
        expect(again.entries).toEqual(original.entries);

        // Importing the same file again merges: nothing new, nothing lost.
        await options.getByTestId('backup-import-input').setInputFiles(backupFile);
        await expect(options.getByTestId('backup-preview')).toContainText('0 new, 0 updated, 3 unchanged');
      } finally {
        await fresh.close();
        rmSync(freshDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
