import { describe, expect, it } from 'vitest';
import { analyze, foldForSearch, isStopword, searchTerms, searchWords, stem, stemmedTerms, tokens } from '../../lib/text/tokenize';

describe('stemmedTerms', () => {
  it('lower-cases, folds accents and drops stop words and pure numbers', () => {
    const t = stemmedTerms('The Naïve Café of 2024 and THE models');
    expect(t).toContain('naiv');
    expect(t).toContain('cafe');
    expect(t).not.toContain('the');
    expect(t).not.toContain('2024');
    expect(t.every((w) => w === w.toLowerCase())).toBe(true);
  });

  it('keeps model names with digits whole and also yields their word part', () => {
    const t = stemmedTerms('We compare LLaMA-3, GPT-4 and 3D Gaussian splatting with FP8 and 4-bit weights.');
    for (const w of ['llama-3', 'llama', 'gpt-4', 'gpt', '3d', 'fp8', '4-bit']) expect(t).toContain(w);
  });

  it('splits plain hyphenated words', () => {
    const t = stemmedTerms('memory-efficient mixture-of-experts');
    expect(t).toEqual([stem('memory'), stem('efficient'), stem('mixture'), stem('experts')]);
  });

  it('treats acronyms as names: singular, unstemmed', () => {
    const t = stemmedTerms('LLMs and GNNs with MoE layers');
    expect(t).toContain('llm');
    expect(t).toContain('gnn');
    expect(t).toContain('moe');
    expect(t).not.toContain('llms');
  });

  it('stems ordinary words lightly so inflections meet', () => {
    expect(stem('quantization')).toBe(stem('quantized'));
    expect(stem('experts')).toBe(stem('expert'));
    // ... but keeps ML terms Porter would conflate apart.
    expect(stem('transformer')).not.toBe(stem('transformation'));
    expect(stem('generalization')).not.toBe(stem('generation'));
  });

  it('uses both the English list and the academic boilerplate list', () => {
    expect(isStopword('the')).toBe(true);
    expect(isStopword('propose')).toBe(true);
    expect(isStopword('quantization')).toBe(false);
  });

  it('builds bigrams across stop words but not across clause breaks', () => {
    const { terms } = analyze('Sparse mixture of experts. Routing, experts');
    expect(terms).toContain(`${stem('mixture')} ${stem('experts')}`);
    expect(terms).not.toContain(`${stem('experts')} ${stem('routing')}`);
    expect(terms).not.toContain(`${stem('routing')} ${stem('experts')}`);
  });

  it('emits the acronym for a spelled-out form so both spellings meet', () => {
    expect(analyze('Large language models are used').terms).toContain('llm');
    expect(analyze('retrieval-augmented generation').terms).toContain('rag');
    expect(analyze('we use a MoE').terms).toContain('moe');
  });

  it('records readable surfaces for terms when asked', () => {
    const { surface } = analyze('Mixture-of-Experts models', { surface: true });
    expect(surface?.get(`${stem('mixture')} ${stem('experts')}`)).toBe('mixture-of-experts');
  });

  it('reports character offsets that point at the surface', () => {
    const text = 'Efficient GPT-4 inference';
    for (const t of tokens(text)) if (!t.extra) expect(text.slice(t.start, t.end)).toBe(t.surface);
  });
});

describe('search variants', () => {
  it('keep words as written (folded, unstemmed) so prefixes and typos work, and drop only search stop words', () => {
    expect(searchWords('The Łukasz-Kaiser Naïve models')).toEqual(['the', 'lukasz', 'kaiser', 'naive', 'models']);
    expect(searchTerms('The Łukasz-Kaiser Naïve models')).toEqual(['lukasz', 'kaiser', 'naive', 'models']);
    // "new" and "need" are content for search (titles use them), stop words for the content variants.
    expect(searchTerms('all you need is new')).toEqual(['all', 'you', 'need', 'new']);
    expect(stemmedTerms('models need new')).toEqual(['model']);
    expect(foldForSearch('ÆSIR Straße')).toBe('aesir strasse');
  });
});
