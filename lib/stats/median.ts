/**
 * The median of a sample.
 *
 * @module
 */

/**
 * The median: the middle value of the sorted sample, or the mean of the two middle values when
 * the count is even. The sample is not changed.
 *
 * @param xs the values
 * @returns the median; null for an empty sample
 *
 * @example An even count averages the two middle values
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./median.ts";
 * assert.equal(median([3, 1, 2]), 2);
 * assert.equal(median([4, 1, 3, 2]), 2.5);
 * assert.equal(median([]), null);
 * ```
 */
export function median(xs: ArrayLike<number>): number | null {
  if (!xs.length) return null;
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
