/**
 * VIX percentile rank, for position sizing after M. Wysocki, "Sizing the Risk: Kelly, VIX, and
 * Hybrid Approaches in Put-Writing on Index Options" (arXiv 2508.16598, 2025): contracts =
 * floor(base × (1 − rank)), so that the calmest VIX in the look-back sizes at full risk and the
 * highest at zero.
 *
 * The rank of day d's VIX close v among the closes of the `lookback` previous trading days with
 * a VIX value (day d itself excluded, nothing later read), ties counting one half (the "mean"
 * percentile of a score):
 *
 *   rank = (#{previous closes < v} + ½·#{previous closes = v}) / lookback,
 *
 * in [0, 1]: 0 when v is below every previous close, 1 when above every one. The day's VIX close
 * stands for the VIX at the entry snapshot (14 minutes before the close), as for `vix_at_entry`.
 * NaN (no entry) when the day has no VIX close or fewer than `lookback` previous closes exist.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";

/**
 * VIX percentile ranks of a series of closes.
 *
 * @param vix closes per trading day, in date order (NaN: unknown, skipped)
 * @param lookback previous closes to rank against, e.g. 252
 * @returns ranks in [0, 1] per day, NaN where unknown
 *
 * @example Four previous closes 20, 22, 18, 25: a close of 21 is above two of them
 * ```ts
 * import assert from "node:assert/strict";
 * import { vixPercentileRank } from "./vix_rank.ts";
 * const rank = vixPercentileRank(Float64Array.of(20, 22, 18, 25, 21, 25, 10), 4);
 * assert.ok(rank.slice(0, 4).every(Number.isNaN)); // fewer than four previous closes
 * assert.equal(rank[4], 0.5); // 20 and 18 below 21
 * assert.equal(rank[5], 0.875); // 22, 18, 21 below 25, one tie (25): (3 + 0.5) / 4
 * assert.equal(rank[6], 0); // below every previous close: full size
 * ```
 */
export function vixPercentileRank(vix: ArrayLike<number>, lookback: number): Float64Array {
  const out = new Float64Array(vix.length).fill(NaN);
  const window = new Float64Array(lookback);
  let count = 0;
  for (let d = 0; d < vix.length; d++) {
    const v = vix[d];
    if (Number.isNaN(v)) continue;
    if (count >= lookback) {
      let below = 0;
      let equal = 0;
      for (let i = 0; i < lookback; i++) {
        if (window[i] < v) below++;
        else if (window[i] === v) equal++;
      }
      out[d] = (below + 0.5 * equal) / lookback;
    }
    window[count % lookback] = v;
    count++;
  }
  return out;
}

const cache = new WeakMap<ChainStore, Map<number, Float64Array>>();

/**
 * The VIX percentile rank of every calendar day of a store (see {@link vixPercentileRank}),
 * computed once per store and look-back.
 *
 * @param store the chain, with its VIX closes
 * @param lookback previous trading days ranked against (`[position_sizing] vix_rank_lookback`)
 * @returns Float64Array indexed by calendar day, ranks in [0, 1], NaN where unknown
 */
export function vixRankTable(store: ChainStore, lookback: number): Float64Array {
  let byLookback = cache.get(store);
  if (!byLookback) cache.set(store, byLookback = new Map());
  let table = byLookback.get(lookback);
  if (!table) byLookback.set(lookback, table = vixPercentileRank(store.data.vixClose, lookback));
  return table;
}
