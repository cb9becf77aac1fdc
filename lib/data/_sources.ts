/**
 * Reads chain files of every kind — CSV, gzip CSV, zip archives of CSV files, Parquet and JSON —
 * as a stream of raw polars frames of a detected layout. Large CSV files are read in batches of
 * about {@link CSV_BATCH_BYTES}, so no file is ever held whole as text; Parquet files are read
 * with only the columns the layout needs and, when a date window is given, with the window
 * pushed down to row groups.
 *
 * @module
 */
import pl from "nodejs-polars";
import { Buffer } from "node:buffer";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Gunzip, Unzip, UnzipInflate } from "fflate";
import type { FrameSource } from "./_cast.ts";
import { layoutColumns } from "./_normalize.ts";
import { DataError } from "./errors.ts";
import { type ColumnMap, detectLayout, LAYOUT_HINT, type LayoutName } from "./layouts.ts";
import { dayToIso, isoToDay } from "./dates.ts";

/** Bytes of CSV text parsed per batch. */
export const CSV_BATCH_BYTES = 48 << 20;

/** Kinds of chain file. */
export type ChainFileKind = "csv" | "csv.gz" | "zip" | "parquet" | "json";

/** The kind of a chain file from its name, or null when it is not one. */
export function chainFileKind(path: string): ChainFileKind | null {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".csv.gz")) return "csv.gz";
  if (lower.endsWith(".zip")) return "zip";
  if (lower.endsWith(".parquet")) return "parquet";
  if (lower.endsWith(".json")) return "json";
  return null;
}

/** One raw frame read from a file. */
export interface RawFrame {
  /** The cells, columns as named in the file (only those the layout reads). */
  df: pl.DataFrame;
  /** Its layout. */
  layout: LayoutName;
  /** Where its rows come from, for messages. */
  source: FrameSource;
}

/** What reading needs to know. */
export interface ReadOptions {
  /** `[data.columns]` map for other layouts. */
  columnMap?: ColumnMap;
  /** Inclusive day window for Parquet row-group pushdown; rows outside may still come back. */
  window?: { from?: number; to?: number };
}

/** The layout of a header, or a DataError naming the file. */
function layoutOf(file: string, header: readonly string[], map?: ColumnMap): LayoutName {
  const layout = detectLayout(header, map);
  if (!layout) {
    throw new DataError(
      { file, row: 1 },
      `Unknown chain layout (header ${
        JSON.stringify(header.slice(0, 6).join(","))
      }...): ${LAYOUT_HINT}`,
    );
  }
  return layout;
}

/** The cells of a CSV header line (quotes, spaces, a byte-order mark and a CR removed). */
function parseHeader(line: string): string[] {
  return line.replace(/^\uFEFF/, "").replace(/\r$/, "").split(",").map((c) =>
    c.trim().replace(/^"(.*)"$/, "$1")
  );
}

/**
 * Turns a stream of CSV bytes into polars frames of whole lines, each parsed with the header.
 * Numbers are read typed (fast); a batch that polars cannot parse typed is read again as text,
 * so that validation names the exact bad cell.
 */
class CsvBatcher {
  #header: Uint8Array | null = null;
  #columns: string[] = [];
  #layout: LayoutName | null = null;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #rows = 0;
  #sawData = false;
  #isoDates = false;
  #dtypes: Record<string, pl.DataType> | undefined;

  constructor(
    readonly file: string,
    readonly options: ReadOptions,
    readonly emit: (frame: RawFrame) => void,
  ) {}

