import { readFileSync } from 'node:fs';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../lib/export/bibtex';
import { toCslJson } from '../../lib/export/csl';
import type { ReadingListEntry } from '../../lib/schema';
import { CslData } from '../csl-schema';

/**
 * Margin's exports against the official formats: BibTeX entries that arXiv's own "Export BibTeX
 * citation" produced (tests/conformance/*.bib), and the official CSL-JSON schema.
 */

const options = { sentenceCase: false, english: false, caseProtection: false } as const;
const read = (name: string) => readFileSync(new URL(`../conformance/${name}`, import.meta.url), 'utf8');

/** The paper as Margin holds it after a save: what the abstract page lists for it. */
function saved(over: Partial<ReadingListEntry>): ReadingListEntry {
  return { paperId: 'x', arxivId: null, title: '', authors: [], year: null, published: null, abstract: '', categories: [], status: 'to-read', notes: '', addedAt: 0, updatedAt: 0, ...over };
}

const PAPERS: Array<[file: string, entry: ReadingListEntry]> = [
  [
    'arxiv-export__tsor13-spectrum__2510.06084.bib',
    saved({
      paperId: '2510.06084',
      arxivId: '2510.06084',
      title: 'Spectrum Tuning: Post-Training for Distributional Coverage and In-Context Steerability',
      authors: ['Taylor Sorensen', 'Benjamin Newman', 'Jared Moore', 'Chan Park', 'Jillian Fisher', 'Niloofar Mireshghallah', 'Liwei Jiang', 'Yejin Choi'],
      year: 2025,
      categories: ['cs.CL', 'cs.AI'],
    }),
  ],
  [
    'arxiv-export__BlueZeros-ReflecTool__2410.17657.bib',
    saved({
      paperId: '2410.17657',
      arxivId: '2410.17657',
      title: 'ReflecTool: Towards Reflection-Aware Tool-Augmented Clinical Agents',
      authors: ['Yusheng Liao', 'Shuyang Jiang', 'Yanfeng Wang', 'Yu Wang'],
      year: 2024,
      categories: ['cs.CL'],
    }),
  ],
];

describe("BibTeX: field by field against arXiv's own export", () => {
  it.each(PAPERS)('%s', (file, entry) => {
    const arxiv = parseBibtex(read(file), options);
    const margin = parseBibtex(toBibtex([entry]), options);
    expect(arxiv.errors).toEqual([]);
    expect(margin.errors).toEqual([]);
    const [theirs] = arxiv.entries;
    const [ours] = margin.entries;
    expect(ours?.type).toBe(theirs?.type);
    // Same fields, same order, same values (title, author, year, eprint, archivePrefix, primaryClass, url).
    expect(Object.keys(ours!.fields)).toEqual(Object.keys(theirs!.fields));
    expect(ours!.fields).toEqual(theirs!.fields);
  });

  it('the comparison notices a changed field', () => {
    const [file, entry] = PAPERS[1]!;
    const theirs = parseBibtex(read(file), options).entries[0]!.fields;
    const ours = parseBibtex(toBibtex([{ ...entry, categories: ['cs.AI'] }]), options).entries[0]!.fields;
    expect(ours).not.toEqual(theirs);
  });

  it('old-style ids keep their archive in eprint and url, as arXiv writes them', () => {
    const entry = saved({ paperId: 'hep-th/9711200', arxivId: 'hep-th/9711200', title: 'The Large N Limit of Superconformal Field Theories and Supergravity', authors: ['Juan M. Maldacena'], year: 1997, categories: ['hep-th'] });
    const fields = parseBibtex(toBibtex([entry]), options).entries[0]!.fields;
    expect(fields).toMatchObject({ eprint: 'hep-th/9711200', archiveprefix: 'arXiv', primaryclass: 'hep-th', url: 'https://arxiv.org/abs/hep-th/9711200' });
  });
});

describe('CSL-JSON: the official csl-data schema, checked by ajv', () => {
  it('accepts the items Margin writes, for new- and old-style ids, with and without dates, names and notes', () => {
    const items = toCslJson([
      ...PAPERS.map(([, entry]) => entry),
      saved({ paperId: 'hep-th/9711200', arxivId: 'hep-th/9711200', title: 'Old', authors: ['Juan M. Maldacena', 'ATLAS Collaboration', 'Ludwig van Beethoven Jr.'], published: '1997-11-27', year: 1997 }),
      saved({ paperId: 't:abc', title: 'No id, no authors, no year', notes: 'a note' }),
    ]);
    const result = CslData.safeParse(JSON.parse(JSON.stringify(items)));
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues)).toBe(true);
  });

  it('rejects what the schema forbids: an unknown key, an unknown type, a malformed date', () => {
    const [item] = toCslJson([PAPERS[0]![1]]);
    expect(CslData.safeParse([{ ...item, eprint: '2510.06084' }]).success).toBe(false);
    expect(CslData.safeParse([{ ...item, type: 'preprint' }]).success).toBe(false);
    expect(CslData.safeParse([{ ...item, issued: { 'date-parts': [[2024, 1, 2, 3]] } }]).success).toBe(false);
  });
});
