import type { ReadingListEntry } from '../schema';
import { toBackupText } from './backup';
import { toBibtex } from './bibtex';
import { toCslJsonText } from './csl';
import { toMarkdown } from './markdown';

export type ExportFormat = 'bibtex' | 'csl-json' | 'markdown' | 'backup';

export const EXPORT_FORMATS: ReadonlyArray<{ id: ExportFormat; label: string; description: string }> = [
  { id: 'bibtex', label: 'BibTeX', description: 'arXiv-style @misc entries for LaTeX' },
  { id: 'csl-json', label: 'CSL-JSON', description: 'for Zotero, Mendeley, Pandoc' },
  { id: 'markdown', label: 'Markdown', description: 'a readable list with notes' },
  { id: 'backup', label: 'Margin backup', description: 'everything, for import into Margin' },
];

export interface ExportFile {
  name: string;
  mime: string;
  text: string;
}

export function exportEntries(format: ExportFormat, entries: ReadingListEntry[], now: Date = new Date()): ExportFile {
  const stamp = now.toISOString().slice(0, 10);
  switch (format) {
    case 'bibtex':
      return { name: `margin-${stamp}.bib`, mime: 'application/x-bibtex;charset=utf-8', text: toBibtex(entries) };
    case 'csl-json':
      return { name: `margin-${stamp}.csl.json`, mime: 'application/vnd.citationstyles.csl+json;charset=utf-8', text: toCslJsonText(entries) };
    case 'markdown':
      return { name: `margin-${stamp}.md`, mime: 'text/markdown;charset=utf-8', text: toMarkdown(entries) };
    case 'backup':
      return { name: `margin-backup-${stamp}.json`, mime: 'application/json;charset=utf-8', text: toBackupText(entries, now) };
  }
}
