import { paperTokens, PROFILE_TOPICS, type TopicProfile } from '../topics/tagger';
import { TOPICS } from '../topics/taxonomy';
import { siftDown, siftUp } from '../util/heap';
import { readVarint } from '../util/varint';
import { explainHits, type ScoredDoc } from './explain';
import type { RelatedHit, RelatedOptions, RelatedQuery } from './options';
import { queryVector, topicsForQuery, type QueryVector } from './query';
import { authorKey, MAX_TOPICS, TF_W, titleKey, type RelatedStore } from './store';
import { idf } from './tfidf';

/**
 * Scoring: score = lexical cosine + LSA cosine + topic overlap + topic-profile cosine (each weighted) + shared authors,
 * times a mild recency
 * prior; suggestions below a floor are dropped, so an unrelated query gets nothing.
 *
 * A query costs the postings of its terms (terms in more than `maxDfShare` of the corpus are skipped in candidate
 * generation) plus one pass over the k-dim Int8 doc vectors; full scores (topics, authors, recency) are computed
 * only for candidates whose cheap score can still win.
 */

/** What the full score needs to know of the query paper. */
interface QueryFacts {
  query: RelatedQuery;
  /** Topic index → confidence. */
  topics: Map<number, number>;
  /** Profile weight by topic index + 1, as docs store their profiles (slot 0, no topic, stays 0); null when unused. */
  profile: Float64Array | null;
  /** Author key → name as the query wrote it. */
  authors: Map<number, string>;
  refYear: number;
  selfKey: number;
}

/** Candidates (doc numbers in `pool`) and their cheap scores; `eligible` indexes those that clear the minimums. */
interface CheapScores {
  pool: number[];
  cheap: Float64Array;
  eligible: number[];
}

/**
 * Papers related to `query`, best first (ties by id), at most k, never the query paper itself
 * (same id, same arXiv id or same normalized title), and none below the similarity floor.
 */
export function related(s: RelatedStore, query: RelatedQuery, k: number, override: Partial<RelatedOptions>): RelatedHit[] {
  const opt = { ...s.ranking, ...override };
  if (k <= 0 || s.size === 0) return [];
  const toks = paperTokens(query);
  const qv = queryVector(s, query, toks);
  if (qv.norm === 0) return [];
  const live = s.size;
  if (s.scratch.length < s.n) {
    s.scratch = new Float32Array(s.n);
    s.sims = new Float32Array(s.n);
  }
  const maxDf = Math.max(2, opt.maxDfShare * live);
  const touched = lexicalCosines(s, qv, maxDf, live);
  const useSem = s.lsa !== null && opt.semanticWeight > 0;
  const semTop = useSem ? semanticNeighbours(s, qv, opt) : [];
  const qTopics = topicsForQuery(query, toks);
  const facts: QueryFacts = {
    query,
    topics: qTopics.topics,
    profile: opt.profileWeight !== 0 ? denseProfile(qTopics.profile) : null,
    authors: new Map((query.authors ?? []).map((a) => [authorKey(a), a] as const)),
    refYear: query.year ?? s.maxYear,
    selfKey: titleKey(query.title),
  };
  const cands = bestCandidates(s, facts, cheapScores(s, facts, touched, semTop, useSem, opt), useSem, opt, k);
  for (const d of touched) s.scratch[d] = 0;
  cands.sort((a, b) => b.score - a.score || (s.ids[a.d]! < s.ids[b.d]! ? -1 : s.ids[a.d]! > s.ids[b.d]! ? 1 : 0));
  return explainHits(s, qv, cands.slice(0, k), maxDf, live);
}

function denseProfile(profile: TopicProfile): Float64Array | null {
  if (!profile.topics.length) return null;
  const dense = new Float64Array(TOPICS.length + 1);
  profile.topics.forEach((t, i) => (dense[t + 1] = profile.weights[i]!));
  return dense;
}

/** Cosine of the query's topic profile and doc d's (its weights are stored × 255). */
function profileCosine(s: RelatedStore, dense: Float64Array, d: number): number {
  let sim = 0;
  for (let i = d * PROFILE_TOPICS, e = i + PROFILE_TOPICS; i < e; i++) sim += dense[s.profTopics[i]!]! * s.profWeights[i]!;
  return sim / 255;
}

