import { PROFILE_TOPICS } from '../topics/tagger';
import { IdTable } from '../util/id-table';
import { release, type TypedArray } from '../util/typed-array';
import { DEFAULT_RANKING, type RelatedOptions } from './options';
import { exact, MAX_TOPICS, RelatedStore } from './store';
import { compact } from './update';

/** The related index's stored form (IndexedDB cache), shared with the live arrays where they are exactly full. */

// 3: topic profiles per doc (an older cache is foreign and rebuilt).
const FORMAT = 'margin-related/3';

/** Everything needed to restore an index without re-reading any text. Typed arrays survive IndexedDB as they are. */
export interface SerializedRelatedIndex {
  format: typeof FORMAT;
  bits: number;
  n: number;
  ids: string[];
  arxivIds: Array<string | null>;
  titleKeys: Float64Array;
  years: Int16Array;
  topics: Uint8Array;
  topicConf: Uint8Array;
  profTopics: Uint8Array;
  profWeights: Uint8Array;
  authorStart: Uint32Array;
  authorKeys: Uint32Array;
  norms: Float32Array;
  /** Non-empty term buckets, ascending, with their posting counts and the byte length of their postings. */
  terms: Uint32Array;
  termCounts: Uint32Array;
  termBytes: Uint32Array;
  /** Postings, term after term: per posting a varint doc gap (first gap from doc 0) then a tf byte. */
  postings: Uint8Array;
  lsa: null | { k: number; termBuckets: Uint32Array; termVecs: Float32Array; docVecs: Int8Array; docScale: Float32Array };
  ranking: RelatedOptions;
}

/**
 * Frees the index's arrays at once (see `release`): for an index that has been written and is dropped, whose
 * serialized form is no longer needed either. The index must not be used after.
 */
export function disposeStore(s: RelatedStore): void {
  release(s.titleKeys, s.years, s.alive, s.topics, s.topicConf, s.profTopics, s.profWeights, s.authorStart, s.authorKeys, s.norms);
  release(s.df, s.termStart, s.post, s.scratch, s.sims, s.slot);
  if (s.lsa) release(s.lsa.termBuckets, s.lsa.termVecs, s.lsa.docVecs, s.lsa.docScale);
  s.lsa = null;
}

/**
 * The index in its stored form. Arrays that are exactly full are shared, not copied (at 100k papers copies would
 * add some 80 MB at the moment of writing): clone the result at once, as IndexedDB's put does.
 */
export function serializeStore(s: RelatedStore): SerializedRelatedIndex {
  // Nothing to merge or drop right after a build: compacting anyway would copy every array once more.
  if (s.removed > 0 || s.deltaSize > 0) compact(s);
  const buckets = s.termStart.length - 1;
  let nonEmpty = 0;
  for (let b = 0; b < buckets; b++) if (s.termStart[b + 1]! > s.termStart[b]!) nonEmpty++;
  const terms = new Uint32Array(nonEmpty);
  const termCounts = new Uint32Array(nonEmpty);
  const termBytes = new Uint32Array(nonEmpty);
  let j = 0;
  for (let b = 0; b < buckets; b++) {
    const c = s.termStart[b + 1]! - s.termStart[b]!;
    if (c > 0) {
      terms[j] = b;
      termCounts[j] = s.df[b]!;
      termBytes[j++] = c;
    }
  }
  return {
    format: FORMAT,
    bits: s.bits,
    n: s.n,
    ids: [...s.ids],
    arxivIds: [...s.arxivIds],
    titleKeys: exact(s.titleKeys, s.n),
    years: exact(s.years, s.n),
    topics: exact(s.topics, s.n * MAX_TOPICS),
    topicConf: exact(s.topicConf, s.n * MAX_TOPICS),
    profTopics: exact(s.profTopics, s.n * PROFILE_TOPICS),
    profWeights: exact(s.profWeights, s.n * PROFILE_TOPICS),
    authorStart: exact(s.authorStart, s.n + 1),
    authorKeys: exact(s.authorKeys, s.authorCount),
    norms: exact(s.norms, s.n),
    terms,
    termCounts,
    termBytes,
    postings: s.post,
    lsa: s.lsa
      ? {
          k: s.lsa.k,
          termBuckets: s.lsa.termBuckets,
          termVecs: s.lsa.termVecs,
          docVecs: exact(s.lsa.docVecs, s.n * s.lsa.k),
          docScale: exact(s.lsa.docScale, s.n),
        }
      : null,
    ranking: { ...s.ranking },
  };
}

