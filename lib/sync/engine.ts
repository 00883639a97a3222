import Dexie from 'dexie';
import { getMeta, setMeta, type MarginDatabase } from '../db/database';
import type { Paper, ReadingListEntry, SyncRecord, SyncStatus } from '../schema';
import type { AreaChanges, SyncArea } from './area';
import { newDeviceId, stampTime } from './clock';
import { decodePage, isPageKey, itemBytes, joinPieces, type PagePiece } from './codec';
import { SYNC_LIMITS, planPages, type SyncLimits, type SyncPlan } from './plan';
import { entryFor, mergeRecords, recordKey, recordLocalEdits, sameRecord } from './record';

/** Removals are remembered this long, so a browser that was offline for less still learns of them. */
export const TOMBSTONE_DAYS = 90;
/** Room left in the area's quota for rounding in the browser's own count. */
const QUOTA_MARGIN = 256;
/** How long, and how many times, a round waits for the missing pieces of a long entry before writing anyway. */
const PIECE_WAIT_MS = 5000;
const PIECE_WAIT_ROUNDS = 6;
/** Share of Chrome's write-rate limits sync allows itself (the rest is headroom for bursts and clocks). */
const RATE_SHARE = 0.8;

export interface SavedChange {
  paperId: string;
  saved: boolean;
}

export interface SyncEngineOptions {
  db: MarginDatabase;
  /** `browser.storage.sync`, or null where the browser has none. */
  area: SyncArea | null;
  now?: () => number;
  random?: () => number;
  /** Reading-list entries added or removed by a change from another browser (to update open pages). */
  onApplied?: (changes: SavedChange[]) => void;
  log?: (message: string) => void;
  /** How long local edits gather before one write (typing a note saves every pause). */
  localDelayMs?: number;
  remoteDelayMs?: number;
  startDelayMs?: number;
  limits?: SyncLimits;
}

interface SyncMeta {
  /** Unset until the user chooses: on by default. */
  enabled?: boolean;
  device?: string;
  lastReceivedAt?: number | null;
  lastSentAt?: number | null;
}

const META_KEY = 'sync';

/**
 * Keeps the reading list in the browser's sync area (docs/sync.md). It runs after local commits and on
 * changes in the area; its failures are reported in the status and retried, never thrown at a save.
 */
