import { Collector, ImportFormatError, type ImportBatch } from './batch';
import { ByteSource, readHead } from './byte-source';
import { readJsonDocument } from './json-document';
import { readJsonLines } from './json-lines';
import { detectFormat } from './sniff';

/**
 * Streaming import of large paper corpora (the 4.5 GB arXiv metadata snapshot included): reads a
 * `ReadableStream<Uint8Array>` (`File.stream()`), never holds the whole file, and yields batches of
 * validated `Paper` records (origin 'imported') with progress and per-record errors.
 *
 * Formats, detected from the first bytes (a UTF-8 BOM is skipped; gzip is decompressed transparently):
 *  - `{` + first key "version"/"papers": a Margin corpus `{ "version": …, "papers": [Paper, …] }`, streamed;
 *  - `{` otherwise: JSON Lines, one arXiv-snapshot record (or Margin Paper) per line; errors carry line numbers;
 *  - `[`: a JSON array of such records, streamed; errors carry the 1-based record index.
 * Pure and browser-safe: Web Streams, TextDecoder, DecompressionStream only.
 *
 * This module is the entry point; the work is split by job: byte-source.ts (reading and counting bytes),
 * sniff.ts (format detection), json-lines.ts and json-document.ts (the format readers), batch.ts (batches,
 * progress, de-duplication). Callers import from here, so the split stays an internal matter.
 */

export { ImportFormatError, type ImportBatch, type ImportError, type ImportProgress } from './batch';
export { detectFormat, type ImportFormat } from './sniff';

export interface ReadPapersOptions {
  /** Papers per batch (default 1000). A batch is also yielded after this many records of any outcome. */
  batchSize?: number;
  /** The file size, reported back in progress (`File.size`). */
  totalBytes?: number;
  signal?: AbortSignal;
  /** How many errors are reported in total (default 1000); later bad records are only counted in `skipped`. */
  maxErrors?: number;
  /** Longest accepted JSON Lines line, in UTF-16 code units (default 2 MiB); longer lines are skipped unread. */
  maxLineLength?: number;
}

const DEFAULT_BATCH = 1000;
const DEFAULT_MAX_ERRORS = 1000;
const DEFAULT_MAX_LINE = 2 * 1024 * 1024;

/**
 * Streams papers out of an import file. See the module comment for formats.
 * Throws ImportFormatError for whole-file problems (before any batch), the signal's reason on abort.
 * Always yields at least one batch (the last one carries the final progress), unless it throws first.
 */
export async function* readPapers(
  stream: ReadableStream<Uint8Array>,
  opts: ReadPapersOptions = {},
): AsyncGenerator<ImportBatch> {
  const signal = opts.signal;
  signal?.throwIfAborted();
  const collector = new Collector(
    Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH)),
    Math.max(0, opts.maxErrors ?? DEFAULT_MAX_ERRORS),
    opts.totalBytes ?? null,
  );
  const raw = new ByteSource(stream, signal);
  let source = raw;
  try {
    let head = await readHead(raw);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      raw.unshift(head);
      source = gunzip(raw, signal);
      head = await readGzipHead(source, signal);
    }
    const { format, skip } = detectFormat(head);
    source.unshift(head.subarray(skip));
    const bytesRead = () => raw.bytesRead;
    // Lines are decoded as soon as they are read; gzip and the JSON parser hold on to chunks.
    if (format === 'jsonl' && source === raw) raw.reuseBuffer();
    if (format === 'jsonl') yield* readJsonLines(source, collector, bytesRead, opts.maxLineLength ?? DEFAULT_MAX_LINE);
    else yield* readJsonDocument(source, collector, bytesRead, format);
    yield collector.flush(raw.bytesRead);
  } finally {
    if (source !== raw) await source.close();
    await raw.close();
  }
}

/** gzip: decompress on the fly; progress keeps counting the compressed bytes read from `raw`. */
function gunzip(raw: ByteSource, signal: AbortSignal | undefined): ByteSource {
  if (typeof DecompressionStream === 'undefined') throw new ImportFormatError('This is a gzip file; decompress it first.');
  const compressed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await raw.next();
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new ByteSource(compressed.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>), signal, false);
}

/** A damaged gzip file fails on its first bytes: that is a whole-file problem, not a record's. */
async function readGzipHead(source: ByteSource, signal: AbortSignal | undefined): Promise<Uint8Array> {
  try {
    return await readHead(source);
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ImportFormatError(`This gzip file is damaged: ${(err as Error).message}`);
  }
}
