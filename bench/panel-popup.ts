/** What a user waits for on screen: the paper panel on arXiv and Hugging Face, and the popup's search box. */
import { sleep, type PanelTiming } from './browser';
import { GOALS, log, report, SITES, type SizeSpec } from './config';
import { fromSummary, type Figure } from './report';
import type { Session } from './session';
import { summarize } from './stats';

async function panelLoads(s: Session, site: keyof typeof SITES, cold: boolean, loads: number): Promise<PanelTiming[]> {
  const page = await s.l.context.newPage();
  const out: PanelTiming[] = [];
  try {
    // One untimed load first: the fixture, the content script and (warm case) the engine are then in memory.
    for (let i = 0; i <= loads; i++) {
      if (cold) {
        // Park the tab first: its navigation wakes the worker (tabs.onUpdated), so stop it afterwards.
        await page.goto('about:blank');
        await sleep(100);
        await s.worker.stop();
      }
      await page.goto(SITES[site].url, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => {
        const b = (window as unknown as { __marginBench?: PanelTiming }).__marginBench;
        return !!b && b.content !== null && b.contentFrame !== null;
      }, null, { timeout: 30_000, polling: 50 });
      const timing = await page.evaluate(() => (window as unknown as { __marginBench: PanelTiming }).__marginBench);
      if (i > 0) out.push(timing);
    }
  } finally {
    await page.close();
  }
  return out;
}

export async function measurePanels(s: Session, size: SizeSpec, loads: number) {
  for (const site of ['arxiv', 'hf'] as const) {
    for (const cold of [false, true]) {
      const what = `${site === 'arxiv' ? 'arXiv abs' : 'HF paper'} ${cold ? 'cold' : 'warm'}`;
      const base = {
        id: `panel.${size.key}.${site}.${cold ? 'cold' : 'warm'}`,
        group: 'Panel: DOMContentLoaded → related list shown',
        label: `${what}, ${size.label}`,
        unit: 'ms',
        goal: { stat: 'median', op: '<=', target: cold ? GOALS.panelColdMs : GOALS.panelWarmMs },
      } satisfies Omit<Figure, 'value'>;
      log(`panel: ${what} at ${size.label}, ${loads} loads`);
      try {
        const timings = await panelLoads(s, site, cold, loads);
        const content = timings.map((t) => t.content! - t.dcl);
        const panel = timings.filter((t) => t.panel !== null).map((t) => t.panel! - t.dcl);
        const statuses = [...new Set(timings.map((t) => `${t.status}${t.related ? `×${t.related}` : ''}`))].join(', ');
        report.add({ ...base, ...fromSummary(summarize(content)), note: `panel frame (loading state) median ${summarize(panel).median.toFixed(0)} ms; shown: ${statuses}` });
        report.raw[base.id] = timings;
      } catch (error) {
        report.missing(base, (error as Error).message.split('\n')[0]!);
      }
    }
  }
}

export async function measurePopup(s: Session, loads: number) {
  for (const cold of [false, true]) {
    const n = cold ? Math.max(3, Math.ceil(loads / 2)) : loads;
    const base = {
      id: `popup.${cold ? 'cold' : 'warm'}`,
      group: 'Popup',
      label: `popup.html navigation start → search box focused & enabled (${cold ? 'worker stopped' : 'worker warm'})`,
      unit: 'ms',
    };
    log(`popup open (${cold ? 'cold' : 'warm'}), ${n} loads`);
    try {
      const page = await s.l.context.newPage();
      const samples: number[] = [];
      for (let i = 0; i <= n; i++) {
        if (cold) {
          await page.goto('about:blank');
          await s.worker.stop();
        }
        await page.goto(`chrome-extension://${s.l.extensionId}/popup.html`);
        await page.waitForFunction(() => (window as unknown as { __marginPopup?: { usable: number | null } }).__marginPopup?.usable != null, null, { timeout: 20_000, polling: 50 });
        const usable = await page.evaluate(() => (window as unknown as { __marginPopup: { usable: number } }).__marginPopup.usable);
        if (i > 0) samples.push(usable);
      }
      await page.close();
      report.add({ ...base, ...fromSummary(summarize(samples)) });
    } catch (error) {
      report.missing(base, (error as Error).message.split('\n')[0]!);
    }
  }
}
