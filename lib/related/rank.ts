import type { Paper } from '../schema';
import { scoreTopics } from '../topics/tagger';
import { DocMajorPostings } from './doc-major';
import { layout } from './layout';
import { DEFAULT_RANKING, prepareRelated, type BuildOptions, type PreparedPaper, type RelatedHit, type RelatedOptions, type RelatedQuery } from './options';
import { related } from './score';
import { deserializeStore, disposeStore, memoryBytes, serializeStore, type SerializedRelatedIndex } from './serialize';
import { RelatedStore } from './store';
import { DEFAULT_HASH_BITS, termBagOf } from './tfidf';
import { addPapers, compact, removeIds } from './update';

/**
 * Related papers: one index, built once from `Paper[]`, for 300 or 100,000 papers. This file is its public face;
 * the work is done in rooms of one job each:
 *
 * - `options.ts`: the query, the hit, build and ranking options; `prepareRelated` (tokens and topic tags, computed
 *   once by the caller and shared with the search index).
 * - `store.ts`: the state, all typed arrays (structured-clone/IndexedDB friendly): an inverted index over hashed
 *   terms (unigrams, bigrams, acronyms), per term bucket the docs and their title-boosted term frequencies (varint
 *   doc gaps through the shared codec `lib/util/varint.ts`, and a tf byte; plus a small append-only delta for
 *   incremental adds); per doc the L2 norm of its TF-IDF vector, year, up to 4 topic tags, author-name hashes,
 *   id/title keys; the LSA fold-in matrix for the ~20k most useful terms and a k-dim Int8 unit vector per doc.
 * - Build: `doc-major.ts` holds a bulk load's postings doc after doc; `layout.ts` lays them out term-major at the
 *   end, with norms and the LSA (randomized truncated SVD, `lsa.ts`, fitted on an evenly spread sample of at most
 *   `lsaSampleDocs` papers); terms seen in a single paper are dropped from 20k papers on. `update.ts`: incremental
 *   adds, removals, compaction.
 * - Score: `query.ts` (the query's term vector and topics), `score.ts` (candidates and full scores).
 * - Explain: `explain.ts` (shared terms and the reason line).
 * - Store: `serialize.ts` (the stored form).
 */

export type { BuildOptions, PreparedPaper, RelatedHit, RelatedOptions, RelatedQuery } from './options';
export type { SerializedRelatedIndex } from './serialize';
export { DEFAULT_RANKING, prepareRelated } from './options';
export { DocMajorPostings } from './doc-major';

/**
 * Bulk construction: pages of papers in, one layout at the end. Postings are kept doc-major (`DocMajorPostings`)
 * while pages arrive (no per-doc maps), then counting-sorted into the term-major index.
 */
export class RelatedIndexBuilder {
  private readonly store: RelatedStore;
  private postings = new DocMajorPostings();
  private finished = false;

  /** @internal */
  constructor(private readonly options: BuildOptions) {
    // No term tables yet (8 MB at the default 20 bits): `layout` makes them, so they do not sit through a bulk load.
    this.store = new RelatedStore(options.bits ?? DEFAULT_HASH_BITS, { ...DEFAULT_RANKING, ...options.ranking }, false);
    if (this.store.bits > 24) throw new Error('RelatedIndexBuilder: at most 24 hash bits (postings pack a bucket and a tf in 32 bits)');
  }

  /** Adds a page (a later copy of an id replaces the earlier one). `prepared[i]` belongs to `papers[i]`. */
  add(papers: readonly Paper[], prepared?: readonly PreparedPaper[]): this {
    if (this.finished) throw new Error('RelatedIndexBuilder: already finished');
    const store = this.store;
    for (let i = 0; i < papers.length; i++) {
      const p = papers[i]!;
      const prep = prepared?.[i] ?? prepareRelated(p);
      const d = store.appendDoc(p, prep.tags, prep.profile);
      this.postings.addDoc(d, termBagOf(prep.tokens, p.title, p.abstract, store.bits).tf);
    }
    return this;
  }

  finish(): RelatedIndex {
    if (this.finished) throw new Error('RelatedIndexBuilder: already finished');
    this.finished = true;
    layout(this.store, this.postings, this.options);
    this.postings.dispose();
    return new RelatedIndex(this.store);
  }
}

export class RelatedIndex {
  /** @internal */
  constructor(private readonly store: RelatedStore) {}

  get bits(): number {
    return this.store.bits;
  }

  get ranking(): RelatedOptions {
    return this.store.ranking;
  }

  set ranking(ranking: RelatedOptions) {
    this.store.ranking = ranking;
  }

  /** Number of live papers. */
  get size(): number {
    return this.store.size;
  }

  /** Whether the semantic (LSA) component was built. */
  get hasSemantic(): boolean {
    return this.store.lsa !== null;
  }

  /** Builds from pages: `RelatedIndex.builder().add(page, prepared).add(…).finish()`. */
  static builder(options: BuildOptions = {}): RelatedIndexBuilder {
    return new RelatedIndexBuilder(options);
  }

  static build(papers: readonly Paper[], options: BuildOptions = {}, prepared?: readonly PreparedPaper[]): RelatedIndex {
    return RelatedIndex.builder(options).add(papers, prepared).finish();
  }

  /** Adds (or replaces, by id) papers without rebuilding: postings go to a delta merged on compaction. */
  add(papers: readonly Paper[], prepared?: readonly PreparedPaper[]): void {
    addPapers(this.store, papers, prepared);
  }

  /** Removes papers by id (they stop appearing at once; space is reclaimed on compaction). */
  remove(ids: readonly string[]): void {
    removeIds(this.store, ids);
  }

  /** Merges the delta into the main postings, drops removed papers and refreshes statistics. */
  compact(): void {
    compact(this.store);
  }

  /**
   * Papers related to `query`, best first (ties by id), at most k, never the query paper itself
   * (same id, same arXiv id or same normalized title), and none below the similarity floor.
   */
  related(query: RelatedQuery, k = 10, override: Partial<RelatedOptions> = {}): RelatedHit[] {
    return related(this.store, query, k, override);
  }

  /**
   * Frees the index's arrays at once (see `release`): for an index that has been written and is dropped, whose
   * serialized form is no longer needed either. The index must not be used after.
   */
  dispose(): void {
    disposeStore(this.store);
  }

  /**
   * The index in its stored form. Arrays that are exactly full are shared, not copied (at 100k papers copies would
   * add some 80 MB at the moment of writing): clone the result at once, as IndexedDB's put does.
   */
  serialize(): SerializedRelatedIndex {
    return serializeStore(this.store);
  }

  static deserialize(s: SerializedRelatedIndex): RelatedIndex {
    return new RelatedIndex(deserializeStore(s));
  }

  /** Approximate bytes held by the index's arrays (for the 100k budget). */
  memoryBytes(): number {
    return memoryBytes(this.store);
  }
}

// Re-exported for callers that want the raw topic evidence next to related papers.
export { scoreTopics };
