/**
 * Search of an ascending array of numbers (day numbers, calendar indexes), by bisection.
 *
 * @module
 */

/**
 * The index of a value in an ascending array, searched between two indexes by bisection.
 *
 * @param sorted ascending values (e.g. a calendar of day numbers)
 * @param value the value sought
 * @param from first index searched (default 0)
 * @param to one past the last index searched (default the length)
 * @returns an index in [from, to) holding the value, or -1 when none does
 *
 * @example Days 3 and 9 of a calendar
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexOfSorted } from "./sorted.ts";
 * const calendar = Int32Array.of(1, 3, 4, 9);
 * assert.equal(indexOfSorted(calendar, 3), 1);
 * assert.equal(indexOfSorted(calendar, 9), 3);
 * assert.equal(indexOfSorted(calendar, 5), -1);
 * assert.equal(indexOfSorted(calendar, 1, 1), -1); // searched from index 1
 * ```
 */
export function indexOfSorted(
  sorted: ArrayLike<number>,
  value: number,
  from = 0,
  to: number = sorted.length,
): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v < value) lo = mid + 1;
    else if (v > value) hi = mid - 1;
    else return mid;
  }
  return -1;
}
