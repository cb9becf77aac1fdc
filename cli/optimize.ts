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
  qualityReport,
  trialBudget,
  walkForwardFiles,
  walkForwardMetrics,
  walkForwardSettings,
  writeRunFiles,
} from "../lib/mod.ts";
import { dateFlag, OUT_FLAGS, outputOf, parseFlags, positiveIntFlag, stopwatch } from "./args.ts";
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
  const result = await optimizeWalkForward(store, config, {
    ...window,
    workers,
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done);
    },
  });
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
  const oos = walkForwardMetrics(result, config);
  for (const line of summaryLines(result, oos, config, paramsFromConfig(config))) {
    console.log(line);
  }
  for (const line of verdictLines(result)) console.log(line);
  console.log(
    `Wrote walk_forward.json, grid_results.parquet, params.toml, trades.parquet, metrics.json, ` +
      `equity_curve.csv, manifest.json, data_quality.json to ${outDir}`,
  );
  return result.verdict.verdict;
}

/** Exit code of `optimize --strict` when the verdict is "reject". */
export const REJECT_EXIT_CODE = 3;

/**
 * `optimize [--config FILE] [--data PATH] [--out DIR] [--force] [--workers N] [--from DATE]
 * [--to DATE] [--ticker T[,T]] [--set K=V]... [--strict]`.
 *
 * @returns the exit code: 0, or 3 with `--strict` when the verdict is "reject"
 */
export async function optimizeCommand(args: string[]): Promise<number> {
  const v = parseFlags(args, {
    config: { type: "string" },
    data: { type: "string" },
    ...OUT_FLAGS,
    workers: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    ...OVERRIDE_FLAGS,
    strict: { type: "boolean" },
  });
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
  });
  return v.strict && verdict === "reject" ? REJECT_EXIT_CODE : 0;
}
