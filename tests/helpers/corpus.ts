import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundledCorpus } from '../../lib/schema';

export const ROOT = join(import.meta.dirname, '..', '..');

let cached: BundledCorpus | null = null;

/**
 * The bundled corpus as the extension ships it (public/corpus.json, parsed by its schema). tests/unit/corpus.test.ts
 * checks that this file is what the corpus build produces from data/, so tests can read it instead of rebuilding it.
 */
export function bundledCorpus(): BundledCorpus {
  cached ??= BundledCorpus.parse(JSON.parse(readFileSync(join(ROOT, 'public', 'corpus.json'), 'utf8')));
  return cached;
}
