/**
 * The commands as library functions, above the output layer and without the display layer
 * (lib/viz), so that the command line loads no plotting library: loading a configuration's data
 * window with its warm-up history, run and validate, optimize, one shard of a walk-forward and
 * the merge of all of them, export and inspect. Each returns a typed result (and writes its
 * folder when given one) and reports progress through callbacks; the command line (cli/) only
 * parses flags, prints and draws progress bars.
 *
 * @module
 */
export {
  type ConfigData,
  type ConfigDataOptions,
  DATA_START_TOLERANCE_DAYS,
  EARLIEST_HISTORY_DAY,
  historyDays,
  loadConfigData,
  LOOKBACK_DAYS_PER_HISTORY_DAY,
  LOOKBACK_MARGIN_DAYS,
  MAX_LOOKBACK_DOUBLINGS,
  maxConfiguredDte,
  UNDERLYING_START_TOLERANCE_DAYS,
} from "./load.ts";
export {
  type AppliedOverrides,
  configWithOverrides,
  type OverriddenConfig,
  type Overrides,
} from "./config.ts";
export type { ConfigRunOptions, OutputFolder, WorkerRunOptions } from "./options.ts";
export {
  type BacktestRun,
  type BacktestRunOptions,
  runConfig,
  validateParams,
} from "./backtest.ts";
export { optimizeConfig, type OptimizeRun, type OptimizeRunOptions } from "./optimize.ts";
export { FULL_LOAD_VARIABLE, runShard, type ShardRun, type ShardRunOptions } from "./shard.ts";
export {
  checkShardSet,
  readShardHeader,
  readShardPayload,
  SHARD_HEADER_FILE,
  SHARD_PAYLOAD_FILE,
  shardFolderFiles,
  type ShardHeader,
  type ShardPayload,
} from "./shard_files.ts";
export { type MergedShards, mergeShards } from "./merge.ts";
export { type ExportedRun, exportRunFolder, type ExportRunOptions } from "./export.ts";
export { inspectData, type InspectedData, type InspectOptions } from "./inspect.ts";
