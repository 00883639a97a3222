import { bumpRevision, getMeta, setMeta, type MarginDatabase } from '../db/database';
import { installCorpus, type CorpusInstall } from '../db/install-corpus';
import type { Handlers } from '../messaging/rpc';
import { syncHandlers, type SyncControl } from '../sync/handlers';
import { RpcError } from '../messaging/rpc';
import type { PaperSummary, PaperView, RelatedSuggestion } from '../messaging/protocol';
import { Paper, type PagePaper, type ReadingListEntry, type TopicTag } from '../schema';
import { normalizeTitle, paperIdFor } from '../text/normalize';
import { tagPaper } from '../topics/tagger';
import { Engine, ImportTracker } from './engine';
import { planImport } from '../export/backup';
import { ForYou } from '../foryou/service';
import { paperFromPage } from '../import/records';

/** The paper facts a reading-list entry keeps its own copy of, so it outlives the corpus record. */
function entryMetadata(paper: Paper) {
  const { arxivId, title, authors, year, published, abstract, categories } = paper;
  return { arxivId, title, authors, year, published, abstract, categories };
}

export function placeholderTitle(arxivId: string) {
  return `arXiv:${arxivId}`;
}

export interface Settings {
  /** Add papers read on arXiv/HF that are not in the corpus, so suggestions improve with reading. */
  learnFromBrowsing: boolean;
}
export const DEFAULT_SETTINGS: Settings = { learnFromBrowsing: true };

export interface ServiceOptions {
  loadBundledCorpus: () => Promise<unknown>;
  /** Told after every reading-list change, to update open panels and popups. */
  onSavedChanged?: (paperId: string, saved: boolean) => void;
  /** Opens Margin's search (a topic tag was clicked on a page). */
  openSearch?: (params: { topic?: string; query?: string }) => Promise<void>;
  /** The reading list's sync (lib/sync/), where the browser has sync storage. */
  sync?: SyncControl;
  now?: () => number;
}

/**
 * Margin's background: the only code that touches the database on behalf of pages.
 * Indexes live in `Engine`, loaded lazily and cached in IndexedDB, because the service
 * worker may be stopped at any moment and must answer the next page fast.
 */
export class MarginService {
  private enginePromise: Promise<Engine> | null = null;
  /** How far a rebuild of the indexes has got (shown on the options page after a large import). */
  private rebuild: { indexed: number; total: number } | null = null;
  /** The import the options page is storing (lost with the worker: then importEnd rebuilds). */
  private importer: ImportTracker | null = null;
  private installPromise: Promise<CorpusInstall> | null = null;
  private readonly now: () => number;
  readonly forYou = new ForYou(this);

