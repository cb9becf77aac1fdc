/**
 * `run` and `validate` as library functions: one backtest of a configuration (or of the
 * parameters a params.toml holds) on a data path, with its data-quality report, optionally the
 * slippage sensitivity, and the files of a run folder, written when an output folder is given.
 * Progress is reported through callbacks; nothing is printed.
 *
 * @module
 */
import { dayToIso } from "../data/dates.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { type SlippageSweep, slippageSweep } from "../simulation/sweep.ts";
import { windowIndexes } from "../simulation/window.ts";
import { type BacktestResult, runBacktest } from "../output/backtest.ts";
import { type DataQualityReport, qualityReport } from "../output/data_quality.ts";
import { runOutputFiles } from "../output/run_outputs.ts";
import { type OutputFile, toJson, writeRunFiles } from "../output/write_run.ts";
import { type AppliedOverrides, configWithOverrides } from "./config.ts";
import { type ConfigData, loadConfigData } from "./load.ts";
import type { ConfigRunOptions } from "./options.ts";
import { stopwatch } from "./_stopwatch.ts";

/** Options of {@link runConfig} and {@link validateParams}. */
export interface BacktestRunOptions extends ConfigRunOptions {
  /** Also re-run over `[diagnostics] slippage_sweep` (slippage_sweep.json; default false). */
  slippageSweep?: boolean;
  /** Called before the backtest: how many trading days it covers, first and last (ISO). */
  onBacktest?: (span: { days: number; first: string; last: string }) => void;
  /** Called before the slippage sweep, with the number of fractions it runs. */
  onSweep?: (fractions: number) => void;
}

/** A backtest of a configuration on a data path, with what its run folder holds. */
export interface BacktestRun {
  /** The configuration run, overrides applied. */
  config: StrategyConfig;
  /** The overrides, as the manifest records them. */
  overrides: AppliedOverrides;
  /** The data loaded. */
  data: ConfigData;
  /** The data-quality report. */
  quality: DataQualityReport;
  /** The backtest: trade log, daily state, metrics. */
  result: BacktestResult;
  /** The slippage sensitivity (null unless asked for). */
  sweep: SlippageSweep | null;
  /** The run folder's files, in order (written when `out` was given). */
  files: OutputFile[];
}

/** A backtest of a configuration or of a params.toml. */
async function backtestRun(
  command: "run" | "validate",
  options: BacktestRunOptions,
): Promise<BacktestRun> {
  const { configPath, dataPath, from, to } = options;
  const clock = stopwatch();
  const { config, overrides } = configWithOverrides(configPath, options.overrides);
  const data = await loadConfigData(dataPath, {
    config,
    from,
    to,
    onProgress: options.onLoadProgress,
  });
  const { store } = data;
  options.onLoaded?.(data);
  clock.lap("load");
  const quality = qualityReport(store);
  clock.lap("data_quality");
  const { fromIndex, toIndex } = windowIndexes(store, from, to);
  options.onBacktest?.({
    days: toIndex - fromIndex + 1,
    first: dayToIso(store.calendar[fromIndex]),
    last: dayToIso(store.calendar[toIndex]),
  });
  const result = runBacktest(store, config, { from, to });
  clock.lap("backtest");
  const extra: OutputFile[] = [];
  let sweep: SlippageSweep | null = null;
  if (options.slippageSweep) {
    options.onSweep?.(config.diagnostics.slippage_sweep.length);
    sweep = slippageSweep(store, config, { from, to });
    clock.lap("slippage_sweep");
    extra.push({ name: "slippage_sweep.json", text: toJson(sweep) });
  }
  const files = [
    ...runOutputFiles(result, config, quality, {
      command,
      inputFiles: [configPath, ...data.files],
      timings: clock.timings,
      extra: { from: from ?? null, to: to ?? null, overrides },
    }),
    ...extra,
  ];
  if (options.out) writeRunFiles(options.out.dir, files, { replace: options.out.replace });
  return { config, overrides, data, quality, result, sweep, files };
}

/**
 * `run`: backtests a configuration on a data path; with `out`, writes the run folder
 * (trades.parquet, trade_legs.parquet, metrics.json, equity_curve.csv, params.toml,
 * data_quality.json, manifest.json, and slippage_sweep.json with `slippageSweep`).
 *
 * @param options the configuration, data, window, overrides, output folder and callbacks
 * @returns the backtest, its data and quality report, and the run folder's files
 * @throws ConfigError, DataError, RangeError or OutputError naming what was wrong
 *
 * @example Three months of the test configuration, one underlying
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSample } from "../mod.ts";
 * import { runConfig } from "./backtest.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const run = await runConfig({
 *   configPath: "config/test_config.toml",
 *   dataPath: dir,
 *   overrides: { ticker: ["SPY"] },
 * });
 * assert.deepEqual(run.overrides, { ticker: ["SPY"], set: [] });
 * assert.equal(run.result.trades.height, run.result.metrics.trade_count);
 * assert.deepEqual(run.files.map((f) => f.name), ["trades.parquet", "trade_legs.parquet",
 *   "metrics.json", "equity_curve.csv", "params.toml", "data_quality.json", "manifest.json"]);
 * ```
 */
export function runConfig(options: BacktestRunOptions): Promise<BacktestRun> {
  return backtestRun("run", options);
}

/**
 * `validate`: runs fixed parameters (a params.toml written by run or optimize) on a data path,
 * as {@link runConfig} runs a configuration; the manifest names the command `validate`.
 *
 * @param options the params.toml as `configPath`, the data, window, overrides and output folder
 * @returns the backtest, its data and quality report, and the run folder's files
 * @throws ConfigError, DataError, RangeError or OutputError naming what was wrong
 */
export function validateParams(options: BacktestRunOptions): Promise<BacktestRun> {
  return backtestRun("validate", { ...options, slippageSweep: false });
}
