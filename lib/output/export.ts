/**
 * Exports of a run folder's tables as CSV, JSON (an array of records) or NDJSON (one record a
 * line), with dates as YYYY-MM-DD: the trade log (trades.parquet, same columns in the same
 * order), its legs (trade_legs.parquet, one row per leg per trade), the daily state
 * (equity_curve.csv) and, for an optimize run, the walk-forward periods (walk_forward.json,
 * one row per period).
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../data/errors.ts";
import { HALT_FIELDS } from "./trade_log.ts";
import { type OutputFile, toJson } from "./write_run.ts";

/** The tables a run folder can export. */
export const EXPORT_TABLES = ["trades", "legs", "equity", "periods"] as const;
/** A table of a run folder. */
export type ExportTable = (typeof EXPORT_TABLES)[number];
/** The export formats. */
export const EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const SOURCES: Record<ExportTable, { file: string; name: string }> = {
  trades: { file: "trades.parquet", name: "trades" },
  legs: { file: "trade_legs.parquet", name: "trade_legs" },
  equity: { file: "equity_curve.csv", name: "equity_curve" },
  periods: { file: "walk_forward.json", name: "walk_forward_periods" },
};

/** One walk-forward period of walk_forward.json. */
interface PeriodJson {
  period: number;
  train: { start: string; end: string };
  validate: { start: string; end: string };
  test: { start: string; end: string };
  chosen: { combination: number; params: Record<string, unknown> } | null;
  train_sharpe: number | null;
  train_trades: number;
  validate_sharpe: number | null;
  validate_trades: number;
  test_sharpe: number | null;
  test_trades: number;
  /** Walk-forward efficiency (absent from files written before it was recorded). */
  wfe?: number | null;
}

/**
 * Walk-forward periods as flat rows: windows, chosen parameters (null without a selection),
 * Sharpe and trade counts, and the walk-forward efficiency.
 */
function periodsFrame(path: string): pl.DataFrame {
  const json = JSON.parse(readFileSync(path, "utf8")) as {
    settings: { grid: Record<string, unknown> };
    periods: PeriodJson[];
  };
  const keys = Object.keys(json.settings.grid);
  const text = (v: unknown) => (v === null || typeof v === "number" ? v : JSON.stringify(v));
  const rows = json.periods.map((p) => ({
    period: p.period,
    train_start: p.train.start,
    train_end: p.train.end,
    validate_start: p.validate.start,
    validate_end: p.validate.end,
    test_start: p.test.start,
    test_end: p.test.end,
    combination: p.chosen?.combination ?? null,
    ...Object.fromEntries(keys.map((k) => [k, text(p.chosen ? p.chosen.params[k] : null)])),
    train_sharpe: p.train_sharpe,
    train_trades: p.train_trades,
    validate_sharpe: p.validate_sharpe,
    validate_trades: p.validate_trades,
    test_sharpe: p.test_sharpe,
    test_trades: p.test_trades,
    wfe: p.wfe ?? null,
  }));
  const counts = ["period", "combination", "train_trades", "validate_trades", "test_trades"];
  return pl.readRecords(rows).withColumns(...counts.map((c) => pl.col(c).cast(pl.Int32)));
}

/**
 * The daily state read back from equity_curve.csv: numbers as numbers, `halted` as a boolean and
 * the halt texts as text (when the run had circuit breakers).
 */
function equityTable(path: string): pl.DataFrame {
  const csv = pl.readCSV(path, { inferSchemaLength: 0 });
  const texts: readonly string[] = ["date", ...HALT_FIELDS];
  return csv.withColumns(
    ...csv.columns.filter((c) => !texts.includes(c)).map((c) => pl.col(c).cast(pl.Float64)),
    ...(csv.columns.includes("halted") ? [pl.col("halted").eq(pl.lit("true"))] : []),
  );
}

/** A table of a run folder as a frame, dates as text. */
function tableFrame(runDir: string, table: ExportTable): pl.DataFrame {
  const path = join(runDir, SOURCES[table].file);
  if (!existsSync(path)) {
    throw new DataError(
      { file: path },
      table === "periods"
        ? "No walk-forward periods here (walk_forward.json is written by optimize)"
        : table === "legs" && existsSync(join(runDir, SOURCES.trades.file))
        ? "No trade legs here (a run folder written before trade_legs.parquet was)"
        : "Not found: not a run folder?",
    );
  }
  let frame: pl.DataFrame;
  try {
    frame = table === "trades" || table === "legs"
      ? pl.readParquet(path)
      : table === "equity"
      ? equityTable(path)
      : periodsFrame(path);
  } catch (err) {
    throw new DataError(
      { file: path },
      `Cannot read the run's ${table}: ${(err as Error).message}`,
    );
  }
  const dates = frame.columns.filter((c) => frame.getColumn(c).dtype.equals(pl.Date));
  return frame.withColumns(...dates.map((c) => pl.col(c).cast(pl.Utf8)));
}

/**
 * One table of a run folder, exported.
 *
 * @param runDir a folder written by run, validate or optimize
 * @param table trades, legs, equity or periods
 * @param format csv, json or ndjson
 * @returns the file to write: trades.csv, equity_curve.json, walk_forward_periods.ndjson, ...
 * @throws DataError naming the file when the table is missing or unreadable
 */
export function exportTable(runDir: string, table: ExportTable, format: ExportFormat): OutputFile {
  const frame = tableFrame(runDir, table);
  const name = `${SOURCES[table].name}.${format}`;
  if (format === "csv") return { name, text: frame.writeCSV().toString() };
  const records = frame.toRecords();
  if (format === "json") return { name, text: toJson(records) };
  return { name, text: records.map((r) => JSON.stringify(r) + "\n").join("") };
}

/**
 * The tables a run folder holds.
 *
 * @param runDir a run folder
 * @returns trades, legs (for a run written with them) and equity for any run, periods too for
 *   an optimize run
 */
export function tablesOf(runDir: string): ExportTable[] {
  return EXPORT_TABLES.filter((t) => existsSync(join(runDir, SOURCES[t].file)));
}
