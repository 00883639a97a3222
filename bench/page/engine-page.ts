/**
 * Benchmark-only extension page (bundled by scripts/bench.ts into the benchmark's copy of the built
 * extension, never into the product): Margin's engine alone, in Chromium, from the indexes the
 * background persisted in IndexedDB — the same bytes a cold service worker deserializes.
 */
import { getMeta, MarginDatabase } from '../../lib/db/database';
import { readIndexPart } from '../../lib/db/index-cache';
import { RelatedIndex, type SerializedRelatedIndex } from '../../lib/related/rank';
import type { Paper } from '../../lib/schema';
import { SearchIndex, type SerializedSearchIndex } from '../../lib/search/index';

let search: SearchIndex | null = null;
let related: RelatedIndex | null = null;
const db = new MarginDatabase();

async function load() {
  const started = performance.now();
  const revision = (await getMeta<number>(db, 'corpusRevision')) ?? 0;
  const [s, r] = [await readIndexPart(db, 'search', revision), await readIndexPart(db, 'related', revision)];
  const read = performance.now() - started;
  if (!s || !r) return { ok: false, reason: `no persisted indexes for corpus revision ${revision}`, revision };
  const t = performance.now();
  search = SearchIndex.deserialize(s as SerializedSearchIndex);
  related = RelatedIndex.deserialize(r as SerializedRelatedIndex);
  return { ok: true, readMs: read, deserializeMs: performance.now() - t, totalMs: performance.now() - started, papers: search.size, revision };
}

function timeSearch(prefixes: string[]): number[] {
  if (!search) throw new Error('load() first');
  for (const q of prefixes) search.search(q, { limit: 50 });
  return prefixes.map((q) => {
    const t = performance.now();
    search!.search(q, { limit: 50 });
    return performance.now() - t;
  });
}

async function timeRelated(ids: string[]) {
  if (!related) throw new Error('load() first');
  const papers = (await db.papers.bulkGet(ids)).filter((p): p is Paper => !!p);
  const query = (p: Paper) => ({ id: p.id, arxivId: p.arxivId, title: p.title, abstract: p.abstract, authors: p.authors, year: p.year, categories: p.categories });
  for (const p of papers) related.related(query(p), 5);
  const out = papers.map((p) => {
    const t = performance.now();
    const hits = related!.related(query(p), 5);
    return { id: p.id, ms: performance.now() - t, hits: hits.map((h) => h.paperId) };
  });
  return out;
}

(window as unknown as Record<string, unknown>).__engineBench = { load, timeSearch, timeRelated };
document.title = 'engine bench ready';
