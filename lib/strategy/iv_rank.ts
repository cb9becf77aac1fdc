/**
 * IV percentile: per underlying and day, the 30-day constant-maturity at-the-money implied
 * volatility interpolated from the chain, ranked against the trailing window of that
 * underlying's own trading days, today included (no look-ahead).
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { yearFraction } from "../data/conventions.ts";
import { memoizeFloat64ForStore } from "../data/derived.ts";

/** Target maturity of the constant-maturity ATM IV, calendar days. */
export const ATM_IV_DAYS = 30;

/**
 * ATM IV of one (expiry, type) group: linear in strike between the usable strikes around the
 * spot (the nearest one's when the spot is beyond them); NaN when the group has none.
 *
 * @param store the chain
 * @param start first row of the group
 * @param end row after the group's last
 * @param spot the underlying's price
 * @returns annual decimal, or NaN
 */
export function groupAtmIv(store: ChainStore, start: number, end: number, spot: number): number {
  const c = store.columns;
  let below = -1;
  let above = -1;
  for (let i = start; i < end; i++) {
    if (c.flags[i] !== 0) continue;
    if (c.strike[i] <= spot) below = i;
    else {
      above = i;
      break;
    }
  }
  if (below < 0 && above < 0) return NaN;
  if (below < 0) return c.iv[above];
  if (above < 0) return c.iv[below];
  const w = (spot - c.strike[below]) / (c.strike[above] - c.strike[below]);
  return c.iv[below] * (1 - w) + c.iv[above] * w;
}

/**
 * 30-day constant-maturity ATM IV for every (underlying, calendar day): the average of the
 * call and put ATM IVs of each expiry, interpolated linearly in total variance σ²T between the
 * expiries around 30 days (flat volatility beyond the listed range). NaN where a snapshot is
 * missing.
 *
 * @param store the chain
 * @returns Float64Array indexed t·nDays + d
 */
export function atmIv30(store: ChainStore): Float64Array {
  const out = new Float64Array(store.tickers.length * store.nDays).fill(NaN);
  const g = store.data;
  const target = yearFraction(ATM_IV_DAYS);
  for (let t = 0; t < store.tickers.length; t++) {
    for (let d = 0; d < store.nDays; d++) {
      const k = t * store.nDays + d;
      if (g.snapshotEnd[k] <= g.snapshotStart[k]) continue;
      const day = store.calendar[d];
      const spot = store.columns.stockPrice[g.snapshotStart[k]];
      let t1 = NaN, v1 = NaN, t2 = NaN, v2 = NaN;
      // Groups are ordered by expiry, then type: pair each expiry's call and put.
      for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
        const dte = g.groupExpiry[q] - day;
        if (dte <= 0) continue;
        let iv = groupAtmIv(store, g.groupStart[q], g.groupEnd[q], spot);
        if (q + 1 < g.snapshotGroupEnd[k] && g.groupExpiry[q + 1] === g.groupExpiry[q]) {
          const other = groupAtmIv(store, g.groupStart[q + 1], g.groupEnd[q + 1], spot);
          iv = Number.isNaN(iv) ? other : Number.isNaN(other) ? iv : 0.5 * (iv + other);
          q++;
        }
        if (!(iv > 0)) continue;
        const years = yearFraction(dte);
        if (years <= target) {
          t1 = years;
          v1 = iv;
        } else {
          t2 = years;
          v2 = iv;
          break;
        }
      }
      if (Number.isNaN(v1)) out[k] = v2;
      else if (Number.isNaN(v2)) out[k] = v1;
      else {
        const w1 = v1 * v1 * t1;
        const w2 = v2 * v2 * t2;
        out[k] = Math.sqrt((w1 + (w2 - w1) * (target - t1) / (t2 - t1)) / target);
      }
    }
  }
  return out;
}

/**
 * IV percentile (0-100) of each (underlying, day): the share of the trailing `historyDays`
 * values of that underlying's ATM IV (its own trading days with a value, today included) that
 * are at or below today's. NaN while fewer than `historyDays` values exist.
 *
 * @param atm values from {@link atmIv30}
 * @param store the chain (for its shape)
 * @param historyDays window length in trading days, e.g. 252
 * @returns Float64Array indexed t·nDays + d
 */
export function ivPercentile(
  atm: Float64Array,
  store: ChainStore,
  historyDays: number,
): Float64Array {
  const out = new Float64Array(atm.length).fill(NaN);
  const window = new Float64Array(historyDays);
  for (let t = 0; t < store.tickers.length; t++) {
    let count = 0;
    for (let d = 0; d < store.nDays; d++) {
      const v = atm[t * store.nDays + d];
      if (Number.isNaN(v)) continue;
      window[count % historyDays] = v;
      count++;
      if (count < historyDays) continue;
      let atOrBelow = 0;
      for (let i = 0; i < historyDays; i++) if (window[i] <= v) atOrBelow++;
      out[t * store.nDays + d] = 100 * atOrBelow / historyDays;
    }
  }
  return out;
}

const atmCache = new WeakMap<ChainStore, Float64Array>();

/**
 * The 30-day ATM IV table of a store ({@link atmIv30}), computed once per store (and kept beside
 * its cache entry).
 *
 * @param store the chain
 * @returns Float64Array indexed t·nDays + d (NaN where a snapshot is missing)
 */
export function atmIvTable(store: ChainStore): Float64Array {
  let atm = atmCache.get(store);
  if (!atm) {
    // The ATM IV depends on the store alone: computed once per cache entry (see derived.ts).
    atm = memoizeFloat64ForStore(store, "atm-iv-30-v1", () => atmIv30(store));
    atmCache.set(store, atm);
  }
  return atm;
}
const percentileCache = new WeakMap<ChainStore, Map<number, Float64Array>>();

/**
 * The IV percentile table of a store for a look-back, computed once per store and look-back
 * and shared by the scanner, backtests and the optimizer.
 *
 * @param store the chain
 * @param historyDays look-back in trading days (`[entry] iv_history_days`)
 * @returns Float64Array indexed t·nDays + d (NaN while the history is short)
 *
 * @example Twenty days of history first, then percentiles in [5, 100]
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { ivPercentileTable } from "./iv_rank.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-04-30", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const table = ivPercentileTable(store, 20);
 * const spy = Array.from(store.calendar, (_, d) => table[store.tickerIndex("SPY") * store.nDays + d]);
 * const known = spy.filter((x) => !Number.isNaN(x)); // a day without a snapshot has none
 * assert.ok(spy.slice(0, 19).every(Number.isNaN));
 * assert.ok(known.length > 15 && known.every((x) => x >= 5 && x <= 100));
 * assert.equal(ivPercentileTable(store, 20), table); // computed once per store
 * ```
 */
export function ivPercentileTable(store: ChainStore, historyDays: number): Float64Array {
  const atm = atmIvTable(store);
  let byWindow = percentileCache.get(store);
  if (!byWindow) percentileCache.set(store, byWindow = new Map());
  let table = byWindow.get(historyDays);
  if (!table) byWindow.set(historyDays, table = ivPercentile(atm, store, historyDays));
  return table;
}
