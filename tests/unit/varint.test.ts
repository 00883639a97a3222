import { describe, expect, it } from 'vitest';
import { gapsSize, lastOfGaps, MAX_VARINT, readGaps, readVarint, varintSize, writeGaps, writeVarint } from '../../lib/util/varint';

function roundTrip(v: number): { back: number; bytes: number; pos: number } {
  const buf = new Uint8Array(8);
  const end = writeVarint(buf, 0, v);
  const cur = { pos: 0 };
  return { back: readVarint(buf, cur), bytes: end, pos: cur.pos };
}

describe('varint codec', () => {
  it('round trips values at every byte-length boundary, in as many bytes as varintSize says', () => {
    const values = [0, 1, 127, 128, 255, 16_383, 16_384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 30 + 12_345, MAX_VARINT];
    for (const v of values) {
      const { back, bytes, pos } = roundTrip(v);
      expect(back, `value ${v}`).toBe(v);
      expect(bytes, `size of ${v}`).toBe(varintSize(v));
      expect(pos, `cursor after ${v}`).toBe(bytes);
    }
    expect([0, 127, 128, 16_383, 16_384, 2 ** 28 - 1, 2 ** 28].map(varintSize)).toEqual([1, 1, 2, 2, 3, 4, 5]);
  });

  it('writes the documented little-endian 7-bit groups (the stored index format)', () => {
    const buf = new Uint8Array(4);
    expect(writeVarint(buf, 1, 300)).toBe(3);
    expect([...buf]).toEqual([0, 0xac, 0x02, 0]);
  });

  it('reads consecutive values with one cursor, each from where the last ended', () => {
    const values = [5, 0, 128, 2 ** 28 + 3, 127];
    const buf = new Uint8Array(values.reduce((s, v) => s + varintSize(v), 0));
    let at = 0;
    for (const v of values) at = writeVarint(buf, at, v);
    expect(at).toBe(buf.length);
    const cur = { pos: 0 };
    expect(values.map(() => readVarint(buf, cur))).toEqual(values);
    expect(cur.pos).toBe(buf.length);
  });

  it('truncated input leaves the cursor past the end, so a validating reader can tell', () => {
    const buf = new Uint8Array(4);
    const end = writeVarint(buf, 0, 2 ** 20);
    const cut = buf.subarray(0, end - 1);
    const cur = { pos: 0 };
    readVarint(cut, cur);
    expect(cur.pos).toBeGreaterThan(cut.length);
    const whole = { pos: 0 };
    expect(readVarint(buf.subarray(0, end), whole)).toBe(2 ** 20);
    expect(whole.pos).toBe(end);
  });
});

describe('delta-coded postings', () => {
  it('round trip ascending doc lists, slices of a larger array included', () => {
    const docs = Uint32Array.from([0, 3, 4, 130, 131, 20_000, 20_001, 2 ** 29, MAX_VARINT]);
    for (const [from, to] of [[0, docs.length], [2, 6], [4, 4]] as const) {
      const size = gapsSize(docs, from, to);
      const buf = new Uint8Array(size + 2);
      expect(writeGaps(buf, 1, docs, from, to)).toBe(1 + size);
      const out = new Uint32Array(to - from);
      const cur = { pos: 1 };
      readGaps(buf, cur, to - from, out);
      expect([...out]).toEqual([...docs.subarray(from, to)]);
      expect(cur.pos).toBe(1 + size);
      const walk = { pos: 1 };
      expect(lastOfGaps(buf, walk, to - from)).toBe(to > from ? docs[to - 1]! : 0);
      expect(walk.pos).toBe(1 + size);
    }
  });

  it('store gaps, not values: a dense list takes one byte a posting', () => {
    const docs = Uint32Array.from({ length: 100 }, (_, i) => 1_000_000 + i);
    // The first gap is from 0 (three bytes), the other 99 are 1.
    expect(gapsSize(docs, 0, docs.length)).toBe(3 + 99);
  });
});
