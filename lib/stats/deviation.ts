/**
 * When a series has no deviation: every ratio to a deviation (Sharpe, Sortino, PSR, DSR) is
 * undefined for a series whose deviation is zero or a floating-point residue of zero, never a
 * huge number.
 *
 * The residue arises from equal values. A window without a trade has daily returns of exactly 0;
 * at a risk-free rate r its excess returns are all −r/252, and their computed mean differs from
 * −r/252 in its last bits, so each deviation from it is a rounding error rather than 0. The
 * two-pass deviation of n equal values x is then at most about n·ε·|x| (ε the double precision
 * machine epsilon, 2.2e-16), far below √ε·|x| ≈ 1.5e-8·|x| for any n below 6.7e7. A deviation at
 * or below √ε times the mean's magnitude is therefore taken as zero: a genuine series would need
 * a per-period Sharpe ratio above 1/√ε ≈ 6.7e7 to be mistaken for one.
 *
 * @module
 */

/** √ε: a deviation at or below this fraction of the mean's magnitude is a residue of zero. */
export const DEVIATION_RESIDUE: number = Math.sqrt(Number.EPSILON);

/**
 * Whether a series with this mean and deviation varies: its deviation is a number above
 * {@link DEVIATION_RESIDUE} times the mean's magnitude.
 *
 * @param mean the series' mean
 * @param deviation its standard deviation (NaN with fewer than two values)
 * @returns false for a zero, residual or undefined deviation
 *
 * @example Twenty equal excess returns of −0.03/252 do not vary; a real series does
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasDeviation } from "./deviation.ts";
 * import { moments } from "./moments.ts";
 * const flat = moments(new Array(20).fill(0 - 0.03 / 252));
 * assert.ok(flat.std > 0); // a rounding residue, about 1e-20
 * assert.equal(hasDeviation(flat.mean, flat.std), false);
 * assert.equal(hasDeviation(0, 0), false);
 * assert.equal(hasDeviation(0.001, NaN), false);
 * const real = moments([0.001, -0.002, 0.0005]);
 * assert.equal(hasDeviation(real.mean, real.std), true);
 * ```
 */
export function hasDeviation(mean: number, deviation: number): boolean {
  return deviation > DEVIATION_RESIDUE * Math.abs(mean);
}