/** Lexical cosine of every doc sharing a query term of at most `maxDf` papers, in `s.scratch`; returns those docs. */
function lexicalCosines(s: RelatedStore, qv: QueryVector, maxDf: number, live: number): number[] {
  const acc = s.scratch;
  const touched: number[] = [];
  const post = s.post;
  const cur = { pos: 0 };
  for (let i = 0; i < qv.buckets.length; i++) {
    const b = qv.buckets[i]!;
    const df = s.df[b]!;
    if (df === 0 || df > maxDf) continue;
    const w = qv.weights[i]! * idf(df, live);
    let d = 0;
    const end = s.termStart[b + 1]!;
    for (cur.pos = s.termStart[b]!; cur.pos < end; ) {
      d += readVarint(post, cur);
      const a = acc[d]!;
      if (a === 0) touched.push(d);
      acc[d] = a + w * TF_W[post[cur.pos++]!]!;
    }
    const list = s.delta.get(b);
    if (list) {
      for (let j = 0; j < list.length; j += 2) {
        const d = list[j]!;
        if (acc[d] === 0) touched.push(d);
        acc[d] = acc[d]! + w * TF_W[list[j + 1]!]!;
      }
    }
  }
  for (const d of touched) {
    const nd = s.norms[d]!;
    acc[d] = nd > 0 ? acc[d]! / (qv.norm * nd) : 0;
  }
  return touched;
}

/** LSA cosine of every doc in `s.sims` (one pass over the Int8 doc vectors); returns the best `semanticCandidates`. */
function semanticNeighbours(s: RelatedStore, qv: QueryVector, opt: RelatedOptions): number[] {
  const semTop: number[] = [];
  const { k: dims, docVecs, docScale } = s.lsa!;
  const v = s.foldIn(qv.buckets, qv.weights, qv.norm);
  const sims = s.sims;
  const want = opt.semanticCandidates;
  // Min-heap of doc numbers by (sim, -d): the root is the weakest kept.
  const worse = (a: number, b: number) => sims[a]! < sims[b]! || (sims[a] === sims[b] && a > b);
  // Below this nothing can enter the kept set (ties at the root are settled by `worse`).
  let floorSem = want > 0 ? opt.minSemantic : Infinity;
  for (let d = 0; d < s.n; d++) {
    if (!s.alive[d]) {
      sims[d] = 0;
      continue;
    }
    const base = d * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    for (; c + 3 < dims; c += 4) {
      s0 += v[c]! * docVecs[base + c]!;
      s1 += v[c + 1]! * docVecs[base + c + 1]!;
      s2 += v[c + 2]! * docVecs[base + c + 2]!;
      s3 += v[c + 3]! * docVecs[base + c + 3]!;
    }
    for (; c < dims; c++) s0 += v[c]! * docVecs[base + c]!;
    const sim = (s0 + s1 + s2 + s3) * docScale[d]!;
    sims[d] = sim;
    if (sim < floorSem) continue;
    if (semTop.length < want) {
      semTop.push(d);
      siftUp(semTop, semTop.length - 1, worse);
      if (semTop.length === want) floorSem = Math.max(opt.minSemantic, sims[semTop[0]!]!);
    } else if (worse(semTop[0]!, d)) {
      semTop[0] = d;
      siftDown(semTop, 0, worse);
      floorSem = sims[semTop[0]!]!;
    }
  }
  return semTop;
}

/**
 * Candidates: touched docs and the semantic neighbours, with a cheap score (lexical + semantic + topic overlap)
 * that bounds the full one: authors add at most a bonus, recency multiplies by at most a boost.
 */
function cheapScores(s: RelatedStore, q: QueryFacts, touched: number[], semTop: number[], useSem: boolean, opt: RelatedOptions): CheapScores {
  const acc = s.scratch;
  const sims = s.sims;
  const pool: number[] = touched.slice();
  for (const d of semTop) if (acc[d] === 0) pool.push(d);
  const cheap = new Float64Array(pool.length);
  // Topic overlap is cheap to compute exactly (four bytes per doc): only authors and recency stay as slack.
  const qConf = new Float64Array(TOPICS.length + 1).fill(-1);
  for (const [t, c] of q.topics) qConf[t + 1] = c;
  const topicBonus = (d: number) => {
    let tb = 0;
    for (let t = 0; t < MAX_TOPICS; t++) {
      const topic = s.topics[d * MAX_TOPICS + t]!;
      if (!topic) continue;
      const qc = qConf[topic]!;
      if (qc < 0) continue;
      tb += opt.topicWeight * Math.min(qc, s.topicConf[d * MAX_TOPICS + t]! / 255);
    }
    return tb;
  };
  const eligible: number[] = [];
  for (let i = 0; i < pool.length; i++) {
    const d = pool[i]!;
    const lex = acc[d]!;
    const sem = useSem ? Math.max(0, sims[d]!) : 0;
    if (lex < opt.minLexical && sem < opt.minSemantic) continue;
    cheap[i] = opt.lexicalWeight * lex + opt.semanticWeight * sem + (q.topics.size ? topicBonus(d) : 0);
    if (q.profile) cheap[i]! += opt.profileWeight * profileCosine(s, q.profile, d);
    eligible.push(i);
  }
  return { pool, cheap, eligible };
}

