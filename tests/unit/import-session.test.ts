import { describe, expect, it } from 'vitest';
import type { ImportOutcome, ImportUpdate } from '../../lib/import/run';
import { runImportSession, storeInWorker, type CallBackground, type ImportState, type ImportWorkerHandle, type ImportWorkerMessage, type ImportWorkerRequest } from '../../lib/import/session';
import type { ImportProgress } from '../../lib/import/snapshot';

const progress = (records: number, extra: Partial<ImportProgress> = {}): ImportProgress => ({
  bytesRead: records * 100,
  totalBytes: 1000,
  records,
  accepted: records,
  skipped: 0,
  duplicates: 0,
  ...extra,
});
const committed = (ids: string[], keptBundled = 0): ImportUpdate => ({ type: 'committed', result: { stored: ids.length, keptBundled, writtenIds: ids } });

type Call = { name: string; data: unknown };
/** A background that answers as told and records what it was asked, in order. */
function background(answers: Partial<Record<string, (data: any) => unknown>> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, (data: any) => unknown> = {
    importBegin: () => ({ started: true }),
    importBatch: () => ({ accepted: true }),
    importEnd: () => ({ papers: 10, incremental: true }),
    corpusChanged: () => ({ papers: 10 }),
  };
  const call = (async (name: string, data: unknown) => {
    calls.push({ name, data });
    const answer = answers[name] ?? defaults[name];
    if (!answer) throw new Error(`unexpected ${name}`);
    return answer(data);
  }) as CallBackground;
  return { call, calls, names: () => calls.map((c) => c.name) };
}

