/**
 * Output layer: metrics (overall, by VIX regime, by underlying), the trade log and equity
 * curve as frames, and atomic writers.
 *
 * @module
 */
export * from "./metrics.ts";
export * from "./trade_log.ts";
export * from "./write_run.ts";
export * from "./run_outputs.ts";
export * from "./diagnostics.ts";
