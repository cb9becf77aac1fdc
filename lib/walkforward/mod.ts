/**
 * Walk-forward layer: periods of train, validate and test windows, the parameter grid, the
 * optimizer on a pool of Web Workers, and its statistics (window Sharpe, parameter stability,
 * alpha decay). The task records, the worker pool and the worker entry (`_tasks.ts`,
 * `_pool.ts`, `_worker.ts`) are internal; the output files of a walk-forward are written by
 * lib/output.
 *
 * @module
 */
export {
  type OptimizeOptions,
  optimizeWalkForward,
  type PeriodResult,
  type RankedCombination,
  type WalkForwardResult,
} from "./optimizer.ts";
export { buildPeriods, type Period, type Window } from "./periods.ts";
export * from "./settings.ts";
export {
  type AlphaDecay,
  alphaDecay,
  type ParameterStability,
  parameterStability,
  windowSharpe,
} from "./stats.ts";
export { type GridBlock, gridBlocks } from "./no_trade.ts";
export { requirePeriods } from "./guards.ts";
export { type TrialSet, trialSet } from "./trial_set.ts";
