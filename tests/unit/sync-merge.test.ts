import { describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../lib/schema';
import { editStamp, makeStamp } from '../../lib/sync/clock';
import { mergeRecords, recordKey } from '../../lib/sync/record';
import { mulberry32 } from '../../lib/util/random';

/** Records of one paper as browsers could hold them: saves, removals, statuses and notes from three devices. */
function randomRecord(rng: () => number): SyncRecord {
  const device = ['aaaa', 'bbbb', 'cccc'][Math.floor(rng() * 3)]!;
  const at = makeStamp(1_760_000_000_000 + Math.floor(rng() * 5) * 1000, 0, device);
  const notesVersion = Object.fromEntries(['aaaa', 'bbbb', 'cccc'].filter(() => rng() < 0.5).map((d) => [d, 1 + Math.floor(rng() * 3)]));
  if (rng() < 0.3) return { paperId: 'p', saved: false, savedAt: at, notesVersion };
  const notesAt = makeStamp(1_760_000_000_000 + Math.floor(rng() * 5) * 1000, 0, device);
  return {
    paperId: 'p',
    saved: true,
    savedAt: notesAt > at ? notesAt : at,
    status: (['to-read', 'reading', 'done'] as const)[Math.floor(rng() * 3)],
    statusAt: at,
    notes: ['', 'alpha', 'beta', 'alpha beta'][Math.floor(rng() * 4)],
    notesAt,
    notesVersion,
    addedAt: 1_700_000_000_000 + Math.floor(rng() * 10),
    title: 'A paper',
  };
}

describe('mergeRecords', () => {
  it('is commutative and idempotent: browsers that met the same records hold the same one', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 2000; i++) {
      const a = randomRecord(rng);
      const b = randomRecord(rng);
      const ab = mergeRecords(a, b);
      expect(recordKey(ab), JSON.stringify([a, b])).toBe(recordKey(mergeRecords(b, a)));
      expect(recordKey(mergeRecords(ab, a))).toBe(recordKey(ab));
      expect(recordKey(mergeRecords(ab, b))).toBe(recordKey(ab));
      expect(recordKey(mergeRecords(ab, ab))).toBe(recordKey(ab));
    }
  });

  it('never drops a non-empty note that the other side had not seen', () => {
    const rng = mulberry32(5);
    for (let i = 0; i < 2000; i++) {
      const a = randomRecord(rng);
      const b = randomRecord(rng);
      const merged = mergeRecords(a, b);
      for (const side of [a, b]) {
        const other = side === a ? b : a;
        const seen = Object.entries(side.notesVersion).every(([d, n]) => (other.notesVersion[d] ?? 0) >= n);
        if (side.saved && side.notes && !seen) expect(merged.notes ?? '', JSON.stringify([a, b])).toContain(side.notes);
      }
    }
  });
});

describe('edit stamps', () => {
  it('an edit is stamped after the value it replaced, even from a clock that is behind', () => {
    const seen = makeStamp(2_000_000, 4, 'aaaa');
    expect(editStamp(1_000_000, seen, 'bbbb') > seen).toBe(true);
    expect(editStamp(3_000_000, seen, 'bbbb')).toBe(makeStamp(3_000_000, 0, 'bbbb'));
  });
});
