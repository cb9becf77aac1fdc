/**
 * The grid's size against the number of independent trials its training window supports, by
 * the minimum backtest length of Bailey, Borwein, López de Prado and Zhu (2014; stats/min_btl.ts)
 * at an in-sample annualized Sharpe ratio of 1: the training window is where the whole grid is
 * searched, so its length is the backtest length. Months count as 1/12 year, trading days as
 * 1/252; anchored windows are judged by their first (shortest) training window. Grid
 * combinations are rarely independent, so the count is an upper bound on the trials they amount
 * to; a grid above the budget is still run, with a warning.
 *
 * @module
 */
import { maxIndependentTrials } from "../stats/min_btl.ts";
import { MONTHS_PER_YEAR, TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { combinationCount, type WalkForwardSettings } from "./settings.ts";

/** The grid's combinations against the training window's budget. */
export interface TrialBudget {
  /** Grid combinations. */
  combinations: number;
  /** The (first) training window's length, years. */
  training_years: number;
  /** In-sample annualized Sharpe ratio the budget is set at. */
  sharpe: number;
  /** Largest number of independent trials with MinBTL <= training_years. */
  supported: number;
  /** Whether the combinations exceed it. */
  exceeded: boolean;
}

/**
 * The trial budget of a walk-forward's settings.
 *
 * @param settings walk-forward settings
 * @param sharpe in-sample annualized Sharpe ratio (default 1, the paper's example)
 * @returns combinations, training years, the supported trials and whether they are exceeded
 *
 * @example The default 240-combination grid on 6-month training windows: 2 trials supported
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { walkForwardSettings } from "./settings.ts";
 * import { trialBudget } from "./trial_budget.ts";
 * const b = trialBudget(walkForwardSettings(loadConfig("config/default.toml")));
 * assert.deepEqual(b, { combinations: 240, training_years: 0.5, sharpe: 1, supported: 2, exceeded: true });
 * ```
 */
export function trialBudget(settings: WalkForwardSettings, sharpe = 1): TrialBudget {
  const w = settings.windows;
  const years = w.unit === "months" ? w.train / MONTHS_PER_YEAR : w.train / TRADING_DAYS_PER_YEAR;
  const combinations = combinationCount(settings);
  const supported = maxIndependentTrials(years, sharpe);
  return {
    combinations,
    training_years: years,
    sharpe,
    supported,
    exceeded: combinations > supported,
  };
}
