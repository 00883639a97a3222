import { ImportFormatError } from './batch';

/** How many leading bytes are looked at to recognise the format. */
export const SNIFF_BYTES = 4096;

/** Reads chunks from a stream, counting bytes and turning an abort into a prompt cancel. */
export class ByteSource {
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

/** Reads up to SNIFF_BYTES (or to the end) for format detection; the bytes are pushed back afterwards. */
export async function readHead(source: ByteSource): Promise<Uint8Array> {
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
