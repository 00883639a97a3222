import type { TopicTag } from '../schema';
import { getMeta, type MarginDatabase } from '../db/database';
import { readIndexPart, writeIndexPart } from '../db/index-cache';
import { prepareRelated, RelatedIndex, type PreparedPaper, type RelatedHit, type RelatedIndexBuilder, type SerializedRelatedIndex } from '../related/rank';
import type { Paper } from '../schema';
import { SearchIndex, type SearchDoc, type SearchHit, type SearchOptions } from '../search/index';
import { clearTokenCaches } from '../text/tokenize';
import { TOPICS } from '../topics/taxonomy';

/**
 * Papers are read from IndexedDB in pages of this size, so building never holds the whole corpus at once. Pages of
 * 1,000 outlived two scavenges while being indexed, and their promotion to the old generation let the worker's heap
 * swell by some 60 MB at 100k papers. Smaller pages (20) did not do better: 2–6% of what indexing allocates still
 * survives each scavenge. A cursor, 100 papers a transaction, sometimes let only 0.1% survive and sometimes 6%, with
 * peaks within the run-to-run spread and a build 5 s slower. Reading the next page while indexing this one keeps the
 * time the same.
 */
const BUILD_PAGE = 100;
const PERSIST_DELAY_MS = 2000;
/** Papers tokenized and tagged together while building (see `EngineBuilder.addPage`). */
const PREPARE_BATCH = 32;

const TOPIC_LABEL = new Map(TOPICS.map((t) => [t.id, t.label] as const));

/** The search index's view of a paper; `tags` (from `prepareRelated`) saves tagging it a second time. */
export function searchDoc(paper: Paper, tags: readonly Pick<TopicTag, 'id'>[] = prepareRelated(paper).tags): SearchDoc {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    tags: tags.map((tag) => tag.id),
    tagLabels: tags.map((tag) => TOPIC_LABEL.get(tag.id) ?? tag.id),
    year: paper.year,
  };
}

export interface EngineTimings {
  source: 'cache' | 'built';
  ms: number;
  papers: number;
}

/** Where build time goes (ms): tokenizing + tagging once per paper, the search index, the related index. */
export interface BuildTimings {
  tag: number;
  search: number;
  related: number;
}

/**
 * Builds both indexes from pages of papers: each paper is tokenized and tagged once, and the tags
 * serve both indexes. Only one page of papers needs to be alive at a time.
 */
export class EngineBuilder {
  readonly timings: BuildTimings = { tag: 0, search: 0, related: 0 };
  private search: SearchIndex | null = new SearchIndex();
  private related: RelatedIndexBuilder | null = RelatedIndex.builder();

  addPage(page: readonly Paper[]): void {
    const { search, related } = this;
    if (!search || !related) throw new Error('EngineBuilder: already finished');
    // A few hundred papers at a time: their tokens (~200 objects a paper) then die young instead of a page's worth
    // being promoted to the old generation, which at 100k papers let the worker's heap swell to several hundred MB.
    for (let at = 0; at < page.length; at += PREPARE_BATCH) {
      const batch = page.slice(at, at + PREPARE_BATCH);
      let t = performance.now();
      const prepared: PreparedPaper[] = batch.map(prepareRelated);
      this.timings.tag += performance.now() - t;
      t = performance.now();
      search.addBulk(batch.map((p, i) => searchDoc(p, prepared[i]!.tags)));
      this.timings.search += performance.now() - t;
      t = performance.now();
      related.add(batch, prepared);
      this.timings.related += performance.now() - t;
    }
  }

  finish(loaded: Omit<EngineTimings, 'papers'> = { source: 'built', ms: 0 }): Engine {
    const search = this.finishSearch();
    const related = this.finishRelated();
    return Engine.of(search, related, { ...loaded, papers: search.size });
  }

