/**
 * `optimize`: the walk-forward optimization of a configuration's grid on Web Workers, written
 * as a run folder, with a progress bar and ETA on stderr. The main job of the project: with no
 * arguments it optimizes config/default.toml on the sample market.
 *
 * @module
 */
import cliProgress from "cli-progress";
import {
  buildChainStore,
  dataQuality,
  greeksCheck,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
  walkForwardFiles,
  walkForwardSettings,
  writeRunFiles,
} from "../lib/mod.ts";
import { fixed2, parseFlags, percent, positiveIntFlag, stopwatch } from "./args.ts";
import { ensureSample, SAMPLE_DIR } from "./sample.ts";

/** The default configuration. */
export const DEFAULT_CONFIG = "config/default.toml";

/** A results folder named by the current UTC time, e.g. results/optimize-20241231-235959. */
export function timestampedOut(): string {
  const iso = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `results/optimize-${iso}`;
}

/** Walk-forward optimization into a run folder; prints a summary and where it wrote. */
export async function optimize(
  configPath: string,
  dataPath: string,
  outDir: string,
  workers: number,
): Promise<void> {
  const clock = stopwatch();
  const config = loadConfig(configPath);
  walkForwardSettings(config, configPath); // fail on a bad [walk_forward] before loading data
  console.error(`Loading ${dataPath} ...`);
  const market = loadMarketData(dataPath);
  // Shared memory for the workers: part of preparing the data, timed with loading.
  const store = buildChainStore(market).share();
  const quality = { ...dataQuality(store), greeks_check: greeksCheck(store) };
  clock.lap("load");
  const bar = new cliProgress.SingleBar({
    format:
      "Walk-forward |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const result = await optimizeWalkForward(store, config, {
    workers,
    bars: market.bars,
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  if (started) bar.stop();
  clock.lap("optimize");
  writeRunFiles(
    outDir,
    walkForwardFiles(result, config, {
      calendar: store.calendar,
      tickers: store.tickers,
      quality,
      inputFiles: [configPath, ...market.files],
      timings: clock.timings,
      workers,
    }),
  );
  const a = result.aggregate;
  const t = clock.timings;
  console.log(
    `${result.periods.length} periods x ${result.combinations} combinations in ` +
      `${t.optimize.toFixed(1)} s (${workers} workers, data loaded in ${t.load.toFixed(1)} s)`,
  );
  console.log(
    `Out-of-sample: mean test Sharpe ${fixed2(a.mean_oos_sharpe)}, median ${
      fixed2(a.median_oos_sharpe)
    }, ${result.oosMetrics.trade_count} trades, return ${
      percent(result.oosMetrics.total_return)
    }; alpha-decay slope ${fixed2(a.alpha_decay.slope)} per period`,
  );
  const dsr = result.oosDiagnostics.sharpe_inference.dsr;
  console.log(
    `Overfitting: PBO ${result.pbo === null ? "n/a" : result.pbo.pbo.toFixed(2)} (CSCV, ${
      result.pbo?.splits ?? 0
    } splits); out-of-sample DSR ${
      dsr === null ? "n/a" : dsr.toFixed(3)
    } against ${result.combinations} trials`,
  );
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
    out: { type: "string" },
    workers: { type: "string" },
  });
  const workers = positiveIntFlag("workers", v.workers, navigator.hardwareConcurrency ?? 1);
  if (v.data === undefined) ensureSample();
  await optimize(
    v.config ? String(v.config) : DEFAULT_CONFIG,
    v.data === undefined ? SAMPLE_DIR : String(v.data),
    v.out ? String(v.out) : timestampedOut(),
    workers,
  );
}
