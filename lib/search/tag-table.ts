import { grow } from '../util/typed-array';


/**
 * Every doc's tags, as numbers into one dictionary, in two flat arrays: doc d's are `list[start[d] .. start[d + 1])`.
 * At 100k papers most tag lists are combinations of their own; as frozen string arrays (plus the map that interned
 * them) they took some 13 MB of the worker's heap, and a serialize cloned 100k arrays.
 */
export class TagTable {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private start: Uint32Array = new Uint32Array(64);
  private list: Uint16Array = new Uint16Array(256);
  private docs = 0;

  static from(names: string[], start: Uint32Array, list: Uint16Array): TagTable {
    const table = new TagTable();
    table.docs = start.length - 1;
    table.start = start;
    table.list = list;
    table.addNames(names);
    return table;
  }

  private addNames(names: readonly string[]): void {
    names.forEach((name, i) => {
      this.names.push(name);
      this.ids.set(name, i);
    });
  }

  /** The tag's number, -1 for a tag no doc has. */
  id(tag: string): number {
    return this.ids.get(tag) ?? -1;
  }

  /** Appends the next doc's tags. */
  push(tags: readonly string[]): void {
    const at = this.start[this.docs]!;
    this.list = grow(this.list, at + tags.length);
    let n = at;
    for (const tag of tags) {
      let id = this.ids.get(tag);
      if (id === undefined) {
        id = this.names.length;
        if (id > 0xffff) throw new Error('SearchIndex: more than 65,536 distinct tags');
        this.ids.set(tag, id);
        this.names.push(tag);
      }
      this.list[n++] = id;
    }
    this.start = grow(this.start, this.docs + 2);
    this.start[++this.docs] = n;
  }

  has(doc: number, tag: number): boolean {
    for (let i = this.start[doc]!, e = this.start[doc + 1]!; i < e; i++) if (this.list[i] === tag) return true;
    return false;
  }

  /** The tags of the docs `keep` accepts, in order (a compaction). */
  filter(keep: (doc: number) => boolean): TagTable {
    const out = new TagTable();
    for (let d = 0; d < this.docs; d++) {
      if (!keep(d)) continue;
      const at = out.start[out.docs]!;
      const n = this.start[d + 1]! - this.start[d]!;
      out.list = grow(out.list, at + n);
      out.list.set(this.list.subarray(this.start[d]!, this.start[d + 1]!), at);
      out.start = grow(out.start, out.docs + 2);
      out.start[++out.docs] = at + n;
    }
    out.addNames(this.names);
    return out;
  }

  serialize(): SerializedTags {
    return { names: [...this.names], start: this.start.slice(0, this.docs + 1), list: this.list.slice(0, this.start[this.docs]!) };
  }
}

export interface SerializedTags {
  names: string[];
  start: Uint32Array;
  list: Uint16Array;
}

export function tagTable(v: unknown, docs: number, fail: (why: string) => never): TagTable {
  const o = (v ?? {}) as Partial<Record<keyof SerializedTags, unknown>>;
  const { names, start, list } = o;
  if (!Array.isArray(names) || !names.every((x) => typeof x === 'string') || !(start instanceof Uint32Array) || !(list instanceof Uint16Array)) fail('tags');
  const s = start as Uint32Array;
  const l = list as Uint16Array;
  if (s.length !== docs + 1 || s[0] !== 0 || s[docs] !== l.length) fail('tags lengths differ');
  for (let d = 0; d < docs; d++) if (s[d + 1]! < s[d]!) fail('tags not in order');
  for (let i = 0; i < l.length; i++) if (l[i]! >= (names as string[]).length) fail('tag out of range');
  return TagTable.from(names as string[], s, l);
}

/** Caches written before version 3 kept each doc's tags as a list of strings. */
export function tagsOfVersion2(v: unknown, docs: number, fail: (why: string) => never): TagTable {
  if (!Array.isArray(v) || v.length !== docs || !v.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))) fail('tags');
  const table = new TagTable();
  for (const tags of v as string[][]) table.push(tags);
  return table;
}
