import { describe, expect, it } from 'vitest';
import type { Paper } from '../../lib/schema';
import { normalizeTitle } from '../../lib/text/normalize';
import { prepareRelated, RelatedIndex } from '../../lib/related/rank';
import { release } from '../../lib/util/typed-array';

function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    arxivId: /^\d{4}\.\d{4,5}$/.test(id) ? id : null,
    title,
    normTitle: normalizeTitle(title),
    abstract,
    authors: [],
    authorCount: null,
    published: null,
    year: 2024,
    categories: ['cs.LG'],
    origin: 'bundled',
    ...extra,
  };
}

const CORPUS: Paper[] = [
  paper('2401.00001', 'Sparse mixture-of-experts language models', 'Mixture-of-experts layers route tokens to experts with a learned router; we study load balancing and expert capacity for sparse language models.', { authors: ['Ada Lovelace'] }),
  paper('2401.00002', 'Load balancing for mixture-of-experts training', 'An auxiliary load balancing loss keeps experts busy in mixture-of-experts training; routing collapse is avoided and expert parallelism scales.'),
  paper('2401.00003', 'Upcycling dense checkpoints into mixture-of-experts', 'We initialize sparse mixture-of-experts models from dense checkpoints, copying the feed-forward layers into experts and training the router.'),
  paper('2401.00004', 'Post-training quantization of large language models', 'We quantize weights of large language models to 4-bit integers after training, with outlier-aware rounding and per-channel scales.'),
  paper('2401.00005', 'Quantization-aware training with low-bit weights', 'Low-bit quantization-aware training learns quantized weights and activations; 2-bit and 4-bit networks approach full precision accuracy.'),
  paper('2401.00006', 'FP8 training of transformers', 'Training with 8-bit floating point formats requires scaling of activations and gradients; we train transformers in FP8 with loss scaling.'),
  paper('2401.00007', 'Denoising diffusion models for image synthesis', 'Diffusion models generate images by reversing a noising process; we improve the sampler and the noise schedule of denoising diffusion.'),
  paper('2401.00008', 'One-step diffusion distillation', 'We distill a diffusion model teacher into a one-step student generator with distribution matching, keeping image quality.'),
  paper('2401.00009', 'Graph neural networks for molecules', 'Message passing graph neural networks predict molecular properties from atoms and bonds; we add equivariant features.'),
  paper('2401.00010', 'Scalable training of graph neural networks', 'Neighbor sampling lets graph neural networks train on graphs with billions of edges using GPU data loading.'),
  paper('2401.00011', 'Speech recognition with self-supervised pretraining', 'Self-supervised pretraining of speech encoders on unlabeled audio improves automatic speech recognition with little labelled data.'),
  paper('2401.00012', 'Learning rate warmup and decay schedules', 'We analyse warmup, cosine decay and warmup-stable-decay learning rate schedules for language model pretraining.'),
];

const query = { title: 'Routing tokens in sparse mixture-of-experts', abstract: 'A router assigns each token to a few experts in a mixture-of-experts layer; we study expert load balancing for sparse models.' };

