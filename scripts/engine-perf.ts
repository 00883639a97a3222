/**
 * Engine scale check in Node (a proxy for the background service worker):
 *
 *   node --expose-gc --import tsx scripts/engine-perf.ts [--sizes 318,10k,100k] [--json out.json]
 *
 * For each corpus size it builds the engine the way `Engine.load` does (pages of 5000, never the whole
 * corpus in memory), then prints:
 * - build time split into tagging, search index and related index (streaming parse excluded);
 * - retained memory after build (V8 heap + array buffers, after GC, papers dropped);
 * - related() and search() per-query p50/p95 (search: every keystroke of title prefixes, plus typos);
 * - cold start: structured clone of both serialized indexes (what IndexedDB stores), then
 *   deserialize + first related + first search answer.
 *
 * Corpora: 318 = public/corpus.json; 10k / 100k = bench/data/synthetic-{10k,100k}.jsonl
 * (generate with `npx tsx scripts/gen-synthetic.ts --count 100000 --out bench/data/synthetic-100k.jsonl`).
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { readPapers } from '../lib/import/snapshot';
import type { Paper } from '../lib/schema';
import { BundledCorpus } from '../lib/schema';
import { Engine } from '../lib/service/engine';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = 5000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const gc = (globalThis as { gc?: () => void }).gc;
function settle(): void {
  if (!gc) return;
  for (let i = 0; i < 3; i++) gc();
}
async function retainedMb(): Promise<{ heap: number; buffers: number; total: number }> {
  // Array buffers are swept off the main thread after a GC: collect, let the sweeper run, collect again.
  settle();
  await new Promise((r) => setTimeout(r, 200));
  settle();
  const m = process.memoryUsage();
  const heap = m.heapUsed / 2 ** 20;
  const buffers = m.arrayBuffers / 2 ** 20;
  return { heap, buffers, total: heap + buffers };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** Pages of papers, streamed (only one page is alive at a time). */
async function* pages(size: string): AsyncGenerator<Paper[]> {
  if (size === '318') {
    const corpus = BundledCorpus.parse(JSON.parse(readFileSync(join(ROOT, 'public/corpus.json'), 'utf8')));
    yield corpus.papers;
    return;
  }
  const file = join(ROOT, `bench/data/synthetic-${size}.jsonl`);
  if (!existsSync(file)) throw new Error(`${file} is missing: npx tsx scripts/gen-synthetic.ts --count … --out ${file}`);
  const stream = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  let buf: Paper[] = [];
  for await (const batch of readPapers(stream, { batchSize: 1000 })) {
    buf.push(...batch.papers);
    if (buf.length >= PAGE) {
      yield buf.slice(0, PAGE);
      buf = buf.slice(PAGE);
    }
  }
  if (buf.length) yield buf;
}

interface Result {
  size: string;
  papers: number;
  buildMs: { tag: number; search: number; related: number; total: number; parse: number; cpuWithParse: number };
  memMb: { heap: number; buffers: number; total: number; baseline: number; afterQueries: number; buildPeak: number };
  related: { p50: number; p95: number; avgHits: number; queries: number };
  search: { p50: number; p95: number; queries: number };
  cold: { cloneMs: number; deserializeMs: number; firstAnswerMs: number; serializedMb: number };
}

