/**
 * Run diagnostics written into metrics.json: PSR and DSR of the daily returns, and
 * stationary-bootstrap intervals for Sharpe, CAGR and max drawdown, with the configuration's
 * `[diagnostics]` settings.
 *
 * @module
 */
import type { DailyState } from "../simulation/portfolio.ts";
import { type ReturnDiagnostics, returnDiagnostics } from "../stats/diagnostics.ts";
import { periodReturns } from "../stats/returns.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { diagnosticsOptions } from "../strategy/params.ts";

/**
 * Diagnostics of a run's daily equity.
 *
 * @param daily the daily state
 * @param config for the starting equity and the `[diagnostics]` settings
 * @param trials trials behind the selection (1 for a plain run; the grid size for optimize)
 * @param trialVariance variance of the trials' per-day Sharpe ratios
 * @returns PSR/DSR and the bootstrap intervals
 */
export function runDiagnostics(
  daily: DailyState[],
  config: StrategyConfig,
  trials = 1,
  trialVariance = 0,
): ReturnDiagnostics {
  const returns = periodReturns(daily.map((e) => e.equity), config.simulation.starting_equity);
  return returnDiagnostics(returns, diagnosticsOptions(config, trials, trialVariance));
}
