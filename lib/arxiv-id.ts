/**
 * arXiv identifiers: the one place that parses, normalises and versions them, and builds the URLs a
 * paper lives at. Plain TypeScript without zod, so content scripts can use it cheaply.
 *
 * Where peers disagree (tests/conformance/id-cases.tsv), arXiv's own rules win (arxiv-browse and
 * arxiv-base's Identifier): new-style ids start at 0704, use 4 digits until 1412 and 5 from 1501;
 * old-style ids ran from 9107 to 0703; the subject class of an old-style id (`math.GT/0309136`) is
 * not part of it.
 */

/**
 * The shape of a stored, version-less id: new-style (2401.01234, 0704.0001) or old-style
 * (hep-th/9901001). Looser than parseArxivId on purpose: it only guards what is already stored.
 */
export const ARXIV_ID_PATTERN = /^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2}(?:-[a-z]+)?)?\/\d{7})$/;

/** An arXiv identifier split into the version-less id (Margin's key) and the version, when one was given. */
export interface ArxivRef {
  id: string;
  version: number | null;
}

// YYMM.NNNN (Apr 2007 – Dec 2014) or YYMM.NNNNN (from Jan 2015), optional vN.
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;

// archive[.SUBJECT-CLASS]/YYMMNNN, optional vN. The version is matched only after the seven
// digits, so archives that contain a "v" (solv-int, cond-mat, adap-org...) are never eaten by it.
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]{2}(?:-[a-z]+)?))?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/i;

/**
 * Parses exactly one identifier: `2401.04088`, `2401.04088v2`, `hep-th/9901001v1`,
 * `math.CA/0611800v2`, optionally prefixed `arXiv:`, into `{id, version}`. Anything else (extra
 * text, impossible months, the wrong number of digits for the id's month) gives null. URL paths
 * and page metadata go through this; see normalizeArxivId for the forgiving reading.
 */
export function parseArxivId(text: string): ArxivRef | null {
  const raw = text.trim().replace(/^arxiv:\s*/i, '');
  const modern = NEW_STYLE.exec(raw);
  if (modern) {
    const [yy = '', mm = '', seq = ''] = modern.slice(1, 4);
    const yymm = Number(yy + mm);
    const month = Number(mm);
    if (month < 1 || month > 12) return null;
    // New-style ids start at 0704.
    if (yymm < 704) return null;
    // arXiv switched from 4- to 5-digit sequence numbers in 1501. Holding ids to the rule of their
    // month keeps look-alikes (e.g. a version string "2024.12345", month 24 anyway) from passing as ids.
    if (seq.length !== (yymm >= 1501 ? 5 : 4)) return null;
    if (Number(seq) === 0) return null;
    return { id: `${yy}${mm}.${seq}`, version: toVersion(modern[4]) };
  }
  const legacy = OLD_STYLE.exec(raw);
  if (legacy) {
    const [archive = '', , yy = '', mm = '', number = ''] = legacy.slice(1, 6);
    const year = Number(yy) >= 91 ? 1900 + Number(yy) : 2000 + Number(yy);
    const month = Number(mm);
    // Old-style ids were issued from August 1991 to March 2007.
    if (month < 1 || month > 12 || year * 100 + month < 199108 || year * 100 + month > 200703) return null;
    if (Number(number) === 0) return null;
    // The subject class (`.CA` in math.CA/0611800) is not part of the identifier: arXiv redirects
    // math.CA/0611800 to math/0611800 and its API reports the latter, so that is the key we keep.
    // Archives are case-insensitive to arXiv (HEP-TH/9901001 is hep-th/9901001).
    return { id: `${archive.toLowerCase()}/${yy}${mm}${number}`, version: toVersion(legacy[6]) };
  }
  return null;
}

// An id at the start of a longer string, ended by the end or by `/`, `?` or `#` (what follows is
// dropped, as arXiv's Identifier does with `hep-th/9901001/extra`). The optional archive before a
// new-style id is arxiv-base's "odd mashup" (hep-ph/1203.12345).
const OLD_STYLE_PREFIX = /^([a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2}(?:-[a-z]+)?)?\/\d{7}(?:v\d+)?)(?=$|[/?#])/i;
const NEW_STYLE_PREFIX = /^(?:[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2}(?:-[a-z]+)?)?\/)?(\d{4}\.\d{4,5}(?:v\d+)?)(?=$|[/?#])/i;

/**
 * Reads an identifier the way arXiv's own Identifier class does, for text a person typed or pasted:
 * leading and repeated slashes (`/hep-th//9901001`), an `arXiv:` prefix, upper-case archives, and a
 * trailing path, query or fragment (`physics/0303098/static/icon.png`, `1701.08223v2?234`) are
 * forgiven. Letters glued to an id (`0707.2096va`) are not.
 */
export function normalizeArxivId(text: string): ArxivRef | null {
  const raw = text
    .trim()
    .replace(/^arxiv:\s*/i, '')
    .replace(/^\/+/, '')
    .replace(/\/{2,}/g, '/');
  const match = OLD_STYLE_PREFIX.exec(raw) ?? NEW_STYLE_PREFIX.exec(raw);
  return match?.[1] ? parseArxivId(match[1]) : null;
}

function toVersion(digits: string | undefined): number | null {
  if (digits === undefined) return null;
  const n = Number(digits);
  return n >= 1 ? n : null;
}

/** True for ids of the archive/YYMMNNN form (before April 2007). */
export function isOldStyle(arxivId: string): boolean {
  return arxivId.includes('/');
}

/** `2401.04088v3`, or the bare id when the version is unknown. */
export function versionedId(ref: ArxivRef): string {
  return ref.version ? `${ref.id}v${ref.version}` : ref.id;
}

/** The canonical abstract page of a paper; the id is used as given (call with a version-less id). */
export function absUrl(arxivId: string): string {
  return `https://arxiv.org/abs/${arxivId}`;
}

/** The abstract-page URL, built only from an id that passes the stored-id check; null otherwise. */
export function safeAbsUrl(arxivId: string | null | undefined): string | null {
  return arxivId && ARXIV_ID_PATTERN.test(arxivId) ? absUrl(arxivId) : null;
}

export interface PaperHome {
  kind: 'abs' | 'pdf' | 'html' | 'hf';
  label: string;
  url: string;
}

/**
 * The pages a paper lives at, built from its id alone (no request made): the abstract, the PDF, the
 * HTML full text (arXiv's own for papers from December 2023, when it started rendering them; ar5iv's
 * for older ones) and the Hugging Face paper page (keyed by new-style ids only). [] for an id that
 * fails the stored-id check, so no page-supplied string becomes a link.
 */
export function paperHomes(arxivId: string | null | undefined): PaperHome[] {
  if (!arxivId || !ARXIV_ID_PATTERN.test(arxivId)) return [];
  const homes: PaperHome[] = [
    { kind: 'abs', label: 'Abstract', url: absUrl(arxivId) },
    { kind: 'pdf', label: 'PDF', url: `https://arxiv.org/pdf/${arxivId}` },
  ];
  const newStyle = !isOldStyle(arxivId);
  const arxivRendersHtml = newStyle && Number(arxivId.slice(0, 4)) >= 2312;
  homes.push({
    kind: 'html',
    label: 'HTML',
    url: arxivRendersHtml ? `https://arxiv.org/html/${arxivId}` : `https://ar5iv.labs.arxiv.org/html/${arxivId}`,
  });
  if (newStyle) homes.push({ kind: 'hf', label: 'Hugging Face', url: `https://huggingface.co/papers/${arxivId}` });
  return homes;
}
