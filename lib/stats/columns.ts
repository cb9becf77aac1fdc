/**
 * Columns of a row-major return matrix (T rows, N columns): which are identical, and a matrix
 * of chosen columns. The Probability of Backtest Overfitting and the Deflated Sharpe Ratio count
 * trials; identical columns are one trial, not several.
 *
 * @module
 */

/** The distinct columns of a matrix. */
export interface UniqueColumns {
  /** The first column of each group of identical columns, ascending. */
  kept: number[];
  /** For each column, the column that represents it (itself when it is first of its group). */
  representative: Int32Array;
  /** Columns merged into an earlier identical one. */
  duplicates: number;
}

/** FNV-1a over a column's bytes: equal columns hash equal. */
function columnHash(matrix: Float64Array, t: number, n: number, j: number): number {
  const word = new Float64Array(1);
  const bytes = new Uint32Array(word.buffer);
  let h = 0x811c9dc5;
  for (let r = 0; r < t; r++) {
    word[0] = matrix[r * n + j] + 0; // -0 and 0 hash alike, as they compare equal
    h = Math.imul(h ^ bytes[0], 0x01000193);
    h = Math.imul(h ^ bytes[1], 0x01000193);
  }
  return h >>> 0;
}

/**
 * Groups identical columns (equal value by value; NaN never equals) among the given ones.
 *
 * @param matrix row-major T × N values (row r, column j at r·N + j)
 * @param t rows
 * @param n columns
 * @param columns the columns to consider, ascending (default all)
 * @returns the first column of each group, each column's representative, and how many merged
 *
 * @example Columns 0 and 2 are the same series
 * ```ts
 * import assert from "node:assert/strict";
 * import { uniqueColumns } from "./columns.ts";
 * const m = Float64Array.from([0.01, 0.02, 0.01, -0.01, 0.03, -0.01]); // 2 rows × 3 columns
 * const u = uniqueColumns(m, 2, 3);
 * assert.deepEqual(u.kept, [0, 1]);
 * assert.deepEqual(Array.from(u.representative), [0, 1, 0]);
 * assert.equal(u.duplicates, 1);
 * ```
 */
export function uniqueColumns(
  matrix: Float64Array,
  t: number,
  n: number,
  columns: number[] = Array.from({ length: n }, (_, j) => j),
): UniqueColumns {
  const representative = new Int32Array(n).fill(-1);
  const byHash = new Map<number, number[]>();
  const kept: number[] = [];
  const same = (a: number, b: number) => {
    for (let r = 0; r < t; r++) if (matrix[r * n + a] !== matrix[r * n + b]) return false;
    return true;
  };
  for (const j of columns) {
    const h = columnHash(matrix, t, n, j);
    const group = byHash.get(h);
    const match = group?.find((k) => same(k, j));
    if (match !== undefined) {
      representative[j] = match;
      continue;
    }
    representative[j] = j;
    kept.push(j);
    if (group) group.push(j);
    else byHash.set(h, [j]);
  }
  return { kept, representative, duplicates: columns.length - kept.length };
}

/**
 * A matrix of some columns of another, in the order given.
 *
 * @param matrix row-major T × N values
 * @param t rows
 * @param n columns
 * @param columns the columns to take
 * @returns row-major T × columns.length values
 *
 * @example Columns 2 and 0 of a 2 × 3 matrix
 * ```ts
 * import assert from "node:assert/strict";
 * import { pickColumns } from "./columns.ts";
 * const m = Float64Array.from([1, 2, 3, 4, 5, 6]);
 * assert.deepEqual(Array.from(pickColumns(m, 2, 3, [2, 0])), [3, 1, 6, 4]);
 * ```
 */
export function pickColumns(
  matrix: Float64Array,
  t: number,
  n: number,
  columns: number[],
): Float64Array {
  const k = columns.length;
  const out = new Float64Array(t * k);
  for (let r = 0; r < t; r++) {
    for (let c = 0; c < k; c++) out[r * k + c] = matrix[r * n + columns[c]];
  }
  return out;
}
