/**
 * `optimize`: the walk-forward optimization of a configuration's grid on Web Workers, written
 * as a run folder, with a progress bar and ETA on stderr. The main job of the project: with no
 * arguments it optimizes config/default.toml on the sample market.
 *
 * @module
 */
import cliProgress from "cli-progress";
import {
  loadConfig,
  optimizeWalkForward,
  paramsFromConfig,
  qualityReport,
  walkForwardFiles,
  walkForwardMetrics,
  walkForwardSettings,
  writeRunFiles,
} from "../lib/mod.ts";
import { OUT_FLAGS, outputOf, parseFlags, positiveIntFlag, stopwatch } from "./args.ts";
import { ensureSample, SAMPLE_DIR } from "./sample.ts";
import { loadStoreForCommand } from "./load.ts";
import { summaryLines } from "./optimize_summary.ts";

/** The default configuration. */
export const DEFAULT_CONFIG = "config/default.toml";

/** Walk-forward optimization into a run folder; prints a summary and where it wrote. */
export async function optimize(
  configPath: string,
  dataPath: string,
  output: { out: string; force: boolean },
  workers: number,
): Promise<void> {
  const outDir = output.out;
  const clock = stopwatch();
  const config = loadConfig(configPath);
  walkForwardSettings(config, configPath); // fail on a bad [walk_forward] before loading data
  const { store, files } = await loadStoreForCommand(dataPath, { config, shared: true });
  const quality = qualityReport(store);
  clock.lap("load");
  const bar = new cliProgress.SingleBar({
    format:
      "Walk-forward |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const result = await optimizeWalkForward(store, config, {
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
  console.log(
    `Wrote walk_forward.json, grid_results.parquet, params.toml, trades.parquet, metrics.json, ` +
      `equity_curve.csv, manifest.json, data_quality.json to ${outDir}`,
  );
}

/** `optimize [--config FILE] [--data PATH] [--out DIR] [--workers N]`. */
export async function optimizeCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, {
    config: { type: "string" },
    data: { type: "string" },
    ...OUT_FLAGS,
    workers: { type: "string" },
  });
  const workers = positiveIntFlag("workers", v.workers, navigator.hardwareConcurrency ?? 1);
  const output = outputOf("optimize", v);
  if (v.data === undefined) ensureSample();
  await optimize(
    v.config ? String(v.config) : DEFAULT_CONFIG,
    v.data === undefined ? SAMPLE_DIR : String(v.data),
    output,
    workers,
  );
}
