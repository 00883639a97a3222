import type { TopicTag } from '../schema';
import { stripAccents, tokens, type Token } from '../text/tokenize';
import { TOPICS, type Topic } from './taxonomy';

/**
 * Rule-based topic tagger over the curated taxonomy.
 *
 * Every cue of a topic that occurs in the paper adds its weight (phrase/acronym 2, term 1.5, weak 0.5);
 * a cue in the title counts `TITLE_WEIGHT` times, repeated use in the abstract adds a little (log).
 * A topic is kept when its evidence reaches `MIN_SCORE` with at least one non-weak cue, and when it is
 * within reach of the best topic (`RELATIVE_FLOOR`). Papers with no sign of being about machine
 * learning at all (no ML context words and no ML arXiv category) get no tags: "diffusion" in a
 * materials-science abstract is not a diffusion model.
 */

export const MAX_TAGS = 4;
export const TITLE_WEIGHT = 2.5;
export const MIN_SCORE = 3;
export const RELATIVE_FLOOR = 0.3;
/** Evidence needed when the text shows no sign of being about machine learning. */
export const NO_CONTEXT_MIN_SCORE = 12;

const WEIGHT = { phrase: 2, acronym: 2, term: 1.5, title: 1.5, weak: 0.5 } as const;
type CueKind = keyof typeof WEIGHT;

interface Cue {
  kind: CueKind;
  weight: number;
  /** One term for single-word cues, several for phrases (content words, in order). */
  seq: string[];
  /** Written with capitals or digits (ZeRO, FP8): matches only tokens written that way, not the word "zero". */
  acronymOnly: boolean;
}

interface CompiledTopic {
  topic: Topic;
  index: number;
  cues: Cue[];
  exclude: string[][];
}

/** Conjunctions stay in the matching stream: "vision or language models" is not "vision-language models". */
const CONJUNCTIONS = new Set(['and', 'or', 'but', 'nor', 'versus', 'vs']);
function keep(t: Token): boolean {
  return !t.fn || CONJUNCTIONS.has(t.surface.toLowerCase());
}

function compileTopic(topic: Topic, index: number): CompiledTopic {
  const cues: Cue[] = [];
  const seen = new Set<string>();
  const addCue = (text: string, kind: CueKind) => {
    const toks = tokens(text).filter((t) => keep(t) && !t.extra);
    const seq = toks.map((t) => t.term);
    if (seq.length === 0) return;
    // A multi-word "term" is a phrase; a one-word "phrase" is only a term.
    let k: CueKind = kind;
    if (seq.length > 1 && kind === 'term') k = 'phrase';
    if (seq.length === 1 && kind === 'phrase') k = 'term';
    const key = seq.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    cues.push({ kind: k, weight: WEIGHT[k], seq, acronymOnly: kind === 'acronym' && seq.length === 1 && toks[0]!.acronym });
  };
  // Strongest first, so a cue listed twice keeps its strongest reading.
  for (const p of topic.phrases) addCue(p, 'phrase');
  for (const a of topic.acronyms) addCue(a, 'acronym');
  for (const t of topic.terms) addCue(t, 'term');
  for (const w of topic.titleOnly ?? []) addCue(w, 'title');
  for (const w of topic.weak ?? []) addCue(w, 'weak');
  const exclude = (topic.exclude ?? []).map((e) => tokens(e).filter((t) => keep(t) && !t.extra).map((t) => t.term)).filter((q) => q.length > 0);
  return { topic, index, cues, exclude };
}

const COMPILED: CompiledTopic[] = TOPICS.map(compileTopic);
const WITH_EXCLUSIONS = COMPILED.filter((t) => t.exclude.length > 0);

/** Cue index: first word → (topic, cue) pairs, so matching costs one lookup per word of the paper. */
const BY_FIRST = new Map<string, Array<{ t: CompiledTopic; cue: Cue }>>();
for (const t of COMPILED) {
  for (const cue of t.cues) {
    const first = cue.seq[0]!;
    let list = BY_FIRST.get(first);
    if (!list) BY_FIRST.set(first, (list = []));
    list.push({ t, cue });
  }
}

