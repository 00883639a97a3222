import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { highlight, SearchIndex, type SearchDoc } from '../../lib/search/index';
import { boundedOsa } from '../../lib/search/index';

const doc = (id: string, over: Partial<SearchDoc>): SearchDoc => ({ id, title: '', abstract: '', authors: [], tags: [], year: 2024, ...over });

const DOCS: SearchDoc[] = [
  doc('2401.04088', {
    title: 'Mixtral of Experts',
    abstract: 'We introduce Mixtral 8x7B, a Sparse Mixture of Experts (SMoE) language model with a router network.',
    authors: ['Albert Q. Jiang', 'Alexandre Sablayrolles', 'Łukasz Kaiser'],
    tags: ['moe'],
    tagLabels: ['Mixture of experts'],
    year: 2024,
  }),
  doc('2006.11239', {
    title: 'Denoising Diffusion Probabilistic Models',
    abstract: 'We present high quality image synthesis results using diffusion probabilistic models.',
    authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
    tags: ['diffusion'],
    tagLabels: ['Diffusion models'],
    year: 2020,
  }),
  doc('1706.03762', {
    title: 'Attention Is All You Need',
    abstract: 'We propose a new simple network architecture, the Transformer, based solely on attention mechanisms.',
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    tags: ['transformers'],
    year: 2017,
  }),
  doc('2210.17323', {
    title: 'GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers',
    abstract: 'We propose GPTQ, a new one-shot weight quantization method based on approximate second-order information.',
    authors: ['Elias Frantar', 'Saleh Ashkboos', 'Dan Alistarh'],
    tags: ['quantization', 'transformers'],
    tagLabels: ['Quantization'],
    year: 2022,
  }),
  doc('abstract-only', {
    title: 'A Survey of Generative Image Models',
    abstract: 'Score matching and diffusion, diffusion, diffusion: diffusion models are compared to GANs and diffusion samplers.',
    authors: ['Jane Doe'],
    tags: ['diffusion'],
    year: 2023,
  }),
  doc('t:no-year', {
    title: 'Scaling Laws for Neural Language Models',
    abstract: 'We study empirical scaling laws for language model performance on the cross-entropy loss.',
    authors: ['Jared Kaplan', 'Sam McCandlish'],
    tags: ['scaling'],
    year: null,
  }),
];

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('SearchIndex', () => {
  const index = SearchIndex.build(DOCS);

  it('knows its size', () => {
    expect(index.size).toBe(DOCS.length);
  });

  it('finds by a title word', () => {
    expect(ids(index.search('mixtral'))[0]).toBe('2401.04088');
    expect(ids(index.search('Attention'))[0]).toBe('1706.03762');
  });

  it('finds by an author surname, accent-insensitively', () => {
    expect(ids(index.search('vaswani'))).toEqual(['1706.03762']);
    expect(ids(index.search('lukasz kaiser'))).toEqual(['2401.04088']);
    expect(ids(index.search('Łukasz'))).toEqual(['2401.04088']);
  });

  it('finds by a topic tag id or label', () => {
    expect(ids(index.search('moe'))).toContain('2401.04088');
    expect(ids(index.search('quantization'))[0]).toBe('2210.17323');
  });

  it('tolerates small typos', () => {
    const hits = index.search('difusion');
    expect(ids(hits)).toContain('2006.11239');
    expect(hits[0]!.matched).toContain('diffusion');
    const t = index.search('transfromer');
    expect(ids(t)).toContain('1706.03762');
    expect(t.find((h) => h.id === '1706.03762')!.matched).toContain('transformer');
    // A transposition in a 5-letter word (1 edit allowed from 4 letters).
    expect(ids(index.search('sacling'))).toContain('t:no-year');
  });

  it('does not fuzz short terms', () => {
    // "moe" vs "mode"/"me": 3-letter terms get no typo tolerance.
    expect(ids(index.search('mox'))).toEqual([]);
  });

  it('matches prefixes of the last and of every term', () => {
    const hits = index.search('quant');
    expect(ids(hits)[0]).toBe('2210.17323');
    expect(hits[0]!.matched).toContain('quantization');
    expect(ids(index.search('denois diffus'))[0]).toBe('2006.11239');
    expect(ids(index.search('q'))).toContain('2210.17323');
  });

  it('ranks a title match above an abstract-only match', () => {
    const hits = ids(index.search('diffusion'));
    expect(hits.indexOf('2006.11239')).toBeGreaterThanOrEqual(0);
    expect(hits.indexOf('2006.11239')).toBeLessThan(hits.indexOf('abstract-only'));
  });

  it('ranks documents matching all terms first', () => {
    const hits = index.search('language experts');
    expect(hits[0]!.id).toBe('2401.04088');
    expect(ids(hits)).toContain('t:no-year'); // matches "language" only, ranked after
    expect(ids(hits).indexOf('t:no-year')).toBeGreaterThan(0);
  });

  it('applies filters: topic, year, saved-only', () => {
    expect(ids(index.search('diffusion', { topic: 'diffusion' })).sort()).toEqual(['2006.11239', 'abstract-only']);
    expect(ids(index.search('diffusion', { year: 2020 }))).toEqual(['2006.11239']);
    expect(ids(index.search('models', { year: 1999 }))).toEqual([]);
    const saved = new Set(['abstract-only']);
    expect(ids(index.search('diffusion', { savedIds: saved, savedOnly: true }))).toEqual(['abstract-only']);
    expect(ids(index.search('diffusion', { savedOnly: true }))).toEqual([]);
    expect(index.search('diffusion', { savedIds: saved }).length).toBe(2);
    expect(index.search('model', { limit: 1 }).length).toBe(1);
  });

  it('returns nothing for an empty or stop-word-only query', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('the of')).toEqual([]);
    expect(index.search('((*+?[')).toEqual([]);
  });

  it('adds, replaces and removes documents incrementally', () => {
    const idx = SearchIndex.build(DOCS);
    idx.remove(['2006.11239']);
    expect(ids(idx.search('denoising'))).toEqual([]);
    expect(idx.size).toBe(DOCS.length - 1);
    idx.add([doc('new', { title: 'Flow Matching for Generative Modeling', authors: ['Yaron Lipman'], tags: ['diffusion'] })]);
    expect(ids(idx.search('flow matching'))[0]).toBe('new');
    expect(ids(idx.search('lipman'))).toEqual(['new']);
    idx.add([doc('new', { title: 'Rectified Flow' })]);
    expect(ids(idx.search('matching'))).not.toContain('new');
    expect(ids(idx.search('rectified'))).toEqual(['new']);
    expect(idx.size).toBe(DOCS.length);
    idx.remove(['new', 'not-there']);
    expect(ids(idx.search('rectified'))).toEqual([]);
    // Survives compaction (serialize compacts) with the same answers.
    const again = SearchIndex.deserialize(idx.serialize());
    expect(again.size).toBe(DOCS.length - 1);
    expect(ids(again.search('denoising'))).toEqual([]);
    expect(ids(again.search('mixtral'))).toEqual(['2401.04088']);
  });

  it('round-trips through serialize/deserialize with identical results', () => {
    const idx = SearchIndex.build(DOCS.slice(0, 4));
    idx.add(DOCS.slice(4));
    const restored = SearchIndex.deserialize(structuredClone(idx.serialize()));
    for (const q of ['diffusion', 'difusion', 'quant', 'language experts', 'vaswani', 'transfromer', 'model', 'q']) {
      expect(restored.search(q)).toEqual(idx.search(q));
      expect(restored.search(q, { topic: 'diffusion' })).toEqual(idx.search(q, { topic: 'diffusion' }));
    }
    expect(restored.size).toBe(idx.size);
  });

  it('rejects foreign serialized values', () => {
    expect(() => SearchIndex.deserialize(null)).toThrow(/not a serialized search index/);
    expect(() => SearchIndex.deserialize({ format: 'margin-search-index', version: 99 })).toThrow(/version/);
    const s = SearchIndex.build(DOCS).serialize();
    expect(() => SearchIndex.deserialize({ ...s, docs: new Uint32Array([999999]).buffer })).toThrow();
  });

  it('bulk loading page by page gives the results of build + add, and survives a round trip', () => {
    const bulk = new SearchIndex();
    bulk.addBulk(DOCS.slice(0, 3));
    bulk.addBulk(DOCS.slice(3));
    bulk.finishBulk();
    const ref = SearchIndex.build(DOCS.slice(0, 3));
    ref.add(DOCS.slice(3));
    expect(bulk.size).toBe(DOCS.length);
    for (const q of ['diffusion', 'mixtral experts', 'scaling laws', 'vaswani', 'quantizaton', 'gen']) {
      expect(bulk.search(q)).toEqual(ref.search(q));
      expect(bulk.search(q, { topic: 'diffusion' })).toEqual(ref.search(q, { topic: 'diffusion' }));
    }
    const restored = SearchIndex.deserialize(structuredClone(bulk.serialize()));
    expect(restored.search('diffusion models')).toEqual(bulk.search('diffusion models'));
  });

  it('reads a cache written before tags were kept as a table (version 2), topic filter included', () => {
    const idx = SearchIndex.build(DOCS);
    const current = idx.serialize();
    const tagLists = DOCS.map((d) => d.tags);
    const old = SearchIndex.deserialize({ ...current, version: 2, tags: tagLists });
    for (const q of ['diffusion', 'mixtral experts', 'model']) {
      expect(old.search(q, { topic: 'diffusion' })).toEqual(idx.search(q, { topic: 'diffusion' }));
      expect(old.search(q)).toEqual(idx.search(q));
    }
    expect(ids(old.search('', { topic: 'diffusion' }))).toEqual(ids(idx.search('', { topic: 'diffusion' })));
    expect(ids(idx.search('', { topic: 'diffusion' })).length).toBeGreaterThan(0);
    expect(idx.search('', { topic: 'no-such-topic' })).toEqual([]);
    expect(() => SearchIndex.deserialize({ ...current, version: 2, tags: tagLists.slice(1) })).toThrow(/tags/);
    expect(() => SearchIndex.deserialize({ ...current, tags: { ...(current.tags as object), list: new Uint16Array([999]) } })).toThrow(/tag/);
  });

  it('a disposed index gives its memory back without breaking indexes made after it', () => {
    const bulk = new SearchIndex();
    bulk.addBulk(DOCS);
    bulk.finishBulk();
    const serialized = bulk.serialize();
    bulk.dispose();
    expect((serialized.docs as Uint8Array).byteLength).toBe(0);
    new SearchIndex().dispose();
    expect(SearchIndex.deserialize(SearchIndex.build([]).serialize()).size).toBe(0);
    const fresh = SearchIndex.build([]);
    expect(fresh.search('anything')).toEqual([]);
    fresh.add(DOCS);
    expect(ids(fresh.search('mixtral'))).toEqual(['2401.04088']);
  });

  it('works on an empty index', () => {
    const idx = SearchIndex.build([]);
    expect(idx.search('anything')).toEqual([]);
    expect(SearchIndex.deserialize(idx.serialize()).size).toBe(0);
    idx.add(DOCS);
    expect(ids(idx.search('mixtral'))).toEqual(['2401.04088']);
  });

  it('finds what MiniSearch finds for single exact words', () => {
    const ms = new MiniSearch<SearchDoc>({
      fields: ['title', 'abstract', 'authorsText'],
      extractField: (d, f) => (f === 'authorsText' ? d.authors.join(' ') : (d as unknown as Record<string, string>)[f]!),
    });
    ms.addAll(DOCS);
    for (const q of ['diffusion', 'network', 'scaling', 'jiang', 'weight']) {
      expect(ids(index.search(q)).sort()).toEqual(ms.search(q).map((r) => String(r.id)).sort());
    }
  });

  it('bounded OSA distance', () => {
    expect(boundedOsa('difusion', 'diffusion', 2)).toBe(1);
    expect(boundedOsa('transfromer', 'transformer', 2)).toBe(1);
    expect(boundedOsa('abcd', 'wxyz', 1)).toBe(2);
    expect(boundedOsa('same', 'same', 1)).toBe(0);
  });
});

