import { parse as parseName } from '@citation-js/name';
import { safeAbsUrl } from '../arxiv-id';

/** A CSL name: a person split into family/given (with particles and suffix), or a literal (an organization). */
export interface CslName {
  family?: string;
  given?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
  literal?: string;
}

/** Names that are groups, not people ("Research and Development Team", "ATLAS Collaboration"). */
const ORGANIZATION = /(?:^|\s)and(?:\s|$)|\b(?:team|collaboration|consortium|group|project|laboratory|lab|institute|university|inc|ltd)\.?$/i;
const SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv)$/i;

/**
 * Splits a display name ("Albert Q. Jiang", "Jiang, Albert Q.", "Guido de Croon") with
 * @citation-js/name (citation.js's parser, which knows particles like van/de/von), patching its
 * one common miss: a trailing "Jr."/"III" taken for the family name.
 */
export function splitName(raw: string): CslName {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') return { literal: raw };
  if (ORGANIZATION.test(name)) return { literal: name };
  let parsed: CslName;
  try {
    parsed = parseName(name) as CslName;
  } catch {
    return { literal: name };
  }
  if (parsed.family && SUFFIX.test(parsed.family) && parsed.given && !name.includes(',')) {
    const parts = parsed.given.split(' ');
    const family = parts.pop()!;
    if (parts.length > 0) return { given: parts.join(' '), family, suffix: parsed.family };
  }
  const out: CslName = {};
  for (const key of ['family', 'given', 'non-dropping-particle', 'dropping-particle', 'suffix', 'literal'] as const) {
    const v = parsed[key];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  if (!out.family && !out.literal) return { literal: name };
  return out;
}

/** Family name for display and citation keys ("Jiang"; an organization's full name). */
export function familyName(raw: string): string {
  const n = splitName(raw);
  if (n.literal) return n.literal;
  return [n['non-dropping-particle'], n.family].filter(Boolean).join(' ');
}

/** The abstract-page URL, built only from an id that passes the arXiv id check; null otherwise. */
export const arxivUrl = safeAbsUrl;

/** Folds to ASCII letters/digits (for citation keys): "Łukasz Müller" → "lukaszmuller". */
export function asciiKeyPart(text: string): string {
  const FOLD: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ı: 'i', ð: 'd', þ: 'th' };
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[łøæœßđıðþ]/g, (c) => FOLD[c] ?? c)
    .replace(/[^a-z0-9]+/g, '');
}