/** Words that show a text is about machine learning at all (stems / acronyms). */
const ML_CONTEXT = new Set([
  'neural', 'learn', 'transformer', 'pretrain', 'finetun', 'llm', 'gnn', 'cnn', 'gpt', 'bert', 'moe', 'nlp',
  'ai', 'dnn', 'rl', 'lora', 'vit', 'clip', 'gan', 'diffus model', 'languag model', 'deep network',
  'backpropag', 'imagenet', 'embed', 'classifi', 'infer', 'train', 'gpu', 'accuraci', 'benchmark', 'token',
  'prompt', 'gcn', 'sam', 'pytorch', 'tensorflow', 'hyperparamet', 'stochast gradient', 'gradient descent', 'sgd',
  'machin learn', 'deep learn', 'overparameter', 'generaliz', 'privaci', 'federated',
]);
const ML_CATEGORY = /^(cs\.(LG|CL|CV|AI|NE|IR|MA|RO|SD|MM|HC|DC|PF|AR|CR|SE|DB|DS|IT|GT)|stat\.ML|eess\.(AS|IV|SP)|q-bio\.QM)$/;

/** First words of the two-word context cues, so most tokens cost one lookup. */
const ML_CONTEXT_FIRST = new Set([...ML_CONTEXT].filter((c) => c.includes(' ')).map((c) => c.split(' ')[0]!));

function hasMlContextIn(stream: Token[]): boolean {
  for (let i = 0; i < stream.length; i++) {
    const t = stream[i]!;
    if (ML_CONTEXT.has(t.term)) return true;
    if (!ML_CONTEXT_FIRST.has(t.term)) continue;
    const next = stream[i + 1];
    if (next && next.clause === t.clause && ML_CONTEXT.has(t.term + ' ' + next.term)) return true;
  }
  return false;
}

function hasMlContext(title: Token[], abstract: Token[], categories?: string[]): boolean {
  if (categories?.some((c) => ML_CATEGORY.test(c))) return true;
  if (hasMlContextIn(title) || hasMlContextIn(abstract)) return true;
  // The pair across the title/abstract seam, as one stream would see it.
  const last = title[title.length - 1];
  const first = abstract[0];
  return !!last && !!first && last.clause === first.clause && ML_CONTEXT.has(last.term + ' ' + first.term);
}

interface Hit {
  title: number;
  abstract: number;
  surfaces: string[];
}

/** Token positions covered by each topic's exclusion phrases. */
/** Exclusion phrases by first term. */
const EXCLUDE_BY_FIRST = new Map<string, Array<{ t: CompiledTopic; seq: string[] }>>();
for (const t of WITH_EXCLUSIONS) {
  for (const seq of t.exclude) {
    let list = EXCLUDE_BY_FIRST.get(seq[0]!);
    if (!list) EXCLUDE_BY_FIRST.set(seq[0]!, (list = []));
    list.push({ t, seq });
  }
}

function excludedPositions(stream: Token[]): Map<CompiledTopic, Set<number>> {
  const out = new Map<CompiledTopic, Set<number>>();
  for (let i = 0; i < stream.length; i++) {
    const list = EXCLUDE_BY_FIRST.get(stream[i]!.term);
    if (!list) continue;
    for (const { t, seq } of list) {
      if (i + seq.length > stream.length) continue;
      let ok = true;
      for (let k = 0; k < seq.length && ok; k++) ok = stream[i + k]!.term === seq[k] && stream[i + k]!.clause === stream[i]!.clause;
      if (!ok) continue;
      let set = out.get(t);
      if (!set) out.set(t, (set = new Set()));
      for (let k = 0; k < seq.length; k++) set.add(i + k);
    }
  }
  return out;
}

