import 'fake-indexeddb/auto';
import { MarginDatabase } from '../../lib/db/database';
import type { ReadingListEntry, ReadingStatus } from '../../lib/schema';
import { SyncNetwork, type MemorySyncArea } from '../../lib/sync/area';
import { SyncEngine, type SavedChange } from '../../lib/sync/engine';

/**
 * Two (or more) simulated browsers signed in to one account: each has its own IndexedDB database, its own
 * copy of the sync area and its own wall clock; `network.deliver()` is the browser's sync service meeting.
 */

export const T0 = 1_760_000_000_000;
let counter = 0;

export interface SimBrowser {
  name: string;
  db: MarginDatabase;
  area: MemorySyncArea;
  engine: SyncEngine;
  applied: SavedChange[];
  logs: string[];
  /** Milliseconds this browser's clock is ahead (negative: behind) of real time. */
  skew: number;
  save(paperId: string, fields?: Partial<ReadingListEntry>): Promise<ReadingListEntry>;
  edit(paperId: string, fields: { status?: ReadingStatus; notes?: string }): Promise<void>;
  remove(paperId: string): Promise<void>;
  entry(paperId: string): Promise<ReadingListEntry | undefined>;
  list(): Promise<ReadingListEntry[]>;
  /** Runs a sync round now. */
  sync(): Promise<void>;
}

export class World {
  readonly network = new SyncNetwork();
  /** Real time in the simulation. */
  time = T0;
  readonly browsers: SimBrowser[] = [];

  advance(ms: number) {
    this.time += ms;
  }

  browser(name: string, skew = 0): SimBrowser {
    const db = new MarginDatabase(`margin-sync-${name}-${++counter}-${Math.random().toString(36).slice(2)}`);
    const area = this.network.browser();
    const applied: SavedChange[] = [];
    const logs: string[] = [];
    const sim: SimBrowser = {
      name,
      db,
      area,
      applied,
      logs,
      skew,
      engine: undefined as unknown as SyncEngine,
      save: async (paperId, fields = {}) => {
        const now = this.time + sim.skew;
        const entry: ReadingListEntry = {
          paperId,
          arxivId: /^\d{4}\.\d{4,5}$/.test(paperId) ? paperId : null,
          title: `Paper ${paperId}`,
          authors: ['Ada Lovelace', 'Alan Turing'],
          year: 2024,
          published: '2024-01-02',
          abstract: 'An abstract that stays local.',
          categories: ['cs.LG'],
          status: 'to-read',
          notes: '',
          addedAt: now,
          updatedAt: now,
          ...fields,
        };
        await db.readingList.put(entry);
        return entry;
      },
      edit: async (paperId, fields) => {
        const entry = await db.readingList.get(paperId);
        if (!entry) throw new Error(`${name} has no entry ${paperId}`);
        await db.readingList.put({ ...entry, ...fields, updatedAt: this.time + sim.skew });
      },
      remove: async (paperId) => {
        await db.readingList.delete(paperId);
      },
      entry: (paperId) => db.readingList.get(paperId),
      list: async () => (await db.readingList.toArray()).sort((a, b) => (a.paperId < b.paperId ? -1 : 1)),
      sync: () => sim.engine.flush(),
    };
    sim.engine = new SyncEngine({
      db,
      area,
      now: () => this.time + sim.skew,
      random: Math.random,
      onApplied: (changes) => applied.push(...changes),
      log: (message) => logs.push(message),
      localDelayMs: 0,
      remoteDelayMs: 0,
    });
    this.browsers.push(sim);
    return sim;
  }

  /** Every browser syncs, the sync service meets, and every browser syncs again, until nothing changes. */
  async settle(rounds = 4) {
    for (let i = 0; i < rounds; i++) {
      for (const b of this.browsers) await b.sync();
      await this.network.deliver();
    }
    for (const b of this.browsers) await b.sync();
  }

  async dispose() {
    for (const b of this.browsers) {
      b.engine.stop();
      b.db.close();
      await b.db.delete();
    }
  }
}

/** What a user sees of an entry in the popup (the fields sync carries). */
export function visible(entry: ReadingListEntry | undefined) {
  return entry && { paperId: entry.paperId, title: entry.title, status: entry.status, notes: entry.notes, addedAt: entry.addedAt };
}
