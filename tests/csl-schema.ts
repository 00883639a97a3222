import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { CslItem } from '../lib/export/csl';

/**
 * The official CSL-JSON schema (citation-style-language/schema, schemas/input/csl-data.json, copied
 * unchanged into tests/conformance; provenance in tests/conformance/SOURCES.md), checked with ajv.
 * `CslData.safeParse` answers like zod's, so tests read the same either way.
 */
const schema = JSON.parse(readFileSync(new URL('./conformance/csl-data.schema.json', import.meta.url), 'utf8')) as object;
// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

type Result = { success: true; data: CslItem[] } | { success: false; data?: undefined; error: { issues: ErrorObject[] } };

export const CslData = {
  safeParse(value: unknown): Result {
    return validate(value) ? { success: true, data: value as CslItem[] } : { success: false, error: { issues: validate.errors ?? [] } };
  },
};
