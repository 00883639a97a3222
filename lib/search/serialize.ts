import { lastOfGaps } from '../util/varint';
import { FIELD_COUNT } from './fields';
import type { Segment } from './segment';
import { tagsOfVersion2, tagTable, type SerializedTags, type TagTable } from './tag-table';

/** The search index's stored form (IndexedDB cache), and its validation on the way back. */

const FORMAT = 'margin-search-index';
/** 2: doc numbers gap-encoded (varint) with per-term byte offsets. 3: tags as a `TagTable` (2 is still read). */
const VERSION = 3;

type Bytes = ArrayBuffer | ArrayBufferView;

export interface SerializedSearchIndex {
  format: typeof FORMAT;
  version: typeof VERSION;
  ids: string[];
  /** Int16 years, 0 = unknown. Binary fields are typed arrays (ArrayBuffers in caches written before). */
  years: Bytes;
  /** Version 2: each doc's tag list. */
  tags: SerializedTags | string[][];
  avgFieldLength: number[];
  addedDocs: number;
  /** Sorted dictionary joined with "\n" (terms never contain whitespace). */
  terms: string;
  starts: Bytes;
  /** Uint32 byte offsets of each term's doc gaps in `docs`. */
  docStarts: Bytes;
  /** Varint doc-number gaps, term after term. */
  docs: Bytes;
  weights: Bytes;
}

/** What a stored index holds: the doc table and one compacted segment. */
export interface StoredSearchIndex {
  ids: string[];
  years: number[];
  tags: TagTable;
  avg: number[];
  addedDocs: number;
  main: Segment;
}

/** The stored form; its arrays are the segment's own (segments are never changed in place). */
export function encodeSearchIndex(x: StoredSearchIndex): SerializedSearchIndex {
  return {
    format: FORMAT,
    version: VERSION,
    ids: [...x.ids],
    years: Int16Array.from(x.years),
    tags: x.tags.serialize(),
    avgFieldLength: [...x.avg],
    addedDocs: x.addedDocs,
    terms: x.main.terms.join('\n'),
    starts: x.main.starts,
    docStarts: x.main.docStarts,
    docs: x.main.docs,
    weights: x.main.weights,
  };
}

/** Reads a stored index back; throws on a malformed or foreign value (the caller then rebuilds). */
export function decodeSearchIndex(s: unknown): StoredSearchIndex {
  const fail = (why: string): never => {
    throw new Error(`not a serialized search index: ${why}`);
  };
  if (!s || typeof s !== 'object') fail('not an object');
  const o = s as Record<string, unknown>;
  if (o.format !== FORMAT) fail('wrong format');
  if (o.version !== VERSION && o.version !== 2) fail(`unsupported version ${String(o.version)}`);
  const buf = (v: unknown, name: string): ArrayBuffer => {
    if (v instanceof ArrayBuffer) return v;
    // A view of a whole buffer (what a clone of `serialize()` gives back) is adopted, not copied.
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) return v.buffer;
    if (ArrayBuffer.isView(v)) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
    return fail(`${name} is not binary`);
  };
  if (!Array.isArray(o.ids) || !o.ids.every((x) => typeof x === 'string')) fail('ids');
  if (typeof o.terms !== 'string') fail('terms');
  const avg = o.avgFieldLength;
  if (!Array.isArray(avg) || avg.length !== FIELD_COUNT || !avg.every((x) => typeof x === 'number' && x > 0)) fail('avgFieldLength');
  const ids = o.ids as string[];
  const years = new Int16Array(buf(o.years, 'years'));
  const starts = new Uint32Array(buf(o.starts, 'starts'));
  const docStarts = new Uint32Array(buf(o.docStarts, 'docStarts'));
  const docs = new Uint8Array(buf(o.docs, 'docs'));
  const weights = new Uint8Array(buf(o.weights, 'weights'));
  const terms = o.terms === '' ? [] : (o.terms as string).split('\n');
  const tags = o.version === 2 ? tagsOfVersion2(o.tags, ids.length, fail) : tagTable(o.tags, ids.length, fail);
  if (years.length !== ids.length) fail('doc table lengths differ');
  if (starts.length !== terms.length + 1 || starts[0] !== 0 || starts[terms.length] !== weights.length) fail('postings lengths differ');
  if (docStarts.length !== terms.length + 1 || docStarts[0] !== 0 || docStarts[terms.length] !== docs.length) fail('doc bytes lengths differ');
  for (let i = 0; i < terms.length; i++) {
    if (starts[i + 1]! < starts[i]! || docStarts[i + 1]! < docStarts[i]! || (i > 0 && !(terms[i - 1]! < terms[i]!))) fail('dictionary not sorted');
  }
  // Every term's gaps must decode to exactly its postings, all below the doc count.
  const cur = { pos: 0 };
  for (let i = 0; i < terms.length; i++) {
    cur.pos = docStarts[i]!;
    const d = lastOfGaps(docs, cur, starts[i + 1]! - starts[i]!);
    if (cur.pos !== docStarts[i + 1] || (starts[i + 1]! > starts[i]! && d >= ids.length)) fail('posting out of range');
  }
  if (new Set(ids).size !== ids.length) fail('duplicate ids');
  return {
    ids: [...ids],
    years: Array.from(years),
    tags,
    avg: [...(avg as number[])],
    addedDocs: typeof o.addedDocs === 'number' ? o.addedDocs : ids.length,
    main: { terms, starts, docStarts, docs, weights },
  };
}
