import type { SyncRecord } from '../schema';
import { encodePage, encodePieces, itemBytes, pageKey, pageText } from './codec';
import { syncPriority } from './record';

/** Chrome's storage.sync limits (Firefox's are the same or looser). */
export const SYNC_LIMITS = {
  totalBytes: 102_400,
  itemBytes: 8_192,
  maxItems: 512,
  writesPerMinute: 120,
  writesPerHour: 1_800,
};
export type SyncLimits = typeof SYNC_LIMITS;

export interface PlannedPage {
  key: string;
  /** The records' canonical text (compared with what a page already says). */
  text: string;
  value: string;
  bytes: number;
}

export interface SyncPlan {
  pages: PlannedPage[];
  bytes: number;
  included: SyncRecord[];
  /** Records that did not fit, in priority order: they stay in this browser only. */
  left: SyncRecord[];
}

async function encoded(index: number, records: SyncRecord[]): Promise<PlannedPage> {
  const key = pageKey(index);
  const text = pageText(records);
  const value = await encodePage(text);
  return { key, text, value, bytes: itemBytes(key, value) };
}

/**
 * Packs records into pages in priority order (removals, entries with notes, then the newest saves), each page
 * under the per-item limit, all of them under `budget` bytes and the item count. Deterministic: browsers holding
 * the same records plan the same pages. A record too large for a page of its own (a very long note) is split over
 * several items.
 */
export async function planPages(records: SyncRecord[], budget: number, limits: SyncLimits = SYNC_LIMITS, reservedItems = 0): Promise<SyncPlan> {
  const sorted = [...records].sort(syncPriority);
  const pages: PlannedPage[] = [];
  const included: SyncRecord[] = [];
  const left: SyncRecord[] = [];
  let bytes = 0;
  let i = 0;
  // Pages hold similar numbers of records: each search starts from the last page's count.
  let guess = 32;
  while (i < sorted.length && pages.length < limits.maxItems - reservedItems) {
    const capacity = Math.min(limits.itemBytes, budget - bytes);
    const remaining = sorted.length - i;
    const fits = async (count: number) => {
      const page = await encoded(pages.length, sorted.slice(i, i + count));
      return page.bytes <= capacity ? page : null;
    };
    const found = await largestFitting(fits, Math.min(guess, remaining), remaining);
    if (!found) {
      if (capacity < limits.itemBytes) break;
      // Too large for a page of its own (a very long note): split over several items, if they fit.
      const values = await encodePieces([sorted[i]!], limits.itemBytes - 10);
      const pieces = values.map((value, j) => ({ key: pageKey(pages.length + j), text: value, value, bytes: itemBytes(pageKey(pages.length + j), value) }));
      const size = pieces.reduce((sum, piece) => sum + piece.bytes, 0);
      if (bytes + size <= budget && pages.length + pieces.length <= limits.maxItems - reservedItems) {
        pages.push(...pieces);
        included.push(sorted[i]!);
        bytes += size;
      } else {
        left.push(sorted[i]!);
      }
      i++;
      continue;
    }
    pages.push(found.page);
    included.push(...sorted.slice(i, i + found.count));
    bytes += found.page.bytes;
    i += found.count;
    guess = found.count;
  }
  left.push(...sorted.slice(i));
  return { pages, bytes, included, left };
}

/** The largest count in [1, max] that `fits` (which holds for every count below one that fits), searched from `guess`. */
async function largestFitting(
  fits: (count: number) => Promise<PlannedPage | null>,
  guess: number,
  max: number,
): Promise<{ count: number; page: PlannedPage } | null> {
  let low = 0; // fits (0 trivially)
  let high = max + 1; // does not fit
  let best: PlannedPage | null = null;
  let probe = Math.max(1, guess);
  let step = Math.max(1, guess >> 3);
  // Gallop from the guess until the answer is bracketed, then bisect.
  while (high - low > 1) {
    const page = await fits(probe);
    if (page) {
      low = probe;
      best = page;
    } else {
      high = probe;
    }
    if (high - low <= 1) break;
    if (high > max) probe = Math.min(max, low + step);
    else if (low === 0) probe = Math.max(1, high - step);
    else probe = (low + high) >> 1;
    if (probe <= low || probe >= high) probe = (low + high) >> 1;
    step *= 2;
  }
  return best && low > 0 ? { count: low, page: best } : null;
}
