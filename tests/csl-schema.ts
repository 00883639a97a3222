import { z } from 'zod';

/**
 * No npm package ships the official CSL-JSON schema (citation-style-language/schema,
 * schemas/input/csl-data.json; the citation-js packages need Node 22 and do not include it), so this
 * is a precise zod transcription of that schema for the fields Margin writes: `type` from the
 * official type list, `id` string|number, strict objects (the schema has additionalProperties: false
 * for items, names and dates), the name-variable and date-variable definitions.
 */
export const CSL_TYPES = [
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast', 'chapter', 'classic',
  'collection', 'dataset', 'document', 'entry', 'entry-dictionary', 'entry-encyclopedia', 'event', 'figure', 'graphic',
  'hearing', 'interview', 'legal_case', 'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet',
  'paper-conference', 'patent', 'performance', 'periodical', 'personal_communication', 'post', 'post-weblog', 'regulation',
  'report', 'review', 'review-book', 'software', 'song', 'speech', 'standard', 'thesis', 'treaty', 'webpage',
] as const;
const StrNum = z.union([z.string(), z.number()]);
export const CslName = z.strictObject({
  family: z.string().optional(),
  given: z.string().optional(),
  'dropping-particle': z.string().optional(),
  'non-dropping-particle': z.string().optional(),
  suffix: z.string().optional(),
  'comma-suffix': z.union([z.string(), z.number(), z.boolean()]).optional(),
  'static-ordering': z.union([z.string(), z.number(), z.boolean()]).optional(),
  literal: z.string().optional(),
  'parse-names': z.union([z.string(), z.number(), z.boolean()]).optional(),
});
export const CslDate = z.union([
  z.string().regex(/[0-9,\-%~X?./]/),
  z.strictObject({
    'date-parts': z.array(z.array(StrNum).min(1).max(3)).min(1).max(2).optional(),
    season: StrNum.optional(),
    circa: z.union([z.string(), z.number(), z.boolean()]).optional(),
    literal: z.string().optional(),
    raw: z.string().optional(),
  }),
]);
export const CslItem = z.strictObject({
  id: StrNum,
  type: z.enum(CSL_TYPES),
  title: z.string().optional(),
  author: z.array(CslName).optional(),
  issued: CslDate.optional(),
  URL: z.string().optional(),
  DOI: z.string().optional(),
  number: StrNum.optional(),
  archive: z.string().optional(),
  publisher: z.string().optional(),
  abstract: z.string().optional(),
  note: z.string().optional(),
});
export const CslData = z.array(CslItem);
