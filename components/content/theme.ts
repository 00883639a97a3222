/** The page's own scheme, read from what it paints, so the panel matches arXiv (light) and HF (light or dark). */
export function pageTheme(doc: Document): 'light' | 'dark' {
  const root = doc.documentElement;
  if (root.classList.contains('dark')) return 'dark';
  for (const element of [doc.body, root]) {
    if (!element) continue;
    const rgb = getComputedStyle(element).backgroundColor.match(/[\d.]+/g)?.map(Number);
    if (!rgb || rgb.length < 3 || rgb[3] === 0) continue;
    const [r, g, b] = rgb as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 110 ? 'dark' : 'light';
  }
  return 'light';
}

/** Calls back when the page switches scheme (HF's toggle flips a class; the OS setting flips the media query). */
export function watchTheme(doc: Document, signal: AbortSignal, onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(doc.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange, { signal });
  signal.addEventListener('abort', () => observer.disconnect());
}

/** Resolves with `read()`'s first non-null value, re-reading as the DOM changes; null on timeout or abort. */
export function waitFor<T>(read: () => T | null, signal: AbortSignal, timeoutMs: number): Promise<T | null> {
  const first = read();
  if (first !== null) return Promise.resolve(first);
  return new Promise((resolve) => {
    const finish = (value: T | null) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(value);
    };
    const observer = new MutationObserver(() => {
      const value = read();
      if (value !== null) finish(value);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    const timer = setTimeout(() => finish(read()), timeoutMs);
    signal.addEventListener('abort', () => finish(null));
  });
}