function matchField(stream: Token[], source: string, field: 'title' | 'abstract', hits: Map<Cue, Hit>, topicsOf: Map<Cue, CompiledTopic>, withEvidence: boolean): void {
  const excluded = excludedPositions(stream);
  let text: string | null = null;
  for (let i = 0; i < stream.length; i++) {
    const tok = stream[i]!;
    const candidates = BY_FIRST.get(tok.term);
    if (!candidates) continue;
    for (const { t, cue } of candidates) {
      if (cue.acronymOnly && !tok.acronym) continue;
      if (cue.kind === 'title' && field !== 'title') continue;
      if (excluded.get(t)?.has(i)) continue;
      let end = i;
      if (cue.seq.length > 1) {
        if (tok.extra) continue;
        // Phrase: the next content words (skipping extras) in the same clause.
        let j = i;
        let ok = true;
        for (let k = 1; k < cue.seq.length; k++) {
          j++;
          while (j < stream.length && stream[j]!.extra) j++;
          const next = stream[j];
          if (!next || next.clause !== tok.clause || next.term !== cue.seq[k]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        end = j;
      }
      let hit = hits.get(cue);
      if (!hit) {
        hits.set(cue, (hit = { title: 0, abstract: 0, surfaces: [] }));
        topicsOf.set(cue, t);
      }
      hit[field]++;
      if (withEvidence && hit.surfaces.length < 2) {
        const last = stream[end]!;
        text ??= stripAccents(source);
        const surface = text.slice(tok.start, last.end).replace(/\s+/g, ' ');
        if (!hit.surfaces.some((s) => s.toLowerCase() === surface.toLowerCase())) hit.surfaces.push(surface);
      }
    }
  }
}

export interface TagInput {
  title: string;
  abstract: string;
  categories?: string[];
}

/** Raw per-topic evidence, for the tagger itself, the related-papers ranking and the evaluation. */
export interface TopicScore {
  topic: Topic;
  index: number;
  raw: number;
  evidence: string[];
  strong: boolean;
  /** A non-weak cue of the topic occurs in the title. */
  inTitle: boolean;
}

/** The token streams of a paper's title and abstract (`tokens()` of each), computed once and shared by the tagger and the indexes. */
export interface PaperTokens {
  title: Token[];
  abstract: Token[];
}

export function paperTokens(p: TagInput): PaperTokens {
  return { title: tokens(p.title ?? ''), abstract: tokens(p.abstract ?? '') };
}

export function scoreTopics(p: TagInput, toks: PaperTokens = paperTokens(p)): TopicScore[] {
  return score(p, toks, true);
}

function score(p: TagInput, toks: PaperTokens, withEvidence: boolean): TopicScore[] {
  const titleStream = toks.title.filter(keep);
  const abstractStream = toks.abstract.filter(keep);
  const mlContext = hasMlContext(titleStream, abstractStream, p.categories);
  const hits = new Map<Cue, Hit>();
  const topicsOf = new Map<Cue, CompiledTopic>();
  matchField(titleStream, p.title ?? '', 'title', hits, topicsOf, withEvidence);
  matchField(abstractStream, p.abstract ?? '', 'abstract', hits, topicsOf, withEvidence);

  const byTopic = new Map<CompiledTopic, { raw: number; strong: boolean; inTitle: boolean; ev: Array<{ s: string; w: number }> }>();
  for (const [cue, hit] of hits) {
    const t = topicsOf.get(cue)!;
    const inAbstract = hit.abstract > 0 ? Math.min(1 + Math.log(hit.abstract), 2.5) : 0;
    const score = cue.weight * ((hit.title > 0 ? TITLE_WEIGHT : 0) + inAbstract);
    let agg = byTopic.get(t);
    if (!agg) byTopic.set(t, (agg = { raw: 0, strong: false, inTitle: false, ev: [] }));
    agg.raw += score;
    if (cue.kind !== 'weak') {
      agg.strong = true;
      if (hit.title > 0) agg.inTitle = true;
    }
    for (const s of hit.surfaces) agg.ev.push({ s, w: score });
  }
  const out: TopicScore[] = [];
  for (const [t, agg] of byTopic) {
    // Evidence: strongest cues first, one surface per word, case-insensitive.
    const evidence: string[] = [];
    if (withEvidence) agg.ev.sort((a, b) => b.w - a.w || a.s.localeCompare(b.s));
    const seen = new Set<string>();
    for (const { s } of agg.ev) {
      const key = s.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      evidence.push(s);
      if (evidence.length >= 6) break;
    }
    out.push({ topic: t.topic, index: t.index, raw: agg.raw, evidence, strong: agg.strong, inTitle: agg.inTitle });
  }
  out.sort((a, b) => b.raw - a.raw || a.topic.id.localeCompare(b.topic.id));
  // No sign of machine learning: only a topic named in the title with overwhelming evidence survives
  // ("Bilevel optimization ..." without the word "learning"); a stray "diffusion" or "graph" does not.
  if (!mlContext) return out.filter((s) => s.inTitle && s.raw >= NO_CONTEXT_MIN_SCORE);
  return out;
}

/** Confidence in [0, 1) from raw evidence: 3 → 0.39, 6 → 0.63, 12 → 0.86. */
export function confidence(raw: number): number {
  return Math.round((1 - Math.exp(-raw / 6)) * 1000) / 1000;
}

/** 0–4 topic tags, most confident first, each with the words that triggered it. */
export function tagPaper(p: TagInput, toks?: PaperTokens): TopicTag[] {
  return tagsOf(score(p, toks ?? paperTokens(p), true));
}

/**
 * `tagPaper` without evidence (empty `evidence` arrays): what the indexes need, tagged once per paper
 * from tokens shared with the related index. Same ids, labels and scores as `tagPaper`.
 */
export function tagPaperForIndex(p: TagInput, toks: PaperTokens = paperTokens(p)): TopicTag[] {
  return tagsOf(score(p, toks, false));
}

/** How many topics a profile keeps (the strongest by evidence). */
export const PROFILE_TOPICS = 8;

/**
 * A paper's topic profile: its strongest topics by raw evidence, tags or not, each weighted by the square root of its
 * evidence and scaled to unit length. Two profiles' dot product is a soft topic similarity: on the independent dev
 * judgments it ranks related papers better than hard tag overlap (0.48 vs 0.43 nDCG@5 alone), because a topic with
 * some evidence but no tag still counts, a little.
 */
export interface TopicProfile {
  /** Topic indexes into `TOPICS`. */
  topics: number[];
  weights: number[];
}

function profileOf(scores: readonly TopicScore[]): TopicProfile {
  const top = scores.slice(0, PROFILE_TOPICS);
  const raw = top.map((s) => Math.sqrt(s.raw));
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  return { topics: top.map((s) => s.index), weights: raw.map((x) => x / norm) };
}

/** `tagPaperForIndex` and the paper's `TopicProfile`, from one scoring pass. */
export function tagAndProfile(p: TagInput, toks: PaperTokens = paperTokens(p)): { tags: TopicTag[]; profile: TopicProfile } {
  const scores = score(p, toks, false);
  return { tags: tagsOf(scores), profile: profileOf(scores) };
}

function tagsOf(scores: TopicScore[]): TopicTag[] {
  const top = scores[0]?.raw ?? 0;
  const evident = new Set(scores.filter((s) => s.strong).map((s) => s.topic.id));
  const tags: TopicTag[] = [];
  for (const s of scores) {
    if (tags.length >= MAX_TAGS) break;
    if (!s.strong || s.raw < MIN_SCORE || s.raw < RELATIVE_FLOOR * top) continue;
    if (s.topic.requires && !evident.has(s.topic.requires)) continue;
    tags.push({ id: s.topic.id, label: s.topic.label, description: s.topic.description, score: confidence(s.raw), evidence: s.evidence });
  }
  return tags;
}

/** Topic ids in taxonomy order, for compact storage of a paper's tags as small integers. */
export const TOPIC_IDS: readonly string[] = TOPICS.map((t) => t.id);

export function topicById(id: string): Topic | undefined {
  return TOPICS.find((t) => t.id === id);
}