export class SyncEngine {
  private readonly now: () => number;
  private readonly limits: SyncLimits;
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = Infinity;
  private readonly writes: number[] = [];
  /** Values this browser wrote last, so their echo in `onChanged` does not start another round. */
  private readonly written = new Map<string, unknown>();
  private waitedForPieces = 0;
  private lastPlan: { key: string; plan: SyncPlan } | null = null;
  private report: Omit<SyncStatus, 'available' | 'enabled' | 'entriesLocal' | 'lastReceivedAt' | 'lastSentAt'> | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
    this.limits = options.limits ?? SYNC_LIMITS;
  }

  get available(): boolean {
    return this.options.area !== null;
  }

  /** Listens to the area and to the reading list's commits in this context (any write path), and syncs soon. */
  start() {
    this.options.area?.onChanged.addListener(this.onAreaChanged);
    Dexie.on('storagemutated', this.onStorageMutated);
    // Not at once: a worker woken for a page's request answers that first.
    this.schedule(this.options.startDelayMs ?? 1000);
  }

  stop() {
    this.options.area?.onChanged.removeListener(this.onAreaChanged);
    Dexie.on('storagemutated').unsubscribe(this.onStorageMutated);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private merging = false;
  private readonly onStorageMutated = (parts: Record<string, unknown>) => {
    // Sync's own merge writes the reading list too: that is not an edit to send back.
    if (this.merging) return;
    if ('all' in parts || `idb://${this.options.db.name}/readingList/` in parts) this.localChanged();
  };

  private readonly onAreaChanged = (changes: AreaChanges) => {
    const news = Object.entries(changes).filter(([key, change]) => !(this.written.has(key) && this.written.get(key) === change.newValue));
    if (news.length) this.schedule(this.options.remoteDelayMs ?? 100);
  };

  /** Called after the reading list changed in this browser. */
  localChanged() {
    this.schedule(this.options.localDelayMs ?? 2000);
  }

  private schedule(delay: number) {
    const due = this.now() + delay;
    if (this.timer !== undefined && this.timerDue <= due) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      void this.sync();
    }, delay);
  }

  /** Runs a round now (any scheduled one included) and resolves when it is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    return this.sync();
  }

  private sync(): Promise<void> {
    this.chain = this.chain
      .then(() => this.round())
      .catch((error) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log?.(`Margin sync: ${message}`);
        if (this.report) this.report.error = message;
      });
    return this.chain;
  }

  private async meta(): Promise<SyncMeta> {
    return (await getMeta<SyncMeta>(this.options.db, META_KEY)) ?? {};
  }

  async enabled(): Promise<boolean> {
    return this.available && (await this.meta()).enabled !== false;
  }

  async setEnabled(enabled: boolean): Promise<SyncStatus> {
    await setMeta(this.options.db, META_KEY, { ...(await this.meta()), enabled });
    if (enabled) await this.flush();
    else {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = Infinity;
      await this.chain;
    }
    return this.status();
  }

  async status(): Promise<SyncStatus> {
    const enabled = await this.enabled();
    if (enabled && !this.report) await this.flush();
    const meta = await this.meta();
    const entriesLocal = await this.options.db.readingList.count();
    const bytesUsed = this.report?.bytesUsed ?? (this.options.area ? await this.areaBytes() : 0);
    return {
      available: this.available,
      enabled,
      entriesLocal,
      lastReceivedAt: meta.lastReceivedAt ?? null,
      lastSentAt: meta.lastSentAt ?? null,
      ...(this.report ?? { entriesSynced: 0, removalsSynced: 0, quotaBytes: this.limits.totalBytes, notSynced: { entries: 0, titles: [] }, problems: [], error: null }),
      bytesUsed,
    };
  }

  private async areaBytes(): Promise<number> {
    const items = await this.options.area!.get(null);
    return Object.entries(items).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
  }

  /** One round: read the area, merge it with this browser's list, write back what the area lacks. */
  private async round() {
    const area = this.options.area;
    if (!area || !(await this.enabled())) return;
    const items = await area.get(null);
    const problems: string[] = [];
    const remote: SyncRecord[] = [];
    const texts = new Map<string, string>();
    const pieces = new Map<string, PagePiece[]>();
    let foreignBytes = 0;
    let foreignItems = 0;
    for (const [key, value] of Object.entries(items)) {
      if (!isPageKey(key)) {
        foreignBytes += itemBytes(key, value);
        foreignItems++;
        problems.push(`Left alone: the sync item “${key.slice(0, 60)}” is not Margin’s.`);
        continue;
      }
      const page = await decodePage(value);
      if (!page.ok) {
        problems.push(`Ignored the sync item “${key}”: ${page.error}. Nothing in this browser was changed; it will be rewritten.`);
        continue;
      }
      texts.set(key, page.text);
      if (page.piece) {
        pieces.set(page.piece.hash, [...(pieces.get(page.piece.hash) ?? []), page.piece]);
        continue;
      }
      remote.push(...page.records);
      if (page.skipped.length) problems.push(`Ignored ${page.skipped.length} unreadable entr${page.skipped.length === 1 ? 'y' : 'ies'} in “${key}” (${page.skipped[0]}).`);
    }
    let incomplete = false;
    for (const group of pieces.values()) {
      const joined = await joinPieces(group);
      if (joined.ok) remote.push(...joined.records);
      else if (joined.error === 'incomplete') incomplete = true;
      else problems.push(`Ignored a long entry split over the sync items: ${joined.error}.`);
    }
    // A long entry whose pieces have not all arrived is read on a later round; writing now could overwrite the pieces
    // that did arrive. After a while (pieces lost for good) the round writes anyway.
    this.waitedForPieces = incomplete ? this.waitedForPieces + 1 : 0;
    const holdWrites = incomplete && this.waitedForPieces <= PIECE_WAIT_ROUNDS;
    if (holdWrites) this.schedule(PIECE_WAIT_MS);
    for (const problem of problems) if (!this.report?.problems.includes(problem)) this.options.log?.(`Margin sync: ${problem}`);

    this.merging = true;
    const { changes, records } = await this.merge(remote).finally(() => {
      this.merging = false;
    });
    if (changes.length) this.options.onApplied?.(changes);

    const plan = await this.plan(records, this.limits.totalBytes - foreignBytes - QUOTA_MARGIN, foreignItems);
    const toSet: Record<string, string> = {};
    for (const page of plan.pages) if (texts.get(page.key) !== page.text) toSet[page.key] = page.value;
    const planned = new Set(plan.pages.map((page) => page.key));
    const toRemove = Object.keys(items).filter((key) => isPageKey(key) && !planned.has(key));
    let error: string | null = null;
    const writes = (toRemove.length ? 1 : 0) + (Object.keys(toSet).length ? 1 : 0);
    if (writes && holdWrites) {
      error = 'Waiting for the rest of a long entry from another browser before writing.';
    } else if (writes) {
      const wait = this.rateWait(writes);
      if (wait > 0) {
        error = `Waiting ${Math.ceil(wait / 1000)} s for the browser’s sync write limit.`;
        this.schedule(wait);
      } else {
        try {
          // Removing first frees the quota the new pages need.
          if (toRemove.length) await this.write(() => area.remove(toRemove), toRemove, undefined);
          if (Object.keys(toSet).length) await this.write(() => area.set(toSet), Object.keys(toSet), toSet);
          await this.updateMeta({ lastSentAt: this.now() });
        } catch (e) {
          error = `The browser refused the sync write: ${e instanceof Error ? e.message : String(e)}. Margin will try again.`;
          this.options.log?.(`Margin sync: ${error}`);
          this.schedule(60_000);
        }
      }
    }
    const leftSaved = plan.left.filter((record) => record.saved);
    // Until a planned write lands, the area holds what it held: count that, not the plan.
    const inArea = error === null ? plan.included : [...new Map(remote.map((record) => [record.paperId, record])).values()];
    this.report = {
      entriesSynced: inArea.filter((record) => record.saved).length,
      removalsSynced: inArea.filter((record) => !record.saved).length,
      bytesUsed: error === null ? plan.bytes + foreignBytes : Object.entries(items).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0),
      quotaBytes: this.limits.totalBytes,
      notSynced: { entries: leftSaved.length, titles: leftSaved.slice(0, 5).map((record) => record.title ?? record.paperId) },
      problems: problems.slice(0, 20),
      error,
    };
  }

  /** Planning compresses every page several times: a round whose records did not change reuses the last plan. */
  private async plan(records: SyncRecord[], budget: number, reservedItems: number): Promise<SyncPlan> {
    const key = `${budget}/${reservedItems}/${records.map(recordKey).sort().join('\n')}`;
    if (this.lastPlan?.key !== key) this.lastPlan = { key, plan: await planPages(records, budget, this.limits, reservedItems) };
    return this.lastPlan.plan;
  }

  private async write(action: () => Promise<void>, keys: string[], values: Record<string, string> | undefined) {
    for (const key of keys) this.written.set(key, values?.[key]);
    this.writes.push(this.now());
    await action();
  }

  /** How long to wait before `count` more writes stay within the share of the browser's write limits. */
  private rateWait(count: number): number {
    const now = this.now();
    while (this.writes.length && now - this.writes[0]! >= 3_600_000) this.writes.shift();
    const perMinute = Math.floor(this.limits.writesPerMinute * RATE_SHARE);
    const perHour = Math.floor(this.limits.writesPerHour * RATE_SHARE);
    const lastMinute = this.writes.filter((t) => now - t < 60_000);
    if (lastMinute.length + count > perMinute) return 60_000 - (now - lastMinute[0]!) + 1;
    if (this.writes.length + count > perHour) return 3_600_000 - (now - this.writes[0]!) + 1;
    return 0;
  }

  private async updateMeta(changes: Partial<SyncMeta>) {
    await setMeta(this.options.db, META_KEY, { ...(await this.meta()), ...changes });
  }

  /**
   * Stamps this browser's unsynced edits and merges the area's records into the reading list, in one
   * transaction: a save committing meanwhile is either stamped here or seen by the next round.
   */
  private async merge(remote: SyncRecord[]): Promise<{ changes: SavedChange[]; records: SyncRecord[] }> {
    const db = this.options.db;
    const incoming = new Map<string, SyncRecord>();
    for (const record of remote) {
      const known = incoming.get(record.paperId);
      incoming.set(record.paperId, known ? mergeRecords(known, record) : record);
    }
    return db.transaction('rw', [db.readingList, db.syncRecords, db.meta, db.papers], async () => {
      const meta = await this.meta();
      const device = meta.device ?? newDeviceId(this.options.random);
      const now = this.now();
      const entries = new Map((await db.readingList.toArray()).map((entry) => [entry.paperId, entry]));
      const known = new Map((await db.syncRecords.toArray()).map((record) => [record.paperId, record]));
      const ids = new Set([...entries.keys(), ...known.keys(), ...incoming.keys()]);
      const changes: SavedChange[] = [];
      const records: SyncRecord[] = [];
      const expired = now - TOMBSTONE_DAYS * 86_400_000;
      const writes = { records: [] as SyncRecord[], dropped: [] as string[], entries: [] as ReadingListEntry[], removed: [] as string[] };
      const newIds = [...incoming.keys()].filter((id) => !entries.has(id));
      const found = await db.papers.bulkGet(newIds);
      const papers = new Map<string, Paper | undefined>(newIds.map((id, i) => [id, found[i]]));
      for (const id of ids) {
        const entry = entries.get(id);
        const before = known.get(id);
        const local = recordLocalEdits(entry, before, device, now);
        const theirs = incoming.get(id);
        const merged = local && theirs ? mergeRecords(local, theirs) : (local ?? theirs)!;
        if (!merged.saved && stampTime(merged.savedAt) < expired) {
          if (before) writes.dropped.push(id);
          continue;
        }
        if (!sameRecord(merged, before)) writes.records.push(merged);
        records.push(merged);
        if (!theirs || sameRecord(merged, local)) continue;
        const next = entryFor(merged, entry, papers.get(id));
        if (!next) {
          if (entry) {
            writes.removed.push(id);
            changes.push({ paperId: id, saved: false });
          }
        } else if (!entry || differs(entry, next)) {
          writes.entries.push(next);
          if (!entry) changes.push({ paperId: id, saved: true });
        }
      }
      await db.syncRecords.bulkPut(writes.records);
      await db.syncRecords.bulkDelete(writes.dropped);
      await db.readingList.bulkPut(writes.entries);
      await db.readingList.bulkDelete(writes.removed);
      const received = writes.entries.length + writes.removed.length > 0;
      if (!meta.device || received) await setMeta(db, META_KEY, { ...meta, device, ...(received ? { lastReceivedAt: now } : {}) });
      return { changes, records };
    });
  }
}

function differs(a: ReadingListEntry, b: ReadingListEntry): boolean {
  return a.status !== b.status || a.notes !== b.notes || a.addedAt !== b.addedAt;
}
