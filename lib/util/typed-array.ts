export type TypedArray = Uint32Array | Float32Array | Float64Array | Int16Array | Uint16Array | Uint8Array | Int8Array;

/** `a` itself when it holds `min` elements, else a copy with room to spare (growth by half, so appends stay amortized). */
export function grow<T extends TypedArray>(a: T, min: number): T {
  if (a.length >= min) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(min, Math.ceil(a.length * 1.5), 16));
  b.set(a);
  return b;
}

type Detachable = ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean };

/**
 * Gives back the memory of arrays no one will read again at once, instead of at V8's next major GC: a build at 100k
 * papers allocates some 220 MB of large buffers, most of them dead well before it ends, and V8 collects late.
 *
 * Only for arrays whose whole buffer is dead: every view of it becomes empty. `ArrayBuffer.prototype.transfer(0)`
 * frees the memory at once (Chrome 114, Firefox 122); where it is missing (Node 20) a transferring `structuredClone`
 * detaches the buffer all the same, so unit tests catch a use after release.
 */
export function release(...arrays: ReadonlyArray<ArrayBufferView | null | undefined>): void {
  for (const array of arrays) {
    const buffer = array?.buffer as Detachable | undefined;
    if (!(buffer instanceof ArrayBuffer) || buffer.detached || buffer.byteLength === 0) continue;
    if (typeof buffer.transfer === 'function') buffer.transfer(0);
    else structuredClone(buffer, { transfer: [buffer] });
  }
}
