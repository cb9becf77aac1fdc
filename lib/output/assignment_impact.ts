/**
 * What early assignment did to a backtest: the run with the data's dividends (where short
 * calls are assigned on the eve of ex-dates) beside the same run with the rule switched off
 * (the store without its dividends: the same quotes and closes, no assignment of calls), how
 * often positions were assigned and what it cost.
 *
 * @module
 */
import pl from "nodejs-polars";
import { ChainStore } from "../data/chain_store.ts";
import { dividendSeries } from "../data/dividends.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { type BacktestResult, runBacktest } from "./backtest.ts";
import { storeHasDividends } from "./exit_reason_metrics.ts";

/**
 * A store with the same quotes, closes and calendar but no dividends: no ex-date, so no short
 * call is ever assigned early (a short put still may, at a positive rate).
 *
 * @param store the chain
 * @returns a new store sharing the columns
 */
export function withoutDividends(store: ChainStore): ChainStore {
  return new ChainStore({
    ...store.data,
    ...dividendSeries(store.tickers, store.calendar, null),
  });
}

/** Early assignment in a backtest, against the same run without it. */
export interface AssignmentImpact {
  /** Whether the data holds dividends (without them the two runs are one). */
  dividends: boolean;
  /** Trades of the run. */
  trades: number;
  /** Trades that ended in an assignment. */
  assignments: number;
  /** assignments / trades (null without trades). */
  share: number | null;
  /** The assigned trades' total P&L, dollars. */
  assignedPnl: number;
  /** The run's total P&L, dollars. */
  totalPnl: number;
  /** Trades of the same run with no dividends in the data. */
  tradesWithout: number;
  /** That run's total P&L, dollars. */
  totalPnlWithout: number;
  /** totalPnlWithout − totalPnl: what assignment cost (negative: it helped), dollars. */
  cost: number;
  /** The assigned trades by underlying: underlying, assignments, pnl. */
  byUnderlying: pl.DataFrame;
  /**
   * The assigned trades: trade_id, underlying, entry_date, exit_date (the eve of the ex-date),
   * expiration, short_strike, long_strike, contracts, entry_credit, exit_debit,
   * underlying_price_exit, pnl.
   */
  assigned: pl.DataFrame;
  /** The run with the data's dividends. */
  withAssignment: BacktestResult;
  /** The run on the store without dividends. */
  withoutAssignment: BacktestResult;
}

/**
 * Backtests a configuration with the data's dividends and without them, and measures what
 * early assignment did.
 *
 * @param store the chain (with its dividends)
 * @param config validated configuration
 * @returns counts, P&L with and without, the assigned trades
 *
 * @example A month of the sample with a bear call configuration
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { assignmentImpact } from "./assignment_impact.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-02-01", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const impact = assignmentImpact(store, loadConfig("config/bear_call.toml"));
 * assert.equal(impact.dividends, true);
 * assert.equal(impact.assignments, impact.assigned.height);
 * assert.ok(Math.abs(impact.cost - (impact.totalPnlWithout - impact.totalPnl)) < 1e-9);
 * ```
 */
export function assignmentImpact(store: ChainStore, config: StrategyConfig): AssignmentImpact {
  const withAssignment = runBacktest(store, config);
  const withoutAssignment = runBacktest(withoutDividends(store), config);
  const trades = withAssignment.trades;
  const assigned = trades.filter(pl.col("exit_reason").eq(pl.lit("assignment"))).select(
    "trade_id",
    "underlying",
    "entry_date",
    "exit_date",
    "expiration",
    "short_strike",
    "long_strike",
    "contracts",
    "entry_credit",
    "exit_debit",
    "underlying_price_exit",
    "pnl",
  );
  const sum = (df: pl.DataFrame) => df.height ? Number(df.getColumn("pnl").sum()) : 0;
  const totalPnl = sum(trades);
  const totalPnlWithout = sum(withoutAssignment.trades);
  const byUnderlying = assigned.height
    ? assigned.groupBy("underlying").agg(
      pl.col("pnl").count().alias("assignments"),
      pl.col("pnl").sum().alias("pnl"),
    ).sort("underlying")
    : pl.DataFrame({
      underlying: [] as string[],
      assignments: [] as number[],
      pnl: [] as number[],
    });
  return {
    dividends: storeHasDividends(store),
    trades: trades.height,
    assignments: assigned.height,
    share: trades.height ? assigned.height / trades.height : null,
    assignedPnl: sum(assigned),
    totalPnl,
    tradesWithout: withoutAssignment.trades.height,
    totalPnlWithout,
    cost: totalPnlWithout - totalPnl,
    byUnderlying,
    assigned,
    withAssignment,
    withoutAssignment,
  };
}