async function run(size: string): Promise<Result> {
  settle();
  const base = (await retainedMb()).total;
  const queries: Paper[] = [];
  let seen = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let engine: Engine | null = null;
  const builder = Engine.builder();
  /** Highest heap + array buffers seen between pages (no forced GC: an upper estimate of the build's peak). */
  let peak = 0;
  for await (const page of pages(size)) {
    for (const p of page) if (seen++ % 97 === 0 && queries.length < 400) queries.push(structuredClone(p));
    builder.addPage(page);
    const m = process.memoryUsage();
    peak = Math.max(peak, (m.heapUsed + m.arrayBuffers) / 2 ** 20);
  }
  engine = builder.finish();
  const wall = performance.now() - t0;
  {
    const m = process.memoryUsage();
    peak = Math.max(peak, (m.heapUsed + m.arrayBuffers) / 2 ** 20);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const bt = builder.timings;
  const indexMs = bt.tag + bt.search + bt.related;
  const mem = await retainedMb();

  // Related: one query per sampled paper, warm-up excluded.
  const relTimes: number[] = [];
  let hits = 0;
  for (const q of queries.slice(0, 10)) engine.related(q, 10);
  for (const q of queries) {
    const t = performance.now();
    hits += engine.related(q, 10).length;
    relTimes.push(performance.now() - t);
  }

  // Search: every keystroke of the first two title words, and a typo'd word.
  const keystrokes: string[] = [];
  for (const q of queries.slice(0, 60)) {
    const words = q.title.toLowerCase().split(/\s+/).filter((w) => w.length > 2).slice(0, 2);
    const text = words.join(' ');
    for (let i = 1; i <= text.length; i++) keystrokes.push(text.slice(0, i));
    const w = words[0];
    if (w && w.length >= 5) keystrokes.push(w.slice(0, 2) + w[3] + w[2] + w.slice(4));
  }
  for (const s of keystrokes.slice(0, 20)) engine.search(s, { limit: 20 });
  const searchTimes: number[] = [];
  for (const s of keystrokes) {
    const t = performance.now();
    engine.search(s, { limit: 20 });
    searchTimes.push(performance.now() - t);
  }

  const memAfterQueries = await retainedMb();
  // Cold start: serialize → structured clone (IndexedDB) → deserialize → first answers.
  const ser = engine.serialize();
  const serBytes = (await import('node:v8')).serialize(ser).byteLength;
  let t = performance.now();
  const cloned = structuredClone(ser);
  const cloneMs = performance.now() - t;
  engine = null;
  t = performance.now();
  const cold = Engine.fromSerialized(cloned.search, cloned.related);
  const deserializeMs = performance.now() - t;
  cold.related(queries[0]!, 10);
  cold.search('diffusion', { limit: 20 });
  const firstAnswerMs = performance.now() - t;

  return {
    size,
    papers: cold.size,
    buildMs: { tag: bt.tag, search: bt.search, related: bt.related, total: indexMs, parse: wall - indexMs, cpuWithParse: cpuMs },
    memMb: { ...mem, total: mem.total - base, baseline: base, afterQueries: memAfterQueries.total - base, buildPeak: peak - base },
    related: { p50: pct(relTimes, 50), p95: pct(relTimes, 95), avgHits: hits / queries.length, queries: queries.length },
    search: { p50: pct(searchTimes, 50), p95: pct(searchTimes, 95), queries: keystrokes.length },
    cold: { cloneMs, deserializeMs, firstAnswerMs, serializedMb: serBytes / 2 ** 20 },
  };
}

const sizes = (arg('sizes') ?? '318,10k,100k').split(',');
const results: Result[] = [];
const f = (x: number, d = 1) => x.toFixed(d);
for (const size of sizes) {
  const r = await run(size);
  results.push(r);
  console.log(
    `${r.size.padStart(5)}: ${r.papers} papers | index ${f(r.buildMs.total / 1000, 2)} s (tag ${f(r.buildMs.tag / 1000, 2)}, search ${f(r.buildMs.search / 1000, 2)}, related ${f(r.buildMs.related / 1000, 2)}; parse ${f(r.buildMs.parse / 1000, 2)} s) = ${f(r.papers / ((r.buildMs.total + r.buildMs.parse) / 1000), 0)} papers/s; CPU ${f(r.buildMs.cpuWithParse / 1000, 2)} s incl. parse` +
      ` | retained ${f(r.memMb.total)} MB (heap ${f(r.memMb.heap)} + buffers ${f(r.memMb.buffers)}, minus ${f(r.memMb.baseline)} before; ${f(r.memMb.afterQueries)} MB after the queries; build peak ≤ ${f(r.memMb.buildPeak)} MB)` +
      ` | related p50 ${f(r.related.p50, 2)} p95 ${f(r.related.p95, 2)} ms (${f(r.related.avgHits)} hits)` +
      ` | search p50 ${f(r.search.p50, 2)} p95 ${f(r.search.p95, 2)} ms (${r.search.queries} keystrokes)` +
      ` | cold: clone ${f(r.cold.cloneMs, 0)} ms, deserialize ${f(r.cold.deserializeMs, 0)} ms, first answer ${f(r.cold.firstAnswerMs, 0)} ms, ${f(r.cold.serializedMb)} MB serialized`,
  );
}
const out = arg('json');
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
