import { describe, expect, it } from 'vitest';
import { IdTable } from '../../lib/util/id-table';
import { mulberry32 } from '../../lib/util/random';

describe('IdTable', () => {
  it('answers as a Map does through adds, replacements, removals and growth', () => {
    const rand = mulberry32(42);
    const ids: string[] = [];
    const table = new IdTable(ids);
    const map = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const id = `2401.${String(Math.floor(rand() * 3000)).padStart(5, '0')}`;
      const op = rand();
      if (op < 0.6) {
        // A new doc for the id (a first copy, or one that replaces the earlier doc).
        ids.push(id);
        table.set(id, ids.length - 1);
        map.set(id, ids.length - 1);
      } else if (op < 0.85) {
        table.delete(id);
        map.delete(id);
      } else {
        expect(table.get(id)).toBe(map.get(id));
        expect(table.has(id)).toBe(map.has(id));
      }
    }
    expect(table.size).toBe(map.size);
    for (const [id, doc] of map) expect(table.get(id)).toBe(doc);
    expect(table.get('not-an-id')).toBeUndefined();
    // Rebuilt from the array: a later copy of an id wins.
    const rebuilt = IdTable.of(ids);
    for (let doc = 0; doc < ids.length; doc++) expect(rebuilt.get(ids[doc]!)).toBe(ids.lastIndexOf(ids[doc]!));
  });
});
