import 'fake-indexeddb/auto';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { parseBackup, toBackupText } from '../../lib/export/backup';
import { toBibtex } from '../../lib/export/bibtex';
import { toCslJson } from '../../lib/export/csl';
import { EXPORT_FORMATS, exportEntries } from '../../lib/export/formats';
import { toMarkdown } from '../../lib/export/markdown';
import type { PagePaper, ReadingListEntry } from '../../lib/schema';
import { PAYLOADS, hostilePage } from '../helpers/factories';
import { useBackground } from '../helpers/service';

/**
 * Hostile text (tests/fixtures/hostile/payloads.json) in titles, abstracts, authors and notes is stored verbatim and
 * leaves every exporter as inert data. tests/e2e/hostile-content.spec.ts checks the rendering in the built extension.
 */

let clock = 1_700_000_000_000;
const bg = useBackground({ prefix: 'margin-hostile', install: true, now: () => ++clock });
const send = (name: string, data: unknown) => bg.send(name, data);

describe('hostile text is stored and exported as inert data', () => {
  it(`${PAYLOADS.length} payloads in titles, abstracts, authors and notes round-trip verbatim`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
    for (const [i, { text }] of PAYLOADS.entries()) {
      const page = hostilePage(i, text);
      const saved = await send('setSaved', { page, saved: true });
      expect(saved).toMatchObject({ ok: true, data: { saved: true, paperId: page.arxivId } });
      expect(await send('updateEntry', { paperId: page.arxivId, notes: `${text}\nline two ${text}` })).toMatchObject({ ok: true });
    }
    const list = (await send('readingList', {})) as { ok: true; data: ReadingListEntry[] };
    expect(list.data).toHaveLength(PAYLOADS.length);
    for (const [i, { text }] of PAYLOADS.entries()) {
      const entry = list.data.find((e) => e.paperId === `2501.${10000 + i}`)!;
      expect(entry.title).toBe(`${text} — hostile paper ${i}`);
      expect(entry.authors[0]).toBe(text);
      expect(entry.notes).toBe(`${text}\nline two ${text}`);
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])(
    'a paper whose text contains "%s" (an Object.prototype name) gets its panel, listing tags and search',
    async (word) => {
      const page: PagePaper = { ...hostilePage(7, word), title: `A ${word} for sparse routing`, abstract: `We build a ${word} of mixture of experts models. ${word}.` };
      const view = await send('paperView', { page });
      expect(view).toMatchObject({ ok: true, data: { paper: { title: page.title } } });
      expect(await send('listingView', { entries: [{ key: 'k', paper: page }] })).toMatchObject({ ok: true });
      expect(await send('search', { query: `${word} routing` })).toMatchObject({ ok: true });
      expect(await send('setSaved', { page, saved: true })).toMatchObject({ ok: true });
    },
  );

  it('very long strings and invisible/bidi characters are accepted within limits and refused beyond them', async () => {
    const long = hostilePage(1, 'L'.repeat(900));
    long.abstract = 'word '.repeat(3999);
    long.authors = Array.from({ length: 2000 }, (_, i) => `Author ${i} \u202e\u200b`);
    expect(await send('setSaved', { page: long, saved: true })).toMatchObject({ ok: true });
    expect(await send('setSaved', { page: { ...long, title: 'T'.repeat(1001) }, saved: true })).toMatchObject({ ok: false, error: expect.stringMatching(/title/) });
    const invisible = { ...hostilePage(2, ''), title: '\u200b\u200c\u200d\u2060' };
    const reply = await send('setSaved', { page: invisible, saved: true });
    expect(reply).toMatchObject({ ok: true });
  });

  const hostileEntries = (): ReadingListEntry[] =>
    PAYLOADS.map(({ text }, i) => ({
      paperId: i % 3 === 0 ? `t:${i}` : `2501.${10000 + i}`,
      arxivId: i % 3 === 0 ? null : `2501.${10000 + i}`,
      title: `${text} ${i}`,
      authors: [text.slice(0, 300), 'Grace Hopper'],
      year: 2025,
      published: '2025-01-02',
      abstract: text,
      categories: ['cs.LG'],
      status: 'to-read',
      notes: `${text}\n${text}`,
      addedAt: 1_700_000_000_000 + i,
      updatedAt: 1_700_000_000_000 + i,
    }));

  it('Markdown export: no raw HTML, no link but arXiv links built from valid ids', () => {
    const md = toMarkdown(hostileEntries());
    expect(md).not.toMatch(/(?<!\\)<(script|img|svg|iframe|a|body|math|details|input|style|object|embed|meta)\b/i);
    const targets = [...md.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    // Every escaped payload is still there as text: strip the escapes and find it.
    const unescaped = md.replace(/\\([\\`*_{}[\]()<>#+!|~&])/g, '$1');
    for (const { text } of PAYLOADS) expect(unescaped).toContain(text.replace(/\s+/g, ' ').trim().split(' ')[0]);
  });

  it('BibTeX export parses back to the same titles and cannot open new entries', () => {
    const entries = hostileEntries();
    const bib = toBibtex(entries);
    const parsed = parseBibtex(bib);
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toHaveLength(entries.length);
    for (const e of parsed.entries) {
      expect(e.type).toBe('misc');
      const url = e.fields.url as unknown;
      if (url !== undefined) expect(String(url)).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    }
    expect(bib).not.toMatch(/\\input\{/);
  });

  it('CSL-JSON and backup exports keep the text verbatim as JSON strings, with arXiv URLs only', () => {
    const entries = hostileEntries();
    const csl = toCslJson(entries);
    csl.forEach((item, i) => {
      expect(item.title).toBe(entries[i]!.title);
      if (item.URL) expect(item.URL).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{4,5}$/);
    });
    const backup = toBackupText(entries, new Date(0));
    const back = parseBackup(backup);
    expect(back.ok && back.backup.entries).toEqual(entries);
    for (const format of EXPORT_FORMATS) expect(exportEntries(format.id, entries).text.length).toBeGreaterThan(0);
  });
});
