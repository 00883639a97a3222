/**
 * For you, in the benchmark: the ranking of a 500-entry listing, the refit after a save and the popup's For-you tab,
 * as round trips from an extension page to the background (as the content script and the popup make them).
 * Three corpus papers are saved first and unsaved at the end; learning from browsing is off meanwhile, so the
 * listing's 500 papers do not join the corpus the later figures are measured on.
 */
import type { Page } from '@playwright/test';
import type { PagePaper, Paper } from '../lib/schema';
import { timedMessages } from './browser';
import { fromSummary, type Report } from './report';
import { spread, summarize } from './stats';

export const FORYOU_GOALS = { listingP95Ms: 50, refitP95Ms: 100, tabP95Ms: 100 };
const LISTING = 500;

/** A listing of new papers (ids not in any corpus) with the bundled papers' titles and abstracts. */
function listingOf(bundled: readonly Paper[]): Array<{ key: string; paper: PagePaper }> {
  return Array.from({ length: LISTING }, (_, i) => {
    const base = bundled[i % bundled.length]!;
    const arxivId = `2612.${String(10000 + i)}`;
    const title = i < bundled.length ? base.title : `${base.title} (v${Math.floor(i / bundled.length) + 1})`;
    return { key: arxivId, paper: { arxivId, title, abstract: base.abstract, authors: base.authors.slice(0, 5), categories: base.categories, published: '2026-12-01' } };
  });
}

export async function measureForYou(client: Page, size: { key: string; label: string }, bundled: readonly Paper[], rounds: number, report: Report, log: (s: string) => void) {
  const group = `For you at ${size.label}`;
  const ids = spread(bundled.filter((p) => p.arxivId).map((p) => p.id), 4);
  const saves = ids.slice(0, 3);
  const toggled = ids[3]!;
  const base = (id: string, label: string, target: number) => ({ id: `foryou.${size.key}.${id}`, group, label, unit: 'ms', goal: { stat: 'p95', op: '<=', target } as const });
  const listing = base('listing', `rank a ${LISTING}-entry listing (listingView round trip; painting not included)`, FORYOU_GOALS.listingP95Ms);
  const refit = base('refit', 'save a paper → For-you list refitted (forYou round trip after each save)', FORYOU_GOALS.refitP95Ms);
  const tab = base('tab', 'popup For-you tab (forYou round trip, reading list unchanged)', FORYOU_GOALS.tabP95Ms);
  log(`for you at ${size.label}: ${rounds} rounds`);
  try {
    const [settings] = await timedMessages(client, [{ name: 'settings', data: {} }]);
    if (!settings?.ok) throw new Error(settings?.error ?? 'settings failed');
    await timedMessages(client, [{ name: 'settings', data: { learnFromBrowsing: false } }, ...saves.map((paperId) => ({ name: 'setSaved', data: { paperId, saved: true } }))]);
    const request = { name: 'listingView', data: { entries: listingOf(bundled) } };
    // One untimed round: the vocabulary is learnt (or read back) and the saves are vectorized.
    await timedMessages(client, [request, { name: 'forYou', data: { limit: 30 } }]);
    const listed = await timedMessages(client, Array.from({ length: rounds }, () => request));
    report.add({ ...listing, ...fromSummary(summarize(listed.map((r) => r.ms))), note: listed.some((r) => !r.ok) ? `errors: ${listed.find((r) => !r.ok)!.error}` : undefined });

    const refits: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await timedMessages(client, [{ name: 'setSaved', data: { paperId: toggled, saved: i % 2 === 0 } }]);
      const [reply] = await timedMessages(client, [{ name: 'forYou', data: { limit: 30 } }]);
      refits.push(reply!.ms);
    }
    report.add({ ...refit, ...fromSummary(summarize(refits)) });
    const tabs = await timedMessages(client, Array.from({ length: rounds }, () => ({ name: 'forYou', data: { limit: 30 } })));
    report.add({ ...tab, ...fromSummary(summarize(tabs.map((r) => r.ms))), note: `${tabs[0]?.count ?? 0} papers listed` });
  } catch (error) {
    for (const figure of [listing, refit, tab]) if (!report.figures.some((f) => f.id === figure.id)) report.missing(figure, (error as Error).message.split('\n')[0]!);
  } finally {
    await timedMessages(client, [
      ...[...saves, toggled].map((paperId) => ({ name: 'setSaved', data: { paperId, saved: false } })),
      { name: 'settings', data: { learnFromBrowsing: true } },
    ]).catch(() => {});
  }
}
