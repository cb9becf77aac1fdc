/**
 * The trade statistics by exit reason that metrics.json carries when the data holds dividends
 * (`by_exit_reason`): there early assignment is possible, and how often it happened and what
 * it cost is part of the result. Without dividends metrics.json is as it was.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { NO_EX_DATE } from "../data/dividends.ts";
import type { Trade } from "../simulation/portfolio.ts";
import { type TradeStats, tradeStats } from "./metrics.ts";
import { EXIT_REASONS } from "./trade_analytics.ts";

/**
 * Whether a store knows of any ex-dividend date (the data folder had a dividends.csv with rows
 * for its tickers).
 *
 * @param store the chain
 * @returns true when some ticker has an ex-date after some day of the data
 */
export function storeHasDividends(store: ChainStore): boolean {
  const days = store.data.exDividendDay;
  for (let i = 0; i < days.length; i++) if (days[i] !== NO_EX_DATE) return true;
  return false;
}

/**
 * Trade statistics per exit reason, in the order exits are checked (reasons no trade had are
 * left out; a reason outside that order comes after it).
 *
 * @param trades completed trades
 * @returns exit reason -> count, win rate, P&L totals and averages, days held
 *
 * @example An assignment beside two profit targets
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitReasonStats } from "./exit_reason_metrics.ts";
 * const t = (pnlUsd: number, exitReason: string) =>
 *   ({ pnlUsd, exitReason, entryDay: 0, exitDay: 10 });
 * const by = exitReasonStats([t(50, "profit_target"), t(-420, "assignment"),
 *   t(60, "profit_target")] as never);
 * assert.deepEqual(Object.keys(by), ["profit_target", "assignment"]);
 * assert.equal(by.assignment.total_pnl, -420);
 * ```
 */
export function exitReasonStats(trades: readonly Trade[]): Record<string, TradeStats> {
  const reasons = [...new Set(trades.map((t) => t.exitReason as string))];
  const known = EXIT_REASONS as readonly string[];
  const order = [
    ...known.filter((r) => reasons.includes(r)),
    ...reasons.filter((r) => !known.includes(r)),
  ];
  return Object.fromEntries(
    order.map((r) => [r, tradeStats(trades.filter((t) => t.exitReason === r))]),
  );
}
