import type { TopicTag } from '../messaging/protocol';
import { getMeta, type MarginDatabase } from '../db/database';
import { prepareRelated, RelatedIndex, type PreparedPaper, type RelatedHit, type RelatedIndexBuilder, type SerializedRelatedIndex } from '../related/rank';
import type { Paper } from '../schema';
import { SearchIndex, type SearchDoc, type SearchHit, type SearchOptions } from '../search/index';
import { clearTokenCaches } from '../text/tokenize';
import { TOPICS } from '../topics/taxonomy';

/** Papers are read from IndexedDB in pages of this size, so building never holds the whole corpus at once. */
const BUILD_PAGE = 5000;
const PERSIST_DELAY_MS = 2000;

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
  private readonly search = new SearchIndex();
  private readonly related: RelatedIndexBuilder = RelatedIndex.builder();
  private done = false;

  addPage(page: readonly Paper[]): void {
    if (this.done) throw new Error('EngineBuilder: already finished');
    if (!page.length) return;
    let t = performance.now();
    const prepared: PreparedPaper[] = page.map(prepareRelated);
    this.timings.tag += performance.now() - t;
    t = performance.now();
    this.search.addBulk(page.map((p, i) => searchDoc(p, prepared[i]!.tags)));
    this.timings.search += performance.now() - t;
    t = performance.now();
    this.related.add(page, prepared);
    this.timings.related += performance.now() - t;
  }

  finish(loaded: Omit<EngineTimings, 'papers'> = { source: 'built', ms: 0 }): Engine {
    this.done = true;
    let t = performance.now();
    this.search.finishBulk();
    this.timings.search += performance.now() - t;
    t = performance.now();
    const related = this.related.finish();
    this.timings.related += performance.now() - t;
    clearTokenCaches();
    return Engine.of(this.search, related, { ...loaded, papers: this.search.size });
  }
}

/**
 * The search and related-papers indexes for the whole corpus, kept in IndexedDB between
 * service-worker lives: a cold worker deserializes them instead of re-reading every paper.
 */
export class Engine {
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;

  private constructor(
    private readonly searchIndex: SearchIndex,
    private readonly relatedIndex: RelatedIndex,
    readonly loaded: EngineTimings,
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
    return this.searchIndex.size;
  }

  static async load(db: MarginDatabase): Promise<Engine> {
    const started = performance.now();
    const revision = (await getMeta<number>(db, 'corpusRevision')) ?? 0;
    const [search, related] = await db.indexCache.bulkGet(['search', 'related']);
    if (search?.revision === revision && related?.revision === revision) {
      try {
        const engine = Engine.fromSerialized(search.data, related.data);
        engine.loaded.ms = performance.now() - started;
        return engine;
      } catch {
        // A cache written by another Margin version: fall through and rebuild.
      }
    }
    const builder = Engine.builder();
    let page = await db.papers.orderBy('id').limit(BUILD_PAGE).toArray();
    builder.addPage(page);
    while (page.length === BUILD_PAGE) {
      page = await db.papers.where('id').above(page[page.length - 1]!.id).limit(BUILD_PAGE).toArray();
      builder.addPage(page);
    }
    const engine = builder.finish({ source: 'built', ms: 0 });
    engine.loaded.ms = performance.now() - started;
    await engine.persist(db, revision);
    return engine;
  }

  add(papers: Paper[]) {
    if (!papers.length) return;
    const prepared = papers.map(prepareRelated);
    this.searchIndex.add(papers.map((p, i) => searchDoc(p, prepared[i]!.tags)));
    this.relatedIndex.add(papers, prepared);
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
    return { search: this.searchIndex.serialize(), related: this.relatedIndex.serialize() };
  }

  async persist(db: MarginDatabase, revision: number) {
    this.dirty = false;
    try {
      const { search, related } = this.serialize();
      await db.indexCache.bulkPut([
        { name: 'search', revision, data: search },
        { name: 'related', revision, data: related },
      ]);
    } catch {
      // A cache that cannot be written (quota) only costs a rebuild on the next cold start.
    }
  }

  related(paper: Paper, limit: number): RelatedHit[] {
    return this.relatedIndex.related(
      { id: paper.id, arxivId: paper.arxivId, title: paper.title, abstract: paper.abstract, authors: paper.authors, year: paper.year, categories: paper.categories },
      limit,
    );
  }

  search(query: string, options: SearchOptions): SearchHit[] {
    return this.searchIndex.search(query, options);
  }
}
