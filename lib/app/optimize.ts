/**
 * `optimize` as a library function: the walk-forward optimization of a configuration's grid on
 * a pool of Web Workers, with its data-quality report and the files of its run folder
 * (walk_forward.json, grid_results.parquet, params.toml, the stitched out-of-sample
 * trades.parquet, trade_legs.parquet, metrics.json and equity_curve.csv, data_quality.json,
 * manifest.json), written
 * when an output folder is given. Progress is reported through callbacks; nothing is printed.
 *
 * @module
 */
import type { StrategyConfig } from "../strategy/config.ts";
import type { WalkForwardResult } from "../walkforward/assemble.ts";
import { optimizeWalkForward } from "../walkforward/optimizer.ts";
import { type WalkForwardSettings, walkForwardSettings } from "../walkforward/settings.ts";
import { type TrialBudget, trialBudget } from "../walkforward/trial_budget.ts";
import { type DataQualityReport, qualityReport } from "../output/data_quality.ts";
import { walkForwardFiles } from "../output/walk_forward.ts";
import { type OutputFile, writeRunFiles } from "../output/write_run.ts";
import { type AppliedOverrides, configWithOverrides } from "./config.ts";
import { type ConfigData, loadConfigData } from "./load.ts";
import type { WorkerRunOptions } from "./options.ts";
import { stopwatch } from "./_stopwatch.ts";

/** Options of {@link optimizeConfig}. */
export interface OptimizeRunOptions extends WorkerRunOptions {
  /** Called before the simulations: the grid's size against what its training window supports. */
  onBudget?: (budget: TrialBudget, settings: WalkForwardSettings) => void;
}

/** A walk-forward of a configuration on a data path, with what its run folder holds. */
export interface OptimizeRun {
  /** The base configuration, overrides applied. */
  config: StrategyConfig;
  /** The overrides, as the manifest records them. */
  overrides: AppliedOverrides;
  /** The data loaded. */
  data: ConfigData;
  /** The data-quality report. */
  quality: DataQualityReport;
  /** The walk-forward. */
  result: WalkForwardResult;
  /** The worker count used. */
  workers: number;
  /** Seconds spent loading (`load`) and optimizing (`optimize`). */
  timings: Record<string, number>;
  /** The run folder's files, in order (written when `out` was given). */
  files: OutputFile[];
}

/**
 * `optimize`: the walk-forward optimization of a configuration's grid on a data path; with
 * `out`, writes the run folder. A bad `[walk_forward]` fails before any data is loaded.
 *
 * @param options the configuration, data, window, overrides, workers, output folder, callbacks
 * @returns the walk-forward, its data and quality report, timings and the run folder's files
 * @throws ConfigError, DataError, RangeError or OutputError naming what was wrong
 *
 * @example Six months, the test configuration's 2 × 2 grid: three periods
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSample } from "../mod.ts";
 * import { optimizeConfig } from "./optimize.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * let simulations = 0;
 * const run = await optimizeConfig({
 *   configPath: "config/test_config.toml",
 *   dataPath: dir,
 *   workers: 1,
 *   onProgress: (done) => (simulations = done),
 * });
 * assert.equal(run.result.periods.length, 3);
 * assert.ok(simulations > 0);
 * assert.equal(run.files[0].name, "walk_forward.json");
 * ```
 */
export async function optimizeConfig(options: OptimizeRunOptions): Promise<OptimizeRun> {
  const { configPath, dataPath, from, to } = options;
  const workers = options.workers ?? navigator.hardwareConcurrency ?? 1;
  const clock = stopwatch();
  const { config, overrides } = configWithOverrides(configPath, options.overrides, true);
  const data = await loadConfigData(dataPath, {
    config,
    shared: true,
    from,
    to,
    onProgress: options.onLoadProgress,
  });
  const { store } = data;
  options.onLoaded?.(data);
  const quality = qualityReport(store);
  clock.lap("load");
  const settings = walkForwardSettings(config);
  options.onBudget?.(trialBudget(settings), settings);
  const result = await optimizeWalkForward(store, config, {
    from,
    to,
    workers,
    onProgress: options.onProgress,
    workerUrl: options.workerUrl,
  });
  clock.lap("optimize");
  const files = walkForwardFiles(result, config, {
    calendar: store.calendar,
    quality,
    inputFiles: [configPath, ...data.files],
    timings: clock.timings,
    workers,
    manifest: { from: from ?? null, to: to ?? null, overrides },
  });
  if (options.out) writeRunFiles(options.out.dir, files, { replace: options.out.replace });
  return { config, overrides, data, quality, result, workers, timings: clock.timings, files };
}
