import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectPage, type PageInfo } from '@/lib/detect/page';
import { readListing, readPaper, type ListingEntry, type SiteReaders } from '@/lib/detect/extract';
import { createLightClient, createTabListener, RpcError } from '@/lib/messaging/call';
import type { ListingEntryView } from '@/lib/messaging/protocol';
import type { PagePaper, TopicTag } from '@/lib/schema';
import { ForYouSort } from '../ForYouSort';
import { ListingAnnotation } from '../ListingAnnotation';
import { Panel, type PanelState } from '../Panel';
import { listingOrder } from './listing-order';
import { panelPlace } from './placement';
import { mountShadow, type ShadowMount } from './shadow';
import { pageTheme, waitFor, watchTheme } from './theme';

const call = createLightClient((message) => browser.runtime.sendMessage(message));
const COLLAPSED_KEY = 'margin:panelCollapsed';

function errorText(error: unknown): string {
  return error instanceof RpcError ? error.message : 'Margin could not load related work for this page.';
}

function openTopic(tag: TopicTag) {
  call('openSearch', { topic: tag.id }).catch(() => {});
}

interface Run {
  signal: AbortSignal;
  readers: SiteReaders;
  /** The title of the paper the previous run annotated: after a client-side navigation, the DOM may still show it. */
  previousTitle: string | null;
  title?: string;
  /** The paper this run annotates, for the popup to show papers outside the corpus. */
  paper?: PagePaper;
  onSaved: (paperId: string, saved: boolean) => void;
  toggleSave?: () => boolean;
}

async function annotatePaper(page: PageInfo, run: Run) {
  const extracted = await waitFor(() => {
    const paper = readPaper(run.readers, document, page);
    return paper && paper.title !== run.previousTitle ? paper : null;
  }, run.signal, 5000);
  if (!extracted || run.signal.aborted) return;
  run.title = extracted.title;
  run.paper = extracted;
  const paper = extracted;
  const anchor = panelPlace(document, page);
  if (!anchor) return;
  const mount = mountShadow('margin-panel', anchor.element, anchor.position, 'panel');
  run.signal.addEventListener('abort', () => {
    render(null, mount.container);
    mount.remove();
  });

  let collapsed = ((await browser.storage.local.get(COLLAPSED_KEY).catch(() => ({}))) as Record<string, unknown>)[COLLAPSED_KEY] === true;
  let state: PanelState = { status: 'loading' };
  let theme = pageTheme(document);
  let paperId: string | null = null;

  const draw = () => {
    if (run.signal.aborted) return;
    render(
      <Panel
        state={state}
        collapsed={collapsed}
        theme={theme}
        fallbackCategories={paper.categories}
        pageVersion={paper.version ?? page.version}
        onToggleCollapsed={() => {
          collapsed = !collapsed;
          browser.storage.local.set({ [COLLAPSED_KEY]: collapsed }).catch(() => {});
          draw();
        }}
        onToggleSave={(saved) => void setSaved(saved)}
        onToggleNotInterested={(on) => void setNotInterested(on)}
        onSelectTopic={openTopic}
      />,
      mount.container,
    );
  };

  const setSaved = async (saved: boolean) => {
    if (state.status !== 'ready') return;
    state = { ...state, saving: true, saveError: undefined };
    draw();
    try {
      const result = await call('setSaved', { page: paper, saved });
      if (state.status === 'ready') state = { ...state, saving: false, view: { ...state.view, saved: result.saved } };
    } catch (error) {
      if (state.status === 'ready') state = { ...state, saving: false, saveError: errorText(error) };
    }
    draw();
  };

  const setNotInterested = async (on: boolean) => {
    if (state.status !== 'ready') return;
    try {
      const result = await call('setNotInterested', { page: paper, notInterested: on });
      if (state.status === 'ready') state = { ...state, view: { ...state.view, notInterested: result.notInterested } };
    } catch (error) {
      if (state.status === 'ready') state = { ...state, saveError: errorText(error) };
    }
    draw();
  };

  run.onSaved = (id, saved) => {
    if (state.status !== 'ready') return;
    const view = state.view;
    state = {
      ...state,
      view: {
        ...view,
        saved: id === paperId ? saved : view.saved,
        related: view.related.map((item) => (item.paper.id === id ? { ...item, paper: { ...item.paper, saved } } : item)),
      },
    };
    draw();
  };
  run.toggleSave = () => {
    if (state.status !== 'ready') return false;
    void setSaved(!state.view.saved);
    return true;
  };

  watchTheme(document, run.signal, () => {
    theme = pageTheme(document);
    draw();
  });
  // Client-side renderers (HF's Svelte hydration) may replace the subtree the panel sits in.
  const observer = new MutationObserver(() => mount.ensureAttached());
  observer.observe(document.body, { childList: true, subtree: true });
  run.signal.addEventListener('abort', () => observer.disconnect());

  draw();
  try {
    const view = await call('paperView', { page: paper, arxivId: page.arxivId ?? undefined });
    if (run.signal.aborted) return;
    if (!view) {
      mount.remove();
      return;
    }
    paperId = view.paper.id;
    state = { status: 'ready', view };
  } catch (error) {
    state = { status: 'error', message: errorText(error) };
  }
  draw();
}

