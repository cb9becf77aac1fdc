/**
 * One backtest of a configuration on a ChainStore, for notebooks and the CLI: the engine's
 * result plus polars frames and metrics.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";
import { barCloses } from "../data/bar_closes.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { atmIv30, ivPercentile } from "../strategy/iv_rank.ts";
import { paramsFromConfig, type SimParams } from "../strategy/params.ts";
import { computeMetrics, type Metrics } from "../output/metrics.ts";
import { equityFrame, tradesFrame } from "../output/trade_log.ts";
import { simulate, type SimulationResult } from "./engine.ts";

const atmCache = new WeakMap<ChainStore, Float64Array>();
const pctCache = new WeakMap<ChainStore, Map<number, Float64Array>>();

/** IV percentile table of a store for a history length (memoized per store). */
export function ivPercentileTable(store: ChainStore, historyDays: number): Float64Array {
  let atm = atmCache.get(store);
  if (!atm) atmCache.set(store, atm = atmIv30(store));
  let byWindow = pctCache.get(store);
  if (!byWindow) pctCache.set(store, byWindow = new Map());
  let table = byWindow.get(historyDays);
  if (!table) byWindow.set(historyDays, table = ivPercentile(atm, store, historyDays));
  return table;
}

/** Calendar index range [from, to] of ISO bounds (inclusive); the whole calendar by default. */
export function windowIndexes(
  store: ChainStore,
  from?: string,
  to?: string,
): { fromIndex: number; toIndex: number } {
  let fromIndex = 0;
  let toIndex = store.nDays - 1;
  if (from) {
    while (fromIndex < store.nDays && dayToIso(store.calendar[fromIndex]) < from) fromIndex++;
  }
  if (to) { while (toIndex >= 0 && dayToIso(store.calendar[toIndex]) > to) toIndex--; }
  if (fromIndex > toIndex) {
    throw new RangeError(`No trading days between ${from ?? "start"} and ${to ?? "end"}`);
  }
  return { fromIndex, toIndex };
}

/** Result of {@link runBacktest}. */
export interface BacktestResult {
  /** The 22-field trade log. */
  trades: pl.DataFrame;
  /** Daily equity curve. */
  equity: pl.DataFrame;
  /** Every metric of the run. */
  metrics: Metrics;
  /** The engine's raw result. */
  raw: SimulationResult;
  /** The parameters used. */
  params: SimParams;
}

/**
 * Backtests a configuration on a store, optionally between two ISO dates (inclusive).
 *
 * @param store the chain
 * @param config validated configuration
 * @param options `from` / `to` ISO dates; `bars`, the loaded bars (`MarketData.bars`), to settle
 *   on an expiry date that the chain files lack at that day's close
 * @returns trades and equity as polars frames, and the metrics
 */
export function runBacktest(
  store: ChainStore,
  config: StrategyConfig,
  options: { from?: string; to?: string; bars?: Map<string, pl.DataFrame> } = {},
): BacktestResult {
  const params = paramsFromConfig(config);
  const { fromIndex, toIndex } = windowIndexes(store, options.from, options.to);
  const raw = simulate(store, params, {
    fromIndex,
    toIndex,
    ivPct: ivPercentileTable(store, params.ivHistoryDays),
    bars: options.bars && barCloses(options.bars, store.tickers),
  });
  return {
    trades: tradesFrame(raw.trades, store.tickers, config.strategy.strategy_type),
    equity: equityFrame(raw.equity),
    metrics: computeMetrics(raw.trades, raw.equity, {
      startingEquity: params.startingEquity,
      riskFreeRate: params.riskFreeRate,
      tickers: store.tickers,
      isoOf: dayToIso,
    }),
    raw,
    params,
  };
}