export function deserializeStore(s: SerializedRelatedIndex): RelatedStore {
  if (!s || s.format !== FORMAT) throw new Error(`unknown related-index format: ${String(s?.format)}`);
  // Structured clone (IndexedDB) hands back fresh typed arrays: adopt them instead of copying.
  const own = <T extends TypedArray>(a: unknown, ctor: { new (n: number): T; from(x: ArrayLike<number>): T }, name: string): T => {
    if (a instanceof (ctor as unknown as typeof Uint8Array)) return a as unknown as T;
    if (ArrayBuffer.isView(a)) return ctor.from(a as unknown as ArrayLike<number>);
    throw new Error(`related index: ${name} is not binary`);
  };
  const index = new RelatedStore(s.bits, { ...DEFAULT_RANKING, ...s.ranking });
  index.n = s.n;
  index.ids = s.ids;
  index.arxivIds = s.arxivIds;
  index.idToDoc = IdTable.of(s.ids);
  index.titleKeys = own(s.titleKeys, Float64Array, 'titleKeys');
  index.years = own(s.years, Int16Array, 'years');
  index.alive = new Uint8Array(s.n).fill(1);
  index.topics = own(s.topics, Uint8Array, 'topics');
  index.topicConf = own(s.topicConf, Uint8Array, 'topicConf');
  index.profTopics = own(s.profTopics, Uint8Array, 'profTopics');
  index.profWeights = own(s.profWeights, Uint8Array, 'profWeights');
  if (index.profTopics.length !== s.n * PROFILE_TOPICS || index.profWeights.length !== s.n * PROFILE_TOPICS) throw new Error('related index: topic profile lengths differ');
  index.authorStart = own(s.authorStart, Uint32Array, 'authorStart');
  index.authorKeys = own(s.authorKeys, Uint32Array, 'authorKeys');
  index.authorCount = s.authorKeys.length;
  index.norms = own(s.norms, Float32Array, 'norms');
  const terms = own(s.terms, Uint32Array, 'terms');
  const termCounts = own(s.termCounts, Uint32Array, 'termCounts');
  const termBytes = own(s.termBytes, Uint32Array, 'termBytes');
  if (termCounts.length !== terms.length || termBytes.length !== terms.length) throw new Error('related index: term table lengths differ');
  const buckets = index.termStart.length - 1;
  for (let i = 0; i < terms.length; i++) {
    const b = terms[i]!;
    if (b >= buckets) throw new Error('related index: term bucket out of range');
    index.termStart[b + 1] = termBytes[i]!;
    index.df[b] = termCounts[i]!;
    index.postCount += termCounts[i]!;
  }
  for (let b = 0; b < buckets; b++) index.termStart[b + 1]! += index.termStart[b]!;
  index.post = own(s.postings, Uint8Array, 'postings');
  if (index.post.length !== index.termStart[buckets]) throw new Error('related index: postings lengths differ');
  for (let d = 0; d < s.n; d++) if (index.years[d]! > index.maxYear) index.maxYear = index.years[d]!;
  if (s.lsa) {
    const termBuckets = own(s.lsa.termBuckets, Uint32Array, 'lsa.termBuckets');
    const rowOf = new Map<number, number>();
    for (let j = 0; j < termBuckets.length; j++) rowOf.set(termBuckets[j]!, j);
    index.lsa = {
      k: s.lsa.k,
      termBuckets,
      rowOf,
      termVecs: own(s.lsa.termVecs, Float32Array, 'lsa.termVecs'),
      docVecs: own(s.lsa.docVecs, Int8Array, 'lsa.docVecs'),
      docScale: own(s.lsa.docScale, Float32Array, 'lsa.docScale'),
    };
  }
  return index;
}

/** Approximate bytes held by the index's arrays (for the 100k budget). */
export function memoryBytes(s: RelatedStore): number {
  let bytes = s.df.byteLength + s.termStart.byteLength + s.post.byteLength;
  bytes += s.titleKeys.byteLength + s.years.byteLength + s.alive.byteLength + s.topics.byteLength + s.topicConf.byteLength;
  bytes += s.profTopics.byteLength + s.profWeights.byteLength;
  bytes += s.authorStart.byteLength + s.authorKeys.byteLength + s.norms.byteLength + s.scratch.byteLength + s.sims.byteLength;
  if (s.lsa) bytes += s.lsa.termVecs.byteLength + s.lsa.docVecs.byteLength + s.lsa.docScale.byteLength + s.lsa.termBuckets.byteLength + s.lsa.rowOf.size * 40;
  bytes += s.ids.reduce((sum, id) => sum + 2 * id.length + 40, 0) * 2;
  return bytes;
}
