import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginDatabase } from '../../lib/db/database';
import { markBudget, splitDraft } from '../../lib/foryou/service';
import { createDispatcher } from '../../lib/messaging/rpc';
import type { ListingEntryView } from '../../lib/messaging/protocol';
import type { PagePaper } from '../../lib/schema';
import { MarginService } from '../../lib/service/margin';
import { buildFromDataDir } from '../../scripts/build-corpus';

const corpus = buildFromDataDir().corpus;
let db: MarginDatabase;
let dispatch: ReturnType<typeof createDispatcher>;
let n = 0;

async function call(name: string, data: unknown) {
  const reply = await dispatch({ margin: 1, name, data });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data as any;
}

function page(id: string, title: string, abstract: string): PagePaper {
  return { arxivId: id, title, abstract, authors: [], categories: ['cs.LG'], published: '2026-12-01' };
}

/** A listing as arXiv's /new shows it: new papers (not in the corpus), with abstracts. */
const listing = [
  page('2612.00001', 'Sourdough starters and crumb structure', 'We describe how wild yeast and lactic acid bacteria in a sourdough starter change crumb structure, acidity and shelf life of breads baked at home.'),
  page('2612.00002', 'Expert routing for sparse mixture-of-experts language models', 'We study token routing in sparse mixture-of-experts (MoE) transformers: a router selects experts per token; load balancing losses keep experts busy during large-scale MoE training.'),
  page('2612.00003', 'Lithium diffusion in layered oxide cathodes', 'We study lithium ion diffusion in layered transition metal oxide cathodes using density functional theory and kinetic Monte Carlo simulations.'),
  page('2612.00004', 'Upcycling dense checkpoints into mixture-of-experts models', 'Sparse upcycling initializes a mixture-of-experts model from a dense checkpoint; we scale expert parallelism for MoE training and compare routing strategies.'),
  page('2612.00005', 'Cohomology of moduli spaces of stable curves', 'We compute the rational cohomology of the moduli space of stable curves of genus two with marked points.'),
  page('2612.00006', 'Diffusion models for image synthesis', 'Denoising diffusion probabilistic models generate images by reversing a noising process; we improve sampling speed with a new score-based solver.'),
  page('2612.00007', 'A survey of reinforcement learning from human feedback', 'Reward models trained on human preferences align language models; we survey RLHF, PPO and direct preference optimization.'),
  page('2612.00008', 'Graph neural networks for molecules', 'Message passing graph neural networks predict molecular properties from atoms and bonds.'),
];
const entries = listing.map((paper) => ({ key: paper.arxivId!, paper }));
const MOE = ['2212.05055', '2408.06567', '2504.14960'];

beforeEach(() => {
  db = new MarginDatabase(`margin-foryou-${++n}`);
  dispatch = createDispatcher(new MarginService(db, { loadBundledCorpus: async () => corpus, now: () => 1_700_000_000_000 }).handlers());
});
afterEach(async () => {
  await db.delete();
});

async function view(): Promise<Map<string, ListingEntryView>> {
  const views = (await call('listingView', { entries })) as ListingEntryView[];
  return new Map(views.map((v) => [v.key, v]));
}

