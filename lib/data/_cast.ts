/**
 * Typed, validated conversion of raw columns: numeric and date casts that report the first bad
 * cell by file, row and column instead of silently producing nulls. Columns already of the
 * target type (Parquet, or CSV read with a typed schema) pass through with a null check only.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "./errors.ts";

/** Where a frame's rows come from, for messages. */
export interface FrameSource {
  /** File path (for an archive member: `archive.zip:member.csv`). */
  file: string;
  /** How a row index becomes the row number in messages. */
  kind: "csv" | "parquet" | "json";
  /** Rows of the same file before this frame (when a file is read in batches); default 0. */
  offset?: number;
}

/** The row number of a frame's row index in messages: CSV lines count the header. */
export function rowNumber(index: number, source: FrameSource): number {
  const i = index + (source.offset ?? 0);
  return source.kind === "csv" ? i + 2 : i + 1;
}

/** Throws a DataError when a required column is missing. */
export function requireColumns(
  columns: readonly string[],
  required: readonly string[],
  file: string,
): void {
  for (const name of required) {
    if (!columns.includes(name)) {
      throw new DataError({ file, row: 1, column: name }, "Required column is missing");
    }
  }
}

/** The first row index where `mask` is true, or -1. */
export function firstTrue(df: pl.DataFrame, mask: pl.Expr): number {
  const hit = df.withRowIndex("__row").filter(mask).select("__row").head(1);
  return hit.height === 0 ? -1 : Number(hit.getColumn("__row").get(0));
}

/**
 * Expression parsing a text date column, in the form of its first value: ISO `YYYY-MM-DD` (a
 * time after the date is ignored) or US `MM/DD/YYYY`. A cell in another form comes out null,
 * so that validation names it.
 */
function dateExpr(df: pl.DataFrame, name: string, dtype: pl.DataType): pl.Expr {
  const col = pl.col(name);
  if (dtype.equals(pl.Date)) return col;
  if (variant(dtype) === "Datetime") return col.cast(pl.Date);
  const text = col.cast(pl.Utf8).str.strip();
  const sample = df.getColumn(name).dropNulls().head(1).toArray()[0];
  const us = typeof sample === "string" && /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/.test(sample);
  return us
    ? text.str.strptime(pl.Date, "%m/%d/%Y")
    : text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d");
}

/** Target types of {@link castColumns}. */
export type ColumnType = "float" | "int" | "date" | "string";

/** The name of a dtype's kind: "Float64", "Int32", "Date", "Datetime", "String", ... */
function variant(dtype: pl.DataType): string {
  return (dtype as unknown as { variant: string }).variant;
}

function isInteger(dtype: pl.DataType): boolean {
  return /^U?Int/.test(variant(dtype));
}

function isNumeric(dtype: pl.DataType): boolean {
  return /^(U?Int|Float)/.test(variant(dtype));
}

/**
 * Casts the named columns and fails on the first cell that is present but cannot be converted,
 * naming file, row and column. Float columns may be empty (null -> NaN); int, date and string
 * columns must be present. Columns already of their type (Parquet, or CSV read with a typed
 * schema) cost only a null check.
 *
 * @param df raw frame
 * @param types column name -> target type
 * @param source file path and kind, for messages
 * @returns the frame with those columns converted (floats Float64 without nulls, ints Int32,
 *   dates Date, strings); other columns are left as they were
 */