  constructor(
    readonly db: MarginDatabase,
    private readonly options: ServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Seeds at most once per worker life; later calls share the first promise. */
  installCorpus(): Promise<CorpusInstall> {
    this.installPromise ??= this.options
      .loadBundledCorpus()
      .then((corpus) => installCorpus(this.db, corpus))
      .then((result) => {
        // Engines always load after the install (see engine()), so only cached summaries can predate it.
        if (result.installed) this.summaryCache.clear();
        return result;
      })
      .catch((error) => {
        this.installPromise = null;
        throw error;
      });
    return this.installPromise;
  }

  engine(): Promise<Engine> {
    this.enginePromise ??= this.installCorpus()
      .then(() =>
        Engine.load(this.db, (indexed, total) => {
          this.rebuild = { indexed, total };
        }),
      )
      .finally(() => {
        this.rebuild = null;
      })
      .catch((error) => {
        this.enginePromise = null;
        throw error;
      });
    return this.enginePromise;
  }

  /** Drops in-memory indexes so the next request reloads them (after an import in another page). */
  invalidate() {
    this.enginePromise = null;
    this.summaryCache.clear();
  }

  async settings(): Promise<Settings> {
    return { ...DEFAULT_SETTINGS, ...((await getMeta<Partial<Settings>>(this.db, 'settings')) ?? {}) };
  }

  /** The corpus record for a page's paper: by arXiv id, then by normalized title. */
  async findPaper(arxivId: string | null | undefined, title?: string): Promise<Paper | undefined> {
    if (arxivId) {
      const byId = (await this.db.papers.get(arxivId)) ?? (await this.db.papers.where('arxivId').equals(arxivId).first());
      if (byId) return byId;
    }
    if (title) {
      const normTitle = normalizeTitle(title);
      if (normTitle) return this.db.papers.where('normTitle').equals(normTitle).first();
    }
    return undefined;
  }

  private async savedSet(ids: string[]): Promise<Set<string>> {
    const entries = await this.db.readingList.bulkGet(ids);
    return new Set(entries.filter((entry): entry is ReadingListEntry => !!entry).map((entry) => entry.paperId));
  }

  /**
   * What a result row needs of a paper (title, first authors, year, tags), remembered for the
   * worker's life: a search answers every keystroke with up to 50 papers, and reading and tagging
   * each again would cost more than the search itself. Cleared whenever the corpus changes.
   */
  private readonly summaryCache = new Map<string, Omit<PaperSummary, 'saved'>>();
  private summaryOf(paper: Paper, tags?: TopicTag[]): Omit<PaperSummary, 'saved'> {
    const cached = this.summaryCache.get(paper.id);
    if (cached && cached.title === paper.title) return cached;
    const summary = {
      id: paper.id,
      arxivId: paper.arxivId,
      title: paper.title,
      authors: paper.authors.slice(0, 3),
      year: paper.year,
      tags: tags ?? tagPaper(paper),
    };
    if (this.summaryCache.size >= 20_000) this.summaryCache.delete(this.summaryCache.keys().next().value!);
    this.summaryCache.set(paper.id, summary);
    return summary;
  }

  private tagsOf(paper: Paper): TopicTag[] {
    return this.summaryOf(paper).tags;
  }

  private summarize(paper: Paper, saved: Set<string>): PaperSummary {
    return { ...this.summaryOf(paper), saved: saved.has(paper.id) };
  }

  /** Summaries by id, reading from the database only the papers not seen yet. */
  private async summariesFor(ids: string[]): Promise<Map<string, Omit<PaperSummary, 'saved'>>> {
    const found = new Map<string, Omit<PaperSummary, 'saved'>>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.summaryCache.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length) {
      for (const paper of await this.db.papers.bulkGet(missing)) if (paper) found.set(paper.id, this.summaryOf(paper));
    }
    return found;
  }

  /** Adds a browsed paper to the corpus and to the live indexes (when the setting allows). */
  private async learn(paper: Paper, engine: Engine) {
    if (!paper.arxivId || !paper.abstract) return;
    if (!(await this.settings()).learnFromBrowsing) return;
    await this.db.transaction('rw', this.db.papers, this.db.meta, async () => {
      if (await this.db.papers.get(paper.id)) return;
      await this.db.papers.add(paper);
      await bumpRevision(this.db);
    });
    // Indexing waits for nothing the page needs now (it may load the search index from disk first).
    void engine
      .add([paper])
      .then(() => engine.persistSoon(this.db))
      .catch(() => {});
  }

  async paperView(page: PagePaper | undefined, arxivId: string | undefined, limit = 5): Promise<PaperView | null> {
    const engine = await this.engine();
    const known = await this.findPaper(arxivId ?? page?.arxivId, page?.title);
    if (!known && !page) return null;
    const paper = known ?? paperFromPage(page!);
    if (!known) await this.learn(paper, engine);
    await this.completePlaceholder(paper);
    await engine.ready('related');
    const hits = engine.related(paper, limit);
    const related = (await this.db.papers.bulkGet(hits.map((hit) => hit.paperId))).filter((p): p is Paper => !!p);
    const saved = await this.savedSet([paper.id, ...related.map((p) => p.id)]);
    const byId = new Map(related.map((p) => [p.id, p]));
    const suggestions: RelatedSuggestion[] = hits.flatMap((hit) => {
      const match = byId.get(hit.paperId);
      return match ? [{ paper: this.summarize(match, saved), score: hit.score, reason: hit.reason }] : [];
    });
    const tags = this.tagsOf(paper);
    const savedVersion = saved.has(paper.id) ? ((await this.db.readingList.get(paper.id))?.savedVersion ?? null) : null;
    return { paper, inCorpus: !!known, tags, related: suggestions, saved: saved.has(paper.id), savedVersion };
  }