/** The strongest `head` eligible candidates by cheap score, sorted (`first`), and the others unsorted (`rest`). */
function splitHead({ cheap, eligible }: CheapScores, head: number): { first: number[]; rest: number[] } {
  const byCheap = (a: number, b: number) => cheap[b]! - cheap[a]! || a - b;
  if (eligible.length <= head) return { first: eligible.sort(byCheap), rest: [] };
  const lessCheap = (a: number, b: number) => cheap[a]! < cheap[b]! || (cheap[a] === cheap[b] && a > b);
  const top: number[] = [];
  let floorCheap = -Infinity;
  for (const i of eligible) {
    if (cheap[i]! < floorCheap) continue;
    if (top.length < head) {
      top.push(i);
      siftUp(top, top.length - 1, lessCheap);
      if (top.length === head) floorCheap = cheap[top[0]!]!;
    } else if (lessCheap(top[0]!, i)) {
      top[0] = i;
      siftDown(top, 0, lessCheap);
      floorCheap = cheap[top[0]!]!;
    }
  }
  const inHead = new Set(top);
  return { first: top.sort(byCheap), rest: eligible.filter((i) => !inHead.has(i)) };
}

/**
 * Full scores, best-cheap-first, until no remaining candidate can reach the k-th best; the candidates that clear
 * the floor, unsorted.
 */
function bestCandidates(s: RelatedStore, q: QueryFacts, c: CheapScores, useSem: boolean, opt: RelatedOptions, k: number): ScoredDoc[] {
  const { first, rest } = splitHead(c, Math.max(4 * k, 200));
  const cheap = c.cheap;
  const cands: ScoredDoc[] = [];
  // Min-heap of the k best full scores so far.
  const best: number[] = [];
  const lessNum = (a: number, b: number) => a < b;
  const bonus = Math.max(0, opt.authorWeight) * Math.min(q.authors.size, 2);
  const boost = 1 + Math.max(0, opt.recencyWeight);
  // Upper bound of a full score from its cheap one; the topic term may be negative only with a negative weight.
  const slack = Math.max(0, -opt.topicWeight) * MAX_TOPICS;
  const hopeless = (i: number) => best.length >= k && Math.max(0, cheap[i]! + slack + bonus) * boost < best[0]!;
  const consider = (i: number) => {
    const cand = fullScore(s, q, c.pool[i]!, useSem, opt);
    if (!cand) return;
    cands.push(cand);
    if (best.length < k) {
      best.push(cand.score);
      siftUp(best, best.length - 1, lessNum);
    } else if (cand.score > best[0]!) {
      best[0] = cand.score;
      siftDown(best, 0, lessNum);
    }
  };
  let cut = false;
  for (const i of first) {
    if (hopeless(i)) {
      cut = true;
      break;
    }
    consider(i);
  }
  // Every remaining candidate scores at most as cheaply as the last head one; look only if the bound allows.
  if (!cut) for (const i of rest) if (!hopeless(i)) consider(i);
  return cands;
}

/** Doc d's full score with what it shares with the query; null for the query paper itself or below the floor. */
function fullScore(s: RelatedStore, q: QueryFacts, d: number, useSem: boolean, opt: RelatedOptions): ScoredDoc | null {
  if (!s.alive[d]) return null;
  const { query } = q;
  const id = s.ids[d]!;
  if ((query.id && id === query.id) || (query.arxivId && s.arxivIds[d] === query.arxivId) || s.titleKeys[d] === q.selfKey) return null;
  const lex = s.scratch[d]!;
  const sem = useSem ? Math.max(0, s.sims[d]!) : 0;
  let score = opt.lexicalWeight * lex + opt.semanticWeight * sem;
  if (q.profile) score += opt.profileWeight * profileCosine(s, q.profile, d);
  const shared: string[] = [];
  for (let t = 0; t < MAX_TOPICS; t++) {
    const topic = s.topics[d * MAX_TOPICS + t]!;
    if (!topic) continue;
    const qc = q.topics.get(topic - 1);
    if (qc === undefined) continue;
    score += opt.topicWeight * Math.min(qc, s.topicConf[d * MAX_TOPICS + t]! / 255);
    shared.push(TOPICS[topic - 1]!.label);
  }
  const authors: string[] = [];
  if (q.authors.size) {
    for (let a = s.authorStart[d]!; a < s.authorStart[d + 1]!; a++) {
      const name = q.authors.get(s.authorKeys[a]!);
      if (name && !authors.includes(name)) authors.push(name);
    }
  }
  score += opt.authorWeight * Math.min(authors.length, 2);
  const year = s.years[d]!;
  if (year > 0 && q.refYear > 0) score *= 1 + opt.recencyWeight * Math.max(0, 1 - Math.max(0, q.refYear - year) / 10);
  if (score < (shared.length || authors.length ? opt.floor : opt.floor * opt.untopicalFloorFactor)) return null;
  return { d, score, lex, sem, topics: shared, authors };
}
