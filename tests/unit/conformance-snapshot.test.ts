import { readFileSync } from 'node:fs';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../lib/export/bibtex';
import { toCslJson } from '../../lib/export/csl';
import { readPapers } from '../../lib/import/snapshot';
import type { Paper, ReadingListEntry } from '../../lib/schema';
import { CslData } from '../csl-schema';
import { entryFromPaper } from '../helpers/factories';

/**
 * The first 200 real lines of arXiv's metadata snapshot (tests/conformance/SOURCES.md): old
 * identifiers, several versions, LaTeX in names, titles and abstracts, affiliations in
 * authors_parsed, cross-listed papers.
 */
const text = readFileSync(new URL('../conformance/arxiv-snapshot-sample-200.jsonl', import.meta.url), 'utf8');
const raw = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

async function importAll(body: string) {
  const stream = new Blob([body]).stream();
  const papers: Paper[] = [];
  const errors: Array<{ line: number; reason: string }> = [];
  let progress;
  for await (const batch of readPapers(stream, { batchSize: 64 })) {
    papers.push(...batch.papers);
    errors.push(...batch.errors.map((e) => ({ line: e.line, reason: e.reason })));
    progress = batch.progress;
  }
  return { papers, errors, progress: progress! };
}

const saved = (paper: Paper): ReadingListEntry => entryFromPaper(paper, { addedAt: 0, updatedAt: 0 });

describe('importing 200 real lines of the arXiv snapshot', async () => {
  const { papers, errors, progress } = await importAll(text);
  const byId = new Map(papers.map((paper) => [paper.id, paper]));

  it('accepts every line, each under its own id', () => {
    expect(errors).toEqual([]);
    expect(progress).toMatchObject({ records: 200, accepted: 200, skipped: 0, duplicates: 0 });
    expect(papers.map((paper) => paper.arxivId)).toEqual(raw.map((record) => record.id));
  });

  it('rejects a broken copy of a real line with its line number and reason, and keeps the rest', async () => {
    const lines = text.trimEnd().split('\n');
    lines[4] = lines[4]!.replace('"id":"0704.0005"', '"id":"0704.00005"');
    lines[9] = lines[9]!.replace(/"title":"[^"]*"/, '"title":"   "');
    const result = await importAll(lines.join('\n'));
    expect(result.errors).toEqual([
      { line: 5, reason: expect.stringMatching(/id "?0704\.00005"? is not an arXiv id/) },
      { line: 10, reason: 'title: must not be empty' },
    ]);
    expect(result.papers).toHaveLength(198);
  });

  it('turns TeX accents in names into the letters a reader sees, and drops affiliations', () => {
    expect(byId.get('0704.0001')?.authors).toEqual(['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan']);
    expect(byId.get('0704.0062')?.authors).toEqual(['Rastislav Šrámek', 'Broňa Brejová', 'Tomáš Vinař']);
    expect(byId.get('0704.0049')?.authors).toEqual(['Mikkel Øbro']);
    expect(byId.get('0704.0199')?.authors).toEqual(['Christian Krattenthaler', 'Thomas Müller']);
    // A suffix stays with its name.
    expect(byId.get('0704.0009')?.authors).toContain('Neal J. Evans II');
  });

  it('reads titles and abstracts as text: wrapped lines joined, TeX accents and simple math as characters', () => {
    expect(byId.get('0704.0001')?.title).toBe('Calculation of prompt diphoton production cross sections at Tevatron and LHC energies');
    expect(byId.get('0704.0073')?.title).toBe("A transcendental approach to Kollár's injectivity theorem");
    expect(byId.get('0704.0005')?.title).toBe('From dyadic Λ_α to Λ_α');
    expect(byId.get('0704.0001')?.abstract).toMatch(/^A fully differential calculation in perturbative quantum chromodynamics is presented for the production/);
    for (const paper of papers) expect(paper.abstract, paper.id).not.toMatch(/\n|^\s|\s$/);
  });

  it('dates a paper by its first version, however many followed, and keeps every category, primary first', () => {
    expect(byId.get('0704.0003')).toMatchObject({ published: '2007-04-01', year: 2007 });
    expect((raw.find((record) => record.id === '0704.0003')!.versions as unknown[]).length).toBeGreaterThan(2);
    expect(byId.get('0704.0044')?.categories).toEqual(['astro-ph', 'nlin.CD', 'physics.plasm-ph', 'physics.space-ph']);
    expect(byId.get('0704.0147')?.categories[0]).toBe('physics.optics');
  });

  it('exports every imported paper as BibTeX a parser reads, and CSL-JSON the official schema accepts', () => {
    const entries = papers.map(saved);
    const bib = parseBibtex(toBibtex(entries), { sentenceCase: false, english: false, caseProtection: false });
    expect(bib.errors).toEqual([]);
    expect(bib.entries.map((entry) => entry.fields.eprint)).toEqual(papers.map((paper) => paper.arxivId));
    const csl = CslData.safeParse(JSON.parse(JSON.stringify(toCslJson(entries))));
    expect(csl.success, csl.success ? '' : JSON.stringify(csl.error.issues.slice(0, 3))).toBe(true);
  });
});
