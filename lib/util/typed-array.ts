export type TypedArray = Uint32Array | Float32Array | Float64Array | Int16Array | Uint8Array | Int8Array;

/** `a` itself when it holds `min` elements, else a copy with room to spare (growth by half, so appends stay amortized). */
export function grow<T extends TypedArray>(a: T, min: number): T {
  if (a.length >= min) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(min, Math.ceil(a.length * 1.5), 16));
  b.set(a);
  return b;
}
