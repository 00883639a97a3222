/**
 * Margin benchmark: what users feel, in real Chromium, against reference libraries in the same run.
 *
 *   npm run bench               full run (318, 10k and 100k papers), under 10 minutes on a 2-core machine
 *   npm run bench -- --quick    smaller samples, no 100k (for iteration)
 *   options: --loads N (panel/popup loads per case, default 20), --skip-build, --out bench/results.json
 *
 * Builds the extension into its own folder (bench/tmp/output, so parallel work on .output is untouched),
 * generates the synthetic snapshots when missing, then measures in headless Chromium with the built
 * extension. Prints progress on stderr, a table on stdout, and writes bench/results.json.
 * Figures are measured, never asserted: a missed goal is a FAIL row, not a failed command.
 * This file is the order of the run; each section is a module in bench/ (see bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, LOADS, log, QUICK, RELATED_COUNT, report, ROOT, SIZES, started, type SizeSpec } from '../bench/config';
import { measureReferences } from '../bench/engine-in-node';
import { measureForYou } from '../bench/foryou';
import { importViaOptions } from '../bench/import-memory';
import { measurePanels, measurePopup } from '../bench/panel-popup';
import { loadBundled } from '../bench/reference';
import { machine } from '../bench/report';
import { writeResults } from '../bench/results-table';
import { measureSize } from '../bench/search-related';
import { openSession, type Session } from '../bench/session';
import { buildExtension, ensureData, syntheticIds } from '../bench/setup';
import { contentScriptSizes } from '../bench/sizes';
import { spread } from '../bench/stats';
import { taggingTime } from '../bench/tagging';

async function main() {
  const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'unknown';
  const meta = machine(chromiumVersion);
  log(`${QUICK ? 'quick' : 'full'} run on ${meta.machine.cpuModel} × ${meta.machine.cores}, ${meta.machine.memoryGB} GB, ${chromiumVersion}, load average ${loadavg()[0]!.toFixed(1)}`);
  await buildExtension();
  ensureData();
  contentScriptSizes();

  const bundled = await loadBundled(join(ROOT, 'public', 'corpus.json'));
  taggingTime(bundled);
  const bundledIds = bundled.filter((p) => p.arxivId).map((p) => p.arxivId!);
  const relatedIdsFor = async (size: SizeSpec) =>
    size.file ? [...spread(bundledIds, Math.ceil(RELATED_COUNT / 2)), ...(await syntheticIds(size.file, Math.floor(RELATED_COUNT / 2)))] : spread(bundledIds, RELATED_COUNT);

  // Profile 1: bundled corpus, then the 10k import on top of it.
  let session: Session | null = null;
  try {
    log('launching Chromium (profile 1)');
    session = await openSession();
    await measurePanels(session, SIZES[0]!, LOADS);
    await measurePopup(session, LOADS);
    await measureSize(session, SIZES[0]!, await relatedIdsFor(SIZES[0]!));
    await measureForYou(session.client, SIZES[0]!, bundled, LOADS, report, log);
    if (await importViaOptions(session, SIZES[1]!)) await measureSize(session, SIZES[1]!, await relatedIdsFor(SIZES[1]!));
  } catch (error) {
    report.errors.push(`profile 1: ${(error as Error).stack ?? error}`);
    log(`profile 1 failed: ${(error as Error).message}`);
  } finally {
    await session?.l.close();
  }

  // Profile 2: a fresh profile importing 100k.
  if (!QUICK) {
    session = null;
    try {
      log('launching Chromium (profile 2)');
      session = await openSession();
      if (await importViaOptions(session, SIZES[2]!)) {
        await measureSize(session, SIZES[2]!, await relatedIdsFor(SIZES[2]!));
        await measureForYou(session.client, SIZES[2]!, bundled, LOADS, report, log);
        // Keep the whole run near 10 minutes: fewer loads at 100k when the import was slow.
        const late = performance.now() - started > 420_000;
        await measurePanels(session, SIZES[2]!, late ? Math.max(5, Math.ceil(LOADS / 2)) : LOADS);
      } else report.errors.push('100k: import did not finish; search, related and panel figures at 100k not measured');
    } catch (error) {
      report.errors.push(`profile 2: ${(error as Error).stack ?? error}`);
      log(`profile 2 failed: ${(error as Error).message}`);
    } finally {
      await session?.l.close();
    }
  }

  // References in Node, on the same papers, queries and query papers.
  await measureReferences(bundled);

  writeResults(meta, chromiumVersion);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
