/** The end of a run: figures in a fixed order, bench/results.json, and the goals table on stdout. */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { COLD_ANSWERS, GOALS, LOADS, OUT, PREFIXES, QUERIES, QUICK, RELATED_COUNT, report, ROOT, started } from './config';
import { renderTable, type Figure, type machine } from './report';

export function writeResults(meta: ReturnType<typeof machine>, chromiumVersion: string) {
  const order = (id: string) => {
    const groups = ['size.', 'panel.318', 'popup.', 'message.318', 'search.318', 'related.318', 'engine.318', 'cold.318', 'memory.318', 'import.10k', 'message.10k', 'search.10k', 'related.10k', 'engine.10k', 'cold.10k', 'memory.10k', 'import.100k', 'message.100k', 'search.100k', 'related.100k', 'engine.100k', 'cold.100k', 'memory.100k', 'panel.100k'];
    const i = groups.findIndex((g) => id.startsWith(g));
    return i < 0 ? groups.length : i;
  };
  const figures = [...report.figures].sort((a, b) => order(a.id) - order(b.id));
  const seconds = (performance.now() - started) / 1000;
  const results = {
    date: new Date().toISOString(),
    ...meta,
    loadAverageAtEnd: loadavg(),
    mode: QUICK ? 'quick' : 'full',
    durationSeconds: Math.round(seconds),
    samples: { loads: LOADS, keystrokes: PREFIXES.length, queries: QUERIES, relatedQueries: RELATED_COUNT, coldAnswers: COLD_ANSWERS },
    goals: GOALS,
    figures,
    failed: figures.filter((f) => f.pass === false || (f.goal && f.pass === null)).map((f) => f.id),
    errors: report.errors,
    raw: report.raw,
  };
  writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');

  const groupsInOrder: Figure[] = [];
  const seen = new Set<string>();
  for (const f of figures) if (!seen.has(f.group)) seen.add(f.group);
  for (const g of seen) groupsInOrder.push(...figures.filter((f) => f.group === g));
  console.log(`\nMargin benchmark — ${results.date} — commit ${meta.commit.slice(0, 10)}${meta.dirty ? ' (dirty)' : ''} — ${results.mode} run in ${results.durationSeconds} s`);
  console.log(`${meta.machine.cpuModel} × ${meta.machine.cores}, ${meta.machine.memoryGB} GB RAM, ${chromiumVersion}, Node ${process.version}; load average ${meta.machine.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')} at start\n`);
  console.log(renderTable(groupsInOrder));
  const failed = figures.filter((f) => f.pass === false);
  const unknown = figures.filter((f) => f.goal && f.pass === null);
  console.log(`\n${figures.filter((f) => f.pass === true).length} goals met, ${failed.length} missed${unknown.length ? `, ${unknown.length} not measured` : ''}. Ratios: Margin engine alone (in Chromium) / reference (in Node), medians, same papers and queries.`);
  if (report.errors.length) console.log(`\nErrors:\n${report.errors.map((e) => `  - ${e.split('\n')[0]}`).join('\n')}`);
  console.log(`\nWrote ${OUT.slice(ROOT.length + 1)}`);
}
