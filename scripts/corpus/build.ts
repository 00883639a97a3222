import { z } from 'zod';
import { ArxivId, BundledCorpus, Paper, describeZodError } from '../../lib/schema';
import { normalizeTitle, paperIdFor } from '../../lib/text/normalize';
import { dedupeSeeds, parseSeedFile, type MergedSeed } from './seeds';

/** One line of data/enrichment.jsonl: facts confirmed for a title, null where nothing was found. */
export const EnrichmentRow = z.object({
  title: z.string().min(1),
  arxiv_id: ArxivId.nullable(),
  authors: z.array(z.string()).nullable(),
  /** "2020-06-16", or only "2017-06" when the source gave no day. */
  published: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).nullable(),
  primary_category: z.string().nullable(),
  source: z.string().nullable(),
});
export type EnrichmentRow = z.infer<typeof EnrichmentRow>;

export function parseEnrichment(text: string): EnrichmentRow[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line)
    .map(({ line, number }) => {
      const parsed = EnrichmentRow.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`enrichment line ${number}: ${describeZodError(parsed.error)}`);
      return parsed.data;
    });
}

function toPaper(seed: MergedSeed, facts: EnrichmentRow | undefined): Paper {
  const arxivId = facts?.arxiv_id ?? null;
  const fullDate = facts?.published && /^\d{4}-\d{2}-\d{2}$/.test(facts.published) ? facts.published : null;
  // The arXiv first-submission date beats the listing's date, which may be a later version's.
  const published = fullDate ?? seed.published;
  const yearSource = fullDate ?? facts?.published ?? seed.published;
  const authors = facts?.authors ?? [];
  return {
    id: paperIdFor(arxivId, seed.title),
    arxivId,
    title: seed.title,
    normTitle: seed.normTitle,
    abstract: seed.abstract,
    authors,
    authorCount: authors.length ? authors.length : seed.authorCount,
    published,
    year: yearSource ? Number(yearSource.slice(0, 4)) : null,
    categories: facts?.primary_category ? [facts.primary_category] : [],
    origin: 'bundled',
  };
}

export interface CorpusBuild {
  corpus: BundledCorpus;
  /** Seed titles that found no enrichment row (reported by the script, not fatal). */
  unmatched: string[];
  records: number;
}

/**
 * Seeds + enrichment → the bundled corpus. `hash` is injected so this module stays free of
 * Node APIs; the version is a content hash, so the background reinstalls it only when papers change.
 */
export function buildCorpus(
  seedFiles: Array<{ name: string; text: string }>,
  enrichmentText: string,
  hash: (text: string) => string,
): CorpusBuild {
  const records = seedFiles.flatMap(({ name, text }) => parseSeedFile(text, name));
  const seeds = dedupeSeeds(records);
  const facts = new Map(parseEnrichment(enrichmentText).map((row) => [normalizeTitle(row.title), row]));
  const unmatched: string[] = [];
  const papers = seeds.map((seed) => {
    const row = facts.get(seed.normTitle);
    if (!row) unmatched.push(seed.title);
    return Paper.parse(toPaper(seed, row));
  });
  papers.sort((a, b) => a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const paper of papers) {
    if (ids.has(paper.id)) throw new Error(`two papers share the id ${paper.id}`);
    ids.add(paper.id);
  }
  const version = hash(JSON.stringify(papers)).slice(0, 16);
  return { corpus: BundledCorpus.parse({ version, papers }), unmatched, records: records.length };
}