  /**
   * Saves a paper known only by its arXiv id (a context-menu save of a link to a paper outside the
   * corpus). The entry gets a placeholder title until the paper's page is opened.
   */
  async saveById(arxivId: string) {
    const paper = await this.findPaper(arxivId);
    if (paper) return this.setSaved(undefined, paper.id, true);
    return this.setSaved({ arxivId, title: placeholderTitle(arxivId), abstract: '', authors: [], categories: [], published: null }, undefined, true);
  }

  /** Fills a placeholder entry with what the paper's page says, once the user opens it. */
  private async completePlaceholder(paper: Paper) {
    if (!paper.arxivId) return;
    const entry = await this.db.readingList.get(paper.id);
    if (!entry || entry.title !== placeholderTitle(paper.arxivId) || paper.title === entry.title) return;
    await this.db.readingList.put({ ...entry, ...entryMetadata(paper) });
  }

  async setSaved(page: PagePaper | undefined, paperId: string | undefined, saved: boolean) {
    // Saving by id right after install must find the bundled paper, so wait for the corpus to be installed.
    await this.installCorpus();
    const paper = paperId ? ((await this.db.papers.get(paperId)) ?? undefined) : await this.findPaper(page?.arxivId, page?.title);
    const resolved = paper ?? (page ? paperFromPage(page) : undefined);
    const id = resolved?.id ?? paperId;
    if (!id) throw new RpcError('Margin could not tell which paper to save.');
    await this.db.transaction('rw', this.db.readingList, async () => {
      const existing = await this.db.readingList.get(id);
      if (!saved) {
        if (existing) await this.db.readingList.delete(id);
        return;
      }
      // Saving a saved paper keeps it as it is: a second save must never reset notes or status.
      if (existing) return;
      if (!resolved) throw new RpcError('This paper is no longer in the corpus; open its page to save it.');
      const now = this.now();
      await this.db.readingList.add({
        paperId: id,
        ...entryMetadata(resolved),
        status: 'to-read',
        notes: '',
        addedAt: now,
        updatedAt: now,
        savedVersion: page?.version ?? null,
      });
    });
    this.options.onSavedChanged?.(id, saved);
    return { saved, paperId: id };
  }

