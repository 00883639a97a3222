// Code passed to page.evaluate / worker.evaluate runs in extension contexts, where `chrome` exists.
import type { Browser } from 'wxt/browser';

declare global {
  const chrome: Browser;
}
