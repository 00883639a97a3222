/**
 * The benchmark's run settings, read once from the command line (--quick, --loads N, --out path), and what every
 * section shares: the corpus sizes, the typed queries, the goals, the progress log and the one report.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from './report';
import { keystrokes } from './stats';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
export const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

export const QUICK = flag('quick');
export const LOADS = Number(option('loads') ?? (QUICK ? 5 : 20));
export const OUT = resolve(ROOT, option('out') ?? 'bench/results.json');
export const OUT_DIR = join(ROOT, 'bench', 'tmp', 'output');
export const EXT = join(OUT_DIR, 'chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DATA = join(ROOT, 'bench', 'data');
export const started = performance.now();

export function log(message: string) {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

/** Real query prefixes, typed one character at a time (a typo included). */
export const QUERIES = QUICK
  ? ['mixture of experts', 'diffusion models', 'quantization']
  : [
      'mixture of experts',
      'diffusion models',
      'quantization',
      'speculative decoding',
      'retrieval augmented generation',
      'vision transformer',
      'reinforcement learning',
      'graph neural networks',
      'low-rank adaptation',
      'transfomer', // typo
    ];
export const PREFIXES = keystrokes(QUERIES);
export const RELATED_COUNT = QUICK ? 15 : 40;
export const COLD_ANSWERS = QUICK ? 3 : 10;

export const SITES = {
  arxiv: { url: 'https://arxiv.org/abs/2401.04088', fixture: 'arxiv-abs-2023.html' },
  hf: { url: 'https://huggingface.co/papers/2401.04088', fixture: 'hf-paper-2401.04088.html' },
} as const;

export interface SizeSpec {
  key: '318' | '10k' | '100k';
  label: string;
  file: string | null;
  importTimeoutMs: number;
}
export const SIZES: SizeSpec[] = [
  { key: '318', label: '318 (bundled)', file: null, importTimeoutMs: 0 },
  { key: '10k', label: '10k', file: join(DATA, 'synthetic-10k.jsonl'), importTimeoutMs: 180_000 },
  { key: '100k', label: '100k', file: join(DATA, 'synthetic-100k.jsonl'), importTimeoutMs: 360_000 },
];
export const sizes = QUICK ? SIZES.filter((s) => s.key !== '100k') : SIZES;

export const report = new Report();
export const GOALS = {
  contentGzipKB: 15,
  panelWarmMs: 150,
  panelColdMs: 600,
  search318Ms: 5,
  search100kP95Ms: 30,
  related318Ms: 10,
  related100kP95Ms: 100,
  storedPerS: 5000,
  indexedPerS: 2000,
  peakMB: 300,
  backgroundMB: 150,
  coldAnswer100kMs: 1000,
  tagMs: 2,
};
