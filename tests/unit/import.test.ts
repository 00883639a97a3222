import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latexToText } from '../../lib/import/latex';
import { splitAuthors } from '../../lib/import/records';
import { generateSnapshotLines } from '../../scripts/synthetic';
import { ImportFormatError, readPapers, type ImportBatch, type ImportError, type ReadPapersOptions } from '../../lib/import/snapshot';
import { Paper } from '../../lib/schema';

const SAMPLE = fileURLToPath(new URL('../fixtures/import/arxiv-snapshot-sample.jsonl', import.meta.url));
const sampleText = readFileSync(SAMPLE, 'utf8');
const sampleLines = sampleText.trim().split('\n');
const enc = new TextEncoder();

/** A stream that hands out `bytes` in chunks of `size` (7 by default: boundaries inside lines and characters). */
function chunked(bytes: Uint8Array | string, size = 7): ReadableStream<Uint8Array> {
  const data = typeof bytes === 'string' ? enc.encode(bytes) : bytes;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.byteLength) return controller.close();
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

/** Like `chunked`, as a byte stream (what `File.stream()` is): the reader then fills one reused buffer. */
function byteChunked(bytes: string, size: number): ReadableStream<Uint8Array> {
  const data = enc.encode(bytes);
  let at = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (at >= data.byteLength) {
        // A pending read into a buffer is answered only once told that nothing came.
        controller.close();
        return controller.byobRequest?.respond(0);
      }
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  }) as ReadableStream<Uint8Array>;
}

function blob(content: string | Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([typeof content === 'string' ? content : new Uint8Array(content)]).stream();
}

async function readAll(stream: ReadableStream<Uint8Array>, opts?: ReadPapersOptions) {
  const batches: ImportBatch[] = [];
  for await (const batch of readPapers(stream, opts)) batches.push(batch);
  const last = batches[batches.length - 1]!;
  return {
    batches,
    papers: batches.flatMap((b) => b.papers),
    errors: batches.flatMap((b) => b.errors),
    progress: last.progress,
  };
}

async function formatError(stream: ReadableStream<Uint8Array>): Promise<string> {
  try {
    await readAll(stream);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFormatError);
    return (err as Error).message;
  }
  throw new Error('expected an ImportFormatError');
}

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({
    id: '2401.00001',
    title: 'A title',
    authors: 'A. Author',
    categories: 'cs.LG',
    abstract: 'Text.',
    versions: [{ version: 'v1', created: 'Mon, 1 Jan 2024 00:00:00 GMT' }],
    ...fields,
  });
}

describe('latexToText', () => {
  it.each([
    ['Black-box $\\alpha$-divergence Minimization', 'Black-box α-divergence Minimization'],
    ['R{\\\'e}nyi Divergence', 'Rényi Divergence'],
    ['Schr{\\"o}dinger and Schr\\"{o}dinger and Schr\\"odinger', 'Schrödinger and Schrödinger and Schrödinger'],
    ['\\textit{Llama 2-Chat} and \\emph{really} \\textbf{bold}', 'Llama 2-Chat and really bold'],
    ['{\\em Emphasis} in {\\it old} style', 'Emphasis in old style'],
    ['Erd\\H{o}s, Ha\\v{c}ek, Fran\\c{c}ois, \\L{}ukasz, Stra\\ss e, Bj\\o rn, na\\"\\i ve', 'Erdős, Haček, François, Łukasz, Straße, Bjørn, naïve'],
    ['$O(n \\log n)$ time, $\\ell_1$ and $\\mathcal{O}(1)$', 'O(n log n) time, ℓ_1 and O(1)'],
    ['$\\Delta$-learning with $\\epsilon \\to 0$, $\\sim$100 and $\\infty$', 'Δ-learning with ε → 0, ∼100 and ∞'],
    ['100\\% of \\$5 \\& \\{braces\\}', '100% of $5 & {braces}'],
    ['\\LaTeX{} and \\unknowncommand{x}', 'LaTeX and unknowncommandx'],
    ['No markup at all', 'No markup at all'],
  ])('%s', (input, expected) => {
    expect(latexToText(input).replace(/\s+/g, ' ').trim()).toBe(expected);
  });

  it('does not confuse accent macros with commands that start with the same letter', () => {
    expect(latexToText('$a \\cdot b \\in \\mathbb{R}$, $\\int f$, $\\infty$, $\\ldots$, \\url{x}')).toBe('a · b ∈ R, ∫ f, ∞, …, x');
  });
});