describe('for you on listings', () => {
  it('with an empty reading list: no closeness, no marks, and no vocabulary learnt', async () => {
    const views = await view();
    for (const v of views.values()) expect(v.foryou).toBeUndefined();
    expect(await db.indexCache.get('foryou-vocabulary')).toBeUndefined();
  });

  it('ranks entries close to the saved papers first, marks a few with a reason naming them', async () => {
    for (const paperId of MOE) await call('setSaved', { paperId, saved: true });
    const views = await view();
    for (const v of views.values()) expect(v.foryou).toBeGreaterThanOrEqual(0), expect(v.foryou).toBeLessThanOrEqual(1);
    const ranked = [...views.values()].sort((a, b) => b.foryou! - a.foryou!).map((v) => v.key);
    expect(ranked.slice(0, 2).sort()).toEqual(['2612.00002', '2612.00004']);
    const marked = [...views.values()].filter((v) => v.reason);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.length).toBeLessThanOrEqual(listing.length / 4);
    expect(marked[0]!.reason).toMatch(/^close to your saved (Sparse Upcycling|AquilaMoE|MoE Parallel Folding)/);
    expect(views.get('2612.00001')!.foryou).toBeLessThan(0.2);
    // The same entry scores the same on another page.
    const alone = (await call('listingView', { entries: entries.slice(3, 4) })) as ListingEntryView[];
    expect(alone[0]!.foryou).toBe(views.get('2612.00004')!.foryou);
  });

  it('a corpus larger than the vocabulary sample learns its vocabulary once, not on every listing', async () => {
    for (const paperId of MOE) await call('setSaved', { paperId, saved: true });
    // 4,000 more papers: the vocabulary is learnt from a 3,000-paper sample, so the corpus outgrows the sample.
    await db.papers.bulkPut(Array.from({ length: 4000 }, (_, i) => ({ ...corpus.papers[i % corpus.papers.length]!, id: `title:synthetic ${i}`, arxivId: null })));
    let learnt = 0;
    const put = db.indexCache.put.bind(db.indexCache);
    db.indexCache.put = ((row: { name: string }, ...rest: unknown[]) => {
      if (row.name === 'foryou-vocabulary') learnt++;
      return (put as (...args: unknown[]) => ReturnType<typeof put>)(row, ...rest);
    }) as typeof db.indexCache.put;
    const first = await view();
    const again = await view();
    await view();
    expect(learnt).toBe(1);
    expect(again.get('2612.00004')!.foryou).toBe(first.get('2612.00004')!.foryou);
  });

  it('not interested lowers similar entries, can be undone, and never touches the reading list', async () => {
    for (const paperId of MOE) await call('setSaved', { paperId, saved: true });
    const before = await view();
    await call('setNotInterested', { page: listing[1], notInterested: true });
    const after = await view();
    expect(after.get('2612.00002')).toMatchObject({ notInterested: true, foryou: 0 });
    expect(after.get('2612.00004')!.foryou).toBeLessThan(before.get('2612.00004')!.foryou!);
    expect(await db.readingList.count()).toBe(3);
    expect(await call('notInterestedList', {})).toEqual([expect.objectContaining({ paperId: '2612.00002', title: listing[1]!.title })]);
    await call('setNotInterested', { paperId: '2612.00002', notInterested: false });
    expect((await view()).get('2612.00004')!.foryou).toBe(before.get('2612.00004')!.foryou);
  });

  it('a listing with abstracts adds its papers to the corpus, unless learning from browsing is off', async () => {
    await call('settings', { learnFromBrowsing: false });
    await view();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await db.papers.get('2612.00002')).toBeUndefined();
    await call('settings', { learnFromBrowsing: true });
    await view();
    await expect.poll(() => db.papers.get('2612.00002')).toMatchObject({ origin: 'browsed', title: listing[1]!.title });
    expect(await db.papers.count()).toBe(corpus.papers.length + listing.length);
  });

  it('the For-you list holds unsaved corpus papers close to the saves, with reasons', async () => {
    expect(await call('forYou', {})).toEqual([]);
    for (const paperId of MOE) await call('setSaved', { paperId, saved: true });
    const list = await call('forYou', { limit: 10 });
    expect(list.length).toBeGreaterThan(2);
    for (const item of list) expect(MOE).not.toContain(item.paper.id);
    expect(list[0].reason).toMatch(/^close to your saved/);
    expect(list.slice(0, 5).some((item: { paper: { title: string } }) => /MoE|Mixture|Expert/i.test(item.paper.title))).toBe(true);
  });

  it('pasted text returns related papers with reasons', async () => {
    const text = 'Routing tokens to experts\nWe train sparse mixture-of-experts language models where a learned router sends each token to two experts, with a load balancing loss.';
    const related = await call('relatedToText', { text });
    expect(related.length).toBeGreaterThan(0);
    expect(related[0].reason.length).toBeGreaterThan(0);
  });
});

describe('helpers', () => {
  it('marks a handful per page, never more than a quarter', () => {
    expect(markBudget(3)).toBe(0);
    expect(markBudget(12)).toBe(3);
    expect(markBudget(300)).toBe(17);
    for (const size of [4, 10, 50, 500]) expect(markBudget(size)).toBeLessThanOrEqual(size / 4);
  });
  it('reads a pasted draft as title and abstract', () => {
    expect(splitDraft('A title\nThe abstract.')).toEqual({ title: 'A title', abstract: 'The abstract.' });
    expect(splitDraft('One long paragraph about things. More text follows here.').title).toBe('One long paragraph about things.');
  });
});
