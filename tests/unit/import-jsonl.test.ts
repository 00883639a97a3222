import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateSnapshotLines } from '../../scripts/synthetic';
import type { ImportError } from '../../lib/import/snapshot';
import { Paper } from '../../lib/schema';
import { SAMPLE, blob, byteChunked, chunked, enc, line, readAll, sampleLines, sampleText } from '../helpers/import';

describe('readPapers: arXiv snapshot JSON Lines', () => {
  it('reads real snapshot lines into normalized, valid papers', async () => {
    const { papers, errors, progress } = await readAll(Readable.toWeb(createReadStream(SAMPLE)) as ReadableStream<Uint8Array>, {
      totalBytes: Buffer.byteLength(sampleText),
    });
    expect(errors).toEqual([]);
    expect(papers).toHaveLength(sampleLines.length);
    for (const p of papers) expect(Paper.parse(p)).toEqual(p);
    expect(progress).toEqual({
      bytesRead: Buffer.byteLength(sampleText),
      totalBytes: Buffer.byteLength(sampleText),
      records: 10,
      accepted: 10,
      skipped: 0,
      duplicates: 0,
    });

    const byId = new Map(papers.map((p) => [p.id, p]));
    expect(byId.get('0704.0001')).toEqual({
      id: '0704.0001',
      arxivId: '0704.0001',
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      normTitle: 'calculation of prompt diphoton production cross sections at tevatron and lhc energies',
      abstract: expect.stringMatching(/^A fully differential calculation in perturbative quantum chromodynamics is presented for/),
      authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      authorCount: null,
      published: '2007-04-02',
      year: 2007,
      categories: ['hep-ph'],
      origin: 'imported',
    });
    const old = byId.get('hep-th/9711200')!;
    expect(old.arxivId).toBe('hep-th/9711200');
    expect(old.published).toBe('1997-11-27');
    expect(old.year).toBe(1997);
    expect(old.abstract).toContain('the large N limit of certain');
    expect(byId.get('math/0211159')!.categories).toEqual(['math.DG']);
    expect(byId.get('1404.7828')!.authors).toEqual(['Jürgen Schmidhuber']);
    expect(byId.get('1404.7828')!.categories).toEqual(['cs.NE', 'cs.LG']);
    const bb = byId.get('1511.03243')!;
    expect(bb.title).toBe('Black-box α-divergence Minimization');
    expect(bb.normTitle).toBe('black box α divergence minimization');
    // authors_parsed is empty here: the authors string is split instead.
    expect(bb.authors).toEqual([
      'José Miguel Hernández-Lobato',
      'Yingzhen Li',
      'Mark Rowland',
      'Daniel Hernández-Lobato',
      'Thang Bui',
      'Richard E. Turner',
    ]);
    expect(bb.abstract).toBe('Black-box alpha (BB-α) is a new approximate inference method based on the minimization of α-divergences.');
    expect(byId.get('1602.02311')!.title).toBe('Rényi Divergence Variational Inference');
    expect(byId.get('1706.03762')!.authors).toHaveLength(8);
    expect(byId.get('2106.09685')!.categories).toEqual(['cs.CL', 'cs.AI', 'cs.LG']);
    expect(byId.get('2307.09288')!.abstract).toContain('called Llama 2-Chat, are optimized');
  });

  it('gives the same result when fed in 7-byte chunks (boundaries inside lines and UTF-8 characters)', async () => {
    const whole = await readAll(blob(sampleText));
    const tiny = await readAll(chunked(sampleText, 7));
    expect(tiny.papers).toEqual(whole.papers);
    // Read into one reused buffer: every chunk must be used up before the next read overwrites it.
    for (const size of [7, 4096]) expect((await readAll(byteChunked(sampleText, size))).papers).toEqual(whole.papers);
    // Multi-byte characters split at every possible offset.
    const accented = line({ id: '2401.00002', title: 'Ünïcödé 😀 ßtraße — 日本語の論文' }) + '\n';
    for (const size of [1, 2, 3, 5]) {
      const { papers } = await readAll(chunked(accented, size));
      expect(papers[0]!.title).toBe('Ünïcödé 😀 ßtraße — 日本語の論文');
    }
  });

  it('batches by batchSize and reports progress in every batch', async () => {
    const text = Array.from({ length: 25 }, (_, i) => line({ id: `2401.${String(i + 1).padStart(5, '0')}` })).join('\n');
    const { batches, papers, progress } = await readAll(blob(text), { batchSize: 10 });
    expect(batches.map((b) => b.papers.length)).toEqual([10, 10, 5]);
    expect(batches.map((b) => b.progress.accepted)).toEqual([10, 20, 25]);
    expect(papers).toHaveLength(25);
    expect(progress.bytesRead).toBe(enc.encode(text).byteLength);
    expect(progress.totalBytes).toBeNull();
  });

  it('skips bad lines with their line numbers and clear reasons, and keeps the good ones', async () => {
    const lines = [
      sampleLines[0], // 1 ok
      '', // 2 blank: ignored
      '{"id": "2401.00003", "title": "Broken", ', // 3 not JSON
      line({ id: undefined }), // 4 missing id
      line({ title: undefined, id: '2401.00005' }), // 5 missing title
      line({ id: 240100006 }), // 6 wrong type
      line({ id: 'not-an-id/x', title: 'X' }), // 7 not an arXiv id
      line({ id: '2401.00008', title: ['a', 'b'] }), // 8 title wrong type
      line({ id: '2401.00009', categories: 7 }), // 9 categories wrong type
      '[1, 2, 3]', // 10 not an object
      line({ id: '2401.00011', title: '   ' }), // 11 blank title
      line({ id: '2401.00012', authors: { name: 'x' } }), // 12 authors wrong type
      sampleLines[1], // 13 ok
      sampleLines[0], // 14 duplicate of line 1
      line({ id: '2401.00015v2', title: 'Versioned id' }), // 15 ok, version stripped
    ];
    const { papers, errors, progress } = await readAll(chunked(lines.join('\r\n') + '\r\n', 13));
    expect(papers.map((p) => p.id)).toEqual(['0704.0001', 'hep-th/9711200', '2401.00015']);
    expect(progress).toMatchObject({ records: 14, accepted: 3, skipped: 10, duplicates: 1 });
    const reasons = new Map(errors.map((e: ImportError) => [e.line, e.reason]));
    expect([...reasons.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(reasons.get(3)).toMatch(/^not valid JSON/);
    expect(reasons.get(4)).toBe('missing id');
    expect(reasons.get(5)).toBe('missing title');
    expect(reasons.get(6)).toMatch(/^id: expected a string, got a number/);
    expect(reasons.get(7)).toMatch(/^id "not-an-id\/x" is not an arXiv id/);
    expect(reasons.get(8)).toBe('title: expected a string, got an array');
    expect(reasons.get(9)).toMatch(/^categories: expected a string/);
    expect(reasons.get(10)).toBe('expected a JSON object (one paper), got an array');
    expect(reasons.get(11)).toBe('title: must not be empty');
    expect(reasons.get(12)).toBe('authors: expected a string, got an object');
  });

  it('keeps the first of duplicate ids, including across old and new id styles and versions', async () => {
    const text = [
      line({ id: '2401.00001', title: 'First' }),
      line({ id: '2401.00001', title: 'Second' }),
      line({ id: 'hep-th/9901001', title: 'Old' }),
      line({ id: 'hep-th/9901001v3', title: 'Old again' }),
      line({ id: '0704.0001', title: 'Four digits' }),
      line({ id: 'arXiv:0704.0001v2', title: 'Prefixed and versioned' }),
    ].join('\n');
    const { papers, progress } = await readAll(blob(text));
    expect(papers.map((p) => p.title)).toEqual(['First', 'Old', 'Four digits']);
    expect(progress.duplicates).toBe(3);
  });

  it('reads Margin papers given as JSON Lines', async () => {
    const paper = { id: '2401.00001', arxivId: '2401.00001', title: 'Margin paper', abstract: '', authors: ['A B'], categories: [], published: null, year: 2024, origin: 'bundled' };
    const { papers } = await readAll(blob(JSON.stringify(paper) + '\n'));
    expect(papers[0]).toMatchObject({ id: '2401.00001', normTitle: 'margin paper', authorCount: null, origin: 'imported' });
  });

  it('falls back to update_date, then to the id, for the date', async () => {
    const { papers } = await readAll(
      blob([line({ id: '2401.00001', versions: undefined, update_date: '2024-01-05' }), line({ id: '2312.00002', versions: [] })].join('\n')),
    );
    expect(papers.map((p) => [p.published, p.year])).toEqual([
      ['2024-01-05', 2024],
      [null, 2023],
    ]);
  });

  it('reports a 10 MB line as an error without keeping it, and goes on', async () => {
    const huge = line({ id: '2401.00002', abstract: 'x'.repeat(10 * 1024 * 1024) });
    const text = [line({ id: '2401.00001' }), huge, line({ id: '2401.00003' })].join('\n');
    const { papers, errors } = await readAll(chunked(text, 64 * 1024));
    expect(papers.map((p) => p.id)).toEqual(['2401.00001', '2401.00003']);
    expect(errors).toEqual([{ line: 2, reason: 'line is too long (over 2 MB); skipped' }]);
    // Also when the whole line arrives in one chunk.
    const again = await readAll(blob(text));
    expect(again.errors).toEqual([{ line: 2, reason: 'line is too long (over 2 MB); skipped' }]);
  });

  it('reports a line cut short at the end of the file (truncated download)', async () => {
    const text = sampleLines.slice(0, 3).join('\n') + '\n' + sampleLines[3]!.slice(0, 200);
    const { papers, errors } = await readAll(blob(text));
    expect(papers).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(4);
    expect(errors[0]!.reason).toMatch(/^not valid JSON \(the line is cut short\)/);
  });

  it('reports lines that are not valid UTF-8', async () => {
    const good = enc.encode(line({ id: '2401.00001' }) + '\n');
    const latin1 = new Uint8Array([...enc.encode('{"id":"2401.00002","title":"Caf'), 0xe9, ...enc.encode('"}\n')]);
    const { papers, errors } = await readAll(blob(new Uint8Array([...good, ...latin1])));
    expect(papers).toHaveLength(1);
    expect(errors[0]).toEqual({ line: 2, reason: expect.stringMatching(/not valid UTF-8/) });
  });

  it('caps the error list at maxErrors but keeps counting', async () => {
    const text = Array.from({ length: 50 }, () => '{"id": 1}').join('\n');
    const { errors, progress } = await readAll(blob('{"id":"2401.00001","title":"ok"}\n' + text), { maxErrors: 5 });
    expect(errors).toHaveLength(5);
    expect(progress.skipped).toBe(50);
  });
});

describe('generateSnapshotLines', () => {
  const source = {
    titles: ['Attention Is All You Need', 'Adam: A Method for Stochastic Optimization', 'LoRA: Low-Rank Adaptation of Large Language Models'],
    abstracts: sampleLines.map((l) => (JSON.parse(l) as { abstract: string }).abstract.trim()),
  };

  it('is deterministic per seed and produces lines that all import', async () => {
    const a = [...generateSnapshotLines(500, 7, source)];
    expect([...generateSnapshotLines(500, 7, source)]).toEqual(a);
    expect([...generateSnapshotLines(500, 8, source)]).not.toEqual(a);
    const { papers, errors, progress } = await readAll(blob(a.join('\n') + '\n'));
    expect(errors).toEqual([]);
    expect(progress.duplicates).toBe(0);
    expect(papers).toHaveLength(500);
    expect(papers.some((p) => p.arxivId?.includes('/'))).toBe(true);
    expect(papers.every((p) => p.year !== null && p.year >= 1992 && p.year <= 2025)).toBe(true);
    expect(papers.every((p) => p.authors.length >= 1 && p.authors.length <= 12)).toBe(true);
    expect(papers.some((p) => /[α-ω]/.test(p.title))).toBe(true);
  });
});
