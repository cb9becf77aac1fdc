/**
 * Run diagnostics written into metrics.json: PSR and DSR of the daily returns, and
 * stationary-bootstrap intervals for Sharpe, CAGR and max drawdown, with the configuration's
 * `[diagnostics]` settings.
 *
 * @module
 */
import { isoToDay } from "../data/dates.ts";
import type { DailyState } from "../simulation/portfolio.ts";
import { type ReturnDiagnostics, returnDiagnostics } from "../stats/diagnostics.ts";
import { periodReturns } from "../stats/returns.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { diagnosticsOptions } from "../strategy/params.ts";

/** Options of {@link runDiagnostics}. */
export interface RunDiagnosticsOptions {
  /** Trials behind the selection (default 1: a plain run). */
  trials?: number;
  /** Variance of the trials' per-day Sharpe ratios (default 0). */
  trialVariance?: number;
  /**
   * First day of the tradable span, YYYY-MM-DD (a backtest's `tradableFrom`): earlier days are
   * left out, as in the metrics. Default: every day.
   */
  from?: string;
}

/**
 * Diagnostics of a run's daily equity over its tradable span, of excess returns over the
 * configuration's risk-free rate (as the metrics' Sharpe ratios).
 *
 * @param daily the daily state
 * @param config for the starting equity, the risk-free rate and the `[diagnostics]` settings
 * @param options trials and their Sharpe variance, and the tradable span's first day
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
  options: RunDiagnosticsOptions = {},
): ReturnDiagnostics {
  const from = options.from === undefined ? null : isoToDay(options.from);
  const skip = from === null ? 0 : daily.findIndex((e) => e.day >= from);
  const span = skip < 0 ? [] : daily.slice(skip);
  const start = skip > 0 ? daily[skip - 1].equity : config.simulation.starting_equity;
  const returns = periodReturns(span.map((e) => e.equity), start);
  return returnDiagnostics(
    returns,
    diagnosticsOptions(config, options.trials ?? 1, options.trialVariance ?? 0),
  );
}