describe('splitAuthors', () => {
  it('splits "A, B and C", drops affiliations, decodes accents', () => {
    expect(splitAuthors("Jos\\'e Miguel Hern\\'andez-Lobato (Cambridge), Yingzhen Li, and Richard E.\n  Turner")).toEqual([
      'José Miguel Hernández-Lobato',
      'Yingzhen Li',
      'Richard E. Turner',
    ]);
    expect(splitAuthors('A. One and B. Two')).toEqual(['A. One', 'B. Two']);
  });
});

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

describe('readPapers: JSON documents', () => {
  it('streams a JSON array of snapshot records, reporting bad records by index', async () => {
    const records = sampleLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const array = [records[0], { id: '2401.00001' }, 42, records[1], records[0], records[2]];
    const text = JSON.stringify(array, null, 2);
    const { papers, errors, progress } = await readAll(chunked(text, 7), { batchSize: 2 });
    expect(papers.map((p) => p.id)).toEqual(['0704.0001', 'hep-th/9711200', 'math/0211159']);
    expect(errors).toEqual([
      { line: 2, reason: 'missing title' },
      { line: 3, reason: 'expected a JSON object (one paper), got a number' },
    ]);
    expect(progress).toMatchObject({ records: 6, accepted: 3, skipped: 2, duplicates: 1 });
  });

  it('streams the papers of a Margin corpus export, as imported papers', async () => {
    const papers: Paper[] = Array.from({ length: 30 }, (_, i) => ({
      id: `2402.${String(i).padStart(5, '0')}`,
      arxivId: `2402.${String(i).padStart(5, '0')}`,
      title: `Paper ${i} — Ünïcode`,
      normTitle: `paper ${i} unicode`,
      abstract: 'Abstract.',
      authors: ['Ada Lovelace'],
      authorCount: null,
      published: '2024-02-01',
      year: 2024,
      categories: ['cs.LG'],
      origin: 'bundled',
    }));
    papers.push({ ...papers[0]!, id: 't:abc', arxivId: null, title: 'No arXiv id', normTitle: 'no arxiv id' });
    const text = JSON.stringify({ version: 'abcdef0123456789', generatedAt: '2025-01-01', papers, trailer: { x: [1, 2] } });
    const result = await readAll(chunked(text, 7), { batchSize: 8 });
    expect(result.papers).toHaveLength(31);
    expect(result.errors).toEqual([]);
    expect(result.papers.every((p) => p.origin === 'imported')).toBe(true);
    expect(result.papers[0]).toEqual({ ...papers[0], origin: 'imported' });
    expect(result.batches.every((b) => b.papers.length <= 8)).toBe(true);
    // Pretty-printed, "papers" first, and a bad paper reported by its index.
    const pretty = JSON.stringify({ papers: [papers[1], { ...papers[2], year: 'twenty' }, papers[3]], version: 'x' }, null, 2);
    const again = await readAll(blob(pretty));
    expect(again.papers.map((p) => p.id)).toEqual(['2402.00001', '2402.00003']);
    expect(again.errors).toEqual([{ line: 2, reason: expect.stringMatching(/^year: /) }]);
  });

  it('keeps the records before a truncated JSON array and says where it stopped', async () => {
    const records = sampleLines.slice(0, 4).map((l) => JSON.parse(l) as unknown);
    const text = JSON.stringify(records);
    const { papers, errors } = await readAll(chunked(text.slice(0, text.length - 300), 1000));
    expect(papers).toHaveLength(3);
    expect(errors).toEqual([{ line: 4, reason: 'the file ends in the middle of record 4 (truncated JSON?); the records before it were read' }]);
  });

  it('stops at invalid JSON inside an array, naming the record', async () => {
    const { papers, errors } = await readAll(blob(`[${line({ id: '2401.00001' })}, ${line({ id: '2401.00002' })}, {"id": "2401.00003", "title": tru }, {}]`));
    expect(papers).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(3);
    expect(errors[0]!.reason).toMatch(/^invalid JSON in record 3 at byte \d+: .*reading stopped here$/);
    // Garbage between records belongs to the next record.
    const between = await readAll(blob(`[${line({ id: '2401.00001' })}, garbage]`));
    expect(between.errors).toEqual([{ line: 2, reason: expect.stringMatching(/^invalid JSON in record 2/) }]);
  });

  it('rejects nested garbage records one by one', async () => {
    const { papers, errors } = await readAll(blob(`[[[[{"id": "2401.00001"}]]], {"a": {"b": {"c": [null]}}}, "text", null, ${line({})}]`));
    expect(papers).toHaveLength(1);
    expect(errors.map((e) => [e.line, e.reason])).toEqual([
      [1, 'expected a JSON object (one paper), got an array'],
      [2, 'missing id'],
      [3, 'expected a JSON object (one paper), got a string'],
      [4, 'expected a JSON object (one paper), got null'],
    ]);
  });
});