export function castColumns(
  df: pl.DataFrame,
  types: Record<string, ColumnType>,
  source: FrameSource,
): pl.DataFrame {
  const names = Object.keys(types);
  const exprs: pl.Expr[] = [];
  const parsed: string[] = []; // converted from text: a cell lost in conversion is an error
  const required: string[] = []; // already typed, not float: a null is an error
  const whole: string[] = []; // ints held as floats: must be whole numbers in Int32 range
  const fail = (index: number, name: string, what: string): never => {
    throw new DataError({ file: source.file, row: rowNumber(index, source), column: name }, what);
  };
  for (const name of names) {
    const series = df.getColumn(name);
    const dtype = series.dtype;
    const t = types[name];
    const col = pl.col(name);
    const text = !isNumeric(dtype) && variant(dtype) !== "Date" && variant(dtype) !== "Datetime";
    if (t === "float") {
      if (text) {
        exprs.push(col.cast(pl.Utf8).str.strip().cast(pl.Float64, false));
        parsed.push(name);
      } else if (!dtype.equals(pl.Float64)) exprs.push(col.cast(pl.Float64).fillNull(NaN));
      else if (series.nullCount() > 0) exprs.push(col.fillNull(NaN));
    } else if (t === "int") {
      if (text) {
        exprs.push(col.cast(pl.Utf8).str.strip().cast(pl.Float64, false));
        parsed.push(name);
        whole.push(name);
      } else if (isInteger(dtype)) {
        if (!dtype.equals(pl.Int32)) exprs.push(col.cast(pl.Int32));
        required.push(name);
      } else {
        exprs.push(col.cast(pl.Float64));
        required.push(name);
        whole.push(name);
      }
    } else if (t === "date") {
      if (dtype.equals(pl.Date)) required.push(name);
      else if (!text) {
        exprs.push(col.cast(pl.Date));
        required.push(name);
      } else {
        exprs.push(dateExpr(df, name, dtype));
        parsed.push(name);
      }
    } else {
      if (!(dtype.equals(pl.String) || dtype.equals(pl.Utf8))) exprs.push(col.cast(pl.Utf8));
      required.push(name);
    }
  }
  for (const name of required) {
    if (df.getColumn(name).nullCount() > 0) {
      fail(firstTrue(df, pl.col(name).isNull()), name, "Value is missing");
    }
  }
  let converted = exprs.length ? df.withColumns(...exprs) : df;
  if (parsed.length) {
    // A parsed cell is bad when it was present but came out null (for dates and ints also when
    // it was missing: floats may be empty, NaN).
    const probe = pl.concat([
      df.select(...parsed.map((n) => pl.col(n))),
      converted.select(...parsed.map((n) => pl.col(n).alias(`__after_${n}`))),
    ], { how: "horizontal" });
    const bad = parsed.map((name) => {
      const after = pl.col(`__after_${name}`);
      return types[name] === "float"
        ? after.isNull().and(pl.col(name).isNotNull()).and(
          pl.col(name).cast(pl.Utf8).str.strip().neq(pl.lit("")),
        )
        : after.isNull();
    });
    const counts = probe.select(...bad.map((e, i) => e.sum().alias(`b${i}`))).row(0);
    for (let k = 0; k < parsed.length; k++) {
      if (Number(counts[k]) === 0) continue;
      const name = parsed[k];
      const index = firstTrue(probe, bad[k]);
      const raw = df.getColumn(name).get(index);
      fail(
        index,
        name,
        raw === null || raw === undefined || String(raw).trim() === ""
          ? "Value is missing"
          : `Cannot parse ${JSON.stringify(String(raw))} as ${types[name]}`,
      );
    }
  }
  const textFloats = parsed.filter((n) => types[n] === "float");
  if (textFloats.length) {
    converted = converted.withColumns(...textFloats.map((n) => pl.col(n).fillNull(NaN)));
  }
  if (whole.length) {
    for (const name of whole) {
      const v = pl.col(name);
      const notWhole = v.neq(v.round(0)).or(v.lt(-2147483648)).or(v.gt(2147483647));
      const index = firstTrue(converted, notWhole);
      if (index >= 0) {
        fail(index, name, `Expected a whole number, got ${converted.getColumn(name).get(index)}`);
      }
    }
    converted = converted.withColumns(...whole.map((n) => pl.col(n).cast(pl.Int32)));
  }
  return converted;
}

/** A Float64 column as a typed array (polars copies it out once). */
export function floats(df: pl.DataFrame, name: string): Float64Array {
  const a = df.getColumn(name).toTypedArray();
  return a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
}

/** An Int32 (or Date) column as an Int32Array of its physical values. */
export function ints(df: pl.DataFrame, name: string): Int32Array {
  const s = df.getColumn(name);
  const a = (s.dtype.equals(pl.Int32) ? s : s.cast(pl.Int32)).toTypedArray();
  return a instanceof Int32Array ? a : Int32Array.from(a as ArrayLike<number>);
}
