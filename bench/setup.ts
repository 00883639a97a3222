/** Before measuring: the extension built into its own folder with the engine-alone page, and the synthetic snapshots. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DATA, EXT, flag, log, OUT_DIR, ROOT, sizes } from './config';
import { spread } from './stats';

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export async function buildExtension() {
  if (flag('skip-build') && existsSync(join(EXT, 'manifest.json'))) {
    log('using the existing build in bench/tmp/output (--skip-build)');
  } else {
    log('building the extension into bench/tmp/output (MARGIN_OUT_DIR)');
    run('npx', ['wxt', 'build'], { MARGIN_OUT_DIR: OUT_DIR });
  }
  // The engine-alone page exists only in the benchmark's copy of the extension.
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench', 'page', 'engine-page.ts')],
    bundle: true,
    format: 'esm',
    target: 'chrome120',
    outfile: join(EXT, 'bench-engine.js'),
    logLevel: 'silent',
  });
  copyFileSync(join(ROOT, 'bench', 'page', 'engine.html'), join(EXT, 'bench-engine.html'));
}

export function ensureData() {
  for (const size of sizes) {
    if (!size.file || existsSync(size.file)) continue;
    const count = size.key === '10k' ? 10_000 : 100_000;
    log(`generating ${size.file.slice(ROOT.length + 1)} (${count.toLocaleString('en')} synthetic papers)`);
    mkdirSync(DATA, { recursive: true });
    run('npx', ['tsx', 'scripts/gen-synthetic.ts', '--count', String(count), '--out', size.file.slice(ROOT.length + 1)]);
  }
}

export async function syntheticIds(file: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const match = /^\{"id":"([^"]+)"/.exec(line);
    if (match) ids.push(match[1]!);
  }
  return spread(ids, count);
}
