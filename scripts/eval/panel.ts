import 'fake-indexeddb/auto';
import { MarginDatabase } from '../../lib/db/database';
import { MarginService } from '../../lib/service/margin';
import type { Paper } from '../../lib/schema';

/**
 * The related papers exactly as the panel gets them: the background's `MarginService` over a fresh IndexedDB
 * (fake-indexeddb) with the bundled corpus installed, asked `paperView` for each query paper with the panel's limit.
 * Installing the corpus, page-by-page building in IndexedDB order and the engine's options are the extension's own code.
 */
export interface PanelList {
  ids: string[];
  reasons: string[];
}

export async function panelLists(corpus: unknown, queries: readonly Paper[], limit = 5): Promise<Map<string, PanelList>> {
  const db = new MarginDatabase(`margin-eval-${process.pid}`);
  const service = new MarginService(db, { loadBundledCorpus: async () => corpus });
  const out = new Map<string, PanelList>();
  try {
    for (const q of queries) {
      const view = await service.paperView(undefined, q.arxivId ?? undefined, limit);
      if (!view) throw new Error(`panel: no view for ${q.id}`);
      out.set(q.id, { ids: view.related.map((r) => r.paper.id), reasons: view.related.map((r) => r.reason) });
    }
  } finally {
    await db.delete();
  }
  return out;
}