  /**
   * The parts can be finished one after the other, each freed before the next (see `Engine.rebuild`, which finishes
   * the search index first): finishing takes more memory than either index keeps, and the two peaks then do not add up.
   */
  finishRelated(): RelatedIndex {
    if (!this.related) throw new Error('EngineBuilder: related index already finished');
    const t = performance.now();
    const related = this.related.finish();
    this.related = null;
    this.timings.related += performance.now() - t;
    if (!this.search) clearTokenCaches();
    return related;
  }

  finishSearch(): SearchIndex {
    if (!this.search) throw new Error('EngineBuilder: search index already finished');
    const t = performance.now();
    const search = this.search;
    search.finishBulk();
    this.search = null;
    this.timings.search += performance.now() - t;
    if (!this.related) clearTokenCaches();
    return search;
  }
}

type Part = 'search' | 'related';

export type BuildProgress = (indexed: number, total: number) => void;

/** Written with the indexes: lets a cold worker trust the cache without reading it. */
interface IndexStamp {
  revision: number;
  papers: number;
}

/**
 * The search and related-papers indexes for the whole corpus, kept in IndexedDB between
 * service-worker lives: a cold worker deserializes them instead of re-reading every paper,
 * and only the one it needs (a paper page needs the related index, the popup the search index).
 */
export class Engine {
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private readonly loading: Partial<Record<Part, Promise<void>>> = {};

  private constructor(
    private searchIndex: SearchIndex | null,
    private relatedIndex: RelatedIndex | null,
    readonly loaded: EngineTimings,
    /** Where the parts not yet in memory are read from. */
    private readonly cache: { db: MarginDatabase; revision: number } | null = null,
  ) {}

  /** @internal */
  static of(search: SearchIndex, related: RelatedIndex, loaded: EngineTimings): Engine {
    return new Engine(search, related, loaded);
  }

  /** Builds from pages of papers (see `Engine.load`; also used by the perf script). */
  static builder(): EngineBuilder {
    return new EngineBuilder();
  }

  /** Restores both indexes from their `serialize()` output (after a structured clone); throws on a foreign format. */
  static fromSerialized(search: unknown, related: unknown): Engine {
    const started = performance.now();
    const engine = new Engine(SearchIndex.deserialize(search), RelatedIndex.deserialize(related as SerializedRelatedIndex), { source: 'cache', ms: 0, papers: 0 });
    engine.loaded.ms = performance.now() - started;
    engine.loaded.papers = engine.size;
    return engine;
  }

  get size(): number {
    return this.searchIndex?.size ?? this.loaded.papers;
  }

  /** `onProgress` hears about a rebuild, page by page (papers indexed so far, papers in all). */
  static async load(db: MarginDatabase, onProgress?: BuildProgress): Promise<Engine> {
    const started = performance.now();
    const revision = (await getMeta<number>(db, 'corpusRevision')) ?? 0;
    const stamp = await getMeta<IndexStamp>(db, 'indexStamp');
    if (stamp?.revision === revision) {
      return new Engine(null, null, { source: 'cache', ms: performance.now() - started, papers: stamp.papers }, { db, revision });
    }
    const engine = await Engine.rebuild(db, revision, onProgress);
    engine.loaded.ms = performance.now() - started;
    return engine;
  }

  /** Every paper, page by page, into a builder. */
  private static async read(db: MarginDatabase, onProgress?: BuildProgress): Promise<EngineBuilder> {
    const builder = Engine.builder();
    const total = onProgress ? await db.papers.count() : 0;
    let done = 0;
    const after = (page: Paper[]) => db.papers.where('id').above(page[page.length - 1]!.id).limit(BUILD_PAGE).toArray();
    let page = await db.papers.orderBy('id').limit(BUILD_PAGE).toArray();
    while (page.length) {
      // The next page is read (in the browser's storage process) while this one is indexed.
      const next = page.length === BUILD_PAGE ? after(page) : Promise.resolve([]);
      next.catch(() => {}); // awaited below, unless indexing this page throws first
      builder.addPage(page);
      done += page.length;
      onProgress?.(done, Math.max(total, done));
      page = await next;
    }
    return builder;
  }

