import { itemBytes } from './codec';
import { SYNC_LIMITS, type SyncLimits } from './plan';

/** The part of `browser.storage.sync` sync uses, so lib/sync runs against an in-memory stand-in in tests. */
export interface SyncArea {
  get(keys?: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Changes to the area, from this browser or synced from another one. */
  onChanged: {
    addListener(listener: AreaListener): void;
    removeListener(listener: AreaListener): void;
  };
}

export type AreaChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;
export type AreaListener = (changes: AreaChanges) => void;

/**
 * Browsers signed in to one account, each with its own copy of the sync area, as Chrome Sync runs them:
 * a write lands in the writer's copy at once (within Chrome's quotas) and reaches the others on `deliver()`,
 * item by item, the last write of an item winning. A browser can go offline to make edits concurrent.
 */
export class SyncNetwork {
  private readonly copies: MemorySyncArea[] = [];
  private sequence = 0;

  constructor(readonly limits: SyncLimits = SYNC_LIMITS) {}

  browser(): MemorySyncArea {
    const copy = new MemorySyncArea(this);
    this.copies.push(copy);
    return copy;
  }

  /** @internal */
  nextSequence(): number {
    return ++this.sequence;
  }

  /** Spreads every online browser's writes to the other online browsers; resolves once listeners were told. */
  async deliver(): Promise<void> {
    const online = this.copies.filter((copy) => copy.online);
    const latest = new Map<string, { value: unknown; sequence: number }>();
    for (const copy of online) {
      for (const [key, item] of copy.items) {
        const known = latest.get(key);
        if (!known || item.sequence > known.sequence) latest.set(key, item);
      }
    }
    for (const copy of online) copy.receive(latest);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

interface Item {
  value: unknown;
  /** Order of the write across all browsers; a removal is an item whose value is undefined. */
  sequence: number;
}

export class MemorySyncArea implements SyncArea {
  /** @internal */
  readonly items = new Map<string, Item>();
  online = true;
  private readonly listeners = new Set<AreaListener>();
  private readonly writes: number[] = [];
  writeCount = 0;

  constructor(private readonly network: SyncNetwork) {}

  private live(): Map<string, unknown> {
    return new Map([...this.items].filter(([, item]) => item.value !== undefined).map(([key, item]) => [key, item.value]));
  }

  async get(keys?: string[] | null): Promise<Record<string, unknown>> {
    const live = this.live();
    const wanted = keys ?? [...live.keys()];
    return structuredClone(Object.fromEntries(wanted.filter((key) => live.has(key)).map((key) => [key, live.get(key)])));
  }

  bytesInUse(): number {
    let total = 0;
    for (const [key, value] of this.live()) total += itemBytes(key, value);
    return total;
  }

  /** Chrome's write-rate quotas: a call over them is refused. */
  private countWrite() {
    const now = Date.now();
    const recent = this.writes.filter((t) => now - t < 3_600_000);
    const { writesPerMinute, writesPerHour } = this.network.limits;
    if (recent.filter((t) => now - t < 60_000).length >= writesPerMinute) throw new Error('Quota exceeded: MAX_WRITE_OPERATIONS_PER_MINUTE');
    if (recent.length >= writesPerHour) throw new Error('Quota exceeded: MAX_WRITE_OPERATIONS_PER_HOUR');
    this.writes.splice(0, this.writes.length, ...recent, now);
    this.writeCount++;
  }

  async set(values: Record<string, unknown>): Promise<void> {
    const { itemBytes: perItem, totalBytes, maxItems } = this.network.limits;
    const next = this.live();
    for (const [key, value] of Object.entries(values)) {
      if (itemBytes(key, value) > perItem) throw new Error(`Quota exceeded: QUOTA_BYTES_PER_ITEM (${key})`);
      next.set(key, structuredClone(value));
    }
    if (next.size > maxItems) throw new Error('Quota exceeded: MAX_ITEMS');
    let total = 0;
    for (const [key, value] of next) total += itemBytes(key, value);
    if (total > totalBytes) throw new Error('Quota exceeded: QUOTA_BYTES');
    this.countWrite();
    const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    for (const [key, value] of Object.entries(values)) {
      changes[key] = { oldValue: this.items.get(key)?.value, newValue: structuredClone(value) };
      this.items.set(key, { value: structuredClone(value), sequence: this.network.nextSequence() });
    }
    this.emit(changes);
  }

  async remove(keys: string[]): Promise<void> {
    this.countWrite();
    const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    for (const key of keys) {
      const old = this.items.get(key)?.value;
      if (old === undefined) continue;
      changes[key] = { oldValue: old };
      this.items.set(key, { value: undefined, sequence: this.network.nextSequence() });
    }
    this.emit(changes);
  }

  /** Writes another browser made, as the browser's sync service applies them: no quota check, no write count. */
  putForeign(values: Record<string, unknown>) {
    const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    for (const [key, value] of Object.entries(values)) {
      changes[key] = { oldValue: this.items.get(key)?.value, newValue: value };
      this.items.set(key, { value, sequence: this.network.nextSequence() });
    }
    this.emit(changes);
  }

  /** @internal */
  receive(latest: Map<string, Item>) {
    const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    for (const [key, item] of latest) {
      const mine = this.items.get(key);
      if (mine?.sequence === item.sequence) continue;
      this.items.set(key, item);
      if (mine?.value === item.value) continue;
      changes[key] = { oldValue: mine?.value, ...(item.value !== undefined ? { newValue: structuredClone(item.value) } : {}) };
    }
    this.emit(changes);
  }

  private emit(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) {
    if (!Object.keys(changes).length) return;
    for (const listener of this.listeners) queueMicrotask(() => listener(structuredClone(changes)));
  }

  readonly onChanged = {
    addListener: (listener: AreaListener) => void this.listeners.add(listener),
    removeListener: (listener: AreaListener) => void this.listeners.delete(listener),
  };
}
