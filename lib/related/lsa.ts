import { mulberry32 } from '../util/random';
import { release } from '../util/typed-array';

/**
 * Latent semantic analysis by randomized truncated SVD (Halko, Martinsson & Tropp 2011),
 * written for Margin's term-major sparse matrix: no dense doc×term matrix is ever formed.
 *
 * A (docs × terms) has L2-normalized TF-IDF rows. We find A ≈ Q B with an orthonormal Q (docs × l)
 * from a few power iterations on a seeded Gaussian sketch, then the SVD of the small B through the
 * l×l eigenproblem of B Bᵀ. Outputs:
 *   termVecs  V_k (terms × k): fold-in matrix — a normalized TF-IDF vector x maps to x·V_k;
 *   docVecs   rows of A·V_k = U_k Σ_k (docs × k), L2-normalized.
 * Cost: O(nnz · l · (2q + 2)) time, O((docs + terms) · l) memory; 100k abstracts × 20k terms in seconds.
 */

/** Term-major sparse matrix: for column (term) j, rows postDoc[start[j]..start[j+1]) with values postVal. */
export interface SparseColumns {
  rows: number;
  cols: number;
  start: Uint32Array;
  postDoc: Uint32Array;
  postVal: Float32Array;
}

export interface LsaModel {
  k: number;
  /** terms × k, row-major. */
  termVecs: Float32Array;
  /** docs × k, row-major, rows L2-normalized (zero rows stay zero). */
  docVecs: Float32Array;
  singularValues: Float64Array;
}


function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Column-major (m × l) ↔ row-major copies into `out`: the sparse products run over contiguous l-vectors. */
function toRowMajor(x: Float64Array, m: number, l: number, out: Float64Array): Float64Array {
  for (let c = 0; c < l; c++) {
    const cb = c * m;
    for (let i = 0; i < m; i++) out[i * l + c] = x[cb + i]!;
  }
  return out;
}
function toColMajor(x: Float64Array, m: number, l: number, out: Float64Array): Float64Array {
  for (let i = 0; i < m; i++) {
    const rb = i * l;
    for (let c = 0; c < l; c++) out[c * m + i] = x[rb + c]!;
  }
  return out;
}

/** The products' one working buffer (rows × l, row-major), reused: at 100k papers fresh ones left ~150 MB of garbage behind a fit. */
interface Scratch {
  rowsRows: Float64Array;
  /** One column's l values. */
  column: Float64Array;
}

/** `out` (rows × l, column-major) = A · X (cols × l, column-major). */
function multiplyA(a: SparseColumns, x: Float64Array, l: number, scratch: Scratch, out: Float64Array): Float64Array {
  const yr = scratch.rowsRows.fill(0);
  const xj = scratch.column;
  for (let j = 0; j < a.cols; j++) {
    const s = a.start[j]!;
    const e = a.start[j + 1]!;
    if (s === e) continue;
    for (let c = 0; c < l; c++) xj[c] = x[c * a.cols + j]!;
    for (let p = s; p < e; p++) {
      const v = a.postVal[p]!;
      const yb = a.postDoc[p]! * l;
      for (let c = 0; c < l; c++) yr[yb + c] = yr[yb + c]! + v * xj[c]!;
    }
  }
  return toColMajor(yr, a.rows, l, out);
}

/** `out` (cols × l, column-major) = Aᵀ · Y (rows × l, column-major). */
function multiplyAt(a: SparseColumns, y: Float64Array, l: number, scratch: Scratch, out: Float64Array): Float64Array {
  const yr = toRowMajor(y, a.rows, l, scratch.rowsRows);
  const zj = scratch.column;
  for (let j = 0; j < a.cols; j++) {
    zj.fill(0);
    for (let p = a.start[j]!, e = a.start[j + 1]!; p < e; p++) {
      const v = a.postVal[p]!;
      const yb = a.postDoc[p]! * l;
      for (let c = 0; c < l; c++) zj[c] = zj[c]! + v * yr[yb + c]!;
    }
    for (let c = 0; c < l; c++) out[c * a.cols + j] = zj[c]!;
  }
  return out;
}

