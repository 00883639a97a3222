import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { citationKeys, escapeBibtex, toBibtex } from '../../lib/export/bibtex';
import { toCslJson, toCslJsonText } from '../../lib/export/csl';
import { EXPORT_FORMATS, exportEntries } from '../../lib/export/formats';
import { escapeMarkdown, toMarkdown } from '../../lib/export/markdown';
import { splitName } from '../../lib/export/names';
import { CslData } from '../csl-schema';
import { readingListEntry } from '../helpers/factories';
import type { ReadingListEntry } from '../../lib/schema';

const entry = readingListEntry;

const HOSTILE = 'Lone } brace { and \\textbf{bold} 100% $x^2$ #1 a_b ~ @article{evil, <script>alert(1)</script> | [x](javascript:alert(1)) *em* é ü ł';

const MIXTRAL = entry({
  paperId: '2401.04088',
  arxivId: '2401.04088',
  title: 'Mixtral of Experts',
  authors: ['Albert Q. Jiang', 'Alexandre Sablayrolles', 'Łukasz Kaiser'],
  year: 2024,
  published: '2024-01-08',
  abstract: 'We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model.',
  categories: ['cs.LG', 'cs.CL'],
  notes: 'Read section 3.\nCompare with Switch Transformer.',
});

const ENTRIES: ReadingListEntry[] = [
  MIXTRAL,
  entry({ paperId: 't:abc', title: HOSTILE, authors: ['Jiang, Albert', 'Research and Development Team'], notes: 'javascript:alert(1) } { \\ @ <img src=x onerror=alert(1)>' }),
  entry({ paperId: '2401.99999', arxivId: '2401.99999', title: 'Mixtral of Experts', authors: ['A. Jiang'], categories: ['cs.CL'] }),
  entry({ paperId: 'hep-th/9901001', arxivId: 'hep-th/9901001', title: 'Old-style id paper', authors: ['Édouard Müller'], year: 1999, categories: ['hep-th'], status: 'done' }),
  entry({ paperId: 't:noauthor', title: 'The Anonymous Work', year: null }),
];

describe('BibTeX', () => {
  const bib = toBibtex(ENTRIES);
  const lib = parseBibtex(bib, { sentenceCase: false, english: false, caseProtection: false });

  it('writes arXiv-style @misc entries', () => {
    expect(bib).toContain(
      [
        '@misc{jiang2024mixtral,',
        '  title={Mixtral of Experts},',
        '  author={Albert Q. Jiang and Alexandre Sablayrolles and Łukasz Kaiser},',
        '  year={2024},',
        '  eprint={2401.04088},',
        '  archivePrefix={arXiv},',
        '  primaryClass={cs.LG},',
        '  url={https://arxiv.org/abs/2401.04088},',
        '  note={Read section 3. Compare with Switch Transformer.},',
        '}',
      ].join('\n'),
    );
  });

  it('parses back with a real BibTeX parser: entry count, keys, no errors', () => {
    expect(lib.errors).toEqual([]);
    expect(lib.entries).toHaveLength(ENTRIES.length);
    expect(lib.entries.map((e) => e.type)).toEqual(ENTRIES.map(() => 'misc'));
    const keys = lib.entries.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(['jiang2024mixtral', 'jiang2024lone', 'jiang2024mixtrala', 'muller1999old', 'anonanonymous']);
  });

  it('round-trips titles and notes with special characters and hostile strings', () => {
    expect(lib.entries.map((e) => e.fields.title)).toEqual(ENTRIES.map((e) => e.title));
    expect(lib.entries[1]!.fields.note).toBe('javascript:alert(1) } { \\ @ <img src=x onerror=alert(1)>');
    expect(lib.entries[0]!.fields.note).toBe('Read section 3. Compare with Switch Transformer.');
  });

  it('keeps authors (incl. non-ASCII and organizations) as BibTeX names', () => {
    expect(lib.entries[0]!.fields.author).toEqual([
      { lastName: 'Jiang', firstName: 'Albert Q.' },
      { lastName: 'Sablayrolles', firstName: 'Alexandre' },
      { lastName: 'Kaiser', firstName: 'Łukasz' },
    ]);
    expect(lib.entries[1]!.fields.author).toEqual([{ lastName: 'Jiang', firstName: 'Albert' }, { name: 'Research and Development Team' }]);
    expect(lib.entries[4]!.fields.author).toBeUndefined();
  });

  it('writes eprint fields only for a known arXiv id, incl. old-style ids', () => {
    expect(lib.entries[1]!.fields.eprint).toBeUndefined();
    expect(lib.entries[1]!.fields.url).toBeUndefined();
    expect(lib.entries[3]!.fields).toMatchObject({ eprint: 'hep-th/9901001', archiveprefix: 'arXiv', primaryclass: 'hep-th', url: 'https://arxiv.org/abs/hep-th/9901001' });
  });

  it('never builds a URL from an invalid id', () => {
    const out = toBibtex([entry({ arxivId: 'javascript:alert(1)' as string, title: 'x' })]);
    expect(out).not.toContain('url=');
    expect(out).not.toContain('eprint=');
  });

  it('escapes every LaTeX special character with balanced braces', () => {
    expect(escapeBibtex('& % $ # _ { } ~ ^ \\')).toBe('\\& \\% \\$ \\# \\_ \\textbraceleft{} \\textbraceright{} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    for (const s of ['}', '{', '}}}{', '\\', 'a\\}b']) {
      const esc = escapeBibtex(s);
      let depth = 0;
      for (const c of esc) {
        depth += c === '{' ? 1 : c === '}' ? -1 : 0;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
    }
    expect(escapeBibtex('Müller\n\n  Łódź\t')).toBe('Müller Łódź');
  });

  it('makes unique keys with a/b suffixes that do not collide with natural keys', () => {
    const e = (title: string) => ({ authors: ['Albert Jiang'], year: 2024, title });
    expect(citationKeys([e('Mixtral'), e('Mixtral'), e('Mixtral'), e('Mixtrala')])).toEqual(['jiang2024mixtral', 'jiang2024mixtralb', 'jiang2024mixtralc', 'jiang2024mixtrala']);
    expect(citationKeys([{ authors: ['Łukasz Kaiser'], year: null, title: 'On the Über-Model' }])).toEqual(['kaiseruber']);
  });
});


