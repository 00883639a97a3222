/**
 * Regenerates public/corpus.json from data/seeds/*.txt and data/enrichment.jsonl.
 * `npm run corpus` writes it; `npm run corpus -- --check` fails when the committed file is stale.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCorpus } from './corpus/build';

export const ROOT = join(import.meta.dirname, '..');
export const CORPUS_PATH = join(ROOT, 'public', 'corpus.json');

export function buildFromDataDir() {
  const seedDir = join(ROOT, 'data', 'seeds');
  const seedFiles = readdirSync(seedDir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(seedDir, name), 'utf8') }));
  const enrichment = readFileSync(join(ROOT, 'data', 'enrichment.jsonl'), 'utf8');
  return buildCorpus(seedFiles, enrichment, (text) => createHash('sha256').update(text).digest('hex'));
}

export function serializeCorpus(corpus: unknown): string {
  return JSON.stringify(corpus) + '\n';
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { corpus, unmatched, records } = buildFromDataDir();
  const text = serializeCorpus(corpus);
  if (process.argv.includes('--check')) {
    const committed = readFileSync(CORPUS_PATH, 'utf8');
    if (committed !== text) {
      console.error('public/corpus.json is stale: run `npm run corpus`.');
      process.exit(1);
    }
    console.log(`public/corpus.json is up to date (${corpus.papers.length} papers, version ${corpus.version}).`);
  } else {
    writeFileSync(CORPUS_PATH, text);
    console.log(`${records} seed records → ${corpus.papers.length} unique papers, version ${corpus.version}`);
    console.log(`${corpus.papers.filter((p) => p.arxivId).length} with arXiv id, ${unmatched.length} without enrichment`);
    for (const title of unmatched) console.log(`  no enrichment: ${title}`);
  }
}
