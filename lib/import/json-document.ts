import { Tokenizer, TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json';
import { ImportFormatError, type Collector, type ImportBatch } from './batch';
import type { ByteSource } from './byte-source';

/** Largest slice handed to the streaming JSON parser at once, bounding the records queued per write. */
const PARSER_SLICE = 64 * 1024;

type DocumentFormat = 'json-array' | 'margin';

/**
 * A JSON array of records, or a Margin corpus `{version, papers: [...]}`, streamed with @streamparser/json:
 * only the element being parsed is in memory. A syntax error ends the import there (JSON has no way to
 * resynchronise); it is reported against the record where it happened, and the records before it are kept.
 */
export async function* readJsonDocument(
  source: ByteSource,
  collector: Collector,
  bytesRead: () => number,
  format: DocumentFormat,
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
  const tracker = new RecordListTracker(format);
  tokenizer.onToken = (info: ParsedTokenInfo) => {
    failure ??= tracker.see(info);
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
    // Called first: ending may also report through onError, and that earlier report wins.
    const ended = endOfInput(tokenizer);
    failure ??= ended;
  }
  yield* drain();
  if (failure) return reportFailure(failure, collector, tracker, format);
  if (format === 'margin' && tracker.papersState === 'absent') {
    throw new ImportFormatError('This JSON object has no "papers" array, so it is not a Margin corpus export ({"version": …, "papers": [...]}).');
  }
}

/** The tokenizer only notices a truncated document when told the input ended. */
function endOfInput(tokenizer: Tokenizer): Error | null {
  try {
    tokenizer.end();
  } catch (err) {
    return err as Error;
  }
  return tokenizer.isEnded ? null : new Error('ended in mid-parsing');
}

/** A whole-file problem before any record is thrown; otherwise the failure becomes the last record's error. */
function reportFailure(failure: Error, collector: Collector, tracker: RecordListTracker, format: DocumentFormat): void {
  if (failure instanceof ImportFormatError && collector.records === 0) throw failure;
  if (tracker.topClosed) {
    collector.error(Math.max(1, tracker.elementsStarted), `unexpected data after the end of the JSON ${format === 'margin' ? 'object' : 'array'}; ignored`);
  } else {
    collector.error(tracker.failedRecord(), describeFailure(failure, tracker.failedRecord()));
    collector.skipped++;
    collector.records++;
  }
}

function describeFailure(err: Error, record: number): string {
  const where = `record ${record}`;
  if (err instanceof ImportFormatError) return err.message;
  if (/ended in mid-parsing|ended|end of input/i.test(err.message)) {
    return `the file ends in the middle of ${where} (truncated JSON?); the records before it were read`;
  }
  const pos = /absolute position "?(\d+)"?/.exec(err.message);
  return `invalid JSON in ${where}${pos ? ` at byte ${pos[1]}` : ''}: ${err.message.replace(/ at chunk position.*$/, '')}; reading stopped here`;
}

/**
 * Token-level bookkeeping the streaming parser does not offer: where "papers" is, whether the top-level value is
 * complete, and how many elements began, so an error can name the record it happened in.
 */
class RecordListTracker {
  papersState: 'absent' | 'open' | 'closed' = 'absent';
  topClosed = false;
  elementsStarted = 0;
  private depth = 0;
  private expectKey = false;
  private lastKey: string | null = null;
  private afterColon = false;
  private papersDepth = -1;
  /** After "[" or "," of the record list: a failure now belongs to the next record. */
  private betweenElements = false;

  constructor(private readonly format: DocumentFormat) {}

  failedRecord(): number {
    return this.betweenElements ? this.elementsStarted + 1 : Math.max(1, this.elementsStarted);
  }

  /** Follows one token; returns the failure it reveals, if any. */
  see(info: ParsedTokenInfo): Error | null {
    const { token } = info;
    const inElementList = this.format === 'json-array' ? this.depth === 1 : this.papersState === 'open' && this.depth === this.papersDepth;
    if (inElementList) this.countElement(token);
    const keyFailure = this.format === 'margin' && this.depth === 1 ? this.followTopLevelKeys(info) : null;
    return this.followNesting(token) ?? keyFailure;
  }

  private countElement(token: TokenType): void {
    if (token === TokenType.COMMA) this.betweenElements = true;
    else if (token !== TokenType.RIGHT_BRACKET) {
      this.elementsStarted++;
      this.betweenElements = false;
    }
  }

  /** In a Margin corpus: finds the value of "papers" and checks that it is an array. */
  private followTopLevelKeys(info: ParsedTokenInfo): Error | null {
    const { token } = info;
    if (this.expectKey && token === TokenType.STRING) {
      this.lastKey = info.value as string;
      this.expectKey = false;
    } else if (token === TokenType.COLON) this.afterColon = true;
    else if (this.afterColon) {
      this.afterColon = false;
      if (this.lastKey === 'papers') {
        if (token !== TokenType.LEFT_BRACKET) return new ImportFormatError(`"papers" must be an array of papers, but it is ${tokenName(token)}.`);
        this.papersState = 'open';
        this.papersDepth = 2;
      }
    } else if (token === TokenType.COMMA) this.expectKey = true;
    return null;
  }

  private followNesting(token: TokenType): Error | null {
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      const opensRecordList = this.format === 'json-array' ? this.depth === 0 : this.papersState === 'open' && this.depth === 1;
      if (token === TokenType.LEFT_BRACKET && opensRecordList) this.betweenElements = true;
      this.depth++;
      if (this.depth === 1 && token === TokenType.LEFT_BRACE) this.expectKey = true;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      this.depth--;
      if (this.papersState === 'open' && this.depth === 1) this.papersState = 'closed';
      if (this.depth === 0) this.topClosed = true;
    } else if (this.depth === 0 && this.topClosed && token !== TokenType.SEPARATOR) {
      return new Error('unexpected data after the end of the JSON document');
    }
    return null;
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
