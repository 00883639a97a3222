import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PagePaper } from '../../lib/schema';
import { useBackground } from '../helpers/service';

let changes: Array<[string, boolean]> = [];
const bg = useBackground({ prefix: 'margin-service', onSavedChanged: (id, saved) => changes.push([id, saved]), now: () => 1_700_000_000_000 });
beforeEach(() => {
  changes = [];
});
const call = (name: string, data: unknown) => bg.call(name, data);
const dispatch = (message: unknown) => bg.dispatch(message);

const mixtral: PagePaper = {
  arxivId: '2401.04088',
  title: 'Mixtral of Experts',
  abstract:
    'We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model. Each layer is composed of 8 feedforward blocks (experts); a router network selects two experts per token.',
  authors: ['Albert Q. Jiang', 'Arthur Mensch'],
  categories: ['cs.LG', 'cs.CL'],
  published: '2024-01-08',
};

describe('MarginService', () => {
  it('a corpus paper: tags, up to `limit` related papers with reasons, itself excluded', async () => {
    const view = await call('paperView', { arxivId: '2212.05055', limit: 5 });
    expect(view.inCorpus).toBe(true);
    expect(view.paper.title).toContain('Sparse Upcycling');
    expect(view.tags.map((t: { label: string }) => t.label)).toContain('Mixture of Experts');
    expect(view.related.length).toBeGreaterThan(0);
    expect(view.related.length).toBeLessThanOrEqual(5);
    for (const item of view.related) {
      expect(item.paper.id).not.toBe('2212.05055');
      expect(item.reason.length).toBeGreaterThan(5);
    }
  });

  it('a page paper outside the corpus is related from its own text and learned into the corpus', async () => {
    const view = await call('paperView', { page: mixtral });
    expect(view.inCorpus).toBe(false);
    expect(view.related.some((r: { paper: { title: string } }) => /MoE|Mixture-of-Experts/.test(r.paper.title))).toBe(true);
    expect((await bg.db.papers.get('2401.04088'))?.origin).toBe('browsed');
    const again = await call('paperView', { arxivId: '2401.04088' });
    expect(again.inCorpus).toBe(true);
  });

  it('does not learn from browsing when the setting is off', async () => {
    await call('settings', { learnFromBrowsing: false });
    await call('paperView', { page: mixtral });
    expect(await bg.db.papers.get('2401.04088')).toBeUndefined();
  });

  it('saving is idempotent: a second save keeps status and notes; unsaving removes; both are broadcast', async () => {
    await call('setSaved', { page: mixtral, saved: true });
    await call('updateEntry', { paperId: '2401.04088', status: 'reading', notes: 'read section 3' });
    await call('setSaved', { page: mixtral, saved: true });
    const entry = await bg.db.readingList.get('2401.04088');
    expect(entry).toMatchObject({ status: 'reading', notes: 'read section 3', title: 'Mixtral of Experts', authors: mixtral.authors });
    expect((await call('paperView', { page: mixtral })).saved).toBe(true);
    await call('setSaved', { paperId: '2401.04088', saved: false });
    expect(await bg.db.readingList.count()).toBe(0);
    expect(changes).toEqual([
      ['2401.04088', true],
      ['2401.04088', true],
      ['2401.04088', false],
    ]);
  });

  it('a listing gets tags and saved marks for every entry in one request', async () => {
    await call('setSaved', { paperId: '2212.05055', saved: true });
    const views = await call('listingView', {
      entries: [
        { key: '2212.05055', paper: { ...mixtral, arxivId: '2212.05055', title: 'Sparse Upcycling: Training Mixture-of-Experts from Dense Checkpoints' } },
        { key: '2401.04088', paper: mixtral },
      ],
    });
    expect(views.map((v: { key: string; saved: boolean }) => [v.key, v.saved])).toEqual([
      ['2212.05055', true],
      ['2401.04088', false],
    ]);
    expect(views[1].tags[0].label).toBe('Mixture of Experts');
  });

  it('search finds by title word and filters saved-only', async () => {
    const hits = await call('search', { query: 'upcycling' });
    expect(hits[0].paper.id).toBe('2212.05055');
    expect(await call('search', { query: 'upcycling', filters: { savedOnly: true } })).toEqual([]);
  });

  it('rejects unknown and malformed messages with an error reply', async () => {
    expect(await dispatch({ margin: 1, name: 'dropTables', data: {} })).toEqual({ ok: false, error: 'Unknown message "dropTables".' });
    expect(await dispatch({ hello: 'world' })).toMatchObject({ ok: false, error: 'Not a Margin message.' });
    const bad = await dispatch({ margin: 1, name: 'setSaved', data: { saved: 'yes' } });
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toMatch(/Invalid "setSaved" request: saved/);
  });

  it('restoring a removed entry brings back its notes and dates exactly', async () => {
    await call('setSaved', { page: mixtral, saved: true });
    await call('updateEntry', { paperId: '2401.04088', notes: 'keep me' });
    const before = await bg.db.readingList.get('2401.04088');
    await call('setSaved', { paperId: '2401.04088', saved: false });
    await call('restoreEntry', before);
    expect(await bg.db.readingList.get('2401.04088')).toEqual(before);
  });
});

describe('saving from a link (context menu)', () => {
  it('saves a corpus paper by id, keeps an existing entry, and saves an unknown paper with a placeholder completed later', async () => {
    await bg.service.saveById('2212.05055');
    expect((await bg.db.readingList.get('2212.05055'))?.title).toContain('Sparse Upcycling');
    await call('updateEntry', { paperId: '2212.05055', notes: 'note' });
    await bg.service.saveById('2212.05055');
    expect((await bg.db.readingList.get('2212.05055'))?.notes).toBe('note');

    await bg.service.saveById('2401.04088');
    expect((await bg.db.readingList.get('2401.04088'))?.title).toBe('arXiv:2401.04088');
    await call('paperView', { page: mixtral });
    expect(await bg.db.readingList.get('2401.04088')).toMatchObject({ title: 'Mixtral of Experts', authors: mixtral.authors, status: 'to-read' });
  });
});
