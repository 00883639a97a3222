import { z } from 'zod';
import { ArxivId, ArxivVersion, PagePaper, Paper, ReadingListEntry, ReadingStatus, SyncStatus, TopicTag } from '../schema';

/** Part of every view; defined with the data types, re-exported for the contract's readers. */
export { TopicTag };

/**
 * The one contract between the background (which owns IndexedDB) and every other context.
 * Each request and each response is parsed with these schemas on both sides, so a bad
 * message is an error reply, never a crash or a silently wrong panel.
 */

export const PaperSummary = z.object({
  id: z.string(),
  arxivId: ArxivId.nullable(),
  title: z.string(),
  authors: z.array(z.string()),
  year: z.number().nullable(),
  tags: z.array(TopicTag),
  saved: z.boolean(),
});
export type PaperSummary = z.infer<typeof PaperSummary>;

export const RelatedSuggestion = z.object({
  paper: PaperSummary,
  score: z.number(),
  /** One line a reader can check, e.g. "shared: mixture of experts, routing". */
  reason: z.string(),
});
export type RelatedSuggestion = z.infer<typeof RelatedSuggestion>;

export const PaperView = z.object({
  paper: Paper,
  inCorpus: z.boolean(),
  tags: z.array(TopicTag),
  related: z.array(RelatedSuggestion),
  saved: z.boolean(),
  /** The version the saved entry was saved at (null when unknown or not saved). */
  savedVersion: ArxivVersion.nullable().optional(),
  /** Marked "not interested" (a negative example for the for-you ranking). */
  notInterested: z.boolean().optional(),
});
export type PaperView = z.infer<typeof PaperView>;

export const ListingEntryInput = z.object({ key: z.string().max(300), paper: PagePaper });
export const ListingEntryView = z.object({
  key: z.string(),
  tags: z.array(TopicTag),
  saved: z.boolean(),
  /** Closeness to the reading list in [0, 1], the same on any page; absent while the reading list is empty. */
  foryou: z.number().min(0).max(1).optional(),
  /** Only on the page's few closest entries (its "for you" marks): the saved papers it is close to. */
  reason: z.string().optional(),
  notInterested: z.boolean().optional(),
});
export type ListingEntryView = z.infer<typeof ListingEntryView>;

export const SearchFilters = z.object({
  topic: z.string().max(100).optional(),
  year: z.number().int().optional(),
  savedOnly: z.boolean().optional(),
});
export type SearchFilters = z.infer<typeof SearchFilters>;

