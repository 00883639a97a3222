/** One Chromium profile with the built extension, its instruments, and the popup page used as message client. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launch, timedMessages, withTimeout, WorkerControl, WorkerHeap, type Launched } from './browser';
import { CHROMIUM, EXT, ROOT, SITES } from './config';
import { ProcessMemory } from './process-memory';

export interface Session {
  l: Launched;
  worker: WorkerControl;
  heap: WorkerHeap;
  proc: ProcessMemory;
  client: Page;
}

export async function openSession(): Promise<Session> {
  const sites = Object.fromEntries(Object.values(SITES).map((s) => [s.url, readFileSync(join(ROOT, 'tests', 'fixtures', s.fixture), 'utf8')]));
  const l = await launch(EXT, CHROMIUM, sites);
  const worker = new WorkerControl(l.cdp, l.extensionId);
  const heap = new WorkerHeap(l.cdp, l.extensionId);
  const proc = new ProcessMemory(l.userDataDir);
  // The popup page is the client for message round trips, as the popup's own search is.
  const client = await l.context.newPage();
  await client.goto(`chrome-extension://${l.extensionId}/popup.html`);
  // Installing the bundled corpus finishes before the first stats reply.
  const [stats] = await withTimeout(timedMessages(client, [{ name: 'stats', data: {} }]), 60_000, 'installing the corpus');
  if (!stats?.ok) throw new Error(`stats failed: ${stats?.error}`);
  return { l, worker, heap, proc, client };
}