/** A store that plays `updates` and ends with `outcome` (or rejects with `error`, as a worker that cannot run). */
function scripted(updates: ImportUpdate[], outcome: ImportOutcome | Error) {
  return async (_signal: AbortSignal, onUpdate: (update: ImportUpdate) => void) => {
    for (const update of updates) onUpdate(update);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
}

async function session(store: ReturnType<typeof scripted>, call: CallBackground, signal = new AbortController().signal) {
  const states: ImportState[] = [];
  const errorLists: Array<Array<{ line: number; reason: string }>> = [];
  let clock = 0;
  const final = await runImportSession({
    file: { name: 'snapshot.jsonl' },
    signal,
    store,
    callBackground: call,
    onState: (state) => states.push(state),
    onErrors: (errors) => errorLists.push(errors),
    now: () => (clock += 1500),
    sessionId: 's1',
  });
  return { final, states, errorLists };
}

describe('an import session (what the options page shows and tells the background)', () => {
  it('runs, tells the background each committed batch in order, indexes, and sums up what happened', async () => {
    const bg = background();
    const updates: ImportUpdate[] = [
      { type: 'progress', progress: progress(3), errors: [{ line: 2, reason: 'not JSON' }] },
      committed(['a', 'b']),
      { type: 'progress', progress: progress(6, { duplicates: 1 }), errors: [{ line: 5, reason: 'no id' }] },
      committed(['c'], 2),
      committed([]),
    ];
    const { final, states, errorLists } = await session(scripted(updates, { stored: 3, keptBundled: 2, progress: progress(6, { duplicates: 1 }), failure: null }), bg.call);

    expect(bg.names()).toEqual(['importBegin', 'importBatch', 'importBatch', 'importEnd']);
    expect(bg.calls.filter((c) => c.name === 'importBatch').map((c) => c.data)).toEqual([
      { session: 's1', seq: 0, ids: ['a', 'b'] },
      { session: 's1', seq: 1, ids: ['c'] },
    ]);
    expect(states.map((s) => s.status)).toEqual(['running', 'running', 'running', 'indexing', 'done']);
    expect(states[2]).toMatchObject({ status: 'running', stored: 2, progress: { records: 6 } });
    expect(errorLists.at(-1)).toEqual([
      { line: 2, reason: 'not JSON' },
      { line: 5, reason: 'no id' },
    ]);
    expect(final).toEqual(states.at(-1));
    expect(final).toMatchObject({
      status: 'done',
      stored: 3,
      message: 'Imported 3 papers in 2 s; 2 already in the bundled corpus (kept as bundled); 1 duplicate ids in the file (first kept); 2 bad records skipped (listed below).',
    });
  });

  it('rebuilds from scratch when the background cannot follow the session, or lost it', async () => {
    const refused = background({ importBegin: () => Promise.reject(new Error('no answer')) });
    await session(scripted([committed(['a'])], { stored: 1, keptBundled: 0, progress: progress(1), failure: null }), refused.call);
    expect(refused.names()).toEqual(['importBegin', 'corpusChanged']);

    const lost = background({ importEnd: () => Promise.reject(new Error('unknown session')) });
    const { final } = await session(scripted([committed(['a'])], { stored: 1, keptBundled: 0, progress: progress(1), failure: null }), lost.call);
    expect(lost.names()).toEqual(['importBegin', 'importBatch', 'importEnd', 'corpusChanged']);
    expect(final).toMatchObject({ status: 'done', message: 'Imported 1 papers in 2 s.' });
  });

  it('a cancel keeps and indexes what committed, and says how many', async () => {
    const bg = background();
    const { final } = await session(
      scripted([committed(['a', 'b'])], { stored: 2, keptBundled: 0, progress: progress(2), failure: { cancelled: true, formatError: false, message: 'cancelled' } }),
      bg.call,
    );
    expect(bg.names()).toEqual(['importBegin', 'importBatch', 'importEnd']);
    expect(final).toMatchObject({ status: 'cancelled', stored: 2, message: 'Import cancelled. The 2 papers stored before you cancelled were kept; nothing else was written.' });
  });

  it('a bad file is named as such, and a storage failure says what was kept', async () => {
    const badFile = await session(
      scripted([], { stored: 0, keptBundled: 0, progress: null, failure: { cancelled: false, formatError: true, message: 'This file is a ZIP archive.' } }),
      background().call,
    );
    expect(badFile.final).toMatchObject({ status: 'failed', message: 'This file is a ZIP archive. Nothing was imported.' });

    const quota = await session(
      scripted([committed(['a'])], { stored: 1, keptBundled: 0, progress: progress(1), failure: { cancelled: false, formatError: false, message: 'Storage quota exceeded.' } }),
      background().call,
    );
    expect(quota.final).toMatchObject({ status: 'failed', message: 'Import failed: Storage quota exceeded. The 1 papers stored before the problem were kept.' });
  });

  it('a worker that cannot run fails the import with its reason, nothing imported', async () => {
    const bg = background({ importBegin: () => ({ started: false }) });
    const { final } = await session(scripted([], new Error('the import could not run (worker error).')), bg.call);
    expect(final).toMatchObject({ status: 'failed', stored: 0, message: 'Import failed: the import could not run (worker error). Nothing was imported.' });
    // Nothing was stored and no session is open: the indexes are left alone.
    expect(bg.names()).toEqual(['importBegin']);
  });

  it('an index update that fails after a good import is reported, not swallowed', async () => {
    const bg = background({ importBegin: () => ({ started: false }), corpusChanged: () => Promise.reject(new Error('Margin’s background is not answering.')) });
    const { final, states } = await session(scripted([committed(['a'])], { stored: 1, keptBundled: 0, progress: progress(1), failure: null }), bg.call);
    expect(states.map((s) => s.status)).toEqual(['running', 'indexing', 'failed']);
    expect(final).toMatchObject({ status: 'failed', stored: 1, message: 'Updating the indexes failed: Margin’s background is not answering.' });
  });
});

/** A worker that answers a `start` with `script` (as the real one posts updates, then `end`). */
class FakeWorker implements ImportWorkerHandle {
  onmessage: ((event: MessageEvent<ImportWorkerMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: ImportWorkerRequest['type'][] = [];
  terminated = false;
  constructor(private readonly script: (worker: FakeWorker) => void) {}
  postMessage(message: ImportWorkerRequest) {
    this.received.push(message.type);
    if (message.type === 'start') queueMicrotask(() => this.script(this));
  }
  send(data: ImportWorkerMessage) {
    this.onmessage?.({ data } as MessageEvent<ImportWorkerMessage>);
  }
  terminate() {
    this.terminated = true;
  }
}

describe('storing in a worker', () => {
  const file = new File(['{}'], 'f.jsonl');
  const outcome: ImportOutcome = { stored: 1, keptBundled: 0, progress: progress(1), failure: null };

  it('passes updates on, resolves with the outcome, and ends the worker', async () => {
    const worker = new FakeWorker((w) => {
      w.send(committed(['a']));
      w.send({ type: 'end', outcome });
    });
    const updates: ImportUpdate[] = [];
    await expect(storeInWorker(() => worker, file, new AbortController().signal, (u) => updates.push(u))).resolves.toEqual(outcome);
    expect(updates).toEqual([committed(['a'])]);
    expect(worker.terminated).toBe(true);
  });

  it('forwards a cancel to the worker', async () => {
    const controller = new AbortController();
    let worker!: FakeWorker;
    worker = new FakeWorker(() => controller.abort());
    const done = storeInWorker(() => worker, file, controller.signal, () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(worker.received).toEqual(['start', 'cancel']);
    worker.send({ type: 'end', outcome: { ...outcome, failure: { cancelled: true, formatError: false, message: 'cancelled' } } });
    await expect(done).resolves.toMatchObject({ failure: { cancelled: true } });
    expect(worker.terminated).toBe(true);
  });

  it('rejects with a reason when the worker fails to run, and ends it', async () => {
    const worker = new FakeWorker((w) => w.onerror?.({ message: 'script error', preventDefault() {} } as ErrorEvent));
    await expect(storeInWorker(() => worker, file, new AbortController().signal, () => {})).rejects.toThrow('the import could not run (script error).');
    expect(worker.terminated).toBe(true);
  });
});
