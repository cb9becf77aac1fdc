/**
 * `optimize`: the walk-forward optimization of a configuration's grid on Web Workers, written
 * as a run folder (lib/app optimizeConfig), with a progress bar and ETA on stderr; one shard of
 * it (`--shard`, runShard) or the merge of all shards (`--merge`, mergeShards). The main job of
 * the project: with no arguments it optimizes config/default.toml on the sample market.
 *
 * @module
 */
import {
  mergeShards,
  optimizeConfig,
  paramsFromConfig,
  parseShard,
  runShard,
  shardCostShare,
  type ShardSpec,
  type StrategyConfig,
  targetLines,
  walkForwardMetrics,
  type WalkForwardResult,
  type WorkerRunOptions,
} from "../lib/core.ts";
import {
  dateFlag,
  OUT_FLAGS,
  outputOf,
  type OutputTarget,
  parseFlags,
  positiveIntFlag,
  UsageError,
} from "./args.ts";
import { ensureSample, SAMPLE_DIR } from "./sample.ts";
import { summaryLines } from "./optimize_summary.ts";
import { OVERRIDE_FLAGS, overridesOf } from "./overrides.ts";
import { commandProgress } from "./progress.ts";
import { budgetLines, verdictLines } from "./verdict.ts";

/** The default configuration. */
export const DEFAULT_CONFIG = "config/default.toml";

/** Exit code of `optimize --strict` when the verdict is "reject". */
export const REJECT_EXIT_CODE = 3;

/** What `optimize` runs on, from its flags. */
interface OptimizeFlags {
  configPath: string;
  dataPath: string;
  output: OutputTarget;
  workers: number;
  from?: string;
  to?: string;
  values: Record<string, unknown>;
}

/** The library's options of a walk-forward, from the flags. */
function runOptions(run: OptimizeFlags): WorkerRunOptions {
  return {
    configPath: run.configPath,
    dataPath: run.dataPath,
    from: run.from,
    to: run.to,
    overrides: overridesOf(run.values),
    workers: run.workers,
    out: { dir: run.output.out, replace: run.output.force },
  };
}

/** The summary, the verdict and where the run folder went. */
function printSummary(result: WalkForwardResult, config: StrategyConfig, outDir: string): void {
  const oos = walkForwardMetrics(result, config);
  for (const line of summaryLines(result, oos, config, paramsFromConfig(config))) {
    console.log(line);
  }
  for (const line of verdictLines(result)) console.log(line);
  for (const line of targetLines(oos.targets, "Targets out of sample")) console.log(line);
  console.log(
    `Wrote walk_forward.json, grid_results.parquet, params.toml, trades.parquet, ` +
      `trade_legs.parquet, metrics.json, equity_curve.csv, manifest.json, data_quality.json ` +
      `to ${outDir}`,
  );
}

/**
 * Walk-forward optimization into a run folder; prints the grid's budget, a summary, the
 * walk-forward efficiency, the guards and the verdict, and where it wrote.
 *
 * @returns the verdict
 */
async function optimize(run: OptimizeFlags): Promise<"pass" | "reject"> {
  const progress = commandProgress({ simulations: "Walk-forward" });
  let done;
  try {
    done = await optimizeConfig({
      ...runOptions(run),
      ...progress.callbacks,
      onBudget: (budget, settings) => {
        const lines = budgetLines(budget, settings);
        console.log(lines.line);
        if (lines.warning) console.error(lines.warning);
      },
    });
  } finally {
    progress.stop();
  }
  const { result, timings: t } = done;
  console.log(
    `${result.periods.length} periods x ${result.combinations} combinations in ` +
      `${t.optimize.toFixed(1)} s (${done.workers} workers, data loaded in ${t.load.toFixed(1)} s)`,
  );
  printSummary(result, done.config, run.output.out);
  return result.verdict.verdict;
}

/** One shard's work into its folder; prints what it did. */
async function optimizeShard(run: OptimizeFlags, shard: ShardSpec): Promise<void> {
  const progress = commandProgress({ simulations: "Shard" });
  let done;
  try {
    done = await runShard({ ...runOptions(run), ...progress.callbacks, shard });
  } finally {
    progress.stop();
  }
  const { work, plan, timings, loaded } = done;
  const share = (100 * shardCostShare(done.splitPlan, work)).toFixed(1);
  console.log(
    `Shard ${shard.index}/${shard.count}: ${work.periods.length} of ${plan.periods.length} ` +
      `periods and ${work.fullRuns.length} full-data runs (${share}% of the simulated days) in ` +
      `${timings.optimize.toFixed(1)} s (${done.workers} workers); loaded ` +
      (loaded ? `${loaded.from} to ${loaded.to} with its history` : "the whole span") +
      ` (${(done.inputBytes / 1e6).toFixed(1)} MB of data files) in ` +
      `${timings.load.toFixed(1)} s; wrote shard.json and outcomes.json to ${run.output.out}`,
  );
}

/**
 * `optimize --merge SHARD_DIR... --out DIR`: checks the shards (complete, no duplicate, one
 * configuration, data set and version; else an error naming the shard, and nothing written),
 * then writes the single-machine run folder.
 *
 * @returns the verdict
 */
function optimizeMerge(dirs: string[], output: OutputTarget): "pass" | "reject" {
  const t0 = performance.now();
  const merged = mergeShards(dirs, { out: { dir: output.out, replace: output.force } });
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

/** The shard of `--shard I/N|auto`, or undefined. */
function shardFlag(v: Record<string, unknown>): ShardSpec | undefined {
  if (v.shard === undefined) return undefined;
  let shard: ShardSpec;
  try {
    shard = parseShard(String(v.shard));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (v.out === undefined && v.output === undefined) {
    throw new UsageError("optimize --shard needs --out (the shard's folder)");
  }
  return shard;
}

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
  const shard = shardFlag(v);
  const run: OptimizeFlags = {
    configPath: v.config ? String(v.config) : DEFAULT_CONFIG,
    dataPath: v.data === undefined ? SAMPLE_DIR : String(v.data),
    workers: positiveIntFlag("workers", v.workers, navigator.hardwareConcurrency ?? 1),
    from: dateFlag("from", v.from),
    to: dateFlag("to", v.to),
    output: outputOf("optimize", v),
    values: v,
  };
  if (v.data === undefined) ensureSample();
  if (shard) {
    await optimizeShard(run, shard);
    return 0;
  }
  const verdict = await optimize(run);
  return v.strict && verdict === "reject" ? REJECT_EXIT_CODE : 0;
}
