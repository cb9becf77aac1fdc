/**
 * `optimize`: the walk-forward optimization of a configuration's grid on Web Workers, written
 * as a run folder, with a progress bar and ETA on stderr. The main job of the project: with no
 * arguments it optimizes config/default.toml on the sample market.
 *
 * @module
 */
import cliProgress from "cli-progress";
import {
  optimizeWalkForward,
  paramsFromConfig,
  parseShard,
  qualityReport,
  type ShardSpec,
  type StrategyConfig,
  trialBudget,
  walkForwardFiles,
  walkForwardMetrics,
  type WalkForwardResult,
  walkForwardSettings,
  writeRunFiles,
} from "../lib/core.ts";
import {
  dateFlag,
  OUT_FLAGS,
  outputOf,
  parseFlags,
  positiveIntFlag,
  stopwatch,
  UsageError,
} from "./args.ts";
import { mergeShards, optimizeShard, writeMerged } from "./optimize_shard.ts";
import { ensureSample, SAMPLE_DIR } from "./sample.ts";
import { loadStoreForCommand } from "./load.ts";
import { summaryLines } from "./optimize_summary.ts";
import { configWithOverrides, OVERRIDE_FLAGS } from "./overrides.ts";
import { budgetLines, verdictLines } from "./verdict.ts";

/** The default configuration. */
export const DEFAULT_CONFIG = "config/default.toml";

/** What `optimize` runs on besides the configuration. */
export interface OptimizeRun {
  /** The configuration file. */
  configPath: string;
  /** Chain file, folder or data folder. */
  dataPath: string;
  /** Output folder, and whether to replace it whole. */
  output: { out: string; force: boolean };
  /** Worker count. */
  workers: number;
  /** First and last day of the walk-forward (ISO), if given. */
  window?: { from?: string; to?: string };
  /** The parsed flags (`--ticker`, `--set`). */
  flags?: Record<string, unknown>;
  /** Run only this shard of the work and write its partial result (`--shard`). */
  shard?: ShardSpec;
}

/**
 * Walk-forward optimization into a run folder; prints a summary, the walk-forward efficiency,
 * the guards and the verdict, and where it wrote.
 *
 * @returns the verdict
 */
