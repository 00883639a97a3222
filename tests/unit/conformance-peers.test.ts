import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { normalizeArxivId, type ArxivRef } from '../../lib/arxiv-id';
import { detectPage, paperRefFromUrl } from '../../lib/detect/page';

/**
 * Other projects' test cases (tests/conformance/SOURCES.md), run through Margin. A row either passes
 * or carries `differs: <reason>` in its `margin` column; a marked row must really differ, so a mark
 * cannot outlive the difference it explains.
 */

function table(name: string): Array<Record<string, string>> {
  const [header = '', ...lines] = readFileSync(new URL(`../conformance/${name}`, import.meta.url), 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [columns[i], value])));
}

const show = (ref: ArxivRef | null) => (ref ? `${ref.id} v${ref.version ?? '-'}` : '-');

describe('URL cases from arxiv-utils, PaperMemory, Zotero, papis, idutils and arxiv-browse', () => {
  const rows = table('url-cases.tsv');
  const passing = rows.filter((row) => row.margin === 'pass');
  const marked = rows.filter((row) => row.margin !== 'pass');

  it('every row is either expected to pass or marked with its reason', () => {
    expect(rows.length).toBe(91);
    for (const row of marked) expect(row.margin, row.url).toMatch(/^differs: .{20,}/);
    expect(passing.length).toBe(82);
  });

  test.each(passing.map((row) => [row.url!, row] as const))('%s', (url, row) => {
    const expected = row.expected_arxiv_id === '-' ? '-' : `${row.expected_arxiv_id} v${row.expected_version}`;
    // The id and version a link or the context menu reads from the URL…
    expect(show(paperRefFromUrl(url)), 'id and version').toBe(expected);
    // …and what Margin does with the page itself: annotate it as this kind, or leave it alone.
    const page = detectPage(url);
    if (row.margin_kind === 'none' || row.margin_kind === 'link-only') {
      expect(page, 'Margin should leave this page alone').toBeNull();
    } else {
      expect(page?.kind, 'page kind').toBe(row.margin_kind);
      expect(page?.arxivId ?? '-', 'the page names the same paper').toBe(row.expected_arxiv_id);
    }
  });

  test.each(marked.map((row) => [row.url!, row] as const))('marked as different: %s', (url, row) => {
    const peer = row.expected_arxiv_id === '-' ? '-' : `${row.expected_arxiv_id} v${row.expected_version}`;
    expect(show(paperRefFromUrl(url)), 'Margin now agrees with the peer: drop the mark').not.toBe(peer);
  });
});

describe('identifier cases from arxiv-browse, arxiv-base, idutils, arxiv.py, papis and Zotero', () => {
  const rows = table('id-cases.tsv');
  const input = (row: Record<string, string>) => (row.input === '(empty string)' ? '' : row.input!);
  const agrees = (row: Record<string, string>, ref: ArxivRef | null) => {
    if (row.expected_id === 'invalid') return ref === null;
    if (row.expected_id === 'valid') return ref !== null;
    return show(ref) === `${row.expected_id} v${row.expected_version}`;
  };

  it('every row is either expected to pass or marked with its reason', () => {
    expect(rows.length).toBe(83);
    for (const row of rows.filter((r) => r.margin !== 'pass')) expect(row.margin, row.input).toMatch(/^differs: .{20,}/);
    expect(rows.filter((row) => row.margin === 'pass').length).toBe(78);
  });

  test.each(rows.map((row) => [input(row), row] as const))('%j', (text, row) => {
    const ref = normalizeArxivId(text);
    if (row.margin === 'pass') expect(show(ref), `expected ${row.expected_id} v${row.expected_version}`).toSatisfy(() => agrees(row, ref));
    else expect(agrees(row, ref), 'Margin now agrees with the peer: drop the mark').toBe(false);
  });

  it('a valid id keeps its meaning when written the strict way (normalised id, then version)', () => {
    for (const row of rows) {
      const ref = normalizeArxivId(input(row));
      if (ref) expect(normalizeArxivId(ref.version ? `${ref.id}v${ref.version}` : ref.id), row.input).toEqual(ref);
    }
  });
});
