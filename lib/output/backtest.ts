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
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { marketRegimeTable } from "../strategy/market_regime.ts";
import { paramsFromConfig, type SimParams } from "../strategy/params.ts";
import { withMarketRegimes } from "./market_regimes.ts";
import { computeMetrics, type Metrics } from "./metrics.ts";
import { equityFrame, tradesFrame } from "./trade_log.ts";

/** Result of {@link runBacktest}. */
export interface BacktestResult {
  /** The trade log: the spec's 22 fields, then the extra columns (see tradesFrame). */
  trades: pl.DataFrame;
  /** The daily state (see equityFrame). */
  equity: pl.DataFrame;
  /** Every metric of the run. */
  metrics: Metrics;
  /** The engine's result: trades, daily state, entry funnel, missing quotes. */
  raw: SimulationResult;
  /** The parameters used. */
  params: SimParams;
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
 * @returns the trade log and daily state as polars frames, the metrics (with the breakdown by
 *   market regime) and the raw result
 * @throws RangeError when no trading day lies in the window
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
 * ```
 */
export function runBacktest(
  store: ChainStore,
  config: StrategyConfig,
  options: BacktestOptions = {},
): BacktestResult {
  const params = paramsFromConfig(config);
  const raw = simulate(store, params, {
    ...windowIndexes(store, options.from, options.to),
    ivPct: ivPercentileTable(store, params.ivHistoryDays),
    recordPositions: options.recordPositions,
  });
  return {
    trades: tradesFrame(raw.trades),
    equity: equityFrame(raw.daily),
    metrics: withMarketRegimes(
      computeMetrics(raw, {
        startingEquity: params.startingEquity,
        riskFreeRate: params.riskFreeRate,
      }),
      raw,
      marketRegimeTable(store),
      { underlyings: params.underlyings, riskFreeRate: params.riskFreeRate },
    ),
    raw,
    params,
  };
}
