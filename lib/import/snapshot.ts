import { Tokenizer, TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json';
import type { Paper } from '../schema';
import { recordToPaper } from './records';

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
 */

export interface ImportProgress {
  /** Bytes read from the input stream (compressed bytes for a .gz file, matching `File.size`). */
  bytesRead: number;
  totalBytes: number | null;
  /** Records met (non-blank lines / array elements) = accepted + skipped + duplicates. */
  records: number;
  accepted: number;
  skipped: number;
  /** Records whose id was already accepted earlier in the same file (the first one is kept). */
  duplicates: number;
}

export interface ImportError {
  /** 1-based line number for JSON Lines; 1-based record index for JSON arrays and Margin corpora. */
  line: number;
  reason: string;
}

export interface ImportBatch {
  papers: Paper[];
  progress: ImportProgress;
  /** Errors found since the previous batch. */
  errors: ImportError[];
}

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

/** A whole-file problem: empty, binary, UTF-16, compressed in an unsupported way, unknown JSON shape. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

export type ImportFormat = 'jsonl' | 'json-array' | 'margin';

const DEFAULT_BATCH = 1000;
const DEFAULT_MAX_ERRORS = 1000;
const DEFAULT_MAX_LINE = 2 * 1024 * 1024;
/** How many leading bytes are looked at to recognise the format. */
const SNIFF_BYTES = 4096;
/** Largest slice handed to the streaming JSON parser at once, bounding the records queued per write. */
const PARSER_SLICE = 64 * 1024;
const MAX_REASON = 300;

/** Reads chunks from a stream, counting bytes and turning an abort into a prompt cancel. */
class ByteSource {
  bytesRead = 0;
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private pushedBack: Uint8Array[] = [];
  /** Set by `reuseBuffer`: the reader that fills `buffer` on every read. */
  private byob: { reader: ReadableStreamBYOBReader; buffer: ArrayBuffer } | null = null;
  private done = false;
  private readonly onAbort = () => {
    void (this.byob?.reader ?? this.reader).cancel().catch(() => undefined);
  };

  constructor(
    private readonly stream: ReadableStream<Uint8Array>,
    private readonly signal: AbortSignal | undefined,
    private readonly countBytes = true,
  ) {
    this.reader = stream.getReader();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * From now on every chunk is read into the same buffer, so a chunk is only valid until the next call of `next`
   * (the caller must consume it at once, as the JSON Lines reader does by decoding it). A file's default reader
   * hands out a new 64 KB chunk per read: 164 MB of them, garbage that the options page collected late, briefly
   * raising the import's memory by some 80 MB. A stream that cannot be read into a buffer keeps its default reader.
   */
  reuseBuffer(bytes = 256 * 1024): void {
    if (this.byob || this.done) return;
    this.reader.releaseLock();
    try {
      this.byob = { reader: this.stream.getReader({ mode: 'byob' }), buffer: new ArrayBuffer(bytes) };
    } catch {
      this.reader = this.stream.getReader();
    }
  }

  async next(): Promise<Uint8Array | null> {
    this.signal?.throwIfAborted();
    const back = this.pushedBack.shift();
    if (back) return back;
    if (this.done) return null;
    for (;;) {
      const { value, done } = this.byob ? await this.byob.reader.read(new Uint8Array(this.byob.buffer)) : await this.reader.read();
      // A read transfers the buffer it fills: the next one fills the transferred one.
      if (this.byob && value) this.byob.buffer = value.buffer as ArrayBuffer;
      this.signal?.throwIfAborted();
      if (done) {
        this.done = true;
        return null;
      }
      if (!(value instanceof Uint8Array)) throw new ImportFormatError('The file stream did not yield bytes.');
      if (value.byteLength === 0) continue;
      if (this.countBytes) this.bytesRead += value.byteLength;
      return value;
    }
  }

  unshift(chunk: Uint8Array): void {
    if (chunk.byteLength > 0) this.pushedBack.unshift(chunk);
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    const reader = this.byob?.reader ?? this.reader;
    if (!this.done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Reads up to SNIFF_BYTES (or to the end) for format detection; the bytes are pushed back afterwards. */
async function readHead(source: ByteSource): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const chunk = await source.next();
    if (!chunk) break;
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  return chunks.length ? concat(chunks) : new Uint8Array(0);
}

function looksLikeUtf16(head: Uint8Array): boolean {
  // ASCII text in UTF-16 without a BOM: every other byte is zero.
  const n = Math.min(head.byteLength, 64) & ~1;
  if (n < 4) return false;
  const printable = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0 && printable(head[i + 1]!)) evenZero++;
    if (head[i + 1] === 0 && printable(head[i]!)) oddZero++;
  }
  const pairs = n / 2;
  return evenZero / pairs > 0.8 || oddZero / pairs > 0.8;
}

/**
 * Whole-file checks and format detection on the first bytes. Returns the format and how many leading
 * bytes (a BOM) to drop. Throws ImportFormatError for files that cannot be imported at all.
 */
export function detectFormat(head: Uint8Array): { format: ImportFormat; skip: number } {
  if (head.byteLength === 0) throw new ImportFormatError('The file is empty.');
  const b0 = head[0];
  const b1 = head[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksLikeUtf16(head)) {
    throw new ImportFormatError('UTF-16 files are not supported; save the file as UTF-8.');
  }
  if (b0 === 0x50 && b1 === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new ImportFormatError('This is a ZIP archive; extract the .json/.jsonl file from it and import that.');
  }
  let i = b0 === 0xef && b1 === 0xbb && head[2] === 0xbf ? 3 : 0;
  const skip = i;
  while (i < head.byteLength && isWhitespace(head[i]!)) i++;
  if (i >= head.byteLength) {
    throw new ImportFormatError(head.byteLength >= SNIFF_BYTES ? 'The file starts with 4 KB of blank space; it is not a JSON/JSONL file.' : 'The file is empty.');
  }
  const first = head[i];
  if (first === 0x5b /* [ */) return { format: 'json-array', skip };
  if (first === 0x7b /* { */) {
    const text = new TextDecoder().decode(head.subarray(i, i + 512));
    return { format: /^\{\s*"(?:version|papers)"\s*:/.test(text) ? 'margin' : 'jsonl', skip };
  }
  const binary = head.subarray(0, 512).some((b) => b === 0 || (b < 0x20 && !isWhitespace(b)));
  throw new ImportFormatError(
    binary
      ? 'This is a binary file, not a JSON/JSONL file.'
      : `This is not a JSON/JSONL file: it should start with "{" or "[", but starts with ${JSON.stringify(new TextDecoder().decode(head.subarray(i, i + 20)))}.`,
  );
}

function clip(reason: string): string {
  return reason.length > MAX_REASON ? reason.slice(0, MAX_REASON) + '…' : reason;
}

/** Counters, the pending batch and the error budget shared by the format readers. */
class Collector {
  papers: Paper[] = [];
  errors: ImportError[] = [];
  records = 0;
  accepted = 0;
  skipped = 0;
  duplicates = 0;
  sinceYield = 0;
  private reported = 0;
  /** New-style ids as small integers (a 2.7M-record snapshot stays at tens of MB); others as strings. */
  private seen = new Set<number | string>();

  constructor(
    readonly batchSize: number,
    private readonly maxErrors: number,
    private readonly totalBytes: number | null,
  ) {}

  error(line: number, reason: string): void {
    if (this.reported < this.maxErrors) this.errors.push({ line, reason: clip(reason) });
    this.reported++;
  }

  /** A record that failed before becoming a paper (bad JSON, too long, …). */
  reject(line: number, reason: string): void {
    this.records++;
    this.sinceYield++;
    this.skipped++;
    this.error(line, reason);
  }

  take(value: unknown, line: number): void {
    const result = recordToPaper(value);
    if (!result.ok) return this.reject(line, result.reason);
    this.records++;
    this.sinceYield++;
    const key = dedupeKey(result.paper.id);
    if (this.seen.has(key)) {
      this.duplicates++;
      return;
    }
    this.seen.add(key);
    this.accepted++;
    this.papers.push(result.paper);
  }

  get ready(): boolean {
    return this.papers.length >= this.batchSize || this.sinceYield >= this.batchSize;
  }

  flush(bytesRead: number): ImportBatch {
    const batch: ImportBatch = {
      papers: this.papers,
      errors: this.errors,
      progress: {
        bytesRead,
        totalBytes: this.totalBytes,
        records: this.records,
        accepted: this.accepted,
        skipped: this.skipped,
        duplicates: this.duplicates,
      },
    };
    this.papers = [];
    this.errors = [];
    this.sinceYield = 0;
    return batch;
  }
}

function dedupeKey(id: string): number | string {
  // 0704.0001 / 2401.01234 → yymm·200000 + (5-digit ? 100000 : 0) + number: distinct, and a V8 small integer.
  if (id.length === 9 || id.length === 10) {
    const m = /^(\d{4})\.(\d{4,5})$/.exec(id);
    if (m) return Number(m[1]) * 200000 + (m[2]!.length === 5 ? 100000 : 0) + Number(m[2]);
  }
  return id;
}

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
      // gzip: decompress on the fly; progress keeps counting the compressed bytes read.
      if (typeof DecompressionStream === 'undefined') throw new ImportFormatError('This is a gzip file; decompress it first.');
      raw.unshift(head);
      const compressed = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await raw.next();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      });
      source = new ByteSource(compressed.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>), signal, false);
      try {
        head = await readHead(source);
      } catch (err) {
        if (signal?.aborted) throw err;
        throw new ImportFormatError(`This gzip file is damaged: ${(err as Error).message}`);
      }
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

