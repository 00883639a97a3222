import { ImportFormatError } from './batch';
import { SNIFF_BYTES } from './byte-source';

/** The three import formats; which one a file is decides which streaming reader parses it. */
export type ImportFormat = 'jsonl' | 'json-array' | 'margin';

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function looksLikeUtf16(head: Uint8Array): boolean {
  // ASCII text in UTF-16 without a BOM: every other byte is zero.
  const n = Math.min(head.byteLength, 64) & ~1;
  if (n < 4) return false;
  const printable = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f);
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0 && printable(head[i + 1]!)) evenZero++;
    if (head[i + 1] === 0 && printable(head[i]!)) oddZero++;
  }
  const pairs = n / 2;
  return evenZero / pairs > 0.8 || oddZero / pairs > 0.8;
}

/**
 * Whole-file checks and format detection on the first bytes. Returns the format and how many leading
 * bytes (a BOM) to drop. Throws ImportFormatError for files that cannot be imported at all.
 */
export function detectFormat(head: Uint8Array): { format: ImportFormat; skip: number } {
  if (head.byteLength === 0) throw new ImportFormatError('The file is empty.');
  const b0 = head[0];
  const b1 = head[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksLikeUtf16(head)) {
    throw new ImportFormatError('UTF-16 files are not supported; save the file as UTF-8.');
  }
  if (b0 === 0x50 && b1 === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new ImportFormatError('This is a ZIP archive; extract the .json/.jsonl file from it and import that.');
  }
  let i = b0 === 0xef && b1 === 0xbb && head[2] === 0xbf ? 3 : 0;
  const skip = i;
  while (i < head.byteLength && isWhitespace(head[i]!)) i++;
  if (i >= head.byteLength) {
    throw new ImportFormatError(head.byteLength >= SNIFF_BYTES ? 'The file starts with 4 KB of blank space; it is not a JSON/JSONL file.' : 'The file is empty.');
  }
  const first = head[i];
  if (first === 0x5b /* [ */) return { format: 'json-array', skip };
  if (first === 0x7b /* { */) {
    const text = new TextDecoder().decode(head.subarray(i, i + 512));
    return { format: /^\{\s*"(?:version|papers)"\s*:/.test(text) ? 'margin' : 'jsonl', skip };
  }
  const binary = head.subarray(0, 512).some((b) => b === 0 || (b < 0x20 && !isWhitespace(b)));
  throw new ImportFormatError(
    binary
      ? 'This is a binary file, not a JSON/JSONL file.'
      : `This is not a JSON/JSONL file: it should start with "{" or "[", but starts with ${JSON.stringify(new TextDecoder().decode(head.subarray(i, i + 20)))}.`,
  );
}
