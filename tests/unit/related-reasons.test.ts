import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eng } from 'stopword';
import { describe, expect, it } from 'vitest';
import { BundledCorpus } from '../../lib/schema';
import { prepareRelated, RelatedIndex } from '../../lib/related/rank';

/**
 * Reason lines on the dev set's top-5 lists (data/relevance-dev): every shared term a reason shows must name
 * something a reader recognises, never a fragment of function words and words any ML abstract uses
 * ("shared: parameters during", "gemini pro, base", "update only a small").
 */
const root = join(__dirname, '../..');
const papers = BundledCorpus.parse(JSON.parse(readFileSync(join(root, 'public/corpus.json'), 'utf8'))).papers;
const dev = JSON.parse(readFileSync(join(root, 'data/relevance-dev/judgments.json'), 'utf8')) as { queries: Array<{ id: string }> };

/** This test's own list of words that say nothing about what two papers share (kept apart from the engine's). */
const GENERIC = new Set([
  ...eng,
  'data', 'model', 'models', 'modeling', 'training', 'train', 'trained', 'trains', 'performance', 'parameter', 'parameters',
  'method', 'methods', 'approach', 'result', 'results', 'time', 'times', 'test', 'tests', 'table', 'score', 'scores', 'base',
  'pro', 'technology', 'technologies', 'introduction', 'operation', 'operations', 'theory', 'online', 'thousands',
  'millions', 'success', 'update', 'updates', 'small', 'large', 'specific', 'various', 'new', 'framework', 'frameworks',
  'system', 'systems', 'learning', 'network', 'networks', 'neural', 'deep', 'task', 'tasks', 'accuracy', 'efficient',
  'efficiency', 'set', 'sets', 'use', 'work', 'paper', 'problem', 'problems', 'analysis', 'study', 'answer', 'answers',
  'way', 'level', 'levels', 'process', 'information', 'number', 'value', 'values', 'cost', 'costs', 'quality',
  'structure', 'stage', 'stages', 'case', 'form', 'order', 'part', 'type', 'types', 'field', 'area', 'image', 'images',
  'text', 'language', 'output', 'outputs', 'input', 'inputs', 'response', 'responses', 'outline', 'core', 'key',
  'highly', 'driven', 'built', 'access', 'diverse', 'hard', 'control', 'self', 'expectation', 'derive', 'comprehensive',
  'domain', 'knowledge', 'stage', 'selection', 'showcases', 'degrading', 'criterion', 'predictive', 'empirically',
  'points', 'algorithms', 'algorithm', 'descent', 'root', 'millions', 'lower', 'higher', 'scale', 'scales',
]);

function shownTerms(reason: string): string[] {
  return reason
    .split(' · ')
    .filter((part) => /^(shared|Shared terms):/.test(part))
    .flatMap((part) => part.slice(part.indexOf(':') + 1).split(','))
    .map((t) => t.trim())
    .filter(Boolean);
}

function fragmentProblem(term: string): string | null {
  const words = term.toLowerCase().split(/[\s\-/]+/).filter(Boolean);
  if (words.every((w) => GENERIC.has(w) || /^\d+$/.test(w))) return 'only generic words';
  if (eng.includes(words[0]!) || eng.includes(words[words.length - 1]!)) return 'starts or ends with a function word';
  if (words.length > 3) return 'a clause, not a name';
  return null;
}

describe('reason lines on the dev set', () => {
  const sorted = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = RelatedIndex.build(sorted, {}, sorted.map(prepareRelated));
  const byId = new Map(papers.map((p) => [p.id, p]));

  it('name shared methods, tasks or datasets, never generic fragments', () => {
    const bad: string[] = [];
    let shown = 0;
    for (const q of dev.queries) {
      for (const hit of index.related(byId.get(q.id)!, 5)) {
        expect(hit.reason.length).toBeGreaterThan(5);
        for (const term of shownTerms(hit.reason)) {
          shown++;
          const problem = fragmentProblem(term);
          if (problem) bad.push(`${q.id} → ${hit.paperId}: "${term}" (${problem}) in "${hit.reason}"`);
        }
      }
    }
    expect(shown).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  });
});