/** JSON Lines: decode incrementally, split on "\n", JSON.parse each line (native and fast). */
async function* readJsonLines(
  source: ByteSource,
  collector: Collector,
  bytesRead: () => number,
  maxLine: number,
): AsyncGenerator<ImportBatch> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let lineNo = 0;
  /** Pieces of the current, unfinished line. */
  let parts: string[] = [];
  let partLength = 0;
  /** Set while skipping the rest of an over-long line. */
  let overLong = false;
  let firstRecord = true;

  const handle = (line: string, mayHaveBadUtf8: boolean): void => {
    lineNo++;
    if (overLong || line.length > maxLine) {
      overLong = false;
      collector.reject(lineNo, `line is too long (over ${formatSize(maxLine)}); skipped`);
      firstRecord = false;
      return;
    }
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    let start = 0;
    while (start < line.length && isBlank(line.charCodeAt(start))) start++;
    if (start === line.length) return; // blank line
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      if (firstRecord && !line.trimEnd().endsWith('}')) {
        // A pretty-printed JSON object (or other non-line-delimited JSON) starts with a line that is not JSON.
        throw new ImportFormatError(
          `This file starts with a JSON object but is neither JSON Lines (one paper per line, e.g. the arXiv metadata snapshot) nor a Margin corpus export ({"version": …, "papers": [...]}): line ${lineNo} is not valid JSON.`,
        );
      }
      const truncated = /end of (JSON )?input|Unterminated/i.test((err as Error).message);
      collector.reject(lineNo, `not valid JSON${truncated ? ' (the line is cut short)' : ''}: ${(err as Error).message}`);
      return;
    }
    if (firstRecord) {
      firstRecord = false;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const keys = Object.keys(value);
        if (!keys.some((k) => k === 'id' || k === 'title' || k === 'arxivId')) {
          throw new ImportFormatError(
            `This file is a JSON object that is neither an arXiv metadata snapshot line nor a Margin corpus export ({"version": …, "papers": [...]}); its keys are: ${keys.slice(0, 8).join(', ') || '(none)'}.`,
          );
        }
      }
    }
    if (mayHaveBadUtf8 && line.indexOf('\ufffd') >= 0) {
      collector.reject(lineNo, 'the line is not valid UTF-8 (was the file saved as Latin-1 / Windows-1252?)');
      return;
    }
    collector.take(value, lineNo);
  };

  const feed = function* (text: string): Generator<ImportBatch> {
    // The decoder turns invalid UTF-8 into U+FFFD: look for it per line only when this text has one.
    const badUtf8 = text.indexOf('\ufffd') >= 0;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      let line = text.slice(from, nl);
      const joined = parts.length > 0;
      if (joined) {
        parts.push(line);
        line = parts.join('');
        parts = [];
        partLength = 0;
      }
      from = nl + 1;
      handle(line, badUtf8 || joined);
      if (collector.ready) yield collector.flush(bytesRead());
    }
    if (from < text.length) {
      if (overLong) return;
      const rest = from === 0 ? text : text.slice(from);
      partLength += rest.length;
      if (partLength > maxLine) {
        // Drop what was gathered and skip to the next newline: memory stays bounded by maxLine.
        overLong = true;
        parts = [];
        partLength = 0;
      } else parts.push(rest);
    }
  };

  for (;;) {
    const chunk = await source.next();
    if (!chunk) break;
    yield* feed(decoder.decode(chunk, { stream: true }));
  }
  yield* feed(decoder.decode() + '\n');
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 0xfeff;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * A JSON array of records, or a Margin corpus `{version, papers: [...]}`, streamed with @streamparser/json:
 * only the element being parsed is in memory. A syntax error ends the import there (JSON has no way to
 * resynchronise); it is reported against the record where it happened, and the records before it are kept.
 */
