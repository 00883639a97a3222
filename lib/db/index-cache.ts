import Dexie from 'dexie';
import type { MarginDatabase } from './database';
import { release } from '../util/typed-array';

/**
 * The persisted indexes, one part ('search', 'related') at a time. A part's large binary arrays are stored in pieces
 * of `PIECE_BYTES` at most (`indexPieces`, keys `part@revision#0`, `part@revision#1`, …), and the part's own row
 * (`indexCache`) keeps the rest with a reference in their place.
 *
 * Why not one row per part: IndexedDB's put clones its whole value at once, and Chromium then copies the clone
 * again to hand it to its storage process. At 100k papers the indexes are ~90 MB, so writing them in one piece
 * briefly took some 200 MB more than building them. Piece by piece, the copies alive at once are a few MB.
 */
export const PIECE_BYTES = 4 << 20;
/**
 * Arrays above this size go to pieces too, not into the part's row: the row is cloned in one put, and at 100k papers
 * the related index's arrays under 4 MB (term tables, per-paper arrays) made it some 15 MB, cloned at the build's peak.
 */
export const INLINE_BYTES = 64 << 10;

type Binary = ArrayBuffer | ArrayBufferView;

const VIEW_TYPES = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type ViewType = keyof typeof VIEW_TYPES;

/** What stands in a part's row for an array stored in pieces `first` .. `first + count - 1`. */
interface PieceRef {
  $pieces: { type: ViewType | 'ArrayBuffer'; byteLength: number; first: number; count: number };
}

function isPieceRef(value: unknown): value is PieceRef {
  return typeof value === 'object' && value !== null && '$pieces' in value;
}

function viewType(value: Binary): ViewType | 'ArrayBuffer' | null {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  for (const name of Object.keys(VIEW_TYPES) as ViewType[]) if (value instanceof VIEW_TYPES[name]) return name;
  return null;
}

function bytesOf(value: Binary): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

const pieceName = (part: string, revision: number, i: number) => `${part}@${revision}#${i}`;

/** Splits `value` (plain objects and arrays; binary leaves) into the part's row and the arrays to store in pieces. */
function splitForStorage(value: unknown, pieceBytes: number, inlineBytes: number): { head: unknown; large: Uint8Array[] } {
  const large: Uint8Array[] = [];
  let count = 0;
  const walk = (v: unknown): unknown => {
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
      const type = viewType(v);
      if (!type) return v;
      if (v.byteLength <= inlineBytes) {
        // A clone takes a view's whole buffer: a small view of a large buffer is copied out alone.
        return ArrayBuffer.isView(v) && v.byteLength < v.buffer.byteLength ? (v as unknown as { slice(): ArrayBufferView }).slice() : v;
      }
      const bytes = bytesOf(v);
      const n = Math.ceil(bytes.byteLength / pieceBytes);
      large.push(bytes);
      const ref: PieceRef = { $pieces: { type, byteLength: bytes.byteLength, first: count, count: n } };
      count += n;
      return ref;
    }
    if (Array.isArray(v)) return v.length > 0 && typeof v[0] !== 'object' ? v : v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { head: walk(value), large };
}

/**
 * Writes one part (its row, then its pieces, one at a time) and drops pieces left from a larger earlier write.
 * Call inside a read-write transaction on `indexCache` and `indexPieces`, so a part is never half written.
 */
export async function writeIndexPart(db: MarginDatabase, part: string, revision: number, value: unknown, pieceBytes = PIECE_BYTES): Promise<void> {
  const inlineBytes = Math.min(INLINE_BYTES, pieceBytes);
  const idbtrans = Dexie.currentTransaction?.idbtrans;
  if (!idbtrans) throw new Error('writeIndexPart: call inside a transaction on indexCache and indexPieces');
  await db.indexPieces.where(':id').startsWith(`${part}@`).delete();
  const { head, large } = splitForStorage(value, pieceBytes, inlineBytes);
  await db.indexCache.put({ name: part, revision, data: head });
  // Every full piece goes through one buffer: IndexedDB's own put clones its value before returning (Dexie's may
  // defer the call), and each put is waited for before the buffer is refilled.
  const store = idbtrans.objectStore(db.indexPieces.name);
  const buffer = new Uint8Array(pieceBytes);
  let i = 0;
  for (const bytes of large) {
    for (let at = 0; at < bytes.byteLength; at += pieceBytes) {
      const piece = at + pieceBytes <= bytes.byteLength ? buffer : new Uint8Array(bytes.byteLength - at);
      piece.set(bytes.subarray(at, at + piece.byteLength));
      store.put(piece.buffer, pieceName(part, revision, i++));
      // Requests run in order: when this one is answered, the piece is stored.
      await db.indexCache.count();
      if (piece !== buffer) release(piece);
    }
  }
  release(buffer);
}

/** Reads one part back as it was written; null when missing or stamped with another revision. */
export async function readIndexPart(db: MarginDatabase, part: string, revision: number): Promise<unknown> {
  const row = await db.indexCache.get(part);
  if (!row || row.revision !== revision) return null;
  const refs: PieceRef['$pieces'][] = [];
  const collect = (v: unknown): void => {
    if (isPieceRef(v)) refs.push(v.$pieces);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object' && !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v)) Object.values(v).forEach(collect);
  };
  collect(row.data);
  const arrays = new Map<number, Binary>();
  for (const ref of refs) {
    const bytes = new Uint8Array(ref.byteLength);
    let at = 0;
    // An array's pieces are asked for together (IndexedDB reads them faster so), then copied into place.
    const names = Array.from({ length: ref.count }, (_, i) => pieceName(part, revision, ref.first + i));
    const pieces = await db.indexPieces.bulkGet(names);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (!(piece instanceof ArrayBuffer)) throw new Error(`index cache: piece ${ref.first + i} of ${part} is missing`);
      if (at + piece.byteLength > bytes.byteLength) throw new Error(`index cache: piece ${ref.first + i} of ${part} is too long`);
      bytes.set(new Uint8Array(piece), at);
      at += piece.byteLength;
      release(new Uint8Array(piece));
      pieces[i] = undefined;
    }
    if (at !== bytes.byteLength) throw new Error(`index cache: ${part} is shorter than written`);
    if (ref.type === 'ArrayBuffer') arrays.set(ref.first, bytes.buffer);
    else {
      const View = Object.hasOwn(VIEW_TYPES, ref.type) ? VIEW_TYPES[ref.type] : null;
      if (!View || bytes.byteLength % View.BYTES_PER_ELEMENT) throw new Error(`index cache: ${part} has a malformed array`);
      arrays.set(ref.first, new View(bytes.buffer));
    }
  }
  const join = (v: unknown): unknown => {
    if (isPieceRef(v)) return arrays.get(v.$pieces.first);
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) return v.length > 0 && typeof v[0] !== 'object' ? v : v.map(join);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, join(x)]));
    return v;
  };
  return refs.length ? join(row.data) : row.data;
}
