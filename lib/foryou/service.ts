import { bumpRevision, type MarginDatabase } from '../db/database';
import type { ListingEntryView, PaperSummary, RelatedSuggestion, TopicTag } from '../messaging/protocol';
import { Paper, type PagePaper, type ReadingListEntry } from '../schema';
import type { Engine } from '../service/engine';
import { normalizeTitle, paperIdFor } from '../text/normalize';
import { paperTokens, tagPaper, type PaperTokens } from '../topics/tagger';
import { termCounts, vectorize, Vocabulary, type SparseVector } from './features';
import { InterestModel, reasonFor } from './model';
import type { NotInterestedEntry } from './schema';
import { paperFromPage } from '../import/records';

/** What the for-you ranking needs of Margin's background (MarginService). */
export interface ForYouHost {
  readonly db: MarginDatabase;
  installCorpus(): Promise<unknown>;
  engine(): Promise<Engine>;
  settings(): Promise<{ learnFromBrowsing: boolean }>;
}

const VOCAB_ROW = 'foryou-vocabulary';
/** The vocabulary is learnt from at most this many corpus papers, evenly spread: document frequencies settle long before. */
const VOCAB_SAMPLE = 3000;
/** Relearnt when the corpus has grown or shrunk by more than this share since. */
const VOCAB_DRIFT = 0.25;
/** Entries scoring below this are never marked, however short the page. */
const MARK_MIN = 0.5;
/** Saved papers whose neighbours in the corpus are gathered for the popup's list (the most recent ones). */
const SEED_POSITIVES = 12;
const NEIGHBOURS = 30;
const VECTOR_CACHE = 5000;

/** How many entries a page of `n` may mark: a handful, growing with the page, never more than a quarter. */
export function markBudget(n: number): number {
  return Math.min(Math.floor(n / 4), Math.max(1, Math.round(Math.sqrt(n))));
}

function entryAsPaper(entry: ReadingListEntry): Paper {
  return {
    id: entry.paperId,
    arxivId: entry.arxivId,
    title: entry.title,
    normTitle: normalizeTitle(entry.title) || entry.title.toLowerCase(),
    abstract: entry.abstract,
    authors: entry.authors,
    authorCount: entry.authors.length || null,
    published: entry.published,
    year: entry.year,
    categories: entry.categories,
    origin: 'browsed',
  };
}

export interface Recommendation {
  paper: PaperSummary;
  score: number;
  reason: string;
}

/**
 * The for-you ranking in the background: the interest model kept in step with the reading list and the
 * not-interested list (each request compares the stored ids with the model's and adds or drops only the difference),
 * the vocabulary it weighs words with (persisted beside the indexes), and the listing → corpus feed.
 * With an empty reading list nothing is loaded or computed.
 */
export class ForYou {
  private readonly model = new InterestModel();
  private vocab: Vocabulary | null = null;
  /** How many corpus papers `vocab` was learnt from a sample of: its own doc count is the sample's. */
  private vocabCorpus = 0;
  private syncing: Promise<unknown> = Promise.resolve();
  private readonly vectors = new Map<string, SparseVector>();
  /** Listing entries' topic tags, by paper and text: a page asked again (a reload, a save on it) is not tagged again. */
  private readonly tags = new Map<string, TopicTag[]>();
  /** Per saved paper, its nearest corpus papers, for the engine they were asked of. */
  private neighbours = new Map<string, string[]>();
  private neighboursOf: Engine | null = null;
  private recommendations: { key: string; list: Recommendation[] } | null = null;
  /** Reading-list rows by id, newest first, as of the last sync. */
  private positives: ReadingListEntry[] = [];

  constructor(private readonly host: ForYouHost) {}

  /** The model in step with the stored lists, or null when the reading list is empty. */
  async current(): Promise<InterestModel | null> {
    const run = this.syncing.then(() => this.sync());
    this.syncing = run.catch(() => {});
    return run;
  }

