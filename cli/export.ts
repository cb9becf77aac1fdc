/**
 * `export --run DIR --format csv|json|ndjson [--table TABLE] [--out DIR]`: a run folder's trade
 * log (and, on request, its daily state or walk-forward periods) as CSV, JSON or NDJSON, same
 * columns in the same order, dates as YYYY-MM-DD (lib/app exportRunFolder).
 *
 * @module
 */
import {
  EXPORT_FORMATS,
  EXPORT_TABLES,
  type ExportFormat,
  exportRunFolder,
  type ExportTable,
} from "../lib/core.ts";
import { OUT_FLAGS, outputOf, parseFlags, requiredFlag, UsageError } from "./args.ts";

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
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be csv, json or ndjson, got ${JSON.stringify(format)}`);
  }
  if (table !== "all" && !(EXPORT_TABLES as readonly string[]).includes(table)) {
    throw new UsageError(
      `--table must be trades, legs, equity, periods or all, got ${JSON.stringify(table)}`,
    );
  }
  const { out, force } = outputOf("export", v);
  const { paths } = exportRunFolder({
    runDir,
    format: format as ExportFormat,
    table: table as ExportTable | "all",
    out: { dir: out, replace: force },
  });
  for (const path of paths) console.log(`Wrote ${path}`);
}