async function* readJsonDocument(
  source: ByteSource,
  collector: Collector,
  bytesRead: () => number,
  format: 'json-array' | 'margin',
): AsyncGenerator<ImportBatch> {
  const queue: unknown[] = [];
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: [format === 'margin' ? '$.papers.*' : '$.*'], keepStack: false });
  parser.onValue = ({ value }) => {
    queue.push(value);
  };
  let failure: Error | null = null;
  tokenizer.onError = (err) => {
    failure ??= err;
  };
  parser.onError = (err) => {
    failure ??= err;
  };

  // Token-level bookkeeping: where "papers" is, whether the top-level value is complete, how many elements began.
  let depth = 0;
  let expectKey = false;
  let lastKey: string | null = null;
  let afterColon = false;
  let papersState: 'absent' | 'open' | 'closed' = 'absent';
  let papersDepth = -1;
  let topClosed = false;
  let elementsStarted = 0;
  /** After "[" or "," of the record list: a failure now belongs to the next record. */
  let betweenElements = false;
  const containerDepth = format === 'margin' ? 2 : 1;
  tokenizer.onToken = (info: ParsedTokenInfo) => {
    const { token } = info;
    const inElementList = format === 'json-array' ? depth === 1 : papersState === 'open' && depth === papersDepth;
    if (inElementList) {
      if (token === TokenType.COMMA) betweenElements = true;
      else if (token !== TokenType.RIGHT_BRACKET) {
        elementsStarted++;
        betweenElements = false;
      }
    }
    if (format === 'margin' && depth === 1) {
      if (expectKey && token === TokenType.STRING) {
        lastKey = info.value as string;
        expectKey = false;
      } else if (token === TokenType.COLON) afterColon = true;
      else if (afterColon) {
        afterColon = false;
        if (lastKey === 'papers') {
          if (token !== TokenType.LEFT_BRACKET) {
            failure ??= new ImportFormatError(`"papers" must be an array of papers, but it is ${tokenName(token)}.`);
          } else {
            papersState = 'open';
            papersDepth = containerDepth;
          }
        }
      } else if (token === TokenType.COMMA) expectKey = true;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      if (token === TokenType.LEFT_BRACKET && (format === 'json-array' ? depth === 0 : papersState === 'open' && depth === 1)) {
        betweenElements = true;
      }
      depth++;
      if (depth === 1 && token === TokenType.LEFT_BRACE) expectKey = true;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      depth--;
      if (papersState === 'open' && depth === 1) papersState = 'closed';
      if (depth === 0) topClosed = true;
    } else if (depth === 0 && topClosed && token !== TokenType.SEPARATOR) {
      failure ??= new Error('unexpected data after the end of the JSON document');
    }
    if (!failure) parser.write(info);
  };

  let recordIndex = 0;
  const drain = function* (): Generator<ImportBatch> {
    for (let i = 0; i < queue.length; i++) {
      recordIndex++;
      collector.take(queue[i], recordIndex);
      queue[i] = undefined;
      if (collector.ready) yield collector.flush(bytesRead());
    }
    queue.length = 0;
  };

  const failedRecord = () => (betweenElements ? elementsStarted + 1 : Math.max(1, elementsStarted));
  const describeFailure = (err: Error): string => {
    const where = `record ${failedRecord()}`;
    if (err instanceof ImportFormatError) return err.message;
    if (/ended in mid-parsing|ended|end of input/i.test(err.message)) {
      return `the file ends in the middle of ${where} (truncated JSON?); the records before it were read`;
    }
    const pos = /absolute position "?(\d+)"?/.exec(err.message);
    return `invalid JSON in ${where}${pos ? ` at byte ${pos[1]}` : ''}: ${err.message.replace(/ at chunk position.*$/, '')}; reading stopped here`;
  };

  outer: for (;;) {
    const chunk = await source.next();
    if (!chunk) break;
    for (let at = 0; at < chunk.byteLength; at += PARSER_SLICE) {
      try {
        tokenizer.write(chunk.subarray(at, at + PARSER_SLICE));
      } catch (err) {
        failure ??= err as Error;
      }
      yield* drain();
      if (failure) break outer;
    }
  }
  if (!failure) {
    try {
      tokenizer.end();
    } catch (err) {
      failure ??= err as Error;
    }
    if (!failure && !tokenizer.isEnded) failure = new Error('ended in mid-parsing');
  }
  yield* drain();
  if (failure) {
    const f: Error = failure;
    if (f instanceof ImportFormatError && collector.records === 0) throw f;
    if (topClosed) {
      collector.error(Math.max(1, elementsStarted), `unexpected data after the end of the JSON ${format === 'margin' ? 'object' : 'array'}; ignored`);
    } else {
      collector.error(failedRecord(), describeFailure(f));
      collector.skipped++;
      collector.records++;
    }
    return;
  }
  if (format === 'margin' && papersState === 'absent') {
    throw new ImportFormatError('This JSON object has no "papers" array, so it is not a Margin corpus export ({"version": …, "papers": [...]}).');
  }
}

function tokenName(token: TokenType): string {
  switch (token) {
    case TokenType.LEFT_BRACE:
      return 'an object';
    case TokenType.STRING:
      return 'a string';
    case TokenType.NUMBER:
      return 'a number';
    case TokenType.TRUE:
    case TokenType.FALSE:
      return 'a boolean';
    case TokenType.NULL:
      return 'null';
    default:
      return 'not an array';
  }
}
