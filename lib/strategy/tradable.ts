/**
 * Where a strategy can trade in a store: the configured underlyings must be in the data, and
 * the first day an entry is possible comes after the IV-percentile warm-up (no entry can pass
 * `iv_percentile_min` before `iv_history_days` of history exist). Metrics cover the tradable
 * span from that day on: the warm-up's flat equity is not a result.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import type { SimParams } from "./params.ts";

/**
 * Checks that every configured underlying is in the store.
 *
 * @param store the chain
 * @param underlyings tickers the strategy trades
 * @throws RangeError naming the missing tickers and listing the ones the data holds
 *
 * @example A ticker the data lacks
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireUnderlyings } from "./tradable.ts";
 * const store = { tickers: ["IWM", "QQQ", "SPY"] } as never;
 * requireUnderlyings(store, ["SPY", "QQQ"]);
 * assert.throws(
 *   () => requireUnderlyings(store, ["SPY", "XYZ"]),
 *   /^RangeError: Underlying XYZ is not in the data \(it holds IWM, QQQ, SPY\)$/,
 * );
 * ```
 */
export function requireUnderlyings(store: ChainStore, underlyings: readonly string[]): void {
  const missing = underlyings.filter((u) => !store.tickers.includes(u));
  if (missing.length === 0) return;
  throw new RangeError(
    `Underlying${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${
      missing.length > 1 ? "are" : "is"
    } not in the data (it holds ${store.tickers.join(", ") || "no underlying"})`,
  );
}

/**
 * The first calendar index of a window on which an entry is possible: a configured underlying
 * has a snapshot and, when the IV-percentile or the IV-rank filter is on (`iv_percentile_min > 0`
 * or `iv_rank_min > 0`), an IV percentile (its `iv_history_days` of history are complete).
 *
 * @param store the chain
 * @param p the run's parameters (underlyings, iv_percentile_min)
 * @param ivPct the IV percentile table for p's history length (see ivPercentileTable)
 * @param window calendar indexes, inclusive (default the whole calendar)
 * @returns the index, or -1 when no day of the window allows an entry
 *
 * @example Twenty days of warm-up, none with the filter off
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, ivPercentileTable, loadConfig, loadMarketData,
 *   paramsFromConfig } from "../mod.ts";
 * import { firstEntryIndex } from "./tradable.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-04-30", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const base = paramsFromConfig(loadConfig("config/test_config.toml"));
 * const p = { ...base, ivPctMin: 30, ivHistoryDays: 20 };
 * assert.equal(firstEntryIndex(store, p, ivPercentileTable(store, 20)), 19);
 * assert.equal(firstEntryIndex(store, { ...p, ivPctMin: 0 }, ivPercentileTable(store, 20)), 0);
 * assert.equal(firstEntryIndex(store, p, ivPercentileTable(store, 20), { fromIndex: 0, toIndex: 10 }), -1);
 * ```
 */
export function firstEntryIndex(
  store: ChainStore,
  p: Pick<SimParams, "underlyings" | "ivPctMin" | "rules">,
  ivPct: Float64Array,
  window: { fromIndex: number; toIndex: number } = { fromIndex: 0, toIndex: store.nDays - 1 },
): number {
  const tickers = p.underlyings.map((u) => store.tickerIndex(u)).filter((t) => t >= 0);
  for (let d = Math.max(0, window.fromIndex); d <= window.toIndex && d < store.nDays; d++) {
    for (const t of tickers) {
      const r = store.snapshotRange(t, d);
      if (r.end <= r.start) continue;
      // The IV rank (iv_rank_min) has the IV percentile's window: the same warm-up.
      const history = p.ivPctMin > 0 || (p.rules?.ivRankMin ?? 0) > 0;
      if (!history || !Number.isNaN(ivPct[t * store.nDays + d])) return d;
    }
  }
  return -1;
}
