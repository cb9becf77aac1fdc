/**
 * `runBacktest(store, config)`: one backtest of a configuration, for notebooks and the CLI —
 * the engine's result with the trade log and the daily state as polars frames, and the
 * metrics.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { simulate, type SimulationResult } from "../simulation/engine.ts";
import { windowIndexes } from "../simulation/window.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { dayToIso } from "../data/dates.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { marketRegimeTable } from "../strategy/market_regime.ts";
import { paramsFromConfig, type SimParams } from "../strategy/params.ts";
import { targetsOf } from "../strategy/rules_config.ts";
import { firstEntryIndex, requireUnderlyings } from "../strategy/tradable.ts";
import { withMarketRegimes } from "./market_regimes.ts";
import { computeMetrics, type Metrics } from "./metrics.ts";
import { exitReasonStats, storeHasDividends } from "./exit_reason_metrics.ts";
import { equityFrame, tradeLegsFrame, tradesFrame } from "./trade_log.ts";

/** Result of {@link runBacktest}. */
export interface BacktestResult {
  /** The trade log: the spec's 22 fields, then the extra columns (see tradesFrame). */
  trades: pl.DataFrame;
  /** The trades' legs, one row per leg per trade (see tradeLegsFrame). */
  legs: pl.DataFrame;
  /** The daily state of every day of the window (see equityFrame). */
  equity: pl.DataFrame;
  /**
   * First day (ISO) on which an entry was possible: the window's first day, or the first after
   * the IV-percentile warm-up. The metrics cover the days from here on.
   */
  tradableFrom: string;
  /** Every metric of the run, over its tradable span. */
  metrics: Metrics;
  /** The engine's result: trades, daily state, entry funnel, missing quotes. */
  raw: SimulationResult;
  /** The parameters used. */
  params: SimParams;
}

/** Why no day of a window allows an entry. */
function noEntryMessage(
  store: ChainStore,
  p: SimParams,
  w: { fromIndex: number; toIndex: number },
): string {
  const span = `${dayToIso(store.calendar[w.fromIndex])} to ${dayToIso(store.calendar[w.toIndex])}`;
  const rank = p.rules && p.rules.ivRankMin > 0 ? ` (and iv_rank_min = ${p.rules.ivRankMin})` : "";
  return `No day from ${span} allows an entry: iv_percentile_min = ${p.ivPctMin}${rank} needs ` +
    `iv_history_days = ${p.ivHistoryDays} trading days of IV history first, and the data ` +
    `holds ${(w.toIndex + 1).toLocaleString("en-US")} trading days up to ${
      dayToIso(store.calendar[w.toIndex])
    } (set iv_percentile_min = 0${rank ? " and iv_rank_min = 0" : ""} to trade without it)`;
}

/** Options of {@link runBacktest}. */
export interface BacktestOptions {
  /** First day, YYYY-MM-DD (default: the first day of the data). */
  from?: string;
  /** Last day, YYYY-MM-DD (default: the last day of the data). */
  to?: string;
  /** Also record every open position at the end of every day (`raw.positions`). */
  recordPositions?: boolean;
}

/**
 * Backtests a configuration on a store, optionally between two dates (inclusive).
 *
 * @param store the chain
 * @param config validated configuration
 * @param options window, positions log
 * @returns the trade log and daily state as polars frames, the first tradable day, the metrics
 *   (with the breakdown by market regime) and the raw result
 * @throws RangeError when no trading day lies in the window, a configured underlying is not in
 *   the data, or no day of the window allows an entry (the IV-percentile warm-up outlasts it)
 *
 * @example Six months of a generated market with the test configuration
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { runBacktest } from "./backtest.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const market = loadMarketData(dir);
 * const store = buildChainStore(market);
 * const result = runBacktest(store, loadConfig("config/test_config.toml"));
 * assert.equal(result.trades.height, result.metrics.trade_count);
 * assert.ok(result.trades.height > 0);
 * assert.equal(result.trades.columns[0], "trade_id");
 * assert.equal(result.equity.height, store.nDays);
 * assert.equal(result.raw.funnel.entries, result.trades.height);
 * assert.equal(result.tradableFrom, result.metrics.first_date);
 * ```
 */
export function runBacktest(
  store: ChainStore,
  config: StrategyConfig,
  options: BacktestOptions = {},
): BacktestResult {
  const params = paramsFromConfig(config);
  requireUnderlyings(store, params.underlyings);
  const window = windowIndexes(store, options.from, options.to);
  const ivPct = ivPercentileTable(store, params.ivHistoryDays);
  const first = firstEntryIndex(store, params, ivPct, window);
  if (first < 0) throw new RangeError(noEntryMessage(store, params, window));
  const raw = simulate(store, params, {
    ...window,
    ivPct,
    recordPositions: options.recordPositions,
  });
  const tradableFrom = dayToIso(store.calendar[first]);
  const metrics = withMarketRegimes(
    computeMetrics(raw, {
      startingEquity: params.startingEquity,
      riskFreeRate: params.riskFreeRate,
      from: tradableFrom,
      targets: targetsOf(config.targets),
    }),
    raw,
    marketRegimeTable(store),
    { underlyings: params.underlyings, riskFreeRate: params.riskFreeRate, from: tradableFrom },
  );
  // With dividends, early assignment is possible: what each exit reason did.
  if (storeHasDividends(store)) metrics.by_exit_reason = exitReasonStats(raw.trades);
  return {
    trades: tradesFrame(raw.trades),
    legs: tradeLegsFrame(raw.trades),
    equity: equityFrame(raw.daily),
    tradableFrom,
    metrics,
    raw,
    params,
  };
}