  private async sync(): Promise<InterestModel | null> {
    const db = this.host.db;
    const [saved, negative] = await Promise.all([db.readingList.toCollection().primaryKeys(), db.notInterested.toCollection().primaryKeys()]);
    if (!saved.length) {
      this.model.clear();
      this.positives = [];
      return null;
    }
    const vocab = await this.vocabulary();
    const savedIds = new Set(saved);
    for (const id of this.model.positiveIds) if (!savedIds.has(id)) this.model.removePositive(id);
    const added = saved.filter((id) => !this.model.hasPositive(id));
    if (added.length || this.positives.length !== saved.length) {
      for (const entry of await db.readingList.bulkGet(added)) {
        if (entry) this.model.addPositive({ id: entry.paperId, title: entry.title, vector: vectorize(termCounts(entry), vocab) });
      }
      this.positives = await db.readingList.orderBy('addedAt').reverse().toArray();
    }
    const negativeIds = new Set(negative);
    for (const id of this.model.negativeIds) if (!negativeIds.has(id)) this.model.removeNegative(id);
    const newNegatives = negative.filter((id) => !this.model.hasNegative(id));
    for (const entry of await db.notInterested.bulkGet(newNegatives)) {
      if (entry) this.model.addNegative({ id: entry.paperId, title: entry.title, vector: vectorize(termCounts(entry), vocab) });
    }
    return this.model;
  }

  /** Document frequencies from the corpus, read back from IndexedDB when they still describe it. */
  private async vocabulary(): Promise<Vocabulary> {
    const db = this.host.db;
    const papers = await db.papers.count();
    const fits = (size: number) => Math.abs(papers - size) <= VOCAB_DRIFT * Math.max(size, 1);
    // Compared with the corpus size it was learnt on, not its sample's size: above ~3,750 papers the sample is
    // always smaller than the corpus, and comparing with it relearnt the vocabulary on every request (1 s at 100k).
    if (this.vocab && fits(this.vocabCorpus)) return this.vocab;
    const row = await db.indexCache.get(VOCAB_ROW).catch(() => undefined);
    const stored = row ? Vocabulary.deserialize(row.data) : null;
    const storedCorpus = (row?.data as { corpus?: unknown } | undefined)?.corpus;
    if (stored && typeof storedCorpus === 'number' && fits(storedCorpus)) return this.adopt(stored, storedCorpus);
    const vocab = new Vocabulary();
    let ids = await db.papers.toCollection().primaryKeys();
    if (ids.length > VOCAB_SAMPLE) {
      const step = ids.length / VOCAB_SAMPLE;
      ids = Array.from({ length: VOCAB_SAMPLE }, (_, i) => ids[Math.floor(i * step)]!);
    }
    for (let at = 0; at < ids.length; at += 500) {
      for (const paper of await db.papers.bulkGet(ids.slice(at, at + 500))) if (paper) vocab.add(termCounts(paper));
    }
    // A vocabulary that cannot be stored (quota) is only learnt again on the next worker start.
    await db.indexCache.put({ name: VOCAB_ROW, revision: 0, data: { ...vocab.serialize(), corpus: papers } }).catch(() => {});
    return this.adopt(vocab, papers);
  }

  private adopt(vocab: Vocabulary, corpus: number): Vocabulary {
    this.vocabCorpus = corpus;
    if (this.vocab !== vocab) {
      this.vectors.clear();
      this.model.clear();
      this.positives = [];
      this.recommendations = null;
    }
    this.vocab = vocab;
    return vocab;
  }

  private vectorOf(id: string, paper: { title: string; abstract: string; categories?: string[] }, toks?: PaperTokens, tags?: ReadonlyArray<{ id: string; score: number }>): SparseVector {
    const key = textKey(id, paper);
    const cached = this.vectors.get(key);
    if (cached) return cached;
    const vector = vectorize(termCounts(paper, toks ?? paperTokens(paper), tags), this.vocab!);
    remember(this.vectors, key, vector);
    return vector;
  }

