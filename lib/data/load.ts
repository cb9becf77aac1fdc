/**
 * Loads a data set: option chains (one file, a directory of files, or a data directory with
 * `chains/`, `bars/<TICKER>.csv` and `vix.csv`), underlying bars and VIX.
 *
 * @module
 */
import pl from "nodejs-polars";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { castColumns, requireColumns } from "./columns.ts";
import { dayToIso } from "./dates.ts";
import { DataError } from "./errors.ts";
import { normalizeLong, normalizeWide } from "./normalize.ts";
import { readTable, tableKind } from "./read_table.ts";
import { type ChainFormat, detectFormat } from "./schema.ts";

/** Every chain file under a directory (recursively), sorted by path for determinism. */
export function listChainFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (tableKind(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Options of {@link loadChains}. */
export interface LoadChainsOptions {
  /** Risk-free rate used to derive put theta/rho from ORATS' wide format; default 0. */
  rate?: number;
}

/**
 * Loads and normalizes chain files to one long frame (see normalize.ts), in file order. All
 * files of one call must share a format (long or wide).
 *
 * @param files chain file paths
 * @returns the normalized long frame
 * @throws DataError for unreadable files, mixed formats, missing columns or bad cells
 */
export function loadChainFiles(files: string[], options: LoadChainsOptions = {}): pl.DataFrame {
  if (files.length === 0) throw new DataError({ file: "(no files)" }, "No chain files found");
  const frames: pl.DataFrame[] = [];
  let firstFormat: ChainFormat | null = null;
  let firstFile = "";
  for (const file of files) {
    const raw = readTable(file);
    const format = detectFormat(raw.columns);
    if (!format) {
      throw new DataError(
        { file, row: 1, column: "optionType" },
        "Unknown chain format: expected a long file (with optionType) or ORATS strikes (with callBidPrice)",
      );
    }
    if (firstFormat && format !== firstFormat) {
      throw new DataError(
        { file, row: 1, column: format === "long" ? "optionType" : "callBidPrice" },
        `Mixed formats: this file is ${format} but ${firstFile} is ${firstFormat}`,
      );
    }
    if (!firstFormat) {
      firstFormat = format;
      firstFile = file;
    }
    const source = { file, kind: tableKind(file)! };
    frames.push(
      format === "long" ? normalizeLong(raw, source) : normalizeWide(raw, source, options),
    );
  }
  return frames.length === 1 ? frames[0] : pl.concat(frames);
}

/** A loaded data set: normalized chains plus optional bars and VIX. */
export interface MarketData {
  /** Normalized long chain frame. */
  chains: pl.DataFrame;
  /** Daily bars per ticker (date, open, high, low, close, volume). */
  bars: Map<string, pl.DataFrame>;
  /** VIX daily (date, open, high, low, close), or null when absent. */
  vix: pl.DataFrame | null;
  /** Every input file read, in order. */
  files: string[];
}

/**
 * Loads a data path: a chain file, a directory of chain files, or a data directory holding
 * `chains/`, optional `bars/<TICKER>.csv` and optional `vix.csv`.
 *
 * @param path file or directory
 * @returns chains, bars and VIX
 * @throws DataError naming file, row and column of the first problem
 */
export function loadMarketData(path: string, options: LoadChainsOptions = {}): MarketData {
  if (!existsSync(path)) throw new DataError({ file: path }, "Data path does not exist");
  if (!statSync(path).isDirectory()) {
    return { chains: loadChainFiles([path], options), bars: new Map(), vix: null, files: [path] };
  }
  const chainsDir = join(path, "chains");
  const isDataDir = existsSync(chainsDir) && statSync(chainsDir).isDirectory();
  const chainFiles = listChainFiles(isDataDir ? chainsDir : path);
  const files = [...chainFiles];
  const chains = loadChainFiles(chainFiles, options);
  const bars = new Map<string, pl.DataFrame>();
  let vix: pl.DataFrame | null = null;
  if (isDataDir) {
    const barsDir = join(path, "bars");
    if (existsSync(barsDir)) {
      for (const name of readdirSync(barsDir).sort()) {
        if (!tableKind(name)) continue;
        const ticker = name.replace(/\.(csv|csv\.gz|parquet)$/i, "");
        const file = join(barsDir, name);
        bars.set(ticker, loadBars(file));
        files.push(file);
      }
    }
    const vixFile = join(path, "vix.csv");
    if (existsSync(vixFile)) {
      vix = loadVix(vixFile);
      files.push(vixFile);
    }
  }
  return { chains, bars, vix, files };
}

/** Lower-cases CBOE's upper-case headers (DATE, OPEN, ...). */
function lowerHeaders(df: pl.DataFrame): pl.DataFrame {
  return df.rename(Object.fromEntries(df.columns.map((c) => [c, c.trim().toLowerCase()])));
}

/** Fails on repeated or unsorted dates, naming the row. */
function checkDates(df: pl.DataFrame, file: string, kind: "csv" | "parquet"): pl.DataFrame {
  const sorted = df.sort("date");
  const days = sorted.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
  for (let i = 1; i < days.length; i++) {
    if (days[i] === days[i - 1]) {
      throw new DataError(
        { file, row: dayToIso(days[i]), column: "date" },
        `Date appears more than once (${kind})`,
      );
    }
  }
  return sorted;
}

/**
 * Loads underlying daily bars `date,open,high,low,close,volume` (ISO or MM/DD/YYYY dates).
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function loadBars(file: string): pl.DataFrame {
  const kind = tableKind(file)!;
  const raw = lowerHeaders(readTable(file));
  requireColumns(raw, ["date", "open", "high", "low", "close"], file);
  const withVolume = raw.columns.includes("volume")
    ? raw
    : raw.withColumns(pl.lit(null).cast(pl.Float64).alias("volume"));
  const df = castColumns(
    withVolume.select("date", "open", "high", "low", "close", "volume"),
    { date: "date", open: "float", high: "float", low: "float", close: "float", volume: "float" },
    { file, kind },
  );
  return checkDates(df, file, kind);
}

/**
 * Loads VIX daily `date,open,high,low,close`, also CBOE's `DATE,OPEN,HIGH,LOW,CLOSE` with
 * MM/DD/YYYY dates.
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function loadVix(file: string): pl.DataFrame {
  const kind = tableKind(file)!;
  const raw = lowerHeaders(readTable(file));
  requireColumns(raw, ["date", "close"], file);
  const filled = raw.withColumns(
    ...["open", "high", "low"].filter((c) => !raw.columns.includes(c)).map((c) =>
      pl.col("close").alias(c)
    ),
  );
  const df = castColumns(
    filled.select("date", "open", "high", "low", "close"),
    { date: "date", open: "float", high: "float", low: "float", close: "float" },
    { file, kind },
  );
  return checkDates(df, file, kind);
}
