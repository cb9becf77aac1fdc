/**
 * Underlying closes at the bars' own dates. The ChainStore's calendar holds only the days that
 * have chains, so a bar on a day that no chain file covers is kept beside it (`barOffsets`,
 * `barDays`, `barDayClose`): settlement at expiration needs the close of an expiry date that
 * the chain files lack.
 *
 * @module
 */
import type { ChainStore } from "./chain_store.ts";
import { indexOfSorted } from "./sorted.ts";

/**
 * The close of ticker `t` on `day` from its bars, or NaN when the bars lack that day (or the
 * close is missing).
 *
 * @param store the chain (its bars' closes at their own dates)
 * @param t ticker index in `store.tickers`
 * @param day day number
 * @returns dollars, or NaN
 *
 * @example A close on a day that has no chain
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { barCloseOn } from "./bar_closes.ts";
 * import { buildChainStore } from "./chain_store.ts";
 * const chains = pl.DataFrame({
 *   ticker: ["SPY"], tradeDate: ["2024-01-18"], expirDate: ["2024-01-19"], strike: [470],
 *   optionType: ["P"], bid: [1], ask: [1.1], mid: [1.05], volume: [10], openInterest: [100],
 *   stockPrice: [471], delta: [-0.4], gamma: [0.05], theta: [-0.2], vega: [0.1], rho: [0],
 *   impliedVolatility: [0.15],
 * });
 * const bars = pl.DataFrame({ date: ["2024-01-18", "2024-01-19"], open: [470, 471],
 *   high: [472, 473], low: [469, 470], close: [471, 471.5], volume: [1e6, 1e6] })
 *   .withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const store = buildChainStore({ chains, bars: new Map([["SPY", bars]]), vix: null });
 * assert.equal(store.nDays, 1); // 2024-01-19 has no chain
 * assert.equal(barCloseOn(store, 0, 19741), 471.5); // 2024-01-19
 * assert.ok(Number.isNaN(barCloseOn(store, 0, 19742)));
 * ```
 */
export function barCloseOn(store: ChainStore, t: number, day: number): number {
  const { barOffsets, barDays, barDayClose } = store.data;
  const k = indexOfSorted(barDays, day, barOffsets[t], barOffsets[t + 1]);
  return k < 0 ? NaN : barDayClose[k];
}
