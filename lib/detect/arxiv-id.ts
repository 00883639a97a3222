import { ARXIV_ID_PATTERN } from '../arxiv-id';

/** An arXiv identifier split into the version-less id (Margin's key) and the version, when one was given. */
export interface ArxivRef {
  id: string;
  version: number | null;
}

// YYMM.NNNN (Apr 2007 – Dec 2014) or YYMM.NNNNN (from Jan 2015), optional vN.
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;

// archive[.SUBJECT-CLASS]/YYMMNNN, optional vN. The version is matched only after the seven
// digits, so archives that contain a "v" (solv-int, cond-mat, adap-org...) are never eaten by it.
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]{2}(?:-[a-z]+)?))?\/(\d{7})(?:v(\d+))?$/;

/**
 * Parses `2401.04088`, `2401.04088v2`, `hep-th/9901001v1`, `math.CA/0611800v2` (optionally
 * prefixed `arXiv:`) into `{id, version}`; anything else (including ids with impossible
 * months or the wrong number of digits for their year) gives null.
 */
export function parseArxivId(text: string): ArxivRef | null {
  const raw = text.trim().replace(/^arxiv:\s*/i, '');
  const modern = NEW_STYLE.exec(raw);
  if (modern) {
    const [yy = '', mm = '', seq = ''] = modern.slice(1, 4);
    const version = modern[4];
    const month = Number(mm);
    if (month < 1 || month > 12) return null;
    // arXiv switched from 4- to 5-digit sequence numbers in 1501. Holding ids to the rule of their
    // month keeps look-alikes (e.g. a version string "2024.12345", month 24 anyway) from passing as ids.
    const fiveDigits = Number(yy + mm) >= 1501;
    if (seq.length !== (fiveDigits ? 5 : 4)) return null;
    // New-style ids start at 0704; 0001.0001 was never issued.
    if (Number(yy + mm) < 704) return null;
    return { id: `${yy}${mm}.${seq}`, version: toVersion(version) };
  }
  const legacy = OLD_STYLE.exec(raw);
  if (legacy) {
    const archive = legacy[1] ?? '';
    const number = legacy[3] ?? '';
    const version = legacy[4];
    // The subject class (`.CA` in math.CA/0611800) is not part of the identifier: arXiv redirects
    // math.CA/0611800 to math/0611800 and its API reports the latter, so that is the key we keep.
    const id = `${archive}/${number}`;
    if (!ARXIV_ID_PATTERN.test(id)) return null;
    return { id, version: toVersion(version) };
  }
  return null;
}

function toVersion(digits: string | undefined): number | null {
  if (digits === undefined) return null;
  const n = Number(digits);
  return n >= 1 ? n : null;
}

/** The canonical abstract page of a paper; the id is used as given (call with a version-less id). */
export function absUrl(arxivId: string): string {
  return `https://arxiv.org/abs/${arxivId}`;
}
