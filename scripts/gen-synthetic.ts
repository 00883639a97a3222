/**
 * Synthetic arXiv metadata snapshot for import/scale benchmarks.
 *
 *   npx tsx scripts/gen-synthetic.ts --count 100000 --out bench/data/synthetic-100k.jsonl [--seed 1] [--format jsonl|json]
 *
 * Deterministic for (count, seed, vocabulary source). The vocabulary comes from public/corpus.json when it
 * exists, else from the Hugging Face Daily Papers captures in data/seeds/*.txt. Output goes under bench/data/
 * (git-ignored) by default.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSeedFile } from './corpus/seeds';
import { generateSnapshotLines, type SyntheticSource } from './synthetic';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function args(argv: string[]): { count: number; out: string; seed: number; format: 'jsonl' | 'json' } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const count = Number(get('count') ?? 10000);
  const seed = Number(get('seed') ?? 1);
  const format = (get('format') ?? 'jsonl') as 'jsonl' | 'json';
  if (!Number.isInteger(count) || count < 0) throw new Error(`--count must be a non-negative integer, got ${get('count')}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${get('seed')}`);
  if (format !== 'jsonl' && format !== 'json') throw new Error(`--format must be jsonl or json, got ${format}`);
  const out = get('out') ?? `bench/data/synthetic-${count >= 1000 ? `${count / 1000}k` : count}.${format}`;
  return { count, seed, format, out };
}

function loadSource(): SyntheticSource {
  const corpus = join(ROOT, 'public/corpus.json');
  if (existsSync(corpus)) {
    const { papers } = JSON.parse(readFileSync(corpus, 'utf8')) as { papers: { title: string; abstract: string }[] };
    const source = { titles: papers.map((p) => p.title), abstracts: papers.map((p) => p.abstract).filter((a) => a.length > 200) };
    if (source.titles.length && source.abstracts.length) return source;
  }
  const dir = join(ROOT, 'data/seeds');
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => parseSeedFile(readFileSync(join(dir, f), 'utf8'), f));
  return { titles: records.map((r) => r.title), abstracts: records.map((r) => r.abstract).filter((a) => a.length > 200) };
}

async function main(): Promise<void> {
  const { count, seed, format, out } = args(process.argv.slice(2));
  const started = performance.now();
  const source = loadSource();
  const path = resolve(ROOT, out);
  mkdirSync(dirname(path), { recursive: true });
  const file = createWriteStream(path);
  const write = (text: string) => (file.write(text) ? undefined : new Promise<void>((r) => file.once('drain', () => r())));

  let buffer = format === 'json' ? '[\n' : '';
  let i = 0;
  for (const line of generateSnapshotLines(count, seed, source)) {
    buffer += format === 'json' ? (i > 0 ? ',\n' : '') + line : line + '\n';
    i++;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  buffer += format === 'json' ? '\n]\n' : '';
  await write(buffer);
  await new Promise<void>((r, j) => file.end((err?: Error | null) => (err ? j(err) : r())));
  const seconds = (performance.now() - started) / 1000;
  console.log(`wrote ${count} records (${format}, seed ${seed}, vocabulary from ${source.titles.length} titles) to ${out} in ${seconds.toFixed(2)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
