/**
 * `export --run DIR --format csv|json|ndjson [--table TABLE] [--out DIR]`: a run folder's trade
 * log (and, on request, its daily state or walk-forward periods) as CSV, JSON or NDJSON, same
 * columns in the same order, dates as YYYY-MM-DD.
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
  writeRunFiles,
} from "../lib/core.ts";
import { OUT_FLAGS, outputOf, parseFlags, requiredFlag, UsageError } from "./args.ts";

/** Checks --format and --table. */
function checkExportFlags(format: string, table: string): void {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be csv, json or ndjson, got ${JSON.stringify(format)}`);
  }
  if (table !== "all" && !(EXPORT_TABLES as readonly string[]).includes(table)) {
    throw new UsageError(
      `--table must be trades, legs, equity, periods or all, got ${JSON.stringify(table)}`,
    );
  }
}

/**
 * Writes the chosen tables of a run folder in one format into `out`.
 *
 * @param runDir a folder written by run, validate or optimize
 * @param format csv, json or ndjson
 * @param table trades, legs, equity, periods, or all (every table the folder holds)
 * @param out the output folder
 * @param force replace an existing non-empty output folder whole
 * @returns the paths written
 */
export function exportRun(
  runDir: string,
  format: string,
  table: string,
  out: string,
  force = false,
): string[] {
  checkExportFlags(format, table);
  const tables = table === "all" ? tablesOf(runDir) : [table as ExportTable];
  const files = tables.map((t) => exportTable(runDir, t, format as ExportFormat));
  writeRunFiles(out, files, { replace: force });
  return files.map((f) => join(out, f.name));
}

/** `export --run DIR --format csv|json|ndjson [--table TABLE] [--out DIR]`. */
export function exportCommand(args: string[]): void {
  const v = parseFlags(args, {
    run: { type: "string" },
    format: { type: "string" },
    table: { type: "string" },
    ...OUT_FLAGS,
  });
  const runDir = requiredFlag("export", "run DIR", v.run);
  const format = requiredFlag("export", "format csv|json|ndjson", v.format);
  const table = v.table ? String(v.table) : "trades";
  checkExportFlags(format, table);
  const { out, force } = outputOf("export", v);
  const written = exportRun(runDir, format, table, out, force);
  for (const path of written) console.log(`Wrote ${path}`);
}
