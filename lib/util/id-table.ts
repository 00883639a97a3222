import { hash53 } from '../text/normalize';

const EMPTY = -1;
const DELETED = -2;

/**
 * Doc numbers by id, for an index that keeps its ids in an array (`ids[doc]`): an open-addressing table of doc numbers
 * in an `Int32Array`, each compared against `ids[doc]`. The caller stores a doc's id in `ids` before `set`, and makes a
 * new table whenever it replaces the array.
 *
 * Why not a `Map<string, number>`: at 100k papers each index's map held ~3.5 MB of the worker's heap, and the tables
 * it outgrew as much again in garbage; V8 sizes its old generation at a multiple of what lives there. This table is
 * 1 MB outside the heap.
 */
export class IdTable {
  private slots = new Int32Array(16).fill(EMPTY);
  /** Slots holding a doc or a tombstone (probes stop only at empty ones). */
  private filled = 0;
  private live = 0;

  constructor(private readonly ids: readonly string[]) {}

  /** A table of every doc in `ids` (a later copy of an id wins). */
  static of(ids: readonly string[]): IdTable {
    const table = new IdTable(ids);
    for (let doc = 0; doc < ids.length; doc++) table.set(ids[doc]!, doc);
    return table;
  }

  get size(): number {
    return this.live;
  }

  get(id: string): number | undefined {
    const at = this.find(id);
    return at < 0 ? undefined : this.slots[at];
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  /** Points `id` at `doc` (`ids[doc]` must already be `id`). */
  set(id: string, doc: number): void {
    const at = this.find(id);
    if (at >= 0) {
      this.slots[at] = doc;
      return;
    }
    if ((this.filled + 1) * 2 > this.slots.length) this.resize(Math.max(16, 2 ** Math.ceil(Math.log2((this.live + 1) * 4))));
    const mask = this.slots.length - 1;
    let i = hash53(id) & mask;
    while (this.slots[i]! >= 0) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.filled++;
    this.slots[i] = doc;
    this.live++;
  }

  delete(id: string): void {
    const at = this.find(id);
    if (at < 0) return;
    this.slots[at] = DELETED;
    this.live--;
  }

  private find(id: string): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = hash53(id) & mask; ; i = (i + 1) & mask) {
      const doc = slots[i]!;
      if (doc === EMPTY) return -1;
      if (doc >= 0 && this.ids[doc] === id) return i;
    }
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.filled = 0;
    this.live = 0;
    const mask = capacity - 1;
    for (const doc of old) {
      if (doc < 0) continue;
      let i = hash53(this.ids[doc]!) & mask;
      while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
      this.slots[i] = doc;
      this.filled++;
      this.live++;
    }
  }
}
