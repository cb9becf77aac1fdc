/**
 * Walk-forward layer: periods of train, validate and test windows (months or trading days,
 * rolling or anchored), the parameter grid and its trial budget, the optimizer on a pool of Web
 * Workers (plan, run any part of the work, assemble: the seam that shards a walk-forward), and its statistics (window Sharpe, parameter stability, alpha decay, walk-forward
 * efficiency and the guards' verdict). The task records, the worker pool and the worker entry (`_tasks.ts`,
 * `_pool.ts`, `_worker.ts`) are internal; the output files of a walk-forward are written by
 * lib/output.
 *
 * @module
 */
export { type OptimizeOptions, optimizeWalkForward } from "./optimizer.ts";
export { allWork, planWalkForward, type WalkForwardPlan, type WalkForwardWork } from "./plan.ts";
export { runWalkForwardWork, type RunWorkOptions, sharedIvTable } from "./run.ts";
export { WalkForwardTaskError } from "./_pool.ts";
export type {
  FullRunOutcome,
  PeriodOutcome,
  TestOutcome,
  WalkForwardOutcomes,
  WindowOutcome,
} from "./outcomes.ts";
export {
  assembleWalkForward,
  type AssemblyContext,
  assemblyContext,
  type WalkForwardResult,
} from "./assemble.ts";
export type {
  PeriodResult,
  RankedCombination,
  WalkForwardAggregate,
  WalkForwardFindings,
} from "./result.ts";
export {
  parseShard,
  SHARD_COUNT_VARIABLE,
  shardCostShare,
  ShardError,
  type ShardSpec,
  shardWork,
} from "./shard.ts";
export { decodePartial, encodePartial, PARTIAL_FORMAT, PARTIAL_FORMAT_VERSION } from "./partial.ts";
export type { Period, PeriodPlan, Window } from "./periods.ts";
export * from "./settings.ts";
export {
  type AlphaDecay,
  alphaDecay,
  type ParameterStability,
  parameterStability,
  windowSharpe,
} from "./stats.ts";
export {
  checkGuards,
  type GuardCheck,
  NEAR_ZERO_TRAIN_SHARPE,
  type PeriodEfficiency,
  type RatioOfMeans,
  ratioOfMeans,
  type Verdict,
  type WalkForwardEfficiency,
  walkForwardEfficiency,
  walkForwardVerdict,
  WFE_RULE,
  WFE_RULE_LEFT_OUT,
  type WfeUndefined,
} from "./efficiency.ts";
export { DEFAULT_GUARDS, type GuardSettings, guardSettings } from "./verdict_guards.ts";
export { buildPeriods, planPeriods, type WindowSpec } from "./windows.ts";
export { type TrialBudget, trialBudget } from "./trial_budget.ts";
export { type GridBlock, gridBlocks } from "./no_trade.ts";
export { requirePeriods } from "./guards.ts";
export {
  type MinTradesPbo,
  type TrialSet,
  trialSet,
  type TrialSetPbo,
  trialSetPbo,
} from "./trial_set.ts";
