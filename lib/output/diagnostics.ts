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
 *
 * @example A single run's DSR is its PSR(0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { runDiagnostics } from "./diagnostics.ts";
 * const config = loadConfig("config/test_config.toml");
 * const daily = Array.from({ length: 120 }, (_, i) => ({ equity: 100000 + 50 * i + 300 * Math.sin(i) }));
 * const d = runDiagnostics(daily as never, config);
 * assert.equal(d.sharpe_inference.dsr, d.sharpe_inference.psr);
 * assert.equal(d.bootstrap.resamples, 200); // config/test_config.toml's [diagnostics]
 * ```
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
