import { ImportFormatError, type Collector, type ImportBatch } from './batch';
import type { ByteSource } from './byte-source';

/**
 * JSON Lines (the arXiv metadata snapshot's format): decode incrementally, split on "\n", JSON.parse each line
 * (native and fast). Errors carry 1-based line numbers; a line longer than the limit is skipped unread so memory
 * stays bounded however the file is broken.
 */
export async function* readJsonLines(
  source: ByteSource,
  collector: Collector,
  bytesRead: () => number,
  maxLine: number,
): AsyncGenerator<ImportBatch> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const splitter = new LineSplitter(collector, bytesRead, maxLine);
  for (;;) {
    const chunk = await source.next();
    if (!chunk) break;
    yield* splitter.feed(decoder.decode(chunk, { stream: true }));
  }
  yield* splitter.feed(decoder.decode() + '\n');
}

/** Joins decoded text into lines across chunk boundaries and hands each line's record to the collector. */
class LineSplitter {
  private lineNo = 0;
  /** Pieces of the current, unfinished line. */
  private parts: string[] = [];
  private partLength = 0;
  /** Set while skipping the rest of an over-long line. */
  private overLong = false;
  private firstRecord = true;

  constructor(
    private readonly collector: Collector,
    private readonly bytesRead: () => number,
    private readonly maxLine: number,
  ) {}

  *feed(text: string): Generator<ImportBatch> {
    // The decoder turns invalid UTF-8 into U+FFFD: look for it per line only when this text has one.
    const badUtf8 = text.indexOf('\ufffd') >= 0;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      let line = text.slice(from, nl);
      const joined = this.parts.length > 0;
      if (joined) {
        this.parts.push(line);
        line = this.parts.join('');
        this.parts = [];
        this.partLength = 0;
      }
      from = nl + 1;
      this.handle(line, badUtf8 || joined);
      if (this.collector.ready) yield this.collector.flush(this.bytesRead());
    }
    if (from < text.length) this.keepUnfinished(from === 0 ? text : text.slice(from));
  }

  private keepUnfinished(rest: string): void {
    if (this.overLong) return;
    this.partLength += rest.length;
    if (this.partLength > this.maxLine) {
      // Drop what was gathered and skip to the next newline: memory stays bounded by maxLine.
      this.overLong = true;
      this.parts = [];
      this.partLength = 0;
    } else this.parts.push(rest);
  }

  private handle(line: string, mayHaveBadUtf8: boolean): void {
    const lineNo = ++this.lineNo;
    if (this.overLong || line.length > this.maxLine) {
      this.overLong = false;
      this.collector.reject(lineNo, `line is too long (over ${formatSize(this.maxLine)}); skipped`);
      this.firstRecord = false;
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
      this.rejectUnparsable(line, err as Error);
      return;
    }
    if (this.firstRecord) {
      this.firstRecord = false;
      assertRecordShape(value);
    }
    if (mayHaveBadUtf8 && line.indexOf('\ufffd') >= 0) {
      this.collector.reject(lineNo, 'the line is not valid UTF-8 (was the file saved as Latin-1 / Windows-1252?)');
      return;
    }
    this.collector.take(value, lineNo);
  }

  private rejectUnparsable(line: string, err: Error): void {
    if (this.firstRecord && !line.trimEnd().endsWith('}')) {
      // A pretty-printed JSON object (or other non-line-delimited JSON) starts with a line that is not JSON.
      throw new ImportFormatError(
        `This file starts with a JSON object but is neither JSON Lines (one paper per line, e.g. the arXiv metadata snapshot) nor a Margin corpus export ({"version": …, "papers": [...]}): line ${this.lineNo} is not valid JSON.`,
      );
    }
    const truncated = /end of (JSON )?input|Unterminated/i.test(err.message);
    this.collector.reject(this.lineNo, `not valid JSON${truncated ? ' (the line is cut short)' : ''}: ${err.message}`);
  }
}

/** The first record decides whether the file is an import at all: some other JSON Lines file is refused whole. */
function assertRecordShape(value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const keys = Object.keys(value);
  if (!keys.some((k) => k === 'id' || k === 'title' || k === 'arxivId')) {
    throw new ImportFormatError(
      `This file is a JSON object that is neither an arXiv metadata snapshot line nor a Margin corpus export ({"version": …, "papers": [...]}); its keys are: ${keys.slice(0, 8).join(', ') || '(none)'}.`,
    );
  }
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 0xfeff;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
