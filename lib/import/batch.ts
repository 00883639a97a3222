import type { Paper } from '../schema';
import { recordToPaper } from './records';

/**
 * What every import format reader produces: batches of papers with running progress and per-record errors.
 * One Collector is shared by the readers so counting, de-duplication and the error budget behave alike
 * whatever the file's format.
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

/** A whole-file problem: empty, binary, UTF-16, compressed in an unsupported way, unknown JSON shape. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

/** An error quotes the parser, which may echo a whole line: clip it so the error list stays readable. */
const MAX_REASON = 300;

function clip(reason: string): string {
  return reason.length > MAX_REASON ? reason.slice(0, MAX_REASON) + '…' : reason;
}

/** Counters, the pending batch and the error budget shared by the format readers. */
export class Collector {
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