export async function optimize(run: OptimizeRun): Promise<"pass" | "reject"> {
  const { configPath, dataPath, output, workers } = run;
  const window = run.window ?? {};
  const outDir = output.out;
  const clock = stopwatch();
  // A bad [walk_forward] (or override) fails before any data is loaded.
  const { config, overrides } = configWithOverrides(configPath, run.flags ?? {}, true);
  if (run.shard) {
    await optimizeShard({
      shard: run.shard,
      config,
      overrides,
      configPath,
      dataPath,
      window,
      workers,
      output,
    });
    return "pass";
  }
  const { store, files } = await loadStoreForCommand(dataPath, {
    config,
    shared: true,
    ...window,
  });
  const quality = qualityReport(store);
  clock.lap("load");
  const bar = new cliProgress.SingleBar({
    format:
      "Walk-forward |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const settings = walkForwardSettings(config);
  const budget = budgetLines(trialBudget(settings), settings);
  console.log(budget.line);
  if (budget.warning) console.error(budget.warning);
  const onProgress = (done: number, total: number) => {
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    if (total !== bar.getTotal()) bar.setTotal(total);
    bar.update(done);
  };
  const result = await optimizeWalkForward(store, config, { ...window, workers, onProgress });
  if (started) bar.stop();
  clock.lap("optimize");
  writeRunFiles(
    outDir,
    walkForwardFiles(result, config, {
      calendar: store.calendar,
      quality,
      inputFiles: [configPath, ...files],
      timings: clock.timings,
      workers,
      manifest: { from: window.from ?? null, to: window.to ?? null, overrides },
    }),
    { replace: output.force },
  );
  const t = clock.timings;
  console.log(
    `${result.periods.length} periods x ${result.combinations} combinations in ` +
      `${t.optimize.toFixed(1)} s (${workers} workers, data loaded in ${t.load.toFixed(1)} s)`,
  );
  printSummary(result, config, outDir);
  return result.verdict.verdict;
}

/** The summary, the verdict and where the run folder went. */
function printSummary(result: WalkForwardResult, config: StrategyConfig, outDir: string): void {
  const oos = walkForwardMetrics(result, config);
  for (const line of summaryLines(result, oos, config, paramsFromConfig(config))) {
    console.log(line);
  }
  for (const line of verdictLines(result)) console.log(line);
  console.log(
    `Wrote walk_forward.json, grid_results.parquet, params.toml, trades.parquet, ` +
      `trade_legs.parquet, metrics.json, equity_curve.csv, manifest.json, data_quality.json ` +
      `to ${outDir}`,
  );
}

/**
 * `optimize --merge SHARD_DIR... --out DIR`: checks the shards (complete, no duplicate, one
 * configuration, data set and version; else an error naming the shard, and nothing written),
 * then writes the single-machine run folder.
 *
 * @returns the verdict
 */
export function optimizeMerge(
  dirs: string[],
  output: { out: string; force: boolean },
): "pass" | "reject" {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const merged = mergeShards(dirs, timings);
  writeMerged(output.out, merged, output.force);
  console.log(
    `Merged ${dirs.length} shards in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  printSummary(merged.result, merged.config, output.out);
  return merged.result.verdict.verdict;
}

/** Splits `--merge DIR...` (the folders up to the next flag) out of the arguments. */
function mergeDirs(args: string[]): { dirs: string[] | null; rest: string[] } {
  const at = args.indexOf("--merge");
  if (at < 0) return { dirs: null, rest: args };
  let end = at + 1;
  while (end < args.length && !args[end].startsWith("--")) end++;
  return { dirs: args.slice(at + 1, end), rest: [...args.slice(0, at), ...args.slice(end)] };
}

/** Exit code of `optimize --strict` when the verdict is "reject". */
export const REJECT_EXIT_CODE = 3;

/**
 * `optimize [--config FILE] [--data PATH] [--out DIR] [--force] [--workers N] [--from DATE]
 * [--to DATE] [--ticker T[,T]] [--set K=V]... [--strict] [--shard I/N|auto]`, or
 * `optimize --merge SHARD_DIR... --out DIR [--force] [--strict]`.
 *
 * @returns the exit code: 0, or 3 with `--strict` when the verdict is "reject"
 */
export async function optimizeCommand(args: string[]): Promise<number> {
  const { dirs, rest } = mergeDirs(args);
  if (dirs !== null) {
    const v = parseFlags(rest, { ...OUT_FLAGS, strict: { type: "boolean" } });
    if (dirs.length === 0) throw new UsageError("--merge needs the shard folders");
    if (v.out === undefined && v.output === undefined) {
      throw new UsageError("optimize --merge needs --out");
    }
    const verdict = optimizeMerge(dirs, outputOf("optimize", v));
    return v.strict && verdict === "reject" ? REJECT_EXIT_CODE : 0;
  }
  const v = parseFlags(args, {
    config: { type: "string" },
    data: { type: "string" },
    ...OUT_FLAGS,
    workers: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    ...OVERRIDE_FLAGS,
    strict: { type: "boolean" },
    shard: { type: "string" },
  });
  let shard: ShardSpec | undefined;
  if (v.shard !== undefined) {
    try {
      shard = parseShard(String(v.shard));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (v.out === undefined && v.output === undefined) {
      throw new UsageError("optimize --shard needs --out (the shard's folder)");
    }
  }
  const workers = positiveIntFlag("workers", v.workers, navigator.hardwareConcurrency ?? 1);
  const window = { from: dateFlag("from", v.from), to: dateFlag("to", v.to) };
  const output = outputOf("optimize", v);
  if (v.data === undefined) ensureSample();
  const verdict = await optimize({
    configPath: v.config ? String(v.config) : DEFAULT_CONFIG,
    dataPath: v.data === undefined ? SAMPLE_DIR : String(v.data),
    output,
    workers,
    window,
    flags: v,
    shard,
  });
  return v.strict && verdict === "reject" ? REJECT_EXIT_CODE : 0;
}