async function annotateListing(page: PageInfo, run: Run) {
  // Client-rendered lists (HF) may fill in after the URL changes.
  const entries = (await waitFor(() => {
    const found = readListing(run.readers, document, page);
    return found.length ? found : null;
  }, run.signal, 5000)) ?? [];
  if (!entries.length || run.signal.aborted) return;
  // One request for the whole page, however many entries it lists; asked again when a save or a "not interested"
  // changes what the ranking knows.
  const request = () => call('listingView', { entries: entries.map((entry) => ({ key: entry.key, paper: entry.paper })) });
  let views: ListingEntryView[];
  try {
    views = await request();
  } catch {
    return;
  }
  if (run.signal.aborted) return;
  const theme = pageTheme(document);
  const byKey = new Map(views.map((view) => [view.key, view]));
  const mounted: Array<{ entry: ListingEntry; mount: ShadowMount; view: ListingEntryView; busy: boolean }> = [];

  const draw = (item: (typeof mounted)[number]) =>
    render(
      <ListingAnnotation
        view={item.view}
        title={item.entry.paper.title}
        arxivId={item.entry.paper.arxivId}
        theme={theme}
        busy={item.busy}
        onSelectTopic={openTopic}
        onToggleSave={(saved) => void change(item, () => call('setSaved', { page: item.entry.paper, saved }))}
        onToggleNotInterested={(on) => void change(item, () => call('setNotInterested', { page: item.entry.paper, notInterested: on }))}
      />,
      item.mount.container,
    );

  /** A save or "not interested" from this page: the toggle shows the stored state, then every entry is ranked again. */
  const change = async (item: (typeof mounted)[number], send: () => Promise<unknown>) => {
    item.busy = true;
    draw(item);
    try {
      await send();
    } catch {
      // Nothing changed: the refresh below shows the stored state.
    }
    item.busy = false;
    await refresh();
  };

  for (const entry of entries) {
    const view = byKey.get(entry.key);
    if (!view) continue;
    const item = { entry, mount: mountShadow('margin-annotation', entry.anchor, 'after', 'listing'), view, busy: false };
    mounted.push(item);
    draw(item);
  }
  const order = listingOrder(mounted.map((item) => item.entry.anchor));
  let sorted = false;
  let wasSorted = false;
  const sortbar = mountShadow('margin-sort', order.nodes(0)[0]!.parentElement ?? order.nodes(0)[0]!, 'before', 'sort');
  const arrange = () => {
    if (sorted) order.sort(mounted.map((item) => (item.view.notInterested ? -1 : (item.view.foryou ?? 0))));
    else if (wasSorted) order.restore();
    wasSorted = sorted;
    mounted.forEach((item, i) => {
      for (const node of order.nodes(i)) (node as HTMLElement).style.opacity = item.view.notInterested ? '0.5' : '';
    });
    const ranked = mounted.some((item) => item.view.foryou !== undefined);
    render(
      ranked ? (
        <ForYouSort theme={theme} sorted={sorted} marks={mounted.filter((item) => item.view.reason).length} onToggle={() => ((sorted = !sorted), arrange())} />
      ) : null,
      sortbar.container,
    );
  };
  const refresh = async () => {
    try {
      const fresh = new Map((await request()).map((view) => [view.key, view]));
      for (const item of mounted) item.view = fresh.get(item.entry.key) ?? item.view;
    } catch {
      // The page keeps what it showed.
    }
    if (run.signal.aborted) return;
    mounted.forEach(draw);
    arrange();
  };
  arrange();
  let pending: ReturnType<typeof setTimeout> | undefined;
  run.onSaved = (paperId, saved) => {
    for (const item of mounted) {
      if (item.entry.paper.arxivId === paperId || item.entry.key === paperId) {
        item.view = { ...item.view, saved };
        draw(item);
      }
    }
    // A save anywhere changes the ranking; a burst of them costs one request.
    clearTimeout(pending);
    pending = setTimeout(() => void refresh(), 150);
  };
  run.signal.addEventListener('abort', () => {
    clearTimeout(pending);
    order.restore();
    render(null, sortbar.container);
    sortbar.remove();
    for (const item of mounted) {
      render(null, item.mount.container);
      item.mount.remove();
    }
  });
}

/**
 * Runs Margin on the current page and again after every client-side navigation, tearing
 * the previous run down first so a stale panel never outlives its page.
 */
export function runMargin(ctx: ContentScriptContext, readers: SiteReaders) {
  if (document.documentElement.hasAttribute('data-margin-loaded')) return;
  document.documentElement.setAttribute('data-margin-loaded', '');
  ctx.onInvalidated(() => document.documentElement.removeAttribute('data-margin-loaded'));

  let controller: AbortController | null = null;
  let run: Run | null = null;
  // An updated or removed extension takes its UI with it.
  ctx.onInvalidated(() => controller?.abort());

  const start = (url: string) => {
    controller?.abort();
    controller = new AbortController();
    const page = detectPage(url);
    run = { signal: controller.signal, readers, onSaved: () => {}, previousTitle: run?.title ?? null };
    if (!page) return;
    const current = run;
    const work =
      page.kind === 'arxiv-abs' || page.kind === 'arxiv-html' || page.kind === 'hf-paper'
        ? annotatePaper(page, current)
        : page.kind === 'arxiv-pdf'
          ? Promise.resolve()
          : annotateListing(page, current);
    work.catch((error) => console.warn('Margin:', error));
  };

  const onTabEvent = createTabListener({
    savedChanged: ({ changes }) => {
      for (const change of changes) run?.onSaved(change.paperId, change.saved);
    },
    getPaper: () => run?.paper ?? null,
    toggleSave: () => run?.toggleSave?.() ?? false,
  });
  browser.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => onTabEvent(message, sendResponse));

  ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => start(newUrl.href));
  start(location.href);
}
