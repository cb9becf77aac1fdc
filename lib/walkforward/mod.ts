/**
 * Walk-forward layer: periods, the parameter grid, the Web Worker pool, the optimizer, its
 * statistics (parameter stability, alpha decay) and output files.
 *
 * @module
 */
export * from "./settings.ts";
export * from "./periods.ts";
export * from "./stats.ts";
export * from "./tasks.ts";
export * from "./pool.ts";
export * from "./optimizer.ts";
export * from "./outputs.ts";
