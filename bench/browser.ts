/**
 * Real-Chromium half of the benchmark: the built extension in a fresh persistent profile, fixture pages
 * served at the real arxiv.org / huggingface.co URLs, and the instruments the product does not need:
 * in-page timers (init scripts), service-worker stop (CDP ServiceWorker.stopAllWorkers), worker and page
 * JS heaps (CDP Runtime.getHeapUsage). Process memory from /proc is in process-memory.ts.
 */
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SitePages = Record<string, string>;

export interface Launched {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  /** CDP session on a helper page: ServiceWorker and Target domains (stop the worker, reach its heap). */
  cdp: CDPSession;
  helper: Page;
  close: () => Promise<void>;
}

export async function launch(extensionDir: string, chromiumPath: string, sites: SitePages): Promise<Launched> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'margin-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: false,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless=new',
      '--no-sandbox',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // Every web request is answered locally: the fixture pages, and an empty 404 for the rest.
  await context.route(/^https?:\/\//, (route) => {
    const url = route.request().url();
    const body = sites[url] ?? sites[url.replace(/#.*$/, '')];
    if (body === undefined) return route.fulfill({ status: 404, contentType: 'text/plain', body: '' });
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
  });
  // tsx/esbuild wrap named functions in __name(); the page has no such helper, so the script brings its own.
  await context.addInitScript({ content: `(() => { const __name = (f) => f; (${instrument.toString()})(); })();` });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  const helper = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(helper);
  await cdp.send('ServiceWorker.enable');
  return {
    context,
    extensionId,
    userDataDir,
    cdp,
    helper,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs in every page before its own scripts (main world). On the paper sites it times DOMContentLoaded, the
 * panel's first render and the panel showing content (related list, "no related" message or an error),
 * watching inside the panel's open shadow root. On popup.html it times the search box being focused and enabled.
 */
function instrument() {
  const w = window as unknown as Record<string, unknown>;
  if (location.host === 'arxiv.org' || location.host === 'huggingface.co') {
    const b: Record<string, number | string | null> = { dcl: null, panel: null, content: null, contentFrame: null, status: null, related: null };
    w.__marginBench = b;
    document.addEventListener('DOMContentLoaded', () => (b.dcl = performance.now()), { capture: true, once: true });
    let inner: MutationObserver | null = null;
    const check = (root: ShadowRoot) => {
      if (b.panel === null && root.querySelector('[data-testid="margin-panel"]')) b.panel = performance.now();
      if (b.content !== null) return;
      const hit = root.querySelector('[data-testid="related-paper"], [data-testid="no-related"], .m-error');
      if (!hit) return;
      b.content = performance.now();
      b.status = hit.getAttribute('data-testid') ?? 'error';
      b.related = root.querySelectorAll('[data-testid="related-paper"]').length;
      requestAnimationFrame(() => (b.contentFrame = performance.now()));
      inner?.disconnect();
    };
    const outer = new MutationObserver(() => {
      const host = document.querySelector('margin-panel');
      if (!host?.shadowRoot || inner) return;
      const root = host.shadowRoot;
      inner = new MutationObserver(() => check(root));
      inner.observe(root, { childList: true, subtree: true, characterData: true });
      check(root);
      outer.disconnect();
    });
    outer.observe(document, { childList: true, subtree: true });
  } else if (location.protocol === 'chrome-extension:' && location.pathname === '/popup.html') {
    const b: Record<string, number | null> = { usable: null };
    w.__marginPopup = b;
    const check = () => {
      if (b.usable !== null) return true;
      const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]');
      if (input && document.activeElement === input && !input.disabled) b.usable = performance.now();
      return b.usable !== null;
    };
    document.addEventListener('focusin', check, true);
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
    // Focus from an effect causes no mutation and, in a background tab, maybe no focusin: poll each frame too.
    const poll = () => {
      if (!check()) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }
}

export interface PanelTiming {
  dcl: number;
  panel: number | null;
  content: number | null;
  contentFrame: number | null;
  status: string | null;
  related: number | null;
}

// ---- Service worker control -----------------------------------------------------------------------

interface WorkerVersion {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
}

export class WorkerControl {
  private versions: WorkerVersion[] = [];
  constructor(
    private readonly cdp: CDPSession,
    private readonly extensionId: string,
  ) {
    cdp.on('ServiceWorker.workerVersionUpdated', (event: { versions: WorkerVersion[] }) => {
      const byId = new Map(this.versions.map((v) => [v.versionId, v]));
      for (const v of event.versions) byId.set(v.versionId, v);
      this.versions = [...byId.values()];
    });
  }

  private ours(): WorkerVersion[] {
    return this.versions.filter((v) => v.scriptURL.startsWith(`chrome-extension://${this.extensionId}/`));
  }

  status(): string {
    return this.ours().map((v) => v.runningStatus).join(',') || 'unknown';
  }

  /** Stops the extension's service worker and waits until Chromium reports it stopped. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    while (Date.now() < deadline) {
      const ours = this.ours();
      if (ours.length && ours.every((v) => v.runningStatus === 'stopped')) return;
      await sleep(20);
    }
    throw new Error(`service worker did not stop (status ${this.status()})`);
  }
}

// ---- Heaps via CDP ------------------------------------------------------------------------------

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
  /** ArrayBuffer backing stores (typed-array indexes live here, outside usedSize). */
  backingStorageSize?: number;
  embedderHeapUsedSize?: number;
}

/** JS heap in use including ArrayBuffer backing stores. */
export function heapBytes(usage: HeapUsage | null | undefined): number {
  return usage ? usage.usedSize + (usage.backingStorageSize ?? 0) : 0;
}

/**
 * A worker's JS heap: the service worker's by default, or a dedicated worker of an extension page (the options
 * page's import worker) given its script's path. Playwright cannot open a CDP session on a worker, so this attaches to
 * the worker target (non-flattened) from a page's session and tunnels commands through Target.sendMessageToTarget.
 * Re-attaches whenever the worker was restarted; answers null while there is none.
 */
export class WorkerHeap {
  private sessionId: string | null = null;
  private targetId: string | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly cdp: CDPSession,
    private readonly extensionId: string,
    private readonly dedicated?: { pathPrefix: string },
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id !== undefined ? this.pending.get(message.id) : undefined;
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
    cdp.on('Target.detachedFromTarget', (event: { sessionId?: string }) => {
      if (event.sessionId === this.sessionId) this.sessionId = null;
    });
  }

  private async attach(): Promise<string | null> {
    const { targetInfos } = (await this.cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string; url: string; targetId: string }> };
    const prefix = `chrome-extension://${this.extensionId}/${this.dedicated?.pathPrefix ?? ''}`;
    const target = targetInfos.find((t) => t.type === (this.dedicated ? 'worker' : 'service_worker') && t.url.startsWith(prefix));
    if (!target) return null;
    if (this.sessionId && this.targetId === target.targetId) return this.sessionId;
    const { sessionId } = (await this.cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false } as never)) as { sessionId: string };
    this.sessionId = sessionId;
    this.targetId = target.targetId;
    return sessionId;
  }

  private async call<T>(method: string, params: object = {}, timeoutMs = 30_000): Promise<T | null> {
    const sessionId = await this.attach().catch(() => null);
    if (!sessionId) return null;
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      setTimeout(() => {
        if (this.pending.delete(id)) reject(new Error(`${method} timed out`));
      }, timeoutMs);
    });
    await this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) } as never).catch(() => {
      this.sessionId = null;
    });
    return (await result.catch(() => null)) as T | null;
  }

  /** The running worker's heap, or null when it is stopped. */
  async usage(): Promise<HeapUsage | null> {
    return this.call<HeapUsage>('Runtime.getHeapUsage', {}, 5000);
  }

  async collectGarbage(): Promise<void> {
    await this.call('HeapProfiler.collectGarbage', {}, 30_000);
  }
}