  /** Feeds the next bytes of the file. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (!this.#header) this.#takeHeader();
    if (this.#header && this.#pendingBytes >= CSV_BATCH_BYTES) this.#flush(false);
  }

  /** Ends the file. */
  end(): void {
    if (!this.#header) this.#takeHeader(true);
    if (!this.#header) throw new DataError({ file: this.file, row: 1 }, "File is empty");
    this.#flush(true);
    if (!this.#sawData) {
      throw new DataError({ file: this.file, row: 2 }, "File has a header but no rows");
    }
  }

  #concat(): Uint8Array {
    if (this.#pending.length === 1) return this.#pending[0];
    const out = new Uint8Array(this.#pendingBytes);
    let o = 0;
    for (const p of this.#pending) {
      out.set(p, o);
      o += p.length;
    }
    this.#pending = [out];
    return out;
  }

  #takeHeader(atEnd = false): void {
    const all = this.#concat();
    let nl = all.indexOf(10);
    if (nl < 0) {
      if (!atEnd) return;
      nl = all.length;
    }
    const line = new TextDecoder().decode(all.subarray(0, nl));
    if (line.trim() === "") {
      if (atEnd || all.length > nl) {
        throw new DataError({ file: this.file, row: 1 }, "File is empty");
      }
      return;
    }
    this.#columns = parseHeader(line);
    this.#layout = layoutOf(this.file, this.#columns, this.options.columnMap);
    this.#header = all.slice(0, Math.min(nl + 1, all.length));
    if (this.#header[this.#header.length - 1] !== 10) {
      this.#header = Uint8Array.of(...this.#header, 10);
    }
    const rest = all.subarray(Math.min(nl + 1, all.length));
    this.#pending = rest.length ? [rest] : [];
    this.#pendingBytes = rest.length;
    // Dates in ISO form are parsed by the CSV reader itself; others (MM/DD/YYYY) as text.
    const nl2 = rest.indexOf(10);
    const first = new TextDecoder().decode(
      rest.subarray(0, nl2 < 0 ? Math.min(rest.length, 4096) : nl2),
    )
      .replace(/\r$/, "").split(",");
    const dates = dateColumns(this.#layout, this.options.columnMap);
    this.#isoDates = dates.every((d) => {
      const cell = first[this.#columns.indexOf(d)];
      return cell === undefined || /^"?\d{4}-\d{2}-\d{2}"?$/.test(cell.trim());
    });
  }

  #flush(final: boolean): void {
    if (this.#pendingBytes === 0) return;
    // The batch: the header and every pending byte up to the last line break, copied once.
    let cut = this.#pendingBytes;
    if (!final) {
      cut = -1;
      let base = this.#pendingBytes;
      for (let k = this.#pending.length - 1; k >= 0 && cut < 0; k--) {
        base -= this.#pending[k].length;
        const nl = this.#pending[k].lastIndexOf(10);
        if (nl >= 0) cut = base + nl + 1;
      }
      if (cut <= 0) return;
    }
    const header = this.#header!;
    const text = Buffer.allocUnsafe(header.length + cut);
    text.set(header, 0);
    let o = 0;
    let rest: Uint8Array = new Uint8Array(0);
    for (const piece of this.#pending) {
      const take = Math.min(piece.length, cut - o);
      if (take > 0) {
        text.set(take === piece.length ? piece : piece.subarray(0, take), header.length + o);
      }
      if (take < piece.length) rest = piece.subarray(Math.max(take, 0));
      o += piece.length;
    }
    this.#pending = rest.length ? [rest.slice()] : [];
    this.#pendingBytes = rest.length;
    if (isBlank(text.subarray(header.length))) return;
    const layout = this.#layout!;
    const wanted = layoutColumns(layout, this.#columns, this.options.columnMap);
    let df: pl.DataFrame;
    try {
      df = pl.readCSV(text, {
        columns: wanted,
        dtypes: this.#dtypes ??= typedDtypes(
          wanted,
          layout,
          this.options.columnMap,
          this.#isoDates,
        ),
        quoteChar: '"',
      });
    } catch {
      try {
        df = pl.readCSV(text, { columns: wanted, inferSchemaLength: 0, quoteChar: '"' });
      } catch (err) {
        throw new DataError(
          { file: this.file, row: this.#rows + 2 },
          `Cannot read as CSV: ${firstLine(err)}`,
        );
      }
    }
    if (df.height === 0) return;
    this.#sawData = true;
    this.emit({ df, layout, source: { file: this.file, kind: "csv", offset: this.#rows } });
    this.#rows += df.height;
  }
}

/**
 * Dtypes for a typed CSV read: Date for ISO date columns (text when the file writes dates
 * otherwise), text for tickers and option types, Float64 for everything else.
 */
function typedDtypes(
  wanted: readonly string[],
  layout: LayoutName,
  map: ColumnMap | undefined,
  isoDates: boolean,
): Record<string, pl.DataType> {
  const text = new Set(textColumns(layout, map));
  const dates = new Set(dateColumns(layout, map));
  return Object.fromEntries(
    wanted.map((
      c,
    ) => [c, dates.has(c) ? (isoDates ? pl.Date : pl.Utf8) : text.has(c) ? pl.Utf8 : pl.Float64]),
  );
}

/** Source columns of a layout that hold text other than dates: tickers and option types. */
function textColumns(layout: LayoutName, map?: ColumnMap): string[] {
  switch (layout) {
    case "long":
    case "mapped":
      return ["ticker", "optionType"].map((c) => map?.[c] ?? c);
    case "snake_long":
      return ["ticker", "option_type"];
    case "cboe_eod":
    case "cboe_eod_calcs":
      return ["underlying_symbol", "option_type"];
    case "orats_strikes":
    case "smv_strikes":
      return ["ticker"];
  }
}

/** Source columns of a layout that hold dates. */
function dateColumns(layout: LayoutName, map?: ColumnMap): string[] {
  switch (layout) {
    case "long":
    case "mapped":
      return ["tradeDate", "expirDate"].map((c) => map?.[c] ?? c);
    case "snake_long":
      return ["trade_date", "expir_date"];
    case "cboe_eod":
    case "cboe_eod_calcs":
      return ["quote_date", "expiration"];
    case "orats_strikes":
      return ["tradeDate", "expirDate"];
    case "smv_strikes":
      return ["trade_date", "expirDate"];
  }
}

/** Whether bytes are only line breaks and spaces. */
function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 10 && b !== 13 && b !== 32 && b !== 9) return false;
  }
  return true;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}

/** Reads a file's bytes in pieces, calling `onChunk` for each. */
function readPieces(file: string, onChunk: (bytes: Uint8Array) => void): void {
  const fd = openSync(file, "r");
  try {
    for (;;) {
      // A fresh buffer per piece: the consumer keeps it (no copy here).
      const piece = new Uint8Array(16 << 20);
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n <= 0) break;
      onChunk(n === piece.length ? piece : piece.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** A CSV or gzip CSV file as frames. */
function readCsv(file: string, gz: boolean, options: ReadOptions, emit: (f: RawFrame) => void) {
  const batcher = new CsvBatcher(file, options, emit);
  try {
    if (!gz) {
      readPieces(file, (b) => batcher.push(b));
    } else {
      const size = statSync(file).size;
      // Files whose text fits comfortably in memory go through the native inflater at once;
      // larger ones stream through fflate in pieces.
      if (size < (128 << 20)) {
        let bytes: Uint8Array;
        try {
          bytes = gunzipSync(Deno.readFileSync(file));
        } catch (err) {
          throw new DataError({ file }, `Cannot read as gzip: ${firstLine(err)}`);
        }
        for (let o = 0; o < bytes.length; o += CSV_BATCH_BYTES) {
          batcher.push(bytes.subarray(o, o + CSV_BATCH_BYTES));
        }
      } else {
        const g = new Gunzip((data) => batcher.push(data.slice()));
        readPieces(file, (b) => g.push(b, false));
        g.push(new Uint8Array(0), true);
      }
    }
    batcher.end();
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `Cannot read as ${gz ? "gzip CSV" : "CSV"}: ${firstLine(err)}`);
  }
}

/** Every `.csv` member of a zip archive as frames (file named `archive.zip:member.csv`). */
function readZip(file: string, options: ReadOptions, emit: (f: RawFrame) => void): void {
  const members: CsvBatcher[] = [];
  let count = 0;
  try {
    const unzip = new Unzip((member) => {
      if (!member.name.toLowerCase().endsWith(".csv") || member.name.endsWith("/")) return;
      count++;
      const batcher = new CsvBatcher(`${file}:${member.name}`, options, emit);
      members.push(batcher);
      member.ondata = (err, data, final) => {
        if (err) throw err;
        batcher.push(data.slice());
        if (final) batcher.end();
      };
      member.start();
    });
    unzip.register(UnzipInflate);
    readPieces(file, (b) => unzip.push(b, false));
    unzip.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `Cannot read as zip: ${firstLine(err)}`);
  }
  if (count === 0) throw new DataError({ file }, "The zip archive holds no .csv file");
}

/** The date column of a layout's Parquet files, for window pushdown. */
export function dateColumn(layout: LayoutName, map?: ColumnMap): string {
  switch (layout) {
    case "long":
    case "orats_strikes":
      return "tradeDate";
    case "mapped":
      return map?.tradeDate ?? "tradeDate";
    case "snake_long":
    case "smv_strikes":
      return "trade_date";
    case "cboe_eod":
    case "cboe_eod_calcs":
      return "quote_date";
  }
}

/** A Parquet file as one frame, with only the needed columns and the window pushed down. */
function readParquetFile(file: string, options: ReadOptions, emit: (f: RawFrame) => void): void {
  const { lazy, layout } = parquetScan(file, options);
  let frame: pl.DataFrame;
  try {
    frame = lazy.collectSync();
  } catch (err) {
    throw new DataError({ file }, `Cannot read as Parquet: ${firstLine(err)}`);
  }
  const raw = parquetFrame(file, frame, layout, options);
  if (raw) emit(raw);
}

/**
 * {@link readChainFile} of a Parquet file, decoded on polars' own threads while this thread
 * goes on (the loader decodes the next file while it converts the current one).
 *
 * @param file a `.parquet` chain file
 * @param options column map and window
 * @returns the file's frame, or null when the window leaves no row
 */
export async function readParquetFileAsync(
  file: string,
  options: ReadOptions,
): Promise<RawFrame | null> {
  assertNonEmptyFile(file);
  const { lazy, layout } = parquetScan(file, options);
  let frame: pl.DataFrame;
  try {
    frame = await lazy.collect();
  } catch (err) {
    throw new DataError({ file }, `Cannot read as Parquet: ${firstLine(err)}`);
  }
  return parquetFrame(file, frame, layout, options);
}

/** A decoded Parquet file as a raw frame (null when empty inside a window). */
function parquetFrame(
  file: string,
  frame: pl.DataFrame,
  layout: LayoutName,
  options: ReadOptions,
): RawFrame | null {
  if (frame.height === 0 && !options.window) {
    throw new DataError({ file, row: 1 }, "File has no rows");
  }
  return frame.height > 0 ? { df: frame, layout, source: { file, kind: "parquet" } } : null;
}

/** The plan of a Parquet read: only the needed columns, the window pushed to row groups. */
function parquetScan(
  file: string,
  options: ReadOptions,
): { lazy: pl.LazyDataFrame; layout: LayoutName } {
  let lazy: pl.LazyDataFrame;
  let layout: LayoutName;
  try {
    const scan = pl.scanParquet(file);
    const header = scan.columns;
    layout = layoutOf(file, header, options.columnMap);
    const wanted = layoutColumns(layout, header, options.columnMap);
    lazy = scan.select(...wanted);
    const w = options.window;
    const dateCol = dateColumn(layout, options.columnMap);
    if (w && header.includes(dateCol)) {
      const dtype = scan.limit(0).collectSync().getColumn(dateCol).dtype;
      const variant = (dtype as unknown as { variant: string }).variant;
      // Row groups whose statistics lie outside the window are never read.
      if (variant === "Date") {
        const bounds: pl.Expr[] = [];
        if (w.from !== undefined) {
          bounds.push(pl.col(dateCol).gtEq(pl.lit(new Date(w.from * 864e5))));
        }
        if (w.to !== undefined) bounds.push(pl.col(dateCol).ltEq(pl.lit(new Date(w.to * 864e5))));
        lazy = lazy.filter(bounds.reduce((a, b) => a.and(b)));
      } else if (variant === "String" || variant === "Utf8") {
        // ISO text compares as dates do; other text forms are filtered after parsing.
        const iso = pl.col(dateCol).str.slice(0, 10);
        let inside = iso.str.contains("^\\d{4}-\\d{2}-\\d{2}$");
        if (w.from !== undefined) inside = inside.and(iso.gtEq(pl.lit(dayToIso(w.from))));
        if (w.to !== undefined) inside = inside.and(iso.ltEq(pl.lit(dayToIso(w.to))));
        lazy = lazy.filter(inside.or(iso.str.contains("^\\d{4}-\\d{2}-\\d{2}$").not()));
      }
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `Cannot read as Parquet: ${firstLine(err)}`);
  }
  return { lazy, layout };
}

/** A JSON file: the ORATS API response `{"data": [...]}` or a bare array of records. */
function readJson(file: string, options: ReadOptions, emit: (f: RawFrame) => void): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(Deno.readFileSync(file)));
  } catch (err) {
    throw new DataError({ file }, `Cannot read as JSON: ${firstLine(err)}`);
  }
  const records = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown })?.data;
  if (!Array.isArray(records)) {
    throw new DataError({ file }, 'Expected a JSON array of records or {"data": [...]}');
  }
  if (records.length === 0) throw new DataError({ file, row: 1 }, "The JSON holds no records");
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new DataError({ file, row: i + 1 }, "Expected a record (an object)");
    }
  }
  const header = Object.keys(records[0] as object);
  const layout = layoutOf(file, header, options.columnMap);
  const wanted = layoutColumns(layout, header, options.columnMap);
  const series: pl.Series[] = [];
  for (const name of wanted) {
    const values = records.map((r) => (r as Record<string, unknown>)[name] ?? null);
    const text = values.some((v) => typeof v === "string" || typeof v === "boolean");
    series.push(
      text
        ? pl.Series(name, values.map((v) => (v === null ? null : String(v))), pl.Utf8)
        : pl.Series(name, values as Array<number | null>, pl.Float64),
    );
  }
  emit({ df: pl.DataFrame(series), layout, source: { file, kind: "json" } });
}

