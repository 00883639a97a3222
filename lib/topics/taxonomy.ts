import taxonomy from './taxonomy.json';

/**
 * Margin's curated topics: the research areas the bundled corpus (training, efficiency and
 * architecture of deep networks, LLMs, vision and speech) actually spans.
 *
 * Cues, written as plain English (the tagger runs them through the same tokenizer as the papers):
 * - `phrases`: multi-word expressions, matched as consecutive content words ("mixture of experts"
 *   also matches "mixture-of-experts"). Strong evidence.
 * - `acronyms`: matched on acronym/name tokens as written with capitals or digits ("MoE", "LLMs", "FP8").
 *   Strong evidence.
 * - `terms`: single words specific to the topic ("quantization", "pruning"). Medium evidence.
 * - `weak`: words that point to the topic only together with others ("graph", "expert"). Weak evidence.
 * A topic is assigned only when its evidence adds up past the tagger's threshold, so no single weak word can tag.
 */
export interface Topic {
  id: string;
  label: string;
  description: string;
  terms: string[];
  phrases: string[];
  acronyms: string[];
  weak?: string[];
  /** Words that name the topic only when they are in the title ("A benchmark for ...", "A survey of ..."). */
  titleOnly?: string[];
  /** Phrases inside which this topic's cues do not count ("graph convolutional network" is not a vision CNN). */
  exclude?: string[];
  /** Tagged only when the paper also shows evidence of this topic (an "LLM applications" tag needs LLMs). */
  requires?: string;
}

// The data lives in taxonomy.json (one topic per block) so this file stays the contract and the
// list can grow without becoming code; the import is typed here, once.
export const TOPICS: readonly Topic[] = taxonomy;
