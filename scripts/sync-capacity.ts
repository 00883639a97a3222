/**
 * How many reading-list entries fit in Chrome's storage.sync quota (102,400 bytes, 8,192 per item), with the
 * encoding sync really writes (`npm run sync:capacity`). Entries are built from synthetic papers whose titles
 * and authors follow the bundled corpus (scripts/synthetic.ts), saved over a year with mixed statuses; notes
 * are taken from real abstracts, cut to the length given.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSnapshotLines } from './synthetic';
import { BundledCorpus, type ReadingListEntry, type SyncRecord } from '../lib/schema';
import { planPages, SYNC_LIMITS } from '../lib/sync/plan';
import { recordLocalEdits } from '../lib/sync/record';
import { mulberry32 } from '../lib/util/random';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUOTA_MARGIN = 256;

export function syntheticEntries(count: number, noteLength: number): ReadingListEntry[] {
  const corpus = BundledCorpus.parse(JSON.parse(readFileSync(join(ROOT, 'public/corpus.json'), 'utf8')));
  const abstracts = corpus.papers.map((p) => p.abstract).filter((a) => a.length > 400);
  const source = { titles: corpus.papers.map((p) => p.title), abstracts };
  const rng = mulberry32(7);
  const start = Date.UTC(2025, 0, 1);
  const out: ReadingListEntry[] = [];
  for (const line of generateSnapshotLines(count, 24, source)) {
    const raw = JSON.parse(line) as { id: string; title: string; authors: string };
    const i = out.length;
    const addedAt = start + Math.floor((i / count) * 365 * 86_400_000) + Math.floor(rng() * 3_600_000);
    const abstract = abstracts[i % abstracts.length]!;
    const offset = Math.floor(rng() * (abstract.length - noteLength));
    out.push({
      paperId: raw.id,
      arxivId: /\//.test(raw.id) || /^\d{4}\.\d{4,5}$/.test(raw.id) ? raw.id : null,
      title: raw.title.replace(/\s+/g, ' ').trim(),
      authors: raw.authors.split(/, | and /),
      year: 2025,
      published: null,
      abstract: '',
      categories: [],
      status: (['to-read', 'reading', 'done'] as const)[Math.floor(rng() * 3)]!,
      notes: noteLength ? abstract.slice(offset, offset + noteLength) : '',
      addedAt,
      // Most entries were edited after they were saved (a status, a note).
      updatedAt: addedAt + Math.floor(rng() * 30 * 86_400_000),
    });
  }
  return out;
}

export async function capacity(noteLength: number, candidates = 4000): Promise<{ fit: number; bytes: number; pages: number; ms: number }> {
  const devices = ['k3x9', 'p0q2'];
  const records = syntheticEntries(candidates, noteLength).map((entry, i) => recordLocalEdits(entry, undefined, devices[i % 2]!, entry.updatedAt) as SyncRecord);
  const started = performance.now();
  const plan = await planPages(records, SYNC_LIMITS.totalBytes - QUOTA_MARGIN);
  const ms = performance.now() - started;
  if (!plan.left.length) throw new Error(`all ${candidates} entries fit: try more candidates`);
  return { fit: plan.included.length, bytes: plan.bytes, pages: plan.pages.length, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const noteLength of [0, 200]) {
    const { fit, bytes, pages, ms } = await capacity(noteLength, noteLength ? 1500 : 4000);
    console.log(
      `${noteLength ? `notes of ${noteLength} characters` : 'no notes'}: ${fit} entries fit (${bytes.toLocaleString('en')} of ${SYNC_LIMITS.totalBytes.toLocaleString('en')} bytes, ${pages} items; planned in ${Math.round(ms)} ms)`,
    );
  }
}
