import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ReadingListEntry } from '../../lib/schema';
import { bundledCorpus } from '../helpers/corpus';
import { pageOf } from '../helpers/factories';
import { useBackground } from '../helpers/service';

/** Saves and unsaves from two tabs at once end in the list the operations describe. tests/e2e/concurrent-saves.spec.ts does it in the built extension. */

const corpus = bundledCorpus();
let clock = 1_700_000_000_000;
const bg = useBackground({ prefix: 'margin-concurrency', install: true, now: () => ++clock });
const send = (name: string, data: unknown) => bg.send(name, data);

describe('concurrency: two tabs save and unsave 100 papers at once', () => {
  it('the final list matches the operations; nothing lost, nothing duplicated, notes kept', async () => {
    const papers = corpus.papers.slice(0, 150);
    // Tab A owns papers 0–99, tab B 50–149: both save 50–99 (idempotent), each unsaves every third of its own.
    const tabA = papers.slice(0, 100);
    const tabB = papers.slice(50, 150);
    const unsaveA = new Set(tabA.slice(0, 50).filter((_, i) => i % 3 === 0).map((p) => p.id));
    const unsaveB = new Set(tabB.slice(50).filter((_, i) => i % 3 === 0).map((p) => p.id));
    // A note written before the storm must survive the second save of the same paper.
    await send('setSaved', { paperId: papers[60]!.id, saved: true });
    await send('updateEntry', { paperId: papers[60]!.id, notes: 'keep this note' });
    const tab = async (own: typeof papers, unsave: Set<string>, asPage: boolean) =>
      Promise.all(
        own.map(async (paper) => {
          const page = pageOf(paper);
          const saved = await send('setSaved', asPage ? { page, saved: true } : { paperId: paper.id, saved: true });
          expect(saved.ok).toBe(true);
          if (unsave.has(paper.id)) expect((await send('setSaved', { paperId: paper.id, saved: false })).ok).toBe(true);
        }),
      );
    await Promise.all([tab(tabA, unsaveA, false), tab(tabB, unsaveB, true)]);
    const expected = papers.map((p) => p.id).filter((id) => !unsaveA.has(id) && !unsaveB.has(id));
    const list = ((await send('readingList', {})) as { ok: true; data: ReadingListEntry[] }).data;
    expect(list.map((e) => e.paperId).sort()).toEqual([...expected].sort());
    expect(new Set(list.map((e) => e.paperId)).size).toBe(list.length);
    expect(list.find((e) => e.paperId === papers[60]!.id)?.notes).toBe('keep this note');
  });
});
