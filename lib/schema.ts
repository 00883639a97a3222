import { z } from 'zod';

/**
 * The zod schemas here are the single source of Margin's data types.
 * Every record that crosses a boundary (bundled file, IndexedDB, message, import file) is parsed with them.
 */

import { ARXIV_ID_PATTERN } from './arxiv-id';

export { ARXIV_ID_PATTERN };

export const ArxivId = z.string().regex(ARXIV_ID_PATTERN, 'not an arXiv id (expected e.g. 2401.01234 or hep-th/9901001)');
export type ArxivId = z.infer<typeof ArxivId>;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** An arXiv version number (the 3 of `2401.04088v3`). */
export const ArxivVersion = z.number().int().min(1).max(1000);

export const PaperOrigin = z.enum(['bundled', 'imported', 'browsed']);
export type PaperOrigin = z.infer<typeof PaperOrigin>;

/** Visible characters only: a title of whitespace is no title. */
const Text = (max: number) => z.string().max(max).refine((s) => s.trim().length > 0, 'must not be empty');

export const Paper = z.object({
  /** Stable key: the arXiv id when known, else `t:` + a hash of the normalized title. */
  id: z.string().min(1).max(200),
  arxivId: ArxivId.nullable(),
  title: Text(1000),
  /** Lower-cased, accent- and punctuation-free title used to deduplicate and match across sources. */
  normTitle: z.string().min(1).max(1000),
  abstract: z.string().max(20000),
  authors: z.array(z.string().max(300)).max(2000),
  /** From "• N authors" when the names are unknown. */
  authorCount: z.number().int().nonnegative().nullable(),
  /** First-submission date when known. */
  published: IsoDate.nullable(),
  year: z.number().int().min(1900).max(2100).nullable(),
  /** arXiv categories, primary first. */
  categories: z.array(z.string().max(40)).max(50),
  origin: PaperOrigin,
});
export type Paper = z.infer<typeof Paper>;

export const BundledCorpus = z.object({
  /** Content hash of `papers`: the background reinstalls it when it changes. */
  version: z.string().min(8),
  papers: z.array(Paper),
});
export type BundledCorpus = z.infer<typeof BundledCorpus>;

export const ReadingStatus = z.enum(['to-read', 'reading', 'done']);
export type ReadingStatus = z.infer<typeof ReadingStatus>;

/**
 * A saved paper. It keeps its own copy of the paper's metadata, so a save survives
 * the paper changing or vanishing from the corpus (a new corpus version, removing an import).
 */
export const ReadingListEntry = z.object({
  paperId: z.string().min(1).max(200),
  arxivId: ArxivId.nullable(),
  title: Text(1000),
  authors: z.array(z.string().max(300)).max(2000),
  year: z.number().int().min(1900).max(2100).nullable(),
  published: IsoDate.nullable(),
  abstract: z.string().max(20000),
  categories: z.array(z.string().max(40)).max(50),
  status: ReadingStatus,
  notes: z.string().max(100000),
  /** Epoch milliseconds. */
  addedAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  /**
   * The arXiv version the paper was at when it was saved, so a newer version can be pointed out.
   * Absent on entries saved before Margin recorded it, and null when the save came without a page.
   */
  savedVersion: ArxivVersion.nullable().optional(),
});
export type ReadingListEntry = z.infer<typeof ReadingListEntry>;

/** A hybrid-logical-clock stamp (lib/sync/clock.ts): its string order is the order of the edits. */
export const SyncStamp = z.string().regex(/^[0-9a-z]{16}\+*$/, 'not a sync stamp');

/**
 * One paper's reading-list state as sync merges it (lib/sync/, docs/sync.md): each field with the stamp of
 * its last edit, the note with a version vector (edits per browser), and a removal kept as `saved: false`.
 * Kept per browser in IndexedDB and, compacted, in the browser's sync storage.
 */
export const SyncRecord = z.object({
  paperId: z.string().min(1).max(200),
  saved: z.boolean(),
  /** The last save, removal, undo or edit of the entry. */
  savedAt: SyncStamp,
  status: ReadingStatus.optional(),
  statusAt: SyncStamp.optional(),
  notes: z.string().max(100000).optional(),
  notesAt: SyncStamp.optional(),
  /** Note edits per browser; on a removal, the note versions the removing browser had seen. */
  notesVersion: z.record(z.string().regex(/^[0-9a-z]{4}$/), z.number().int().positive()),
  addedAt: z.number().int().nonnegative().optional(),
  /** What a browser whose corpus lacks the paper shows for it. */
  title: z.string().max(1000).optional(),
  arxivId: ArxivId.nullable().optional(),
  authors: z.array(z.string().max(300)).max(20).optional(),
  year: z.number().int().min(1900).max(2100).nullable().optional(),
});
export type SyncRecord = z.infer<typeof SyncRecord>;

/** What the options page shows of sync: counts, space, the last change received, what stays local, problems. */
export const SyncStatus = z.object({
  /** The browser has a sync storage area at all. */
  available: z.boolean(),
  enabled: z.boolean(),
  /** Saved entries in the sync area, and in this browser's reading list. */
  entriesSynced: z.number().int().nonnegative(),
  entriesLocal: z.number().int().nonnegative(),
  removalsSynced: z.number().int().nonnegative(),
  bytesUsed: z.number().int().nonnegative(),
  quotaBytes: z.number().int().positive(),
  /** When a change made in another browser last reached this one (epoch ms). */
  lastReceivedAt: z.number().nullable(),
  lastSentAt: z.number().nullable(),
  /** Entries the sync area had no room for: they stay in this browser only. */
  notSynced: z.object({ entries: z.number().int().nonnegative(), titles: z.array(z.string()).max(5) }),
  /** Items in the sync area that were ignored (not Margin's, or damaged), said once each. */
  problems: z.array(z.string()).max(20),
  /** The last write to the sync area failed, or waits for the browser's write limits. */
  error: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** What a content script read from a page: enough to tag, relate and save a paper not in the corpus. */
export const PagePaper = z.object({
  arxivId: ArxivId.nullable(),
  title: Text(1000),
  abstract: z.string().max(20000),
  authors: z.array(z.string().max(300)).max(2000),
  categories: z.array(z.string().max(40)).max(50),
  published: IsoDate.nullable(),
  /** The version the page shows (its URL or og:url), when it names one. */
  version: ArxivVersion.nullable().optional(),
});
export type PagePaper = z.infer<typeof PagePaper>;

/** A topic the tagger gave a paper, with the evidence a reader can check. */
export const TopicTag = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  score: z.number(),
  /** The words in the paper that triggered the tag, shown as a tooltip. */
  evidence: z.array(z.string()),
});
export type TopicTag = z.infer<typeof TopicTag>;

/** Readable first issue of a failed parse, e.g. `papers.3.title: must not be empty`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`)
    .join('; ');
}
