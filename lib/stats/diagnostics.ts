/**
 * Diagnostics of a daily return series: the Probabilistic and Deflated Sharpe Ratio and
 * stationary-bootstrap intervals for Sharpe, CAGR and maximum drawdown, in one record (the
 * `diagnostics` block of metrics.json).
 *
 * @module
 */
import { type BootstrapOptions, type BootstrapResult, stationaryBootstrap } from "./bootstrap.ts";
import { type SharpeInference, sharpeInference } from "./sharpe_inference.ts";

/** PSR/DSR and bootstrap intervals of a return series. */
export interface ReturnDiagnostics {
  /** PSR(0) and DSR of the returns (per-period Sharpe). */
  sharpe_inference: SharpeInference;
  /** Bootstrap intervals. */
  bootstrap: BootstrapResult;
}

/** Options of {@link returnDiagnostics}. */
export interface ReturnDiagnosticsOptions {
  /** Trials behind the selection of this series (default 1: a single run). */
  trials?: number;
  /** Variance of the trials' per-period Sharpe ratios (default 0). */
  trialVariance?: number;
  /** Bootstrap settings (defaults: 1000 resamples, mean block 10, level 0.9, seed 7). */
  bootstrap?: BootstrapOptions;
}

/**
 * PSR/DSR and stationary-bootstrap intervals of daily returns.
 *
 * @param returns daily returns
 * @param options trials, their Sharpe variance, and the bootstrap settings
 * @returns both diagnostics
 *
 * @example A single run has DSR = PSR(0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { returnDiagnostics } from "./diagnostics.ts";
 * const returns = Array.from({ length: 300 }, (_, i) => 0.001 + 0.01 * Math.sin(i));
 * const d = returnDiagnostics(returns, { bootstrap: { resamples: 200 } });
 * assert.equal(d.sharpe_inference.dsr, d.sharpe_inference.psr);
 * assert.ok(d.bootstrap.sharpe.lower! < d.bootstrap.sharpe.estimate!);
 * ```
 */
export function returnDiagnostics(
  returns: ArrayLike<number>,
  options: ReturnDiagnosticsOptions = {},
): ReturnDiagnostics {
  return {
    sharpe_inference: sharpeInference(returns, options.trials ?? 1, options.trialVariance ?? 0),
    bootstrap: stationaryBootstrap(returns, options.bootstrap),
  };
}