/** Orthonormalizes the l columns (each of length m, column-major) in place: modified Gram–Schmidt. */
function orthonormalize(x: Float64Array, m: number, l: number): void {
  {
    for (let c = 0; c < l; c++) {
      const cb = c * m;
      for (let p = 0; p < c; p++) {
        const pb = p * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += x[cb + i]! * x[pb + i]!;
        for (let i = 0; i < m; i++) x[cb + i] = x[cb + i]! - dot * x[pb + i]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += x[cb + i]! * x[cb + i]!;
      norm = Math.sqrt(norm);
      if (norm < 1e-10) {
        for (let i = 0; i < m; i++) x[cb + i] = 0;
      } else {
        for (let i = 0; i < m; i++) x[cb + i] = x[cb + i]! / norm;
      }
    }
  }
}

/** Eigen-decomposition of a symmetric l×l matrix (row-major) by cyclic Jacobi rotations. */
export function symmetricEigen(mat: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(mat);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < l; i++) for (let j = i + 1; j < l; j++) off += a[i * l + j]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export interface LsaOptions {
  k: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
  /** Set false when the caller projects docs itself: `docVecs` comes back empty. */
  docVecs?: boolean;
}

/** Randomized truncated SVD of `a` (rows already L2-normalized by the caller). */
export function fitLsa(a: SparseColumns, options: LsaOptions): LsaModel {
  const k = Math.max(1, Math.min(options.k, a.rows - 1, a.cols - 1));
  const l = Math.min(k + (options.oversample ?? 10), a.rows, a.cols);
  const rand = mulberry32(options.seed ?? 0x5eed);
  const scratch: Scratch = { rowsRows: new Float64Array(a.rows * l), column: new Float64Array(l) };
  // One cols × l buffer holds Ω, then each Z, then Bᵀ; one rows × l buffer holds each Y.
  const colsBuffer = new Float64Array(a.cols * l);
  for (let i = 0; i < colsBuffer.length; i++) colsBuffer[i] = gaussian(rand);
  const y = multiplyA(a, colsBuffer, l, scratch, new Float64Array(a.rows * l));
  orthonormalize(y, a.rows, l);
  for (let q = 0; q < (options.powerIterations ?? 2); q++) {
    const z = multiplyAt(a, y, l, scratch, colsBuffer);
    orthonormalize(z, a.cols, l);
    multiplyA(a, z, l, scratch, y);
    orthonormalize(y, a.rows, l);
  }
  // Bᵀ = Aᵀ Q (cols × l); B Bᵀ = (Bᵀ)ᵀ Bᵀ (l × l).
  const bt = multiplyAt(a, y, l, scratch, colsBuffer);
  const bbt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let dot = 0;
      const ib = i * a.cols;
      const jb = j * a.cols;
      for (let t = 0; t < a.cols; t++) dot += bt[ib + t]! * bt[jb + t]!;
      bbt[i * l + j] = dot;
      bbt[j * l + i] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((i, j) => values[j]! - values[i]! || i - j);
  const top = order.slice(0, k);
  const sigma = new Float64Array(k);
  const termVecs = new Float32Array(a.cols * k);
  const docVecs = options.docVecs === false ? null : new Float32Array(a.rows * k);
  const acc = new Float64Array(Math.max(a.cols, a.rows));
  for (let c = 0; c < k; c++) {
    const e = top[c]!;
    const s = Math.sqrt(Math.max(values[e]!, 0));
    sigma[c] = s;
    if (s < 1e-9) continue;
    // v_c = Bᵀ w_e / σ ; doc coordinates (A v_c) = Q w_e σ.
    acc.fill(0);
    for (let i = 0; i < l; i++) {
      const w = vectors[i * l + e]!;
      const ib = i * a.cols;
      for (let t = 0; t < a.cols; t++) acc[t] = acc[t]! + bt[ib + t]! * w;
    }
    for (let t = 0; t < a.cols; t++) termVecs[t * k + c] = acc[t]! / s;
    if (!docVecs) continue;
    acc.fill(0);
    for (let i = 0; i < l; i++) {
      const w = vectors[i * l + e]!;
      const ib = i * a.rows;
      for (let d = 0; d < a.rows; d++) acc[d] = acc[d]! + y[ib + d]! * w;
    }
    for (let d = 0; d < a.rows; d++) docVecs[d * k + c] = acc[d]! * s;
  }
  if (docVecs) for (let d = 0; d < a.rows; d++) normalizeRow(docVecs, d, k);
  release(scratch.rowsRows, scratch.column, colsBuffer, y, acc);
  return { k, termVecs, docVecs: docVecs ?? new Float32Array(0), singularValues: sigma };
}

export function normalizeRow(m: Float32Array, row: number, k: number): void {
  let n = 0;
  const b = row * k;
  for (let c = 0; c < k; c++) n += m[b + c]! * m[b + c]!;
  if (n <= 0) return;
  const inv = 1 / Math.sqrt(n);
  for (let c = 0; c < k; c++) m[b + c] = m[b + c]! * inv;
}
