/**
 * Search and related at one corpus size: round trips from the popup page, the engine alone in a page, cold start to
 * the first answer and the background's heap. The engine's answers are kept for the Node references to compare.
 */
import { heapBytes, timedMessages, withTimeout } from './browser';
import { COLD_ANSWERS, GOALS, log, PREFIXES, QUERIES, report, type SizeSpec } from './config';
import { fromSummary } from './report';
import type { Session } from './session';
import { MB, summarize } from './stats';

export interface BrowserSize {
  searchRt?: number[];
  relatedRt?: number[];
  engine?: { load: Record<string, unknown>; search: number[]; related: Array<{ id: string; ms: number; hits: string[] }> };
  relatedIds: string[];
}
export const browserResults = new Map<string, BrowserSize>();

export async function measureSize(s: Session, size: SizeSpec, relatedIds: string[]) {
  const result: BrowserSize = { relatedIds };
  browserResults.set(size.key, result);
  const group = `Search & related at ${size.label}`;

  // Users mostly meet a worker that restarted (it stops after ~30 s idle) and loaded the engine from the
  // persisted cache, not the one built in memory by an import: start from there.
  await s.worker.stop().catch((error: Error) => report.errors.push(`${size.key}: ${error.message}`));

  // Messaging floor: a reply that touches neither the engine nor the papers (one meta read).
  try {
    const requests = Array.from({ length: 30 }, () => ({ name: 'settings', data: {} }));
    await timedMessages(s.client, requests);
    const replies = await timedMessages(s.client, requests);
    report.add({ id: `message.${size.key}.floor`, group, label: `baseline: 'settings' message round trip (messaging floor)`, unit: 'ms', ...fromSummary(summarize(replies.map((r) => r.ms))) });
  } catch (error) {
    report.errors.push(`${size.key} baseline: ${(error as Error).message}`);
  }

  // Per-keystroke search, round trip from the popup page (one untimed pass warms the worker and its engine).
  log(`search: ${PREFIXES.length} keystrokes at ${size.label}`);
  const searchBase = {
    id: `search.${size.key}.rt`,
    group,
    label: `search per keystroke, popup → background round trip`,
    unit: 'ms',
    goal: size.key === '318' ? ({ stat: 'median', op: '<=', target: GOALS.search318Ms } as const) : size.key === '100k' ? ({ stat: 'p95', op: '<=', target: GOALS.search100kP95Ms } as const) : undefined,
  };
  try {
    const requests = PREFIXES.map((query) => ({ name: 'search', data: { query, limit: 50 } }));
    await withTimeout(timedMessages(s.client, requests), 300_000, 'search warm-up');
    const replies = await withTimeout(timedMessages(s.client, requests), 300_000, 'search');
    const failed = replies.filter((r) => !r.ok);
    result.searchRt = replies.map((r) => r.ms);
    report.add({ ...searchBase, ...fromSummary(summarize(result.searchRt)), note: failed.length ? `${failed.length} errors: ${failed[0]!.error}` : `${PREFIXES.length} prefixes of ${QUERIES.length} queries` });
  } catch (error) {
    report.missing(searchBase, (error as Error).message);
  }

  log(`related: paperView for ${relatedIds.length} corpus papers at ${size.label}`);
  const relatedBase = {
    id: `related.${size.key}.rt`,
    group,
    label: `related (paperView by arxivId), content-script-like round trip`,
    unit: 'ms',
    goal: size.key === '318' ? ({ stat: 'median', op: '<=', target: GOALS.related318Ms } as const) : size.key === '100k' ? ({ stat: 'p95', op: '<=', target: GOALS.related100kP95Ms } as const) : undefined,
  };
  try {
    const requests = relatedIds.map((arxivId) => ({ name: 'paperView', data: { arxivId } }));
    await withTimeout(timedMessages(s.client, requests), 300_000, 'related warm-up');
    const replies = await withTimeout(timedMessages(s.client, requests), 300_000, 'related');
    const failed = replies.filter((r) => !r.ok);
    const empty = replies.filter((r) => r.ok && !r.count).length;
    result.relatedRt = replies.map((r) => r.ms);
    report.add({ ...relatedBase, ...fromSummary(summarize(result.relatedRt)), note: `${failed.length ? `${failed.length} errors: ${failed[0]!.error}; ` : ''}${empty} of ${replies.length} with no suggestion` });
  } catch (error) {
    report.missing(relatedBase, (error as Error).message);
  }

  // Engine alone, in Chromium, from the indexes the background persisted.
  log(`engine alone (bench page) at ${size.label}`);
  const page = await s.l.context.newPage();
  try {
    await page.goto(`chrome-extension://${s.l.extensionId}/bench-engine.html`);
    await page.waitForFunction(() => !!(window as unknown as { __engineBench?: unknown }).__engineBench, null, { timeout: 20_000 });
    type EnginePage = {
      load: () => Promise<Record<string, unknown> & { ok: boolean; reason?: string }>;
      timeSearch: (p: string[]) => number[];
      timeRelated: (ids: string[]) => Promise<Array<{ id: string; ms: number; hits: string[] }>>;
    };
    const load = await withTimeout(page.evaluate(() => (window as unknown as { __engineBench: EnginePage }).__engineBench.load()), 300_000, 'engine load');
    if (!load.ok) throw new Error(`engine page: ${load.reason}`);
    report.add({
      id: `engine.${size.key}.load`,
      group,
      label: `engine alone: read persisted indexes + deserialize (page)`,
      unit: 'ms',
      value: load.totalMs as number,
      note: `read ${Number(load.readMs).toFixed(0)} ms + deserialize ${Number(load.deserializeMs).toFixed(0)} ms, ${Number(load.papers).toLocaleString('en')} papers`,
    });
    const search = await withTimeout(page.evaluate((p) => (window as unknown as { __engineBench: EnginePage }).__engineBench.timeSearch(p), PREFIXES), 300_000, 'engine search');
    const related = await withTimeout(page.evaluate((ids) => (window as unknown as { __engineBench: EnginePage }).__engineBench.timeRelated(ids), relatedIds), 300_000, 'engine related');
    result.engine = { load, search, related };
    report.add({ id: `search.${size.key}.engine`, group, label: `search per keystroke, engine alone (SearchIndex in page)`, unit: 'ms', ...fromSummary(summarize(search)) });
    report.add({ id: `related.${size.key}.engine`, group, label: `related, engine alone (RelatedIndex in page, k=5)`, unit: 'ms', ...fromSummary(summarize(related.map((r) => r.ms))) });
  } catch (error) {
    report.errors.push(`${size.key} engine page: ${(error as Error).message}`);
  } finally {
    await page.close();
  }

  // Cold start: worker stopped, then the first answer to a search.
  log(`cold start to first answer at ${size.label}, ${COLD_ANSWERS} times`);
  const coldBase = {
    id: `cold.${size.key}.firstAnswer`,
    group,
    label: `cold start: worker stopped → first search answer`,
    unit: 'ms',
    goal: size.key === '100k' ? ({ stat: 'median', op: '<=', target: GOALS.coldAnswer100kMs } as const) : undefined,
  };
  try {
    const samples: number[] = [];
    for (let i = 0; i < COLD_ANSWERS; i++) {
      await s.worker.stop();
      const [reply] = await withTimeout(timedMessages(s.client, [{ name: 'search', data: { query: QUERIES[i % QUERIES.length]!, limit: 50 } }]), 120_000, 'cold answer');
      if (!reply?.ok) throw new Error(`cold search failed: ${reply?.error}`);
      samples.push(reply.ms);
    }
    report.add({ ...coldBase, ...fromSummary(summarize(samples)) });
  } catch (error) {
    report.missing(coldBase, (error as Error).message);
  }

  // The background's JS heap with the engine loaded (after a cold start, then GC).
  const memBase = {
    id: `memory.${size.key}.background`,
    group,
    label: `background JS heap incl. ArrayBuffers, engine loaded (after GC)`,
    unit: 'MB',
    goal: size.key === '100k' ? ({ stat: 'value', op: '<=', target: GOALS.backgroundMB } as const) : undefined,
  };
  try {
    await timedMessages(s.client, [{ name: 'search', data: { query: 'diffusion', limit: 50 } }]);
    await s.heap.collectGarbage();
    const usage = await s.heap.usage();
    if (!usage) throw new Error('worker heap unavailable');
    report.add({
      ...memBase,
      value: heapBytes(usage) / MB,
      note: `JS objects ${(usage.usedSize / MB).toFixed(1)} MB + ArrayBuffers ${((usage.backingStorageSize ?? 0) / MB).toFixed(1)} MB`,
    });
  } catch (error) {
    report.missing(memBase, (error as Error).message);
  }
}
