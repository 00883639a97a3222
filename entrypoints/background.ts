import { browser } from 'wxt/browser';
import { MarginDatabase } from '@/lib/db/database';
import { arxivIdFromUrl } from '@/lib/detect/page';
import { HOST_MATCHES, PAPER_LINK_PATTERNS } from '@/lib/hosts';
import { SavedChanged } from '@/lib/messaging/protocol';
import { createDispatcher, createTabClient } from '@/lib/messaging/rpc';
import { MarginService } from '@/lib/service/margin';
import { browserSyncArea } from '@/lib/sync/browser-area';
import { SyncEngine } from '@/lib/sync/engine';

export default defineBackground(() => {
  const db = new MarginDatabase();

  // Reading-list changes are sent in batches: a backup import of thousands of entries costs one message per tab.
  let pending: Array<{ paperId: string; saved: boolean }> = [];
  function broadcastSaved(paperId: string, saved: boolean) {
    pending.push({ paperId, saved });
    if (pending.length === 1) setTimeout(() => void flushSaved(), 0);
  }
  async function flushSaved() {
    const event = SavedChanged.parse({ margin: 1, event: 'savedChanged', changes: pending });
    pending = [];
    // Extension pages (popup, options) and the content scripts of open arXiv/HF tabs.
    browser.runtime.sendMessage(event).catch(() => {});
    for (const tab of await browser.tabs.query({ url: HOST_MATCHES })) {
      if (tab.id !== undefined) browser.tabs.sendMessage(tab.id, event).catch(() => {});
    }
    const [active] = await browser.tabs.query({ active: true, currentWindow: true });
    if (active) void updateBadge(active.id, active.url);
  }

  // The reading list follows the user's browser account (docs/sync.md); changes from other browsers update open pages.
  const sync = new SyncEngine({
    db,
    area: browserSyncArea(browser.storage),
    onApplied: (changes) => changes.forEach(({ paperId, saved }) => broadcastSaved(paperId, saved)),
    log: (message) => console.warn(message),
  });
  sync.start();

  const service = new MarginService(db, {
    loadBundledCorpus: async () => (await fetch(browser.runtime.getURL('/corpus.json'))).json(),
    onSavedChanged: broadcastSaved,
    sync,
    openSearch: async ({ topic, query }) => {
      const params = new URLSearchParams();
      if (topic) params.set('topic', topic);
      if (query) params.set('q', query);
      await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html?${params}`) });
    },
  });
  const dispatch = createDispatcher(service.handlers());
  const askTab = createTabClient((tabId, message) => browser.tabs.sendMessage(tabId, message));

  browser.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    // Tab events are for content scripts and pages, not requests to answer here.
    if ((message as { event?: unknown } | null)?.event) return false;
    dispatch(message).then(sendResponse);
    return true;
  });

  // Installing the corpus starts with the worker, so the first page after install is annotated.
  service.installCorpus().catch((error) => console.error('Margin: installing the corpus failed', error));

  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({
      id: 'margin-save-link',
      title: 'Save paper to Margin',
      contexts: ['link'],
      targetUrlPatterns: PAPER_LINK_PATTERNS,
    });
  });

  browser.contextMenus.onClicked.addListener(async (info) => {
    const arxivId = info.linkUrl ? arxivIdFromUrl(info.linkUrl) : null;
    if (!arxivId) return;
    // Adding from a link never removes: an already-saved paper stays saved.
    await service.saveById(arxivId).catch((error) => console.warn('Margin: could not save', error));
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'toggle-save') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (!tab?.id) return;
    // The content script knows the page's paper (even one outside the corpus); PDF tabs have none.
    const handled = await askTab(tab.id, 'toggleSave').catch(() => false);
    if (handled) return;
    const arxivId = tab.url ? arxivIdFromUrl(tab.url) : null;
    const paper = arxivId ? await service.findPaper(arxivId) : undefined;
    if (!paper) return;
    const saved = !!(await db.readingList.get(paper.id));
    await service.setSaved(undefined, paper.id, !saved);
  });

  // Firefox builds are MV2, where the toolbar button is `browserAction`.
  const toolbar = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;

  /** The toolbar knows the tab's paper from its URL alone, so PDF tabs (no content script) get it too. */
  async function updateBadge(tabId: number | undefined, url: string | undefined) {
    if (tabId === undefined) return;
    const arxivId = url ? arxivIdFromUrl(url) : null;
    let text = '';
    if (arxivId) {
      const paper = await service.findPaper(arxivId).catch(() => undefined);
      const saved = !!(await db.readingList.get(paper?.id ?? arxivId).catch(() => undefined));
      text = saved ? '✓' : '•';
    }
    await toolbar.setBadgeBackgroundColor({ tabId, color: '#6b4fbb' }).catch(() => {});
    await toolbar.setBadgeText({ tabId, text }).catch(() => {});
  }

  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // The PDF viewer reports its title after loading: one more chance past any navigation reset.
    if (change.url || change.status === 'complete' || change.title) void updateBadge(tabId, tab.url);
  });
  browser.tabs.onActivated.addListener(async ({ tabId }) => {
    const tab = await browser.tabs.get(tabId).catch(() => undefined);
    void updateBadge(tabId, tab?.url);
  });
});