  /** An entry's tags, and its closeness when there is a model; tokenized only when not seen before. */
  private analyse(id: string, paper: PagePaper, model: InterestModel | null) {
    const key = textKey(id, paper);
    let tags = this.tags.get(key);
    let toks: PaperTokens | undefined;
    if (!tags) {
      toks = paperTokens(paper);
      tags = tagPaper(paper, toks);
      remember(this.tags, key, tags);
    }
    return { tags, closeness: model ? model.score(this.vectorOf(id, paper, toks, tags)) : null };
  }

  /** Listing annotations: topics and saved state, and, once something is saved, closeness and the page's marks. */
  async listingView(entries: ReadonlyArray<{ key: string; paper: PagePaper }>): Promise<ListingEntryView[]> {
    await this.host.installCorpus();
    const db = this.host.db;
    const ids = entries.map(({ paper }) => paperIdFor(paper.arxivId, paper.title));
    const [savedRows, negativeRows, model] = await Promise.all([db.readingList.bulkGet(ids), db.notInterested.bulkGet(ids), this.current()]);
    const views: ListingEntryView[] = entries.map(({ key, paper }, i) => {
      const { tags, closeness } = this.analyse(ids[i]!, paper, model);
      // An annotation shows three topics: a 500-entry page's reply is then a quarter lighter to clone and check.
      const view: ListingEntryView = { key, tags: tags.slice(0, 3), saved: !!savedRows[i], notInterested: !!negativeRows[i] };
      return closeness ? { ...view, foryou: closeness.score, reason: reasonFor(closeness.close) } : view;
    });
    if (model) {
      const candidates = views.filter((view) => !view.saved && !view.notInterested && view.foryou! >= MARK_MIN);
      candidates.sort((a, b) => b.foryou! - a.foryou!);
      const marked = new Set(candidates.slice(0, markBudget(entries.length)));
      for (const view of views) if (!marked.has(view) || !view.reason) delete view.reason;
    }
    void this.feed(entries.map(({ paper }) => paper)).catch(() => {});
    return views;
  }

  /**
   * Listings that show abstracts feed the corpus as browsed papers do (same setting, same rule: an arXiv id and an
   * abstract), in one transaction per page; indexing follows without holding up the page.
   */
  private async feed(pages: PagePaper[]) {
    const withAbstract = pages.filter((page) => page.arxivId && page.abstract.trim().length >= 40);
    if (!withAbstract.length || !(await this.host.settings()).learnFromBrowsing) return;
    const db = this.host.db;
    const added = await db.transaction('rw', db.papers, db.meta, async () => {
      const papers = withAbstract.map(paperFromPage);
      const known = await db.papers.bulkGet(papers.map((paper) => paper.id));
      const fresh = papers.filter((paper, i) => !known[i]);
      if (!fresh.length) return [];
      await db.papers.bulkAdd(fresh);
      await bumpRevision(db);
      return fresh;
    });
    if (!added.length) return;
    const engine = await this.host.engine();
    await engine.add(added);
    await engine.persistSoon(db);
  }

  async setNotInterested(page: PagePaper | undefined, paperId: string | undefined, notInterested: boolean, now: number) {
    const db = this.host.db;
    const known = paperId ? await db.papers.get(paperId) : undefined;
    const id = known?.id ?? paperId ?? (page ? paperIdFor(page.arxivId, page.title) : undefined);
    if (!id) throw new Error('Margin could not tell which paper this is.');
    if (!notInterested) {
      await db.notInterested.delete(id);
    } else {
      const source = known ?? page;
      if (!source) throw new Error('This paper is not in your corpus; mark it from its page.');
      const entry: NotInterestedEntry = { paperId: id, arxivId: source.arxivId, title: source.title, abstract: source.abstract, categories: source.categories, addedAt: now };
      await db.notInterested.put(entry);
    }
    this.recommendations = null;
    return { paperId: id, notInterested };
  }

  async isNegative(paperId: string): Promise<boolean> {
    return !!(await this.host.db.notInterested.get(paperId));
  }