/** Throws a DataError naming the file when it does not exist or is empty. */
export function assertNonEmptyFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DataError({ file }, "File not found");
  }
  if (size === 0) throw new DataError({ file, row: 1 }, "File is empty");
}

/**
 * Reads one chain file as raw frames of its layout.
 *
 * @param file path
 * @param options column map and window
 * @param emit called once per frame, in file order
 * @throws DataError naming the file (and row) when it cannot be read or has no known layout
 */
export function readChainFile(
  file: string,
  options: ReadOptions,
  emit: (frame: RawFrame) => void,
): void {
  const kind = chainFileKind(file);
  if (!kind) {
    throw new DataError(
      { file },
      "Unsupported file type (use .csv, .csv.gz, .zip, .parquet or .json)",
    );
  }
  assertNonEmptyFile(file);
  switch (kind) {
    case "csv":
      return readCsv(file, false, options, emit);
    case "csv.gz":
      return readCsv(file, true, options, emit);
    case "zip":
      return readZip(file, options, emit);
    case "parquet":
      return readParquetFile(file, options, emit);
    case "json":
      return readJson(file, options, emit);
  }
}

/**
 * The trading days of a Parquet chain file from its date column alone (no other column is
 * read), or null when that column is neither a Date nor ISO text.
 */
export function parquetDays(file: string, columnMap?: ColumnMap): number[] | null {
  try {
    const scan = pl.scanParquet(file);
    const header = scan.columns;
    const col = dateColumn(layoutOf(file, header, columnMap), columnMap);
    if (!header.includes(col)) return null;
    const values = scan.select(col).unique().collectSync().getColumn(col);
    const variant = (values.dtype as unknown as { variant: string }).variant;
    const days: number[] = [];
    for (const v of values.toArray() as unknown[]) {
      if (v === null || v === undefined) continue;
      if (variant === "Date" && v instanceof Date) days.push(Math.round(v.getTime() / 864e5));
      else if ((variant === "String" || variant === "Utf8") && typeof v === "string") {
        const day = isoToDay(v.slice(0, 10));
        if (Number.isNaN(day)) return null;
        days.push(day);
      } else return null;
    }
    return days;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `Cannot read as Parquet: ${firstLine(err)}`);
  }
}

