/**
 * `export --run DIR --format csv|json`: the trade log of a run folder as CSV or JSON, same
 * columns in the same order, dates as YYYY-MM-DD.
 *
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import { DataError, toJson, writeRunFiles } from "../lib/mod.ts";
import { parseFlags, requiredFlag, UsageError } from "./args.ts";

/** Writes trades.csv or trades.json next to a run's trades.parquet. */
export function exportTrades(runDir: string, format: string): void {
  if (format !== "csv" && format !== "json") {
    throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
  }
  const source = join(runDir, "trades.parquet");
  let trades: pl.DataFrame;
  try {
    trades = pl.readParquet(source);
  } catch {
    throw new DataError({ file: source }, "Cannot read the run's trade log");
  }
  const withIsoDates = trades.withColumns(
    ...["entry_date", "exit_date", "expiration"].map((c) => pl.col(c).cast(pl.Utf8)),
  );
  const name = format === "csv" ? "trades.csv" : "trades.json";
  const text = format === "csv"
    ? withIsoDates.writeCSV().toString()
    : toJson(withIsoDates.toRecords());
  writeRunFiles(runDir, [{ name, text }]);
  console.log(`Wrote ${join(runDir, name)} (${trades.height} trades)`);
}

/** `export --run DIR --format csv|json`. */
export function exportCommand(args: string[]): void {
  const v = parseFlags(args, { run: { type: "string" }, format: { type: "string" } });
  exportTrades(
    requiredFlag("export", "run DIR", v.run),
    requiredFlag("export", "format csv|json", v.format),
  );
}