  /**
   * Builds both indexes from IndexedDB and persists them part by part: the search index is finished, written and
   * freed before the related index is finished and written, then that is freed too; each is read back when first
   * needed (a popup search, a paper page). Building takes several times the memory the indexes keep; done this way,
   * at 100k papers, the peaks of finishing and writing the two parts do not stack up, and the worker does not keep
   * ~100 MB of indexes after an import.
   */
  private static async rebuild(db: MarginDatabase, revision: number, onProgress?: BuildProgress): Promise<Engine> {
    const builder = await Engine.read(db, onProgress);
    const search = builder.finishSearch();
    const papers = search.size;
    const searchSaved = await Engine.write(db, revision, { search: search.serialize() });
    if (searchSaved) search.dispose();
    const related = builder.finishRelated();
    const relatedSaved = searchSaved && (await Engine.write(db, revision, { related: related.serialize() }, papers));
    if (relatedSaved) related.dispose();
    const loaded: EngineTimings = { source: 'built', ms: 0, papers };
    const engine = searchSaved ? new Engine(null, relatedSaved ? null : related, loaded, { db, revision }) : new Engine(search, related, loaded);
    // A part that could not be written (quota) stays in memory, and the next persist tries again.
    engine.dirty = !relatedSaved;
    return engine;
  }

  /** Loads one index from the cache on first use; a missing or foreign cache means a rebuild of both. */
  async ready(part: Part): Promise<void> {
    if (part === 'search' ? this.searchIndex : this.relatedIndex) return;
    const cache = this.cache;
    if (!cache) throw new Error('Engine: index not loaded');
    this.loading[part] ??= (async () => {
      try {
        const data = await readIndexPart(cache.db, part, cache.revision);
        if (data === null) throw new Error('stale index cache');
        if (part === 'search') this.searchIndex = SearchIndex.deserialize(data);
        else this.relatedIndex = RelatedIndex.deserialize(data as SerializedRelatedIndex);
      } catch {
        // Rare (a cache from another version, or damaged): rebuilt whole in memory, then written back.
        const rebuilt = (await Engine.read(cache.db)).finish();
        this.searchIndex = rebuilt.searchIndex;
        this.relatedIndex = rebuilt.relatedIndex;
        await this.persist(cache.db, cache.revision);
      }
    })();
    await this.loading[part];
  }

  async add(papers: Paper[]) {
    if (!papers.length) return;
    await this.ready('search');
    await this.ready('related');
    const prepared = papers.map(prepareRelated);
    this.searchIndex!.add(papers.map((p, i) => searchDoc(p, prepared[i]!.tags)));
    this.relatedIndex!.add(papers, prepared);
    this.dirty = true;
  }

