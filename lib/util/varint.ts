/**
 * The posting codec of the search and related indexes: LEB128-style variable-length integers and delta-coded
 * (gap) lists of ascending numbers. Plain functions over a `Uint8Array` and an offset: the decoders sit in the
 * hottest loops of a query, so they allocate nothing per value and stay small enough for V8 to inline.
 *
 * Values from 0 to 2^31 - 1 round trip (doc numbers and bucket gaps; five bytes at most). Decoding reads 32-bit
 * integers: larger values do not come back.
 */

/** Largest value `writeVarint` / `readVarint` round trip. */
export const MAX_VARINT = 0x7fffffff;

/** A read position in a byte array, advanced by the decoders (one per loop, not per value). */
export interface ByteCursor {
  pos: number;
}

export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Writes `v` at `at`; returns the position after it. */
export function writeVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/**
 * Reads the varint at `cur.pos` and moves `cur.pos` past it. Truncated input (the buffer ends inside a varint)
 * gives the bits read so far and leaves `cur.pos` beyond `buf.length`, which is how a caller that validates input
 * tells it from a whole value.
 */
export function readVarint(buf: Uint8Array, cur: ByteCursor): number {
  let p = cur.pos;
  let x = buf[p++]!;
  let v = x & 0x7f;
  for (let shift = 7; x & 0x80; shift += 7) {
    x = buf[p++]!;
    v |= (x & 0x7f) << shift;
  }
  cur.pos = p;
  return v;
}

/** Bytes the gaps of ascending `values[from .. to)` take (the first gap is from 0). */
export function gapsSize(values: ArrayLike<number>, from: number, to: number): number {
  let prev = 0;
  let size = 0;
  for (let i = from; i < to; i++) {
    size += varintSize(values[i]! - prev);
    prev = values[i]!;
  }
  return size;
}

/** Writes ascending `values[from .. to)` as varint gaps (the first from 0) at `at`; returns the position after. */
export function writeGaps(buf: Uint8Array, at: number, values: ArrayLike<number>, from: number, to: number): number {
  let prev = 0;
  for (let i = from; i < to; i++) {
    at = writeVarint(buf, at, values[i]! - prev);
    prev = values[i]!;
  }
  return at;
}

/** Reads `count` gaps from `cur` back into ascending values, written to `out` from index 0. */
export function readGaps(buf: Uint8Array, cur: ByteCursor, count: number, out: Uint32Array): void {
  let d = 0;
  for (let i = 0; i < count; i++) {
    d += readVarint(buf, cur);
    out[i] = d;
  }
}

/** Reads `count` gaps from `cur` and returns the last value they add up to (0 for none): walks a list whole. */
export function lastOfGaps(buf: Uint8Array, cur: ByteCursor, count: number): number {
  let d = 0;
  for (let i = 0; i < count; i++) d += readVarint(buf, cur);
  return d;
}
