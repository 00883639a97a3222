/**
 * The options page's import runs here, off the page's own JavaScript heap: parsing a large file makes that heap grow
 * to tens of MB, and a page keeps what its heap grew to until it has been idle for a while, which was just when the
 * background rebuilds its indexes. The page ends this worker once the last batch has committed, and the memory goes
 * with it before the rebuild starts.
 */
import { MarginDatabase } from '@/lib/db/database';
import { storeImportFile } from '@/lib/import/run';
import type { ImportWorkerMessage, ImportWorkerRequest } from '@/lib/import/session';

const scope = self as unknown as { onmessage: ((event: MessageEvent<ImportWorkerRequest>) => void) | null; postMessage(message: ImportWorkerMessage): void };
const controller = new AbortController();

scope.onmessage = async ({ data }) => {
  if (data.type === 'cancel') return controller.abort();
  const db = new MarginDatabase();
  db.on('versionchange', () => db.close());
  const outcome = await storeImportFile(db, data.file.stream(), { totalBytes: data.file.size, signal: controller.signal }, (update) => scope.postMessage(update));
  db.close();
  scope.postMessage({ type: 'end', outcome });
};