  /**
   * The popup's list: unsaved corpus papers closest to the reading list. Candidates are the related-papers engine's
   * neighbours of the most recent saves (asked once per save and kept), ranked by the model, newest first among equals.
   */
  async recommend(limit: number): Promise<Recommendation[]> {
    const model = await this.current();
    if (!model) return [];
    const engine = await this.host.engine();
    if (this.neighboursOf !== engine) {
      this.neighbours = new Map();
      this.neighboursOf = engine;
      this.recommendations = null;
    }
    const seeds = this.positives.slice(0, SEED_POSITIVES);
    const key = `${seeds.map((entry) => entry.paperId).join(',')}|${model.positiveIds.length}|${model.negativeIds.join(',')}|${limit}`;
    if (this.recommendations?.key === key) return this.recommendations.list;
    const missing = seeds.filter((entry) => !this.neighbours.has(entry.paperId));
    if (missing.length) {
      await engine.ready('related');
      for (const entry of missing) this.neighbours.set(entry.paperId, engine.related(entryAsPaper(entry), NEIGHBOURS).map((hit) => hit.paperId));
    }
    const candidates = new Set<string>();
    for (const entry of seeds) for (const id of this.neighbours.get(entry.paperId) ?? []) if (!model.hasPositive(id) && !model.hasNegative(id)) candidates.add(id);
    const papers = (await this.host.db.papers.bulkGet([...candidates])).filter((paper): paper is Paper => !!paper);
    const scored = papers
      .map((paper) => ({ paper, closeness: model.score(this.vectorOf(paper.id, paper)) }))
      .filter(({ closeness }) => closeness.score > 0)
      .sort((a, b) => Math.round(b.closeness.score * 50) - Math.round(a.closeness.score * 50) || (b.paper.published ?? String(b.paper.year ?? '')).localeCompare(a.paper.published ?? String(a.paper.year ?? '')))
      .slice(0, limit);
    const list = scored.map(({ paper, closeness }) => ({
      paper: { id: paper.id, arxivId: paper.arxivId, title: paper.title, authors: paper.authors.slice(0, 3), year: paper.year, tags: tagPaper(paper), saved: false },
      score: closeness.score,
      reason: reasonFor(closeness.close),
    }));
    this.recommendations = { key, list };
    return list;
  }

  /** A pasted title and abstract as a query to the related-papers engine ("what should I cite for this draft"). */
  async relatedToText(text: string, limit: number): Promise<RelatedSuggestion[]> {
    const { title, abstract } = splitDraft(text);
    const engine = await this.host.engine();
    await engine.ready('related');
    const hits = engine.related({ ...paperFromPage({ arxivId: null, title, abstract, authors: [], categories: [], published: null }), id: '\u0000draft' }, limit);
    const db = this.host.db;
    const ids = hits.map((hit) => hit.paperId);
    const [papers, saved] = await Promise.all([db.papers.bulkGet(ids), db.readingList.bulkGet(ids)]);
    return hits.flatMap((hit, i) => {
      const paper = papers[i];
      if (!paper) return [];
      const summary = { id: paper.id, arxivId: paper.arxivId, title: paper.title, authors: paper.authors.slice(0, 3), year: paper.year, tags: tagPaper(paper), saved: !!saved[i] };
      return [{ paper: summary, score: hit.score, reason: hit.reason }];
    });
  }
}

function textKey(id: string, paper: { title: string; abstract: string }): string {
  return `${id}\n${paper.title.length}:${paper.abstract.length}`;
}

function remember<T>(cache: Map<string, T>, key: string, value: T) {
  if (cache.size >= VECTOR_CACHE) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

/** Pasted text → title (its first line, when that reads like one) and abstract (the rest). */
export function splitDraft(text: string): { title: string; abstract: string } {
  const trimmed = text.trim();
  const [first, ...rest] = trimmed.split(/\r?\n/);
  if (rest.length && first!.trim().length <= 300 && rest.join(' ').trim().length > 0) return { title: first!.trim(), abstract: rest.join('\n').trim() };
  const sentence = /^(.{10,300}?[.?!])\s/.exec(trimmed);
  return sentence ? { title: sentence[1]!, abstract: trimmed.slice(sentence[0].length) } : { title: trimmed.slice(0, 300), abstract: trimmed.slice(300) };
}