export const SearchResult = z.object({
  paper: PaperSummary,
  score: z.number(),
  /** Query terms as they matched (for highlighting). */
  matched: z.array(z.string()),
  /** For a pasted draft (related papers instead of a search): why the paper is related. */
  reason: z.string().optional(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const NotInterestedItem = z.object({ paperId: z.string(), arxivId: ArxivId.nullable(), title: z.string(), addedAt: z.number() });
export type NotInterestedItem = z.infer<typeof NotInterestedItem>;

export const CorpusStats = z.object({
  papers: z.number(),
  bundled: z.number(),
  imported: z.number(),
  browsed: z.number(),
  saved: z.number(),
  corpusVersion: z.string().nullable(),
  corpusInstalledAt: z.number().nullable(),
});
export type CorpusStats = z.infer<typeof CorpusStats>;

/** Request schema and response schema for every message, by name. */
export const protocol = {
  /** Panel on a paper page (or the popup's current tab): tags, related papers, saved state. */
  paperView: {
    request: z.object({ page: PagePaper.optional(), arxivId: ArxivId.optional(), limit: z.number().int().min(1).max(20).optional() }),
    response: PaperView.nullable(),
  },
  /** Listings: one batched request for all entries on the page. */
  listingView: {
    request: z.object({ entries: z.array(ListingEntryInput).max(2000) }),
    response: z.array(ListingEntryView),
  },
  /** Idempotent: saving a saved paper keeps it (and its notes); the toggle sends the state it wants. */
  setSaved: {
    request: z.object({ page: PagePaper.optional(), paperId: z.string().max(200).optional(), saved: z.boolean() }),
    response: z.object({ saved: z.boolean(), paperId: z.string() }),
  },
  updateEntry: {
    request: z.object({ paperId: z.string().max(200), status: ReadingStatus.optional(), notes: z.string().max(100000).optional() }),
    response: ReadingListEntry,
  },
  /** Undo of a removal: puts the entry back exactly as it was, notes and dates included. */
  restoreEntry: {
    request: ReadingListEntry,
    response: z.object({ restored: z.boolean() }),
  },
  /** Merges a validated backup into the reading list in one transaction; never drops what is already there. */
  importEntries: {
    request: z.object({ entries: z.array(ReadingListEntry).max(100000) }),
    response: z.object({ added: z.number(), updated: z.number(), unchanged: z.number() }),
  },
  settings: {
    request: z.object({ learnFromBrowsing: z.boolean().optional() }),
    response: z.object({ learnFromBrowsing: z.boolean() }),
  },
  readingList: {
    request: z.object({}),
    response: z.array(ReadingListEntry),
  },
  search: {
    request: z.object({ query: z.string().max(500), filters: SearchFilters.optional(), limit: z.number().int().min(1).max(200).optional() }),
    response: z.array(SearchResult),
  },
  stats: {
    request: z.object({}),
    response: CorpusStats,
  },
  /** A clicked topic tag opens Margin's search, filtered by that topic, in a new tab. */
  openSearch: {
    request: z.object({ topic: z.string().max(100).optional(), query: z.string().max(500).optional() }),
    response: z.object({ opened: z.boolean() }),
  },
  /** Tells the background that another extension page wrote papers (an import) so it refreshes its indexes. */
  corpusChanged: {
    request: z.object({}),
    response: z.object({ papers: z.number() }),
  },
  /** How far a rebuild of the indexes has got, for a progress bar while the background rebuilds after a large import. */
  indexProgress: {
    request: z.object({}),
    response: z.object({ building: z.boolean(), indexed: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  },
  /**
   * Indexing an import (the options page stores, the background indexes): `importBegin` before the first write,
   * `importBatch` with the ids of each committed batch (in order), `importEnd` after the last commit (also after a
   * cancel or a failure), answered once the indexes are up to date: a small import is added to the current indexes, a
   * large one rebuilds them. A background that lost the session (worker restarted) rebuilds, as `corpusChanged` does.
   */
  importBegin: {
    request: z.object({ session: z.string().min(1).max(100) }),
    response: z.object({ started: z.boolean() }),
  },
  importBatch: {
    request: z.object({ session: z.string().min(1).max(100), seq: z.number().int().nonnegative(), ids: z.array(z.string().min(1).max(300)).max(20000) }),
    response: z.object({ accepted: z.boolean() }),
  },
  importEnd: {
    request: z.object({ session: z.string().min(1).max(100) }),
    response: z.object({ papers: z.number(), incremental: z.boolean() }),
  },
  /** "Not interested" on a listing entry or a panel: a negative example for the for-you ranking, never a reading-list change. */
  setNotInterested: {
    request: z.object({ page: PagePaper.optional(), paperId: z.string().max(200).optional(), notInterested: z.boolean() }),
    response: z.object({ paperId: z.string(), notInterested: z.boolean() }),
  },
  notInterestedList: {
    request: z.object({}),
    response: z.array(NotInterestedItem),
  },
  /** The popup's For-you tab: unsaved corpus papers closest to the reading list, each with its reason. */
  forYou: {
    request: z.object({ limit: z.number().int().min(1).max(100).optional() }),
    response: z.array(RelatedSuggestion),
  },
  /** A pasted title and abstract: the corpus papers related to it, by the related-papers engine, with reasons. */
  relatedToText: {
    request: z.object({ text: z.string().min(1).max(21000), limit: z.number().int().min(1).max(50).optional() }),
    response: z.array(RelatedSuggestion),
  },
  /** The reading list's sync through the browser's storage.sync (docs/sync.md): its state, for the options page. */
  syncStatus: {
    request: z.object({}),
    response: SyncStatus,
  },
  /** Turns sync on or off; off stops both directions and keeps the local list. */
  setSync: {
    request: z.object({ enabled: z.boolean() }),
    response: SyncStatus,
  },
} as const;

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
export type RequestOf<N extends MessageName> = z.infer<Protocol[N]['request']>;
export type ResponseOf<N extends MessageName> = z.infer<Protocol[N]['response']>;

export const Envelope = z.object({ margin: z.literal(1), name: z.string().max(50), data: z.unknown() });

export type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

/**
 * Tab events: what the extension sends to the content script of a tab (and `savedChanged` to its own pages too),
 * each with the reply it expects. Content scripts carry no zod, so the sender parses both the event it sends and the
 * reply it gets (`createTabClient` in rpc.ts); the content script checks the envelope with `readTabEvent` (call.ts),
 * which a unit test holds to these schemas.
 */
const tabEvent = <E extends string>(event: E) => z.object({ margin: z.literal(1), event: z.literal(event) });

/** Broadcast from the background to open panels and popups when the reading list changes; no reply. */
export const SavedChanged = tabEvent('savedChanged').extend({
  changes: z.array(z.object({ paperId: z.string(), saved: z.boolean() })),
});
export type SavedChanged = z.infer<typeof SavedChanged>;

export const tabEvents = {
  /** The popup asks the active tab for the paper its page shows, so a paper outside the corpus can be tagged and saved. */
  getPaper: { event: tabEvent('getPaper'), reply: PagePaper.nullable() },
  /** The save shortcut: the tab toggles its paper; `false` when its page has no paper to toggle. */
  toggleSave: { event: tabEvent('toggleSave'), reply: z.boolean() },
  savedChanged: { event: SavedChanged, reply: z.undefined() },
} as const;

export type TabEvents = typeof tabEvents;
export type TabEventName = keyof TabEvents;
export type TabEventOf<E extends TabEventName> = z.infer<TabEvents[E]['event']>;
export type TabReplyOf<E extends TabEventName> = z.infer<TabEvents[E]['reply']>;
export const TabEvent = z.discriminatedUnion('event', [tabEvents.getPaper.event, tabEvents.toggleSave.event, tabEvents.savedChanged.event]);
export type TabEvent = z.infer<typeof TabEvent>;
