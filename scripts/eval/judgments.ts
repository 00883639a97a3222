import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Paper } from '../../lib/schema';
import { normalizeTitle } from '../../lib/text/normalize';

/** One query with its grades: `judges` holds one grade map per judge, `mean` their average (unlisted = 0). */
export interface JudgedQuery {
  id: string;
  title: string;
  judges: Array<Map<string, number>>;
  mean: Map<string, number>;
}

export interface JudgmentSet {
  name: string;
  judgeNames: string[];
  queries: JudgedQuery[];
}

const Pair = z.tuple([z.string(), z.number().int().min(0).max(2)]);
const DevFile = z.object({
  about: z.string(),
  queries: z.array(z.object({ id: z.string(), title: z.string() })),
  judges: z.record(z.string(), z.record(z.string(), z.array(Pair))),
});
const OwnFile = z.object({
  queries: z.array(z.object({ id: z.string(), title: z.string(), relevant: z.array(z.object({ id: z.string(), grade: z.number() })) })),
});

/** Papers are named by id, or by 'title:' + title where the corpus has no arXiv id. */
function resolver(papers: readonly Paper[]): (ref: string) => string {
  const ids = new Set(papers.map((p) => p.id));
  const byTitle = new Map(papers.map((p) => [normalizeTitle(p.title), p.id]));
  return (ref) => {
    if (ids.has(ref)) return ref;
    const id = ref.startsWith('title:') ? byTitle.get(normalizeTitle(ref.slice(6))) : undefined;
    if (!id) throw new Error(`judgments: no corpus paper for ${ref}`);
    return id;
  };
}

function meanOf(judges: Array<Map<string, number>>): Map<string, number> {
  const mean = new Map<string, number>();
  for (const j of judges) for (const [id, g] of j) mean.set(id, (mean.get(id) ?? 0) + g / judges.length);
  return mean;
}

/** The independent dev set (data/relevance-dev/judgments.json): two blind judges. */
export function loadDevSet(root: string, papers: readonly Paper[]): JudgmentSet {
  const file = DevFile.parse(JSON.parse(readFileSync(join(root, 'data/relevance-dev/judgments.json'), 'utf8')));
  const resolve = resolver(papers);
  const judgeNames = Object.keys(file.judges).sort();
  const queries = file.queries.map((q) => {
    const id = resolve(q.id);
    const judges = judgeNames.map((j) => new Map((file.judges[j]![q.id] ?? []).map(([ref, g]) => [resolve(ref), g] as const)));
    return { id, title: q.title, judges, mean: meanOf(judges) };
  });
  return { name: 'dev (independent, 2 judges)', judgeNames, queries };
}

/** The team's own judgments (data/judgments.json): one set of grades, written next to the taxonomy. */
export function loadOwnSet(root: string, papers: readonly Paper[]): JudgmentSet {
  const file = OwnFile.parse(JSON.parse(readFileSync(join(root, 'data/judgments.json'), 'utf8')));
  const resolve = resolver(papers);
  const queries = file.queries.map((q) => {
    const grades = new Map(q.relevant.map((r) => [resolve(r.id), r.grade] as const));
    return { id: resolve(q.id), title: q.title, judges: [grades], mean: grades };
  });
  return { name: 'own (team-written)', judgeNames: ['own'], queries };
}
