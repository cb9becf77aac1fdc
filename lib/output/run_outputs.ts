/**
 * The files of a run folder: trades.parquet, trade_legs.parquet, metrics.json,
 * equity_curve.csv, params.toml, data_quality.json and manifest.json.
 *
 * @module
 */
import { configToToml, type StrategyConfig } from "../strategy/config.ts";
import type { BacktestResult } from "./backtest.ts";
import type { DataQualityReport } from "./data_quality.ts";
import { runDiagnostics } from "./diagnostics.ts";
import { METRIC_CONVENTIONS } from "./metrics.ts";
import { type OutputFile, sha256File, sha256Text, toJson } from "./write_run.ts";

/** Version written to manifests. */
export const TOOL_VERSION = "0.1.0";

/** What a manifest records besides the outputs. */
export interface ManifestInfo {
  /** The command, e.g. "run". */
  command: string;
  /** Input files read (hashed). */
  inputFiles: string[];
  /** Seconds spent per stage. */
  timings: Record<string, number>;
  /** Seed, when the run used one. */
  seed?: number | null;
  /** Extra fields (period bounds, worker count, ...). */
  extra?: Record<string, unknown>;
}

/**
 * manifest.json content: tool version, command, config and its hash, input hashes, seed,
 * timings.
 *
 * @param config the configuration used
 * @param info the command, inputs, timings and extra fields
 * @returns JSON text
 */
export function manifestText(config: StrategyConfig, info: ManifestInfo): string {
  const toml = configToToml(config);
  return toJson({
    tool: "mahler",
    version: TOOL_VERSION,
    command: info.command,
    created_at: new Date().toISOString(),
    config,
    config_sha256: sha256Text(toml),
    inputs: info.inputFiles.map((path) => ({ path, sha256: sha256File(path) })),
    seed: info.seed ?? null,
    timings_seconds: info.timings,
    ...info.extra,
  });
}

/**
 * The output files of one backtest.
 *
 * @param result the backtest
 * @param config the configuration used (written as params.toml)
 * @param quality the data-quality report of the input
 * @param info manifest information
 * @returns the files, to hand to writeRunFiles
 */
export function runOutputFiles(
  result: BacktestResult,
  config: StrategyConfig,
  quality: DataQualityReport,
  info: ManifestInfo,
): OutputFile[] {
  return [
    { name: "trades.parquet", parquet: result.trades },
    { name: "trade_legs.parquet", parquet: result.legs },
    {
      name: "metrics.json",
      text: toJson({
        ...result.metrics,
        conventions: METRIC_CONVENTIONS,
        entry_funnel: result.raw.funnel,
        diagnostics: runDiagnostics(result.raw.daily, config, { from: result.tradableFrom }),
      }),
    },
    { name: "equity_curve.csv", csv: result.equity },
    { name: "params.toml", text: configToToml(config) },
    {
      name: "data_quality.json",
      text: toJson({ ...quality, missing_leg_quotes: result.raw.missingQuotes }),
    },
    { name: "manifest.json", text: manifestText(config, info) },
  ];
}