describe('CSL-JSON', () => {
  const items = toCslJson(ENTRIES);

  it('validates against the CSL-JSON schema', () => {
    const parsed = CslData.safeParse(JSON.parse(toCslJsonText(ENTRIES)));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    // The schema really is strict: an unknown key fails.
    expect(CslData.safeParse([{ ...items[0], arxivId: 'x' }]).success).toBe(false);
  });

  it('writes a preprint item like Zotero does', () => {
    expect(items[0]).toEqual({
      id: 'jiang2024mixtral',
      type: 'article',
      title: 'Mixtral of Experts',
      author: [
        { given: 'Albert Q.', family: 'Jiang' },
        { given: 'Alexandre', family: 'Sablayrolles' },
        { given: 'Łukasz', family: 'Kaiser' },
      ],
      issued: { 'date-parts': [[2024, 1, 8]] },
      URL: 'https://arxiv.org/abs/2401.04088',
      DOI: '10.48550/arXiv.2401.04088',
      number: 'arXiv:2401.04088',
      archive: 'arXiv',
      publisher: 'arXiv',
      abstract: MIXTRAL.abstract,
      note: MIXTRAL.notes,
    });
  });

  it('omits arXiv fields without an id, and keeps hostile text as plain strings', () => {
    expect(items[1]).not.toHaveProperty('URL');
    expect(items[1]).not.toHaveProperty('DOI');
    expect(items[1]!.title).toBe(HOSTILE);
    expect(items[1]!.author).toEqual([{ family: 'Jiang', given: 'Albert' }, { literal: 'Research and Development Team' }]);
    expect(splitName('The ATLAS Collaboration')).toEqual({ literal: 'The ATLAS Collaboration' });
    expect(items[4]).toEqual({ id: 'anonanonymous', type: 'article', title: 'The Anonymous Work' });
    expect(items[3]!.issued).toEqual({ 'date-parts': [[1999]] });
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('splits names with particles and suffixes', () => {
    expect(splitName('Guido de Croon')).toEqual({ given: 'Guido', 'non-dropping-particle': 'de', family: 'Croon' });
    expect(splitName('Martin Luther King Jr.')).toEqual({ given: 'Martin Luther', family: 'King', suffix: 'Jr.' });
    expect(splitName('DeepSeek-AI')).toEqual({ family: 'DeepSeek-AI' });
    expect(splitName('   ')).toEqual({ literal: '   ' });
  });
});

describe('Markdown', () => {
  const md = toMarkdown(ENTRIES);

  it('writes one list item per entry, notes as an indented quote', () => {
    expect(md).toContain(
      '- [Mixtral of Experts](https://arxiv.org/abs/2401.04088) — Albert Q. Jiang et al. (2024) · to read\n  > Read section 3.\n  > Compare with Switch Transformer.\n',
    );
    expect(md).toContain('- Old-style id paper'.replace('Old', '[Old') + '](https://arxiv.org/abs/hep-th/9901001) — Édouard Müller (1999) · done');
    expect(md).toContain('- The Anonymous Work · to read');
    expect(md.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(ENTRIES.length);
  });

  it('escapes titles and notes so they cannot form links, images, HTML or emphasis', () => {
    const line = md.split('\n').find((l) => l.includes('Lone'))!;
    expect(line.startsWith('- Lone')).toBe(true);
    expect(line).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(line).toContain('\\<script\\>');
    expect(line).toContain('\\*em\\*');
    expect(line).not.toMatch(/(?<!\\)\]\(/); // no unescaped "](" anywhere
    expect(md).toContain('  > javascript:alert\\(1\\) \\} \\{ \\\\ @ \\<img src=x onerror=alert\\(1\\)\\>');
    expect(escapeMarkdown('a_b [c] `d` !e <f> #g |h ~i &amp;')).toBe('a\\_b \\[c\\] \\`d\\` \\!e \\<f\\> \\#g \\|h \\~i \\&amp;');
  });
});

describe('export formats', () => {
  it('names files and picks MIME types', () => {
    const now = new Date('2024-05-06T07:08:09Z');
    expect(EXPORT_FORMATS.map((f) => f.id)).toEqual(['bibtex', 'csl-json', 'markdown', 'backup']);
    expect(exportEntries('bibtex', ENTRIES, now)).toMatchObject({ name: 'margin-2024-05-06.bib' });
    expect(exportEntries('csl-json', ENTRIES, now).name).toBe('margin-2024-05-06.csl.json');
    expect(exportEntries('markdown', ENTRIES, now).text).toBe(toMarkdown(ENTRIES));
    expect(JSON.parse(exportEntries('backup', ENTRIES, now).text)).toMatchObject({ format: 'margin-backup', version: 1, exportedAt: now.toISOString() });
  });
});