  /** Writes the indexes back a little later, so a burst of browsed papers costs one write. */
  async persistSoon(db: MarginDatabase) {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      if (!this.dirty) return;
      getMeta<number>(db, 'corpusRevision')
        .then((revision) => this.persist(db, revision ?? 0))
        .catch(() => {
          // The database went away (closed or deleted): nothing to keep the cache for.
        });
    }, PERSIST_DELAY_MS);
  }

  /** Both indexes in their stored form (what `persist` writes). */
  serialize(): { search: unknown; related: unknown } {
    if (!this.searchIndex || !this.relatedIndex) throw new Error('Engine: index not loaded');
    return { search: this.searchIndex.serialize(), related: this.relatedIndex.serialize() };
  }

  async persist(db: MarginDatabase, revision: number) {
    this.dirty = false;
    // A part not in memory was written by the rebuild that let go of it; `add` loads both before anything changes.
    if (!this.searchIndex || !this.relatedIndex) return;
    // The serialized forms share the indexes' arrays (no copies); they are written in pieces.
    if (!(await Engine.write(db, revision, this.serialize(), this.size))) this.dirty = true;
  }

  /** Writes parts in one transaction, and the stamp that lets a cold worker trust them when `papers` is given; false when it failed. */
  private static async write(db: MarginDatabase, revision: number, parts: Partial<Record<Part, unknown>>, papers?: number): Promise<boolean> {
    try {
      await db.transaction('rw', db.indexCache, db.indexPieces, db.meta, async () => {
        for (const [part, value] of Object.entries(parts)) await writeIndexPart(db, part, revision, value);
        if (papers !== undefined) await db.meta.put({ key: 'indexStamp', value: { revision, papers } satisfies IndexStamp });
      });
      return true;
    } catch {
      // A cache that cannot be written (quota) only costs a rebuild on the next cold start.
      return false;
    }
  }

  /** Related papers; call `ready('related')` first. */
  related(paper: Paper, limit: number): RelatedHit[] {
    if (!this.relatedIndex) throw new Error('Engine: related index not loaded');
    return this.relatedIndex.related(
      { id: paper.id, arxivId: paper.arxivId, title: paper.title, abstract: paper.abstract, authors: paper.authors, year: paper.year, categories: paper.categories },
      limit,
    );
  }

  /** Search; call `ready('search')` first. */
  search(query: string, options: SearchOptions): SearchHit[] {
    if (!this.searchIndex) throw new Error('Engine: search index not loaded');
    return this.searchIndex.search(query, options);
  }
}

/** An import this small next to the corpus it joins is added to the current indexes; a larger one rebuilds them. */
const INCREMENTAL_MIN = 2000;
const INCREMENTAL_SHARE = 0.25;

/**
 * Follows an import while the options page stores it, so the indexes can be brought up to date once it is done.
 * Nothing is indexed while the page writes: its writes then have IndexedDB to themselves (reading the papers back
 * batch by batch, or indexing alongside, slowed the import more than it saved). At the end a small import is added to
 * the engine that was current at `begin`, and a large one is rebuilt from IndexedDB: the related index's semantic
 * space has to be relearnt when the corpus changes that much, and one bulk build beats adding paper by paper.
 */
export class ImportTracker {
  private readonly written = new Set<string>();
  private nextSeq = 0;
  private broken = false;

  constructor(
    readonly session: string,
    /** The engine the import's papers are added to: the current one when the import begins. */
    readonly engine: Engine,
  ) {}

  /** Batches announced so far. */
  get batches(): number {
    return this.nextSeq;
  }

  /** Records a committed batch; false when the session can no longer be followed (a batch out of order). */
  batch(seq: number, ids: readonly string[]): boolean {
    if (this.broken || seq !== this.nextSeq++) {
      this.broken = true;
      return false;
    }
    for (const id of ids) this.written.add(id);
    return true;
  }

  /** Lets go of the written ids (100k of them after a large import) before a rebuild that no longer needs them. */
  forget(): void {
    this.written.clear();
    this.broken = true;
  }

  /**
   * Adds the imported papers to the engine and persists it; false when the caller must rebuild instead
   * (a large import, a lost batch, or papers written meanwhile that the engine did not see).
   */
  async addTo(db: MarginDatabase): Promise<boolean> {
    if (this.broken || this.written.size > Math.max(INCREMENTAL_MIN, this.engine.size * INCREMENTAL_SHARE)) return false;
    const ids = [...this.written];
    for (let at = 0; at < ids.length; at += BUILD_PAGE) {
      const papers = await db.papers.bulkGet(ids.slice(at, at + BUILD_PAGE));
      if (papers.some((paper) => !paper)) return false;
      await this.engine.add(papers as Paper[]);
    }
    const { count, revision } = await db.transaction('r', db.papers, db.meta, async () => ({
      count: await db.papers.count(),
      revision: (await getMeta<number>(db, 'corpusRevision')) ?? 0,
    }));
    if (count !== this.engine.size) return false;
    await this.engine.persist(db, revision);
    return true;
  }
}