describe('RelatedIndex', () => {
  const index = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 });

  it('finds topically related papers first', () => {
    const hits = index.related(query, 3);
    expect(hits.length).toBeGreaterThan(0);
    const top = hits.slice(0, 2).map((h) => h.paperId);
    expect(top.every((id) => ['2401.00001', '2401.00002', '2401.00003'].includes(id))).toBe(true);
    for (const h of hits) {
      expect(h.reason.length).toBeGreaterThan(0);
      expect(h.reason.length).toBeLessThan(160);
    }
    expect(hits[0]!.sharedTerms.length).toBeGreaterThan(0);
  });

  it('never returns the query paper itself (by id, arXiv id or normalized title)', () => {
    const p = CORPUS[0]!;
    const byId = index.related({ ...p, id: p.id }, 20).map((h) => h.paperId);
    expect(byId).not.toContain(p.id);
    const byArxiv = index.related({ title: p.title + ' (v2)', abstract: p.abstract, arxivId: p.arxivId }, 20).map((h) => h.paperId);
    expect(byArxiv).not.toContain(p.id);
    const byTitle = index.related({ title: p.title.toUpperCase() + '!', abstract: p.abstract }, 20).map((h) => h.paperId);
    expect(byTitle).not.toContain(p.id);
  });

  it('returns nothing for an unrelated query (the floor holds)', () => {
    expect(index.related({ title: 'Sourdough fermentation and bread crumb', abstract: 'Wild yeast and lactic acid bacteria change the crumb structure and acidity of rye bread baked at home.' }, 10)).toEqual([]);
    expect(index.related({ title: '', abstract: '' }, 10)).toEqual([]);
  });

  it('drops suggestions below the floor', () => {
    const all = index.related(query, 10);
    expect(all.length).toBeGreaterThan(0);
    const floor = (all[0]!.score + all[all.length - 1]!.score) / 2;
    const kept = index.related(query, 10, { floor, untopicalFloorFactor: 1 });
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length + 1);
    expect(kept.every((h) => h.score >= floor)).toBe(true);
    expect(index.related(query, 10, { floor: 100 })).toEqual([]);
  });

  it('respects k and orders by score, ties by id, deterministically', () => {
    const q = { title: 'Training neural networks', abstract: 'We train models with quantization, diffusion, experts, graphs, speech and learning rate schedules.' };
    for (const k of [0, 1, 2, 5]) expect(index.related(q, k).length).toBeLessThanOrEqual(k);
    const a = index.related(q, 10);
    const b = index.related(q, 10);
    expect(b).toEqual(a);
    for (let i = 1; i < a.length; i++) {
      const prev = a[i - 1]!;
      const cur = a[i]!;
      expect(prev.score > cur.score || (prev.score === cur.score && prev.paperId < cur.paperId)).toBe(true);
    }
  });

  it('gives the same results after serialize/deserialize', () => {
    const restored = RelatedIndex.deserialize(structuredClone(index.serialize()));
    expect(restored.size).toBe(index.size);
    for (const p of CORPUS) expect(restored.related(p, 5)).toEqual(index.related(p, 5));
    expect(restored.related(query, 5)).toEqual(index.related(query, 5));
  });

  it('finds a paper added incrementally, and forgets a removed one', () => {
    const idx = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 });
    const fresh = paper('2402.00001', 'Expert choice routing for mixture-of-experts', 'Experts choose their tokens instead of tokens choosing experts, which balances load in sparse mixture-of-experts models without auxiliary losses.');
    expect(idx.related(query, 10).map((h) => h.paperId)).not.toContain(fresh.id);
    idx.add([fresh]);
    expect(idx.size).toBe(CORPUS.length + 1);
    expect(idx.related(query, 10).map((h) => h.paperId)).toContain(fresh.id);
    // Still correct after compaction and a round trip.
    const again = RelatedIndex.deserialize(idx.serialize());
    expect(again.related(query, 10).map((h) => h.paperId)).toContain(fresh.id);
    idx.remove([fresh.id]);
    expect(idx.size).toBe(CORPUS.length);
    expect(idx.related(query, 10).map((h) => h.paperId)).not.toContain(fresh.id);
  });

  it('re-adding a paper with the same id replaces it', () => {
    const idx = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 });
    idx.add([paper('2401.00012', 'Graph neural networks for proteins', 'Message passing graph neural networks on protein structure graphs.')]);
    expect(idx.size).toBe(CORPUS.length);
    const hits = idx.related({ title: 'Message passing on graphs', abstract: 'graph neural networks with message passing' }, 10).map((h) => h.paperId);
    expect(hits).toContain('2401.00012');
  });

  it('uses shared authors in the reason when known', () => {
    const hits = index.related({ ...query, authors: ['Ada Lovelace'] }, 5);
    const hit = hits.find((h) => h.paperId === '2401.00001');
    expect(hit?.reason).toContain('Ada Lovelace');
  });

  it('builds the same index page by page as at once, with prepared tokens and tags', () => {
    const whole = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 });
    const paged = RelatedIndex.builder({ lsaMinDocs: 5, lsaDims: 8 })
      .add(CORPUS.slice(0, 5))
      .add(CORPUS.slice(5), CORPUS.slice(5).map(prepareRelated))
      .finish();
    expect(paged.size).toBe(CORPUS.length);
    for (const p of CORPUS) expect(paged.related(p, 5)).toEqual(whole.related(p, 5));
  });

  it('fits the LSA on a sample and still relates papers outside it', () => {
    const idx = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 4, lsaSampleDocs: 6 });
    expect(idx.hasSemantic).toBe(true);
    const top = idx.related(query, 3).map((h) => h.paperId);
    expect(top.slice(0, 2).every((id) => ['2401.00001', '2401.00002', '2401.00003'].includes(id))).toBe(true);
  });

  it('keeps postings intact for large doc numbers (varint gaps) through compaction and a round trip', () => {
    const many: Paper[] = [];
    for (let i = 0; i < 400; i++) many.push(paper(`f${i}`, `Filler paper ${i} about sourdough baking`, `Bread crumb structure number ${i} with rye flour.`));
    const idx = RelatedIndex.build([...many, ...CORPUS], { lsaMinDocs: 5, lsaDims: 8 });
    idx.add([paper('2402.00002', 'Expert choice routing in sparse mixture-of-experts', 'Experts pick tokens; load balancing for sparse mixture-of-experts models.')]);
    const before = idx.related(query, 5);
    expect(before.map((h) => h.paperId)).toContain('2402.00002');
    expect(before[0]!.sharedTerms.length).toBeGreaterThan(0);
    idx.remove(many.slice(0, 300).map((p) => p.id));
    idx.compact();
    // Statistics (idf) change with the corpus; the same papers, and the same explanations, remain (two near-tied
    // papers may swap places: their lexical scores move with the idf, their topic scores do not).
    const after = idx.related(query, 5);
    const byId = (hits: typeof before) => new Map(hits.map((h) => [h.paperId, h.sharedTerms]));
    expect(after[0]!.paperId).toBe(before[0]!.paperId);
    expect(byId(after)).toEqual(byId(before));
    expect(idx.related({ title: 'Filler paper 350 about sourdough baking', abstract: 'Bread crumb structure with rye flour.' }, 400).some((h) => h.paperId === 'f10')).toBe(false);
    const again = RelatedIndex.deserialize(structuredClone(idx.serialize()));
    expect(again.related(query, 5)).toEqual(after);
  });

  it('rejects a serialized index of another format', () => {
    const s = index.serialize();
    expect(() => RelatedIndex.deserialize({ ...s, format: 'margin-related/1' } as unknown as typeof s)).toThrow();
  });

  it('works without the semantic component (tiny corpus)', () => {
    const small = RelatedIndex.build(CORPUS.slice(0, 4));
    expect(small.hasSemantic).toBe(false);
    expect(small.related(query, 5).length).toBeGreaterThan(0);
  });
});

describe('giving memory back', () => {
  it('release frees an array at once: every view of its buffer is empty after', () => {
    const array = new Float64Array(1000).fill(1);
    const view = new Uint8Array(array.buffer, 8, 16);
    release(array, null, undefined);
    expect(array.length).toBe(0);
    expect(view.length).toBe(0);
    expect(() => release(array)).not.toThrow();
  });

  it('a disposed index frees its arrays; the serialized form it shared goes with it', () => {
    const idx = RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 });
    const serialized = idx.serialize();
    idx.dispose();
    expect(serialized.postings.byteLength).toBe(0);
    expect(serialized.norms.byteLength).toBe(0);
    expect(RelatedIndex.build(CORPUS, { lsaMinDocs: 5, lsaDims: 8 }).related(query, 3).length).toBeGreaterThan(0);
  });
});
