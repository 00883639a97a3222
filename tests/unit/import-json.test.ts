import { describe, expect, it } from 'vitest';
import { Paper } from '../../lib/schema';
import { blob, chunked, line, readAll, sampleLines } from '../helpers/import';

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
