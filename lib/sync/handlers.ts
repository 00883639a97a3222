import type { Handlers } from '../messaging/rpc';
import type { SyncStatus } from '../schema';
import { SYNC_LIMITS } from './plan';

/** What the background's message handlers need of sync (SyncEngine, or nothing where the browser has no sync storage). */
export interface SyncControl {
  status(): Promise<SyncStatus>;
  setEnabled(enabled: boolean): Promise<SyncStatus>;
}

const UNAVAILABLE: SyncStatus = {
  available: false,
  enabled: false,
  entriesSynced: 0,
  entriesLocal: 0,
  removalsSynced: 0,
  bytesUsed: 0,
  quotaBytes: SYNC_LIMITS.totalBytes,
  lastReceivedAt: null,
  lastSentAt: null,
  notSynced: { entries: 0, titles: [] },
  problems: [],
  error: null,
};

export function syncHandlers(sync: SyncControl | undefined): Pick<Handlers, 'syncStatus' | 'setSync'> {
  return {
    syncStatus: async () => (sync ? sync.status() : UNAVAILABLE),
    setSync: async ({ enabled }) => (sync ? sync.setEnabled(enabled) : UNAVAILABLE),
  };
}
