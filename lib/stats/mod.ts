/**
 * Overfitting diagnostics and confidence intervals: sample moments, the Probabilistic and
 * Deflated Sharpe Ratio, the Probability of Backtest Overfitting (CSCV), and stationary
 * bootstrap intervals.
 *
 * @module
 */
export * from "./moments.ts";
export * from "./sharpe_inference.ts";
export * from "./pbo.ts";
export * from "./bootstrap.ts";
