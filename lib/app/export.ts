/**
 * `export` as a library function: a run folder's trade log (and, on request, its daily state or
 * walk-forward periods) as CSV, JSON or NDJSON, same columns in the same order, dates as
 * YYYY-MM-DD, written into another folder.
 *
 * @module
 */
import { join } from "node:path";
import {
  EXPORT_FORMATS,
  EXPORT_TABLES,
  type ExportFormat,
  type ExportTable,
  exportTable,
  tablesOf,
} from "../output/export.ts";
import { type OutputFile, writeRunFiles } from "../output/write_run.ts";
import type { OutputFolder } from "./options.ts";

/** Options of {@link exportRunFolder}. */
export interface ExportRunOptions {
  /** A folder written by run, validate or optimize. */
  runDir: string;
  /** csv, json or ndjson. */
  format: ExportFormat;
  /** trades, legs, equity, periods, or all (every table the folder holds; default trades). */
  table?: ExportTable | "all";
  /** Write the exported tables here (default: return the files only). */
  out?: OutputFolder;
}

/** An export: the files, and their paths when written. */
export interface ExportedRun {
  /** One file per table, e.g. trades.csv. */
  files: OutputFile[];
  /** The paths written (empty without `out`). */
  paths: string[];
}

/**
 * Exports the chosen tables of a run folder in one format.
 *
 * @param options the run folder, format, table and output folder
 * @returns the files, and the paths written
 * @throws RangeError for an unknown format or table; DataError for a folder without the table
 *
 * @example A run's trade log as NDJSON, one record a line
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSample } from "../mod.ts";
 * import { runConfig } from "./backtest.ts";
 * import { exportRunFolder } from "./export.ts";
 * const data = await Deno.makeTempDir();
 * generateSample({ outDir: data, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const runDir = `${await Deno.makeTempDir()}/run`;
 * const run = await runConfig({ configPath: "config/test_config.toml", dataPath: data,
 *   out: { dir: runDir } });
 * const { files } = exportRunFolder({ runDir, format: "ndjson" });
 * assert.equal(files[0].name, "trades.ndjson");
 * const text = "text" in files[0] ? files[0].text : "";
 * assert.equal(text.split("\n").filter(Boolean).length, run.result.metrics.trade_count);
 * ```
 */
export function exportRunFolder(options: ExportRunOptions): ExportedRun {
  const { runDir, format } = options;
  const table = options.table ?? "trades";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(
      `Export format must be csv, json or ndjson, got ${JSON.stringify(format)}`,
    );
  }
  if (table !== "all" && !(EXPORT_TABLES as readonly string[]).includes(table)) {
    throw new RangeError(
      `Export table must be trades, legs, equity, periods or all, got ${JSON.stringify(table)}`,
    );
  }
  const tables = table === "all" ? tablesOf(runDir) : [table];
  const files = tables.map((t) => exportTable(runDir, t, format));
  if (!options.out) return { files, paths: [] };
  writeRunFiles(options.out.dir, files, { replace: options.out.replace });
  return { files, paths: files.map((f) => join(options.out!.dir, f.name)) };
}
