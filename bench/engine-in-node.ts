/**
 * The reference libraries in Node (MiniSearch, brute TF-IDF) on the same papers, keystrokes and query papers as the
 * browser sections, and their figures set beside the engine-alone rows.
 */
import type { Paper } from '../lib/schema';
import { log, PREFIXES, report, sizes, type SizeSpec } from './config';
import { loadCorpus, runNodeSize, type NodeSizeResult } from './reference';
import type { Figure } from './report';
import { browserResults } from './search-related';

function addReferences(size: SizeSpec, node: NodeSizeResult) {
  const group = `Search & related at ${size.label}`;
  const mini = { name: 'MiniSearch', median: node.search.miniSearch.median, p95: node.search.miniSearch.p95 };
  const tfidf = { name: 'brute TF-IDF', median: node.related.tfidf.median, p95: node.related.tfidf.p95 };
  const update = (id: string, reference: Figure['reference']) => {
    const existing = report.figures.find((f) => f.id === id);
    if (existing && existing.median !== undefined) report.add({ ...existing, reference });
  };
  // Ratios compare like with like: the engine alone against the library alone (the round trips add messaging).
  update(`search.${size.key}.engine`, mini);
  if (node.search.cutShort) {
    const row = report.figures.find((f) => f.id === `search.${size.key}.engine`);
    if (row) report.add({ ...row, note: `MiniSearch timed on ${node.search.keystrokes} of ${PREFIXES.length} keystrokes (30 s budget)` });
  }
  update(`related.${size.key}.engine`, tfidf);
  report.add({
    id: `related.${size.key}.refBuild`,
    group,
    label: `reference index builds in Node: MiniSearch`,
    unit: 'ms',
    value: node.build.miniSearchMs,
    note: `brute TF-IDF build ${(node.build.tfidfMs / 1000).toFixed(1)} s; ${node.papers.toLocaleString('en')} papers${
      node.related.overlapAt5 !== null ? `; Margin top-5 ∩ exact TF-IDF top-5: ${(node.related.overlapAt5 * 100).toFixed(0)}%` : ''
    }`,
  });
}

/** For each size the browser measured: the references in Node, compared with the engine's own answers there. */
export async function measureReferences(bundled: Paper[]) {
  for (const size of sizes) {
    const b = browserResults.get(size.key);
    if (!b) continue;
    try {
      log(`references (Node) at ${size.label}: loading papers`);
      const papers = await loadCorpus(bundled, size.file);
      const hits = b.engine ? new Map(b.engine.related.map((r) => [r.id, r.hits])) : null;
      const node = runNodeSize(papers, PREFIXES, b.relatedIds, hits, log);
      report.raw[`node.${size.key}`] = node;
      addReferences(size, node);
    } catch (error) {
      report.errors.push(`references at ${size.key}: ${(error as Error).message}`);
    }
  }
}
