import { z } from 'zod';
import { ARXIV_ID_PATTERN, ReadingStatus, SyncRecord, SyncStamp, describeZodError } from '../schema';

/**
 * How records look in the sync area: short keys, defaults left out, packed into pages that are each
 * deflate-compressed and base64-encoded under one key (`m:0`, `m:1`, …). Every page stands alone, so a page
 * written by one browser next to a page written by another still decodes; the record merge does the rest.
 */

export const PAGE_KEY_PREFIX = 'm:';
const PAGE_FORMAT = 'M1';
const STATUSES = ReadingStatus.options;

export function pageKey(index: number): string {
  return `${PAGE_KEY_PREFIX}${index}`;
}

export function isPageKey(key: string): boolean {
  return /^m:\d{1,3}$/.test(key);
}

const WireRecord = z.object({
  i: z.string().min(1).max(200),
  d: z.union([z.literal(0), z.literal(1)]),
  p: SyncStamp,
  s: z.number().int().min(0).max(STATUSES.length - 1).optional(),
  sa: SyncStamp.optional(),
  n: z.string().max(100000).optional(),
  na: SyncStamp.optional(),
  v: z.record(z.string(), z.number()).optional(),
  a: z.string().regex(/^[0-9a-z]{1,12}$/).optional(),
  t: z.string().max(1000).optional(),
  x: z.string().max(60).optional(),
  au: z.array(z.string()).optional(),
  y: z.number().nullable().optional(),
});
type WireRecord = z.infer<typeof WireRecord>;

export function toWire(record: SyncRecord): WireRecord {
  const wire: WireRecord = { i: record.paperId, d: record.saved ? 1 : 0, p: record.savedAt };
  if (Object.keys(record.notesVersion).length) wire.v = record.notesVersion;
  if (!record.saved) return wire;
  const status = STATUSES.indexOf(record.status ?? 'to-read');
  if (status > 0) wire.s = status;
  if (record.statusAt && record.statusAt !== record.savedAt) wire.sa = record.statusAt;
  if (record.notes) wire.n = record.notes;
  if (record.notesAt && record.notesAt !== record.savedAt) wire.na = record.notesAt;
  if (record.addedAt !== undefined) wire.a = record.addedAt.toString(36);
  if (record.title) wire.t = record.title;
  if (record.arxivId !== undefined && record.arxivId !== record.paperId) wire.x = record.arxivId ?? '';
  if (record.authors?.length) wire.au = record.authors;
  if (record.year !== undefined && record.year !== null) wire.y = record.year;
  return wire;
}

export function fromWire(wire: WireRecord): SyncRecord {
  const record: SyncRecord = { paperId: wire.i, saved: wire.d === 1, savedAt: wire.p, notesVersion: wire.v ?? {} };
  if (!record.saved) return record;
  return {
    ...record,
    status: STATUSES[wire.s ?? 0],
    statusAt: wire.sa ?? wire.p,
    notes: wire.n ?? '',
    notesAt: wire.na ?? wire.p,
    ...(wire.a !== undefined ? { addedAt: parseInt(wire.a, 36) } : {}),
    ...(wire.t !== undefined ? { title: wire.t } : {}),
    arxivId: wire.x !== undefined ? wire.x || null : ARXIV_ID_PATTERN.test(wire.i) ? wire.i : null,
    ...(wire.au ? { authors: wire.au } : {}),
    ...(wire.y !== undefined ? { year: wire.y } : {}),
  };
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

export function compress(text: string): Promise<Uint8Array> {
  return pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
}

export async function decompress(bytes: Uint8Array): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(bytes, new DecompressionStream('deflate-raw')));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The records' canonical text: what two browsers compare to know whether a page already says what they would write. */
export function pageText(records: SyncRecord[]): string {
  return JSON.stringify(records.map(toWire));
}

export async function encodePage(text: string): Promise<string> {
  return PAGE_FORMAT + toBase64(await compress(text));
}

/** What the browser counts against its quota for one item: the key plus the JSON text of the value (UTF-8). */
export function itemBytes(key: string, value: unknown): number {
  return new TextEncoder().encode(key + JSON.stringify(value)).byteLength;
}

/** One piece of a record too large for a page (a very long note): pieces share a hash of the whole and say their place. */
export interface PagePiece {
  hash: string;
  index: number;
  count: number;
  data: string;
}

export type DecodedPage =
  | { ok: true; text: string; records: SyncRecord[]; skipped: string[]; piece?: undefined }
  | { ok: true; text: string; records: []; skipped: []; piece: PagePiece }
  | { ok: false; error: string };

const PIECE_PATTERN = /^M2([0-9a-z]{7})\.(\d{1,3})\.(\d{1,3}):([A-Za-z0-9+/=]*)$/;

function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36).padStart(7, '0');
}

/**
 * A record split over several items, each at most `pieceChars` characters. Deterministic, so browsers holding
 * the same record write the same pieces.
 */
export async function encodePieces(records: SyncRecord[], pieceChars: number): Promise<string[]> {
  const payload = toBase64(await compress(pageText(records)));
  const hash = hashOf(payload);
  const header = 'M2' + hash + '.000.000:';
  const size = pieceChars - header.length;
  const count = Math.ceil(payload.length / size);
  return Array.from({ length: count }, (_, i) => `M2${hash}.${i}.${count}:${payload.slice(i * size, (i + 1) * size)}`);
}

/** The records of a complete set of pieces (in any order), or an error when pieces are missing or damaged. */
export async function joinPieces(pieces: PagePiece[]): Promise<DecodedPage> {
  const count = pieces[0]?.count ?? 0;
  const sorted = [...pieces].sort((a, b) => a.index - b.index);
  if (!count || sorted.length !== count || sorted.some((piece, i) => piece.index !== i || piece.count !== count)) return { ok: false, error: 'incomplete' };
  const payload = sorted.map((piece) => piece.data).join('');
  if (hashOf(payload) !== pieces[0]!.hash) return { ok: false, error: 'damaged (its pieces do not match)' };
  return decodeRecords(payload);
}

async function decodeRecords(base64: string): Promise<DecodedPage> {
  let text: string;
  let data: unknown;
  try {
    text = await decompress(fromBase64(base64));
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'damaged (it does not decompress to JSON)' };
  }
  if (!Array.isArray(data)) return { ok: false, error: 'damaged (not a list of entries)' };
  const records: SyncRecord[] = [];
  const skipped: string[] = [];
  for (const item of data) {
    const wire = WireRecord.safeParse(item);
    const record = wire.success ? SyncRecord.safeParse(fromWire(wire.data)) : wire;
    if (record.success) records.push(record.data as SyncRecord);
    else skipped.push(describeZodError(record.error));
  }
  return { ok: true, text, records, skipped };
}

/** A page read back; a page that is not Margin's format, or is damaged, is an error (and nothing is applied from it). */
export async function decodePage(value: unknown): Promise<DecodedPage> {
  if (typeof value === 'string' && value.startsWith('M2')) {
    const match = PIECE_PATTERN.exec(value);
    if (!match) return { ok: false, error: 'damaged (a piece of a long entry without its header)' };
    const [, hash, index, count, data] = match;
    // A piece is compared as written: its text is its value.
    return { ok: true, text: value, records: [], skipped: [], piece: { hash: hash!, index: Number(index), count: Number(count), data: data! } };
  }
  if (typeof value !== 'string' || !value.startsWith(PAGE_FORMAT)) return { ok: false, error: 'not in Margin’s format' };
  return decodeRecords(value.slice(PAGE_FORMAT.length));
}
