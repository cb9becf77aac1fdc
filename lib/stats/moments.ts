/**
 * Sample moments of a return series.
 *
 * @module
 */

/** Mean, standard deviation (n - 1), skewness and kurtosis (non-excess: 3 for a normal). */
export interface Moments {
  /** Number of values. */
  n: number;
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (n − 1; NaN for fewer than two values). */
  std: number;
  /** Third standardized moment (population form, as in Bailey & López de Prado). */
  skewness: number;
  /** Fourth standardized moment, non-excess (normal = 3). */
  kurtosis: number;
}

/**
 * Moments of a series. Skewness and kurtosis use the population central moments m3/m2^1.5 and
 * m4/m2², the convention of the PSR/DSR papers.
 *
 * @example Four evenly spaced values: no skew, kurtosis 1.64
 * ```ts
 * import assert from "node:assert/strict";
 * import { moments } from "./moments.ts";
 * const m = moments([1, 2, 3, 4]);
 * assert.equal(m.mean, 2.5);
 * assert.equal(m.skewness, 0);
 * assert.ok(Math.abs(m.kurtosis - 1.64) < 1e-12); // m4/m2² = 2.5625/1.5625
 * ```
 */
export function moments(xs: ArrayLike<number>): Moments {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const pm2 = m2 / n;
  return {
    n,
    mean,
    std: n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN,
    skewness: pm2 > 0 ? (m3 / n) / pm2 ** 1.5 : NaN,
    kurtosis: pm2 > 0 ? (m4 / n) / (pm2 * pm2) : NaN,
  };
}
