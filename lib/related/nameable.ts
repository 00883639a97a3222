import { isStopword } from '../text/tokenize';
import { TOPICS } from '../topics/taxonomy';

/**
 * Which shared terms a reason line may show. The ranking counts every shared term; a reason names only what a reader
 * would recognise: an acronym or name, a short phrase, or a word the taxonomy knows as a topic's cue. Fragments of
 * clauses ("parameters during", "update only a small") and words every abstract uses ("training data",
 * "technologies") are left out, and a reason with none left shows its topics and authors alone.
 */

/** Words any ML abstract uses: alone, or only with each other, they say nothing about what two papers share. */
const GENERIC_WORDS = new Set([
  'data', 'dataset', 'model', 'models', 'training', 'train', 'trained', 'parameter', 'parameters', 'time', 'times',
  'test', 'tests', 'table', 'score', 'scores', 'base', 'pro', 'technology', 'technologies', 'introduction', 'operation',
  'operations', 'theory', 'online', 'thousands', 'millions', 'billions', 'success', 'update', 'updates', 'updated',
  'small', 'large', 'specific', 'framework', 'frameworks', 'system', 'systems', 'learning', 'network', 'networks',
  'neural', 'deep', 'accuracy', 'efficient', 'efficiency', 'analysis', 'answer', 'answers', 'level', 'levels',
  'process', 'processes', 'information', 'value', 'values', 'cost', 'costs', 'quality', 'structure', 'structures',
  'stage', 'stages', 'case', 'cases', 'type', 'types', 'field', 'fields', 'response', 'responses', 'outline', 'core',
  'highly', 'driven', 'built', 'access', 'diverse', 'hard', 'control', 'self', 'expectation', 'derive',
  'comprehensive', 'domain', 'knowledge', 'criterion', 'predictive', 'empirically', 'point', 'points', 'algorithm',
  'algorithms', 'lower', 'higher', 'scale', 'function', 'functions', 'variations', 'selection', 'production',
  'iteration', 'pipeline', 'parallel', 'image', 'images', 'text', 'language', 'tools', 'styles', 'variable',
  'variance', 'understanding', 'tractable', 'throughput', 'storage', 'survey', 'review', 'robustness', 'synthetic',
  'matching', 'embedding', 'gradient', 'convolutional', 'optimizers', 'map', 'mask', 'sparse', 'speech', 'form',
  'forms', 'descent', 'root', 'degrading', 'degrade', 'importance', 'transfer', 'results', 'set', 'sets', 'number',
  'order', 'part', 'parts', 'way',
]);

const ARTICLES = new Set(['a', 'an', 'the']);

/** Single words the taxonomy uses as cues, lower-cased. */
const TOPIC_WORDS = new Set(
  TOPICS.flatMap((t) => [...t.terms, ...t.acronyms, ...(t.weak ?? [])])
    .filter((w) => !/\s/.test(w))
    .map((w) => w.toLowerCase()),
);

/** Whether a shared term (as the query wrote it, `words` its lower-cased words) is worth showing in a reason. */
export function nameable(surface: string, words: readonly string[]): boolean {
  if (!words.length || words.length > 3 || isStopword(words[0]!) || isStopword(words[words.length - 1]!)) return false;
  // An article inside makes it a clause ("conduct a systematic"); "mixture of experts" stays.
  if (words.some((w) => ARTICLES.has(w))) return false;
  // Capitals or digits past the first letter: an acronym or a name (GPU, PyTorch, FP8, MoE).
  if (/^.+[A-Z0-9]/.test(surface)) return true;
  if (words.every((w) => GENERIC_WORDS.has(w) || isStopword(w) || /^\d+$/.test(w))) return false;
  // A single plain word names something only when the taxonomy knows it ("pruning", "quantization"); "developed",
  // "aims" or "settings" do not.
  return words.length > 1 || TOPIC_WORDS.has(words[0]!);
}
