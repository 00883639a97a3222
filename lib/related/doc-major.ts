import { grow, release } from '../util/typed-array';
import { readVarint, writeVarint } from '../util/varint';
import { MAX_TF } from './store';

const CHUNK_SHIFT = 20;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

/**
 * A bulk build's postings, doc after doc, in byte chunks of 2^20 (growing never copies, and nothing is reserved
 * beyond the last chunk). A doc's buckets are stored ascending, each as a varint of (gap << 1 | tf > 1) followed by
 * the tf when it is above 1: about 2.3 bytes a posting at 100k papers, where packed 32-bit words took 4 (56 MB).
 */
export class DocMajorPostings {
  readonly chunks: Uint8Array[] = [];
  /** Doc d's bytes are [docStart[d], docStart[d + 1]). */
  docStart = new Uint32Array(1024);
  size = 0;
  /** `decode` writes a doc's postings here. */
  buckets = new Uint32Array(256);
  tfs = new Uint8Array(256);
  private packed = new Uint32Array(256);
  /** One doc's bytes: encoded before they go to the chunks, or read back when they straddle two. */
  private bytes = new Uint8Array(1536);
  private readonly cursor = { pos: 0 };
  /** Chunks before this one have been released (see `releaseBefore`). */
  private released = 0;

  /** Appends doc `d` (the next one) from its bag of bucket → tf. */
  addDoc(d: number, bag: ReadonlyMap<number, number>): void {
    if (this.packed.length < bag.size) {
      this.packed = new Uint32Array(bag.size * 2);
      this.buckets = new Uint32Array(bag.size * 2);
      this.tfs = new Uint8Array(bag.size * 2);
    }
    // At most 5 varint bytes and a tf byte a posting.
    if (this.bytes.length < bag.size * 6) this.bytes = new Uint8Array(bag.size * 12);
    let n = 0;
    for (const [b, tf] of bag) this.packed[n++] = (b << 8) | (tf > MAX_TF ? MAX_TF : tf);
    const entries = this.packed.subarray(0, n).sort();
    const bytes = this.bytes;
    let at = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const b = entries[i]! >>> 8;
      const tf = entries[i]! & 0xff;
      at = writeVarint(bytes, at, ((b - prev) << 1) | (tf > 1 ? 1 : 0));
      if (tf > 1) bytes[at++] = tf;
      prev = b;
    }
    this.append(bytes, at);
    this.docStart = grow(this.docStart, d + 2);
    this.docStart[d + 1] = this.size;
  }

  /** Appends `bytes[0 .. length)` across chunks. */
  private append(bytes: Uint8Array, length: number): void {
    for (let i = 0; i < length; ) {
      const c = this.size >>> CHUNK_SHIFT;
      if (c === this.chunks.length) this.chunks.push(new Uint8Array(1 << CHUNK_SHIFT));
      const offset = this.size & CHUNK_MASK;
      const take = Math.min(length - i, (1 << CHUNK_SHIFT) - offset);
      this.chunks[c]!.set(bytes.subarray(i, i + take), offset);
      this.size += take;
      i += take;
    }
  }

  /** Frees the chunks that hold only docs before `d`, for a last pass in doc order (the bytes of a doc lost here read as nothing). */
  releaseBefore(d: number): void {
    const keep = this.docStart[d]! >>> CHUNK_SHIFT;
    while (this.released < keep) release(this.chunks[this.released++]);
  }

  /** Frees every buffer; the postings are empty after. */
  dispose(): void {
    release(...this.chunks, this.docStart, this.buckets, this.tfs, this.packed, this.bytes);
    this.chunks.length = 0;
  }

  /** Decodes doc `d` into `buckets` and `tfs`; returns how many postings it has. */
  decode(d: number): number {
    const { buckets, tfs } = this;
    const s = this.docStart[d]!;
    const e = this.docStart[d + 1]!;
    if (e === s) return 0;
    // A doc's bytes are read from its chunk, or from a copy when they straddle two chunks.
    let src: Uint8Array;
    let j: number;
    if (s >>> CHUNK_SHIFT === (e - 1) >>> CHUNK_SHIFT) {
      src = this.chunks[s >>> CHUNK_SHIFT]!;
      j = s & CHUNK_MASK;
    } else {
      src = this.straddling(s, e);
      j = 0;
    }
    const end = j + (e - s);
    const cur = this.cursor;
    cur.pos = j;
    let n = 0;
    let b = 0;
    while (cur.pos < end) {
      const v = readVarint(src, cur);
      b += v >>> 1;
      buckets[n] = b;
      tfs[n] = v & 1 ? src[cur.pos++]! : 1;
      n++;
    }
    return n;
  }

  /** Bytes [s, e) copied out of the chunks they straddle. */
  private straddling(s: number, e: number): Uint8Array {
    if (this.bytes.length < e - s) this.bytes = new Uint8Array(e - s);
    for (let p = s; p < e; ) {
      const offset = p & CHUNK_MASK;
      const take = Math.min(e - p, (1 << CHUNK_SHIFT) - offset);
      this.bytes.set(this.chunks[p >>> CHUNK_SHIFT]!.subarray(offset, offset + take), p - s);
      p += take;
    }
    return this.bytes;
  }
}
