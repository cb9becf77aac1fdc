/**
 * A date window of a store as calendar indexes.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";

/**
 * Calendar index range [fromIndex, toIndex] of ISO bounds (inclusive); the whole calendar by
 * default.
 *
 * @param store the chain
 * @param from first day, YYYY-MM-DD (default: the first day of the data)
 * @param to last day, YYYY-MM-DD (default: the last day of the data)
 * @returns the indexes
 * @throws RangeError when no trading day of the data lies in the window
 *
 * @example March 2024 of a two-month market
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, dayToIso, generateSample, loadMarketData } from "../mod.ts";
 * import { windowIndexes } from "./window.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-02-01", end: "2024-03-28", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const w = windowIndexes(store, "2024-03-01", "2024-03-31");
 * assert.equal(dayToIso(store.calendar[w.fromIndex]), "2024-03-01");
 * assert.equal(dayToIso(store.calendar[w.toIndex]), "2024-03-28");
 * assert.throws(() => windowIndexes(store, "2025-01-01"), /No trading days/);
 * ```
 */
export function windowIndexes(
  store: ChainStore,
  from?: string,
  to?: string,
): { fromIndex: number; toIndex: number } {
  return calendarSpan(store.calendar.subarray(0, store.nDays), from, to);
}

/**
 * Index range [fromIndex, toIndex] of the days of a calendar between ISO bounds (inclusive); the
 * whole calendar by default.
 *
 * @param calendar ascending day numbers (a store's, or one recorded by a shard)
 * @param from first day, YYYY-MM-DD
 * @param to last day, YYYY-MM-DD
 * @returns the indexes
 * @throws RangeError when no day of the calendar lies in the window
 *
 * @example The last two days of three
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay } from "../data/dates.ts";
 * import { calendarSpan } from "./window.ts";
 * const days = Int32Array.from(["2024-03-01", "2024-03-04", "2024-03-05"], isoToDay);
 * assert.deepEqual(calendarSpan(days, "2024-03-02"), { fromIndex: 1, toIndex: 2 });
 * ```
 */
export function calendarSpan(
  calendar: Int32Array,
  from?: string,
  to?: string,
): { fromIndex: number; toIndex: number } {
  let fromIndex = 0;
  let toIndex = calendar.length - 1;
  if (from) {
    while (fromIndex < calendar.length && dayToIso(calendar[fromIndex]) < from) fromIndex++;
  }
  if (to) { while (toIndex >= 0 && dayToIso(calendar[toIndex]) > to) toIndex--; }
  if (fromIndex > toIndex) {
    throw new RangeError(`No trading days between ${from ?? "start"} and ${to ?? "end"}`);
  }
  return { fromIndex, toIndex };
}
