/**
 * Inclusive thresholds that hold exactly as on paper. Quotes are decimal cents and settings are
 * short decimals, so a stop level, a target level or a minimum credit is often reached exactly
 * on paper (a mark of 1.235 against a level of 1.235); in binary floating point the two sides
 * can come out a few units in the last place apart (1.2349999999999999 against
 * 1.2350000000000003). These comparisons allow {@link TIE_TOLERANCE}: far below a cent (1e-7
 * cents), far above the rounding error of sums and products of prices (about 1e-13 for prices
 * up to $1,000), and below the spacing of any two distinct values on paper (quotes on a 0.01
 * grid, fills and levels on a grid of 1e-6 or coarser for settings with up to four decimals).
 *
 * @module
 */

/** Tolerance of the comparisons, in the compared unit (dollars per share, or a count). */
export const TIE_TOLERANCE = 1e-9;

/**
 * Whether `value` is at least `threshold`, ties on paper included.
 *
 * @example A credit of 0.70 - 0.30 meets 8% of a $5 width (0.39999999999999997 in binary)
 * ```ts
 * import assert from "node:assert/strict";
 * import { atLeast } from "./ties.ts";
 * assert.ok(0.7 - 0.3 < 0.08 * 5);
 * assert.ok(atLeast(0.7 - 0.3, 0.08 * 5));
 * assert.ok(!atLeast(0.39, 0.08 * 5));
 * ```
 */
export function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - TIE_TOLERANCE;
}

/**
 * Whether `value` is at most `threshold`, ties on paper included.
 *
 * @example A mark of 0.30 reaches a 50% target on a 0.60 credit
 * ```ts
 * import assert from "node:assert/strict";
 * import { atMost } from "./ties.ts";
 * assert.ok(atMost(0.7 - 0.4, 0.6 * (1 - 0.5))); // 0.29999999999999993 vs 0.3
 * assert.ok(!atMost(0.31, 0.3));
 * ```
 */
export function atMost(value: number, threshold: number): boolean {
  return value <= threshold + TIE_TOLERANCE;
}

/**
 * The whole number of units that fit in `x` as on paper: floor(x), where an x that is an
 * integer on paper counts as that integer (2000 / 500 = 4 contracts, not 3).
 *
 * @example 0.7 / 0.1 is 7 on paper
 * ```ts
 * import assert from "node:assert/strict";
 * import { wholeUnits } from "./ties.ts";
 * assert.equal(Math.floor(0.7 / 0.1), 6); // 6.999999999999999 in binary
 * assert.equal(wholeUnits(0.7 / 0.1), 7);
 * assert.equal(wholeUnits(6.5), 6);
 * ```
 */
export function wholeUnits(x: number): number {
  return Math.floor(x + TIE_TOLERANCE);
}
