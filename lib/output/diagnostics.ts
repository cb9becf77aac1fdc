/**
 * Run diagnostics written into metrics.json: PSR and DSR of the daily returns, and stationary
 * bootstrap intervals for Sharpe, CAGR and max drawdown.
 *
 * @module
 */
import type { EquityPoint } from "../simulation/engine.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { type BootstrapResult, stationaryBootstrap } from "../stats/bootstrap.ts";
import { type SharpeInference, sharpeInference } from "../stats/sharpe_inference.ts";
import { dailyReturns } from "./metrics.ts";

/** The `diagnostics` block of metrics.json. */
export interface RunDiagnostics {
  /** PSR(0) and DSR of daily returns (per-day Sharpe); trials = 1 for a single run. */
  sharpe_inference: SharpeInference;
  /** Bootstrap intervals. */
  bootstrap: BootstrapResult;
}

/**
 * Diagnostics of an equity curve.
 *
 * @param equity daily equity
 * @param config for the bootstrap settings and starting equity
 * @param trials trials behind the selection (1 for a plain run; the grid size for optimize)
 * @param trialVariance variance of the trials' per-day Sharpe ratios
 */
export function runDiagnostics(
  equity: EquityPoint[],
  config: StrategyConfig,
  trials = 1,
  trialVariance = 0,
): RunDiagnostics {
  const returns = dailyReturns(equity, config.simulation.starting_equity);
  const d = config.diagnostics;
  return {
    sharpe_inference: sharpeInference(returns, trials, trialVariance),
    bootstrap: stationaryBootstrap(returns, {
      resamples: d.bootstrap_resamples,
      meanBlock: d.bootstrap_mean_block,
      level: d.bootstrap_level,
      seed: d.seed,
    }),
  };
}
