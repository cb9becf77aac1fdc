/**
 * Diagnostics of a daily return series: the Probabilistic and Deflated Sharpe Ratio and
 * stationary-bootstrap intervals for Sharpe, CAGR and maximum drawdown, in one record (the
 * `diagnostics` block of metrics.json).
 *
 * @module
 */
import { type BootstrapOptions, type BootstrapResult, stationaryBootstrap } from "./bootstrap.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { excessReturns } from "./returns.ts";
import { type SharpeInference, sharpeInference } from "./sharpe_inference.ts";

/** PSR/DSR and bootstrap intervals of a return series. */
export interface ReturnDiagnostics {
  /** PSR(0) and DSR of the excess returns (per-period Sharpe). */
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
  /**
   * Annual risk-free rate, decimal (default 0): PSR, DSR and the bootstrap's Sharpe interval are
   * of the daily excess returns, r − rate / 252, as the Sharpe ratios of the metrics are.
   */
  riskFreeRate?: number;
}

/**
 * PSR/DSR and stationary-bootstrap intervals of daily returns.
 *
 * @param returns daily returns
 * @param options trials, their Sharpe variance, the bootstrap settings and the risk-free rate
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
 *
 * @example A risk-free rate lowers PSR and the bootstrap's Sharpe alike
 * ```ts
 * import assert from "node:assert/strict";
 * import { returnDiagnostics } from "./diagnostics.ts";
 * import { sharpeRatio } from "./returns.ts";
 * const returns = Array.from({ length: 300 }, (_, i) => 0.0004 + 0.01 * Math.sin(i));
 * const at0 = returnDiagnostics(returns, { bootstrap: { resamples: 200 } });
 * const at3 = returnDiagnostics(returns, { bootstrap: { resamples: 200 }, riskFreeRate: 0.03 });
 * assert.ok(at3.sharpe_inference.psr! < at0.sharpe_inference.psr!);
 * assert.ok(Math.abs(at3.sharpe_inference.sharpe * Math.sqrt(252) - sharpeRatio(returns, 252, 0.03)!) < 1e-12);
 * assert.equal(at3.bootstrap.sharpe.estimate, sharpeRatio(returns, 252, 0.03));
 * ```
 */
export function returnDiagnostics(
  returns: ArrayLike<number>,
  options: ReturnDiagnosticsOptions = {},
): ReturnDiagnostics {
  const rf = options.riskFreeRate ?? 0;
  return {
    sharpe_inference: sharpeInference(
      excessReturns(returns, TRADING_DAYS_PER_YEAR, rf),
      options.trials ?? 1,
      options.trialVariance ?? 0,
    ),
    bootstrap: stationaryBootstrap(returns, { ...options.bootstrap, riskFreeRate: rf }),
  };
}
