/**
 * Simulation layer: ORATS fills, the daily engine, and the `runBacktest` entry point.
 *
 * @module
 */
export * from "./engine.ts";
export * from "./backtest.ts";
export * from "./sweep.ts";
