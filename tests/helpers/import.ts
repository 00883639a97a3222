import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ImportFormatError, readPapers, type ImportBatch, type ReadPapersOptions } from '../../lib/import/snapshot';

/** The snapshot sample and the streams the import tests feed to readPapers (one test file per format). */
export const SAMPLE = fileURLToPath(new URL('../fixtures/import/arxiv-snapshot-sample.jsonl', import.meta.url));
export const sampleText = readFileSync(SAMPLE, 'utf8');
export const sampleLines = sampleText.trim().split('\n');
export const enc = new TextEncoder();

/** A stream that hands out `bytes` in chunks of `size` (7 by default: boundaries inside lines and characters). */
export function chunked(bytes: Uint8Array | string, size = 7): ReadableStream<Uint8Array> {
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
export function byteChunked(bytes: string, size: number): ReadableStream<Uint8Array> {
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

export function blob(content: string | Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([typeof content === 'string' ? content : new Uint8Array(content)]).stream();
}

export async function readAll(stream: ReadableStream<Uint8Array>, opts?: ReadPapersOptions) {
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

export async function formatError(stream: ReadableStream<Uint8Array>): Promise<string> {
  try {
    await readAll(stream);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFormatError);
    return (err as Error).message;
  }
  throw new Error('expected an ImportFormatError');
}

export function line(fields: Record<string, unknown>): string {
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
