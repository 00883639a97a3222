import { getMeta, type MarginDatabase } from '../db/database';
import { RelatedIndex, type RelatedHit, type SerializedRelatedIndex } from '../related/rank';
import type { Paper } from '../schema';
import { SearchIndex, type SearchDoc, type SearchHit, type SearchOptions } from '../search/index';
import { tagPaper } from '../topics/tagger';

/** Papers are read from IndexedDB in pages of this size, so building never holds the whole corpus at once. */
const BUILD_PAGE = 5000;
const PERSIST_DELAY_MS = 2000;

export function searchDoc(paper: Paper): SearchDoc {
  const tags = tagPaper(paper);
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors,
    tags: tags.map((tag) => tag.id),
    tagLabels: tags.map((tag) => tag.label),
    year: paper.year,
  };
}

export interface EngineTimings {
  source: 'cache' | 'built';
  ms: number;
  papers: number;
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

  get size(): number {
    return this.searchIndex.size;
  }

  static async load(db: MarginDatabase): Promise<Engine> {
    const started = performance.now();
    const revision = (await getMeta<number>(db, 'corpusRevision')) ?? 0;
    const [search, related] = await db.indexCache.bulkGet(['search', 'related']);
    if (search?.revision === revision && related?.revision === revision) {
      try {
        const engine = new Engine(SearchIndex.deserialize(search.data), RelatedIndex.deserialize(related.data as SerializedRelatedIndex), {
          source: 'cache',
          ms: 0,
          papers: 0,
        });
        engine.loaded.ms = performance.now() - started;
        engine.loaded.papers = engine.size;
        return engine;
      } catch {
        // A cache written by another Margin version: fall through and rebuild.
      }
    }
    // The first page fits the related index's learned model (IDF, LSA); later pages are folded into it.
    let page = await db.papers.orderBy('id').limit(BUILD_PAGE).toArray();
    const searchIndex = SearchIndex.build(page.map(searchDoc));
    const relatedIndex = RelatedIndex.build(page);
    while (page.length === BUILD_PAGE) {
      page = await db.papers.where('id').above(page[page.length - 1]!.id).limit(BUILD_PAGE).toArray();
      searchIndex.add(page.map(searchDoc));
      relatedIndex.add(page);
    }
    const engine = new Engine(searchIndex, relatedIndex, { source: 'built', ms: performance.now() - started, papers: searchIndex.size });
    await engine.persist(db, revision);
    return engine;
  }

  add(papers: Paper[]) {
    if (!papers.length) return;
    this.searchIndex.add(papers.map(searchDoc));
    this.relatedIndex.add(papers);
    this.dirty = true;
  }

  /** Writes the indexes back a little later, so a burst of browsed papers costs one write. */
  async persistSoon(db: MarginDatabase) {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      if (!this.dirty) return;
      void getMeta<number>(db, 'corpusRevision').then((revision) => this.persist(db, revision ?? 0));
    }, PERSIST_DELAY_MS);
  }

  async persist(db: MarginDatabase, revision: number) {
    this.dirty = false;
    try {
      await db.indexCache.bulkPut([
        { name: 'search', revision, data: this.searchIndex.serialize() },
        { name: 'related', revision, data: this.relatedIndex.serialize() },
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