export async function pageHeap(cdp: CDPSession): Promise<HeapUsage | null> {
  return (await cdp.send('Runtime.getHeapUsage').catch(() => null)) as HeapUsage | null;
}

// ---- Messages -----------------------------------------------------------------------------------

export interface TimedReply {
  ms: number;
  ok: boolean;
  error?: string;
  count?: number;
}

/** Sends each request in turn from an extension page, timing the round trip there with performance.now(). */
export async function timedMessages(page: Page, requests: Array<{ name: string; data: unknown }>): Promise<TimedReply[]> {
  return page.evaluate(async (reqs) => {
    const out: Array<{ ms: number; ok: boolean; error?: string; count?: number }> = [];
    for (const { name, data } of reqs) {
      const started = performance.now();
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: unknown) => Promise<unknown> } } }).chrome.runtime;
      const reply = (await runtime.sendMessage({ margin: 1, name, data })) as { ok: boolean; data?: unknown; error?: string } | undefined;
      const ms = performance.now() - started;
      const value = reply?.data as { related?: unknown[] } | unknown[] | null | undefined;
      const count = Array.isArray(value) ? value.length : Array.isArray(value?.related) ? value.related.length : undefined;
      out.push({ ms, ok: !!reply?.ok, error: reply?.ok ? undefined : (reply?.error ?? 'no reply'), count });
    }
    return out;
  }, requests);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