/** Rows per batch when a large Parquet frame is converted in pieces (see {@link sliceFrame}). */
export const SLICE_ROWS = 1 << 17;

/**
 * A large Parquet frame as pieces of about {@link SLICE_ROWS} rows, cut where the trade day
 * changes (so that no snapshot is split) when the day column is a Date that never decreases;
 * otherwise the frame whole. Pieces are views of the frame (no copy); converting them one at a
 * time keeps each piece's typed arrays small enough to be reused by the allocator instead of
 * faulting in fresh memory for every file.
 *
 * @param frame a frame as read
 * @param map the column map, for the mapped layout
 * @returns the frame's pieces, in order, each with its row offset in the file
 */
export function sliceFrame(frame: RawFrame, map?: ColumnMap): RawFrame[] {
  const df = frame.df;
  if (frame.source.kind !== "parquet" || df.height < 2 * SLICE_ROWS) return [frame];
  const name = dateColumn(frame.layout, map);
  if (!df.columns.includes(name)) return [frame];
  const column = df.getColumn(name);
  if (
    (column.dtype as unknown as { variant: string }).variant !== "Date" || column.nullCount() > 0
  ) {
    return [frame];
  }
  const days = column.cast(pl.Int32).toTypedArray() as Int32Array;
  for (let i = 1; i < days.length; i++) if (days[i] < days[i - 1]) return [frame];
  const pieces: RawFrame[] = [];
  const base = frame.source.offset ?? 0;
  let start = 0;
  while (start < days.length) {
    let end = Math.min(days.length, start + SLICE_ROWS);
    while (end < days.length && days[end] === days[end - 1]) end++;
    pieces.push({
      df: df.slice(start, end - start),
      layout: frame.layout,
      source: { ...frame.source, offset: base + start },
    });
    start = end;
  }
  return pieces;
}
