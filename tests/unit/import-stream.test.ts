import { describe, expect, it } from 'vitest';
import { readPapers } from '../../lib/import/snapshot';
import { blob, chunked, enc, formatError, line, readAll, sampleLines, sampleText } from '../helpers/import';

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