describe('highlight', () => {
  const join = (parts: { text: string }[]) => parts.map((p) => p.text).join('');

  it('splits text into hit and non-hit parts, case-insensitively', () => {
    const text = 'Denoising Diffusion Probabilistic Models';
    const parts = highlight(text, ['diffusion', 'models']);
    expect(join(parts)).toBe(text);
    expect(parts).toEqual([
      { text: 'Denoising ', hit: false },
      { text: 'Diffusion', hit: true },
      { text: ' Probabilistic ', hit: false },
      { text: 'Models', hit: true },
    ]);
  });

  it('highlights whole words that start with a matched prefix, and accented words', () => {
    expect(highlight('Quantization-aware training', ['quant']).filter((p) => p.hit).map((p) => p.text)).toEqual(['Quantization']);
    expect(highlight('by Łukasz Kaiser and José Müller', ['lukasz', 'muller']).filter((p) => p.hit).map((p) => p.text)).toEqual(['Łukasz', 'Müller']);
    const decomposed = 'Jose\u0301 Mu\u0308ller';
    expect(join(highlight(decomposed, ['jose']))).toBe(decomposed);
    expect(highlight(decomposed, ['jose'])[0]).toEqual({ text: 'Jose\u0301', hit: true });
  });

  it('is safe with regex special characters and hostile text', () => {
    const text = 'C++ (a.k.a. [x]*) costs $5 <script>alert(1)</script>';
    for (const q of ['(', '.*', '[x]', '$', '\\', '+', 'a.k', '<script>']) {
      const parts = highlight(text, [q]);
      expect(join(parts)).toBe(text);
    }
    expect(highlight(text, ['.*']).some((p) => p.hit)).toBe(false);
    expect(highlight(text, ['script']).filter((p) => p.hit).map((p) => p.text)).toEqual(['script', 'script']);
  });

  it('handles empty inputs', () => {
    expect(highlight('', ['x'])).toEqual([]);
    expect(highlight('abc', [])).toEqual([{ text: 'abc', hit: false }]);
  });
});

describe('filters without words', () => {
  it('lists the papers matching only the filters, newest first, and nothing without any filter', () => {
    const docs = [
      { id: 'a', title: 'Diffusion one', abstract: '', authors: [], tags: ['diffusion'], year: 2021 },
      { id: 'b', title: 'Diffusion two', abstract: '', authors: [], tags: ['diffusion'], year: 2023 },
      { id: 'c', title: 'Graphs', abstract: '', authors: [], tags: ['gnn'], year: 2023 },
    ];
    const index = SearchIndex.build(docs);
    expect(index.search('', { topic: 'diffusion' }).map((h) => h.id)).toEqual(['b', 'a']);
    expect(index.search('', { year: 2023 }).map((h) => h.id)).toEqual(['b', 'c']);
    expect(index.search('  ', { savedOnly: true, savedIds: new Set(['c']) }).map((h) => h.id)).toEqual(['c']);
    expect(index.search('', {})).toEqual([]);
  });
});
