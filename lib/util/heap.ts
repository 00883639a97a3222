/**
 * Binary-heap steps for the bounded top-k lists of search and related papers: the root holds the
 * worst kept item, so a better candidate replaces it in O(log k).
 */
export function siftUp<T>(h: T[], i: number, worse: (a: T, b: T) => boolean): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!worse(h[i]!, h[p]!)) break;
    const t = h[i]!;
    h[i] = h[p]!;
    h[p] = t;
    i = p;
  }
}

export function siftDown<T>(h: T[], i: number, worse: (a: T, b: T) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && worse(h[l]!, h[m]!)) m = l;
    if (r < h.length && worse(h[r]!, h[m]!)) m = r;
    if (m === i) return;
    const t = h[i]!;
    h[i] = h[m]!;
    h[m] = t;
    i = m;
  }
}
