/**
 * Typed, validated column conversion of raw frames: numeric and date casts that report the
 * first bad cell by file, row and column instead of silently producing nulls.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "./errors.ts";

/** How a row index maps to the row number in messages: CSV lines count the header. */
export function rowNumber(index: number, kind: "csv" | "parquet"): number {
  return kind === "csv" ? index + 2 : index + 1;
}

/** Throws a DataError when a required column is missing. */
export function requireColumns(
  df: pl.DataFrame,
  required: readonly string[],
  file: string,
): void {
  for (const name of required) {
    if (!df.columns.includes(name)) {
      throw new DataError({ file, row: 1, column: name }, "Required column is missing");
    }
  }
}

/** The first row index where `mask` is true, or -1. */
export function firstTrue(df: pl.DataFrame, mask: pl.Expr): number {
  const hit = df.withRowIndex("__row").filter(mask).select("__row").head(1);
  return hit.height === 0 ? -1 : Number(hit.getColumn("__row").get(0));
}

/** Expression parsing a date column in ISO `YYYY-MM-DD` or US `MM/DD/YYYY` form. */
function dateExpr(name: string, dtype: pl.DataType): pl.Expr {
  const col = pl.col(name);
  if (dtype.equals(pl.Date)) return col;
  if (dtype.toString().startsWith("Datetime")) return col.cast(pl.Date);
  const text = col.cast(pl.Utf8).str.strip();
  return text.str.strptime(pl.Date, "%Y-%m-%d").fillNull(text.str.strptime(pl.Date, "%m/%d/%Y"));
}

/** Target types of {@link castColumns}. */
export type ColumnType = "float" | "int" | "date" | "string";

/**
 * Casts the named columns and fails on the first cell that is present but cannot be converted,
 * naming file, row and column. Float columns may be empty (null -> NaN); int and date columns
 * must be present unless `optional` lists them.
 *
 * @param df raw frame
 * @param types column name -> target type
 * @param source file path and kind, for messages
 * @returns the frame with those columns converted (floats Float64, ints Int32, dates Date)
 */
export function castColumns(
  df: pl.DataFrame,
  types: Record<string, ColumnType>,
  source: { file: string; kind: "csv" | "parquet" },
): pl.DataFrame {
  // Columns already of the target type need no cast: only nulls where values are required.
  const alreadyTyped = (name: string) => {
    const dtype = df.getColumn(name).dtype;
    const t = types[name];
    if (t === "float") return dtype.equals(pl.Float64);
    if (t === "int") return dtype.equals(pl.Int32);
    if (t === "date") return dtype.equals(pl.Date);
    return dtype.equals(pl.String) || dtype.equals(pl.Utf8);
  };
  const allNames = Object.keys(types);
  const typed = allNames.filter(alreadyTyped);
  for (const name of typed) {
    if (types[name] === "float") continue;
    const column = df.getColumn(name);
    if (column.nullCount() > 0) {
      const index = firstTrue(df, pl.col(name).isNull());
      throw new DataError(
        { file: source.file, row: rowNumber(index, source.kind), column: name },
        "Value is missing",
      );
    }
  }
  if (typed.length === allNames.length) {
    // Typed input (Parquet): rewrite only the float columns that actually hold nulls.
    const floats = allNames.filter((n) => types[n] === "float" && df.getColumn(n).nullCount() > 0)
      .map((n) => pl.col(n).fillNull(NaN));
    return floats.length ? df.withColumns(...floats) : df;
  }
  const exprs: pl.Expr[] = [];
  const names = allNames;
  for (const name of names) {
    const dtype = df.getColumn(name).dtype;
    const t = types[name];
    if (t === "float") exprs.push(pl.col(name).cast(pl.Float64, false).alias(name));
    else if (t === "int") exprs.push(pl.col(name).cast(pl.Float64, false).alias(name));
    else if (t === "date") exprs.push(dateExpr(name, dtype).alias(name));
    else exprs.push(pl.col(name).cast(pl.Utf8).alias(name));
  }
  const converted = df.select(...exprs);
  // A cell is bad when it was present but converted to null, or (for dates, ints and strings)
  // when it is missing altogether.
  const badExprs = names.map((name) => {
    const t = types[name];
    const lost = pl.col(`__after_${name}`).isNull();
    return t === "float" ? lost.and(pl.col(name).isNotNull()) : lost;
  });
  const probe = pl.concat([
    df.select(...names.map((n) => pl.col(n))),
    converted.select(...names.map((n) => pl.col(n).alias(`__after_${n}`))),
  ], { how: "horizontal" });
  const counts = probe.select(...badExprs.map((e, i) => e.sum().alias(`b${i}`))).row(0);
  for (let i = 0; i < names.length; i++) {
    if (Number(counts[i]) > 0) {
      const name = names[i];
      const index = firstTrue(probe, badExprs[i]);
      const raw = df.getColumn(name).get(index);
      const what = raw === null || raw === undefined || raw === ""
        ? "Value is missing"
        : `Cannot parse ${JSON.stringify(String(raw))} as ${types[name]}`;
      throw new DataError(
        { file: source.file, row: rowNumber(index, source.kind), column: name },
        what,
      );
    }
  }
  // Ints: whole numbers only, stored as Int32.
  const intNames = names.filter((n) => types[n] === "int");
  for (const name of intNames) {
    const notWhole = pl.col(name).neq(pl.col(name).round(0)).or(pl.col(name).lt(-2147483648))
      .or(pl.col(name).gt(2147483647));
    const index = firstTrue(converted, notWhole);
    if (index >= 0) {
      throw new DataError(
        { file: source.file, row: rowNumber(index, source.kind), column: name },
        `Expected a whole number, got ${converted.getColumn(name).get(index)}`,
      );
    }
  }
  const ints = intNames.map((n) => pl.col(n).cast(pl.Int32));
  const floats = names.filter((n) => types[n] === "float").map((n) => pl.col(n).fillNull(NaN));
  const result = ints.length + floats.length > 0
    ? converted.withColumns(...ints, ...floats)
    : converted;
  return result;
}