describe('readPapers: whole-file problems', () => {
  it.each<[string, string | Uint8Array, RegExp]>([
    ['empty file', '', /^The file is empty\.$/],
    ['only whitespace', ' \n\n\t ', /^The file is empty\.$/],
    ['UTF-16 LE with BOM', new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x22, 0x00]), /^UTF-16 files are not supported; save the file as UTF-8\.$/],
    ['UTF-16 BE with BOM', new Uint8Array([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x22]), /UTF-16 files are not supported/],
    ['UTF-16 without BOM', new Uint8Array([...'{"id":"2401.00001"}'].flatMap((c) => [c.charCodeAt(0), 0])), /UTF-16 files are not supported/],
    ['binary garbage', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]), /^This is a binary file, not a JSON\/JSONL file\.$/],
    ['ZIP archive', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), /^This is a ZIP archive/],
    ['CSV text', 'id,title\n2401.00001,A paper\n', /^This is not a JSON\/JSONL file: it should start with "\{" or "\[", but starts with "id,title/],
    ['a JSON object of another kind', '{"name": "my-package", "dependencies": {"zod": "4"}}', /neither an arXiv metadata snapshot line nor a Margin corpus export.*keys are: name, dependencies/],
    ['a pretty-printed JSON object', '{\n  "name": "x",\n  "items": []\n}\n', /starts with a JSON object but is neither JSON Lines/],
    ['a Margin-like object without papers', '{"version": "abcdef0123", "items": []}', /no "papers" array/],
    ['a Margin-like object whose papers is not an array', '{"version": "abcdef0123", "papers": {"a": 1}}', /"papers" must be an array of papers, but it is an object/],
  ])('%s', async (_name, content, message) => {
    expect(await formatError(chunked(content, 3))).toMatch(message);
  });

  it('skips a UTF-8 BOM', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(sampleLines[0] + '\n')]);
    const { papers, errors } = await readAll(chunked(bytes, 2));
    expect(errors).toEqual([]);
    expect(papers).toHaveLength(1);
  });

  it('reads a gzip-compressed file, counting compressed bytes', async () => {
    const gz = new Uint8Array(await new Response(blob(sampleText).pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>)).arrayBuffer());
    const { papers, progress } = await readAll(chunked(gz, 100));
    expect(papers).toHaveLength(10);
    expect(progress.bytesRead).toBe(gz.byteLength);
  });
});

describe('readPapers: abort', () => {
  it('stops mid-stream with an AbortError and cancels the source', async () => {
    const controller = new AbortController();
    let cancelled = false;
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(enc.encode(line({ id: `2401.${String(pulls).padStart(5, '0')}` }) + '\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    let batches = 0;
    const run = async () => {
      for await (const batch of readPapers(endless, { batchSize: 10, signal: controller.signal })) {
        batches++;
        expect(batch.papers.length).toBeGreaterThan(0);
        if (batches === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(batches).toBe(3);
    expect(cancelled).toBe(true);
  });

  it('aborts while waiting for a slow stream', async () => {
    const controller = new AbortController();
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(line({}) + '\n'));
      },
      pull: () => new Promise(() => undefined),
    });
    setTimeout(() => controller.abort(), 20);
    await expect(readAll(stalled, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('throws at once for an already aborted signal', async () => {
    await expect(readAll(blob(sampleText), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
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

describe('latexToText and prototype keys', () => {
  it('leaves commands named like Object.prototype members as words', async () => {
    const { latexToText } = await import('../../lib/import/latex');
    expect(latexToText('A \\constructor and \\toString of $\\alpha$')).toBe('A constructor and toString of α');
  });
});
