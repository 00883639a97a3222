/**
 * IndexedDB failures (Dexie wraps them) as sentences a researcher can act on. Used wherever a write can fail: the
 * background's replies, the import loop and the extension pages.
 */

const STORAGE_UNAVAILABLE = new Set(['MissingAPIError', 'InvalidStateError', 'DatabaseClosedError', 'OpenFailedError', 'SecurityError', 'UnknownError', 'VersionError']);

/** The names of an error and of the errors it wraps (Dexie's `inner`, a BulkError's `failures`, `cause`). */
function errorNames(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  const failures = Array.isArray(e.failures) ? e.failures : e.failures && typeof e.failures === 'object' ? Object.values(e.failures) : [];
  return [
    ...(typeof e.name === 'string' ? [e.name] : []),
    ...errorNames(e.inner, depth + 1),
    ...errorNames(e.cause, depth + 1),
    ...failures.slice(0, 3).flatMap((failure) => errorNames(failure, depth + 1)),
  ];
}

/** A storage failure as a sentence (without promising what was kept), or null for other errors. */
export function storageProblem(error: unknown): string | null {
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return 'Your browser refused to store more data (storage quota exceeded); free some disk space or remove an imported corpus.';
  }
  if (names.some((name) => STORAGE_UNAVAILABLE.has(name))) {
    return 'Margin cannot open its local database (IndexedDB is unavailable, e.g. in a private window or with site data blocked).';
  }
  return null;
}

/** Turns storage failures into sentences a researcher can act on. */
export function userMessage(error: unknown): string {
  const names = errorNames(error);
  if (names.includes('QuotaExceededError')) {
    return 'Your browser refused to store more data (storage quota exceeded). Nothing was changed; free some disk space or remove an imported corpus.';
  }
  if (names.some((name) => STORAGE_UNAVAILABLE.has(name))) {
    return 'Margin cannot open its local database (IndexedDB is unavailable, e.g. in a private window or with site data blocked). Nothing was changed.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong in Margin.';
}
