import type { AreaChanges, AreaListener, SyncArea } from './area';

/** The slice of `browser.storage` the adapter uses (passed in, so lib/ reads no extension globals). */
export interface BrowserStorage {
  sync?: {
    get(keys?: string[] | null): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
    remove(keys: string[]): Promise<void>;
  };
  onChanged: {
    addListener(listener: (changes: AreaChanges, areaName: string) => void): void;
    removeListener(listener: (changes: AreaChanges, areaName: string) => void): void;
  };
}

/** `browser.storage.sync` as a `SyncArea`, or null where the browser has no sync storage. */
export function browserSyncArea(storage: BrowserStorage | undefined): SyncArea | null {
  const sync = storage?.sync;
  if (!storage || !sync) return null;
  const wrapped = new Map<AreaListener, (changes: AreaChanges, areaName: string) => void>();
  return {
    get: (keys) => sync.get(keys ?? null),
    set: (items) => sync.set(items),
    remove: (keys) => sync.remove(keys),
    onChanged: {
      addListener(listener) {
        const onAreaChanged = (changes: AreaChanges, areaName: string) => {
          if (areaName === 'sync') listener(changes);
        };
        wrapped.set(listener, onAreaChanged);
        storage.onChanged.addListener(onAreaChanged);
      },
      removeListener(listener) {
        const onAreaChanged = wrapped.get(listener);
        if (onAreaChanged) storage.onChanged.removeListener(onAreaChanged);
        wrapped.delete(listener);
      },
    },
  };
}
