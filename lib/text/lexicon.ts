import { eng } from 'stopword';

/**
 * The word lists of Margin's tokenizer (`./tokenize`): stop words of its two families of variants, the acronyms it
 * expands, and the stems it overrides.
 */

/** Words every ML abstract uses: they carry no topic. Margin's own list, on top of the English stop words. */
const ACADEMIC_STOPWORDS = [
  'paper', 'papers', 'propose', 'proposed', 'proposes', 'proposing', 'present', 'presents', 'presented',
  'introduce', 'introduces', 'introduced', 'show', 'shows', 'shown', 'showed', 'demonstrate', 'demonstrates',
  'demonstrated', 'result', 'results', 'resulting', 'novel', 'new', 'approach', 'approaches', 'method', 'methods',
  'work', 'works', 'study', 'studies', 'studied', 'existing', 'recent', 'recently', 'however', 'also', 'use',
  'used', 'uses', 'using', 'based', 'via', 'experiments', 'experiment', 'experimental', 'extensive', 'significantly',
  'significant', 'achieve', 'achieves', 'achieved', 'achieving', 'state', 'art', 'sota', 'furthermore', 'moreover',
  'well', 'various', 'different', 'several', 'many', 'may', 'can', 'could', 'would', 'one', 'two', 'three', 'first',
  'second', 'thus', 'therefore', 'within', 'without', 'across', 'among', 'upon', 'whether', 'often', 'yet', 'e.g',
  'i.e', 'eg', 'ie', 'etc', 'al', 'et', 'able', 'make', 'makes', 'made', 'including', 'include', 'includes',
  'provide', 'provides', 'provided', 'providing', 'given', 'across', 'up', 'us', 'our', 'ours', 'we', 'its',
  'it', 'this', 'these', 'those', 'such', 'further', 'finally', 'even', 'much', 'due', 'respectively', 'both',
  'available', 'github', 'https', 'http', 'com', 'www', 'org', 'html', 'publicly', 'release', 'released',
  'outperforms', 'outperform', 'outperforming', 'compared', 'comparison', 'improve', 'improves', 'improved',
  'improving', 'improvement', 'improvements', 'effective', 'effectively', 'effectiveness', 'performance',
  'performances', 'task', 'tasks', 'problem', 'problems', 'key', 'important', 'remain', 'remains', 'challenge',
  'challenges', 'challenging', 'address', 'addresses', 'addressing', 'enable', 'enables', 'enabling', 'allow',
  'allows', 'terms', 'way', 'ways', 'order', 'set', 'number', 'large', 'high', 'low', 'better', 'best', 'good',
  'simple', 'general', 'like', 'less', 'more', 'most', 'least', 'less', 'lot', 'lots', 'key', 'crucial', 'critical',
  'furthermore', 'additionally', 'specifically', 'particular', 'particularly', 'typically', 'widely', 'commonly',
  'consider', 'considered', 'find', 'found', 'finds', 'obtain', 'obtained', 'obtains', 'leads', 'lead', 'leading',
  'need', 'needs', 'needed', 'require', 'requires', 'required', 'requiring', 'whereas', 'while', 'still', 'since',
  // Function words the English list lacks; without them reasons read "shared: parameters during".
  'during', 'throughout', 'toward', 'towards', 'beyond', 'per', 'versus', 'vs', 'despite', 'along', 'around', 'whose',
  'thereby', 'hence', 'wherein',
];

/** English function words (the `stopword` package's list). */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set<string>(eng);
/** Words that must never be dropped even if a stop-word list contains them. */
export const KEEP: ReadonlySet<string> = new Set(['code', 'large', 'low', 'high', 'new', 'state']);
/** The related index's and the tagger's stop words: English plus Margin's academic list, never a `KEEP` word. */
export const CONTENT_STOPWORDS: ReadonlySet<string> = new Set<string>([...eng, ...ACADEMIC_STOPWORDS].filter((w) => !KEEP.has(w)));
/** Stop words used only for the bag of words (phrase building still sees them as content). */
export const SOFT_STOPWORDS: ReadonlySet<string> = new Set(['large', 'low', 'high', 'state', 'new']);

/** A stop word of the content variants (`tokens`, `stemmedTerms`, `analyze`), soft ones included. */
export function isStopword(word: string): boolean {
  return CONTENT_STOPWORDS.has(word) || SOFT_STOPWORDS.has(word);
}

/**
 * Known acronyms and their spelled-out form. When the spelled-out phrase is met, the acronym is emitted too.
 * Margin's own list: the acronyms ML papers define over and over.
 */
export const ACRONYM_EXPANSIONS: Readonly<Record<string, string>> = {
  llm: 'large language model',
  mllm: 'multimodal large language model',
  vlm: 'vision language model',
  gnn: 'graph neural network',
  gcn: 'graph convolutional network',
  moe: 'mixture of experts',
  rag: 'retrieval augmented generation',
  rlhf: 'reinforcement learning from human feedback',
  rl: 'reinforcement learning',
  nerf: 'neural radiance field',
  vit: 'vision transformer',
  cnn: 'convolutional neural network',
  gan: 'generative adversarial network',
  vae: 'variational autoencoder',
  ssm: 'state space model',
  peft: 'parameter efficient fine tuning',
  lora: 'low rank adaptation',
  nas: 'neural architecture search',
  asr: 'automatic speech recognition',
  tts: 'text to speech',
  ptq: 'post training quantization',
  qat: 'quantization aware training',
  dpo: 'direct preference optimization',
  cot: 'chain of thought',
  kd: 'knowledge distillation',
  sgd: 'stochastic gradient descent',
  ddpm: 'denoising diffusion probabilistic model',
  nlp: 'natural language processing',
  mae: 'masked autoencoder',
  ctr: 'click through rate',
  fl: 'federated learning',
  dp: 'differential privacy',
};

/** Where Porter conflates words ML keeps apart (transformer/transform, adapter/adaptive, generalization/generation). */
export const STEM_OVERRIDES: Readonly<Record<string, string>> = {
  transformer: 'transformer',
  transformers: 'transformer',
  generalization: 'generaliz',
  generalisation: 'generaliz',
  generalize: 'generaliz',
  generalizes: 'generaliz',
  generalized: 'generaliz',
  generalizing: 'generaliz',
  generalise: 'generaliz',
  generalises: 'generaliz',
  normalization: 'normalization',
  normalizations: 'normalization',
  normalisation: 'normalization',
  adapter: 'adapter',
  adapters: 'adapter',
  experts: 'expert',
  agentic: 'agent',
  optimizer: 'optimizer',
  optimizers: 'optimizer',
  optimiser: 'optimizer',
  optimisers: 'optimizer',
  accelerator: 'accelerator',
  accelerators: 'accelerator',
  distributed: 'distributed',
  tokenization: 'tokeniz',
  tokenizer: 'tokeniz',
  tokenizers: 'tokeniz',
  tokenize: 'tokeniz',
  tokenized: 'tokeniz',
  contrastive: 'contrastive',
  physics: 'physics',
};

/**
 * Search's stop words: English function words that carry no search signal. Leaving them out of the search index
 * keeps postings small and stops "th" from expanding to "the" (which is in every abstract). A deliberately short
 * list, unlike `CONTENT_STOPWORDS`: words like "need", "all" or "new" are kept, they occur in titles.
 */
export const SEARCH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'for', 'from', 'has', 'have', 'in', 'into',
  'is', 'it', 'its', 'of', 'on', 'or', 'than', 'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they',
  'this', 'those', 'to', 'was', 'we', 'were', 'which', 'while', 'with', 'our', 'us',
]);