  handlers(): Handlers {
    return {
      paperView: async ({ page, arxivId, limit }) => {
        const view = await this.paperView(page, arxivId, limit);
        return view && { ...view, notInterested: await this.forYou.isNegative(view.paper.id) };
      },
      listingView: ({ entries }) => this.forYou.listingView(entries),
      setSaved: ({ page, paperId, saved }) => this.setSaved(page, paperId, saved),
      updateEntry: async ({ paperId, status, notes }) =>
        this.db.transaction('rw', this.db.readingList, async () => {
          const entry = await this.db.readingList.get(paperId);
          if (!entry) throw new RpcError('That paper is not in your reading list any more.');
          const updated = { ...entry, ...(status ? { status } : {}), ...(notes !== undefined ? { notes } : {}), updatedAt: this.now() };
          await this.db.readingList.put(updated);
          return updated;
        }),
      restoreEntry: async (entry) => {
        await this.db.readingList.put(entry);
        this.options.onSavedChanged?.(entry.paperId, true);
        return { restored: true };
      },
      importEntries: async ({ entries }) => {
        const plan = await this.db.transaction('rw', this.db.readingList, async () => {
          const existing = await this.db.readingList.bulkGet(entries.map((entry) => entry.paperId));
          const plan = planImport(existing.filter((entry): entry is ReadingListEntry => !!entry), entries);
          await this.db.readingList.bulkPut([...plan.toAdd, ...plan.toUpdate]);
          return plan;
        });
        // Only entries that became saved change anything on open pages.
        for (const entry of plan.toAdd) this.options.onSavedChanged?.(entry.paperId, true);
        return { added: plan.summary.new, updated: plan.summary.updated, unchanged: plan.summary.unchanged };
      },
      settings: async (changes) => {
        if (changes.learnFromBrowsing !== undefined) await this.saveSettings(changes);
        return this.settings();
      },
      ...syncHandlers(this.options.sync),
      openSearch: async (params) => {
        await this.options.openSearch?.(params);
        return { opened: !!this.options.openSearch };
      },
      readingList: async () => this.db.readingList.orderBy('addedAt').reverse().toArray(),
      search: async ({ query, filters, limit }) => {
        const engine = await this.engine();
        const savedIds = filters?.savedOnly ? new Set(await this.db.readingList.toCollection().primaryKeys()) : undefined;
        await engine.ready('search');
        const hits = engine.search(query, { topic: filters?.topic, year: filters?.year, savedIds, savedOnly: filters?.savedOnly, limit: limit ?? 50 });
        const ids = hits.map((hit) => hit.id);
        const [summaries, saved] = await Promise.all([this.summariesFor(ids), this.savedSet(ids)]);
        return hits.flatMap((hit) => {
          const summary = summaries.get(hit.id);
          return summary ? [{ paper: { ...summary, saved: saved.has(hit.id) }, score: hit.score, matched: hit.matched }] : [];
        });
      },
      stats: async () => {
        await this.installCorpus();
        const [papers, bundled, imported, browsed, saved] = await Promise.all([
          this.db.papers.count(),
          this.db.papers.where('origin').equals('bundled').count(),
          this.db.papers.where('origin').equals('imported').count(),
          this.db.papers.where('origin').equals('browsed').count(),
          this.db.readingList.count(),
        ]);
        return {
          papers,
          bundled,
          imported,
          browsed,
          saved,
          corpusVersion: (await getMeta<string>(this.db, 'corpusVersion')) ?? null,
          corpusInstalledAt: (await getMeta<number>(this.db, 'seededAt')) ?? null,
        };
      },
      corpusChanged: async () => {
        this.invalidate();
        const engine = await this.engine();
        return { papers: engine.size };
      },
      setNotInterested: ({ page, paperId, notInterested }) => this.forYou.setNotInterested(page, paperId, notInterested, this.now()),
      notInterestedList: async () => (await this.db.notInterested.orderBy('addedAt').reverse().toArray()).map(({ paperId, arxivId, title, addedAt }) => ({ paperId, arxivId, title, addedAt })),
      forYou: ({ limit }) => this.forYou.recommend(limit ?? 20),
      relatedToText: ({ text, limit }) => this.forYou.relatedToText(text, limit ?? 10),
      indexProgress: async () => ({ building: this.rebuild !== null, indexed: this.rebuild?.indexed ?? 0, total: this.rebuild?.total ?? 0 }),
      importBegin: async ({ session }) => {
        this.importer = new ImportTracker(session, await this.engine());
        return { started: true };
      },
      importBatch: async ({ session, seq, ids }) => ({ accepted: this.importer?.session === session && this.importer.batch(seq, ids) }),
      importEnd: async ({ session }) => {
        const importer = this.importer?.session === session ? this.importer : null;
        if (importer) this.importer = null;
        if (importer && importer.batches === 0) return { papers: (await this.engine()).size, incremental: true };
        // Only while the engine the import began with is still the current one (nothing invalidated it since).
        const current = this.enginePromise && (await this.enginePromise.catch(() => null));
        if (importer && current === importer.engine && (await importer.addTo(this.db).catch(() => false))) {
          this.summaryCache.clear();
          return { papers: current.size, incremental: true };
        }
        // A large import, or no session to trust (worker restarted mid-import, concurrent writes): rebuild from IndexedDB.
        importer?.forget();
        this.invalidate();
        return { papers: (await this.engine()).size, incremental: false };
      },
    };
  }

  async saveSettings(settings: Partial<Settings>) {
    await setMeta(this.db, 'settings', { ...(await this.settings()), ...settings });
  }
}
