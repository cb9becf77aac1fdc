/**
 * Reading the small tables of a data folder (bars, VIX, dividends): CSV (optionally gzip) with
 * every cell as text, or Parquet typed; column names trimmed and lower-cased.
 *
 * @module
 */
import pl from "nodejs-polars";
import { gunzipSync } from "node:zlib";
import type { FrameSource } from "./_cast.ts";
import { assertNonEmptyFile } from "./_sources.ts";
import { DataError } from "./errors.ts";

/** Reads a small table (bars, VIX): CSV cells as text, Parquet typed. */
export function readSmallTable(
  file: string,
  options: { allowNoRows?: boolean } = {},
): { df: pl.DataFrame; source: FrameSource } {
  const lower = file.toLowerCase();
  const parquet = lower.endsWith(".parquet");
  assertNonEmptyFile(file);
  let df: pl.DataFrame;
  try {
    if (parquet) df = pl.readParquet(file);
    else {
      let bytes: Uint8Array = Deno.readFileSync(file);
      if (lower.endsWith(".gz")) bytes = gunzipSync(bytes);
      const text = new TextDecoder().decode(bytes);
      if (text.trim() === "") throw new DataError({ file, row: 1 }, "File is empty");
      df = pl.readCSV(text, { inferSchemaLength: 0 });
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file }, `Cannot read: ${String((err as Error).message).split("\n")[0]}`);
  }
  if (df.height === 0 && !options.allowNoRows) {
    throw new DataError({ file, row: 2 }, "File has a header but no rows");
  }
  const lowered = df.rename(Object.fromEntries(df.columns.map((c) => [c, c.trim().toLowerCase()])));
  return { df: lowered, source: { file, kind: parquet ? "parquet" : "csv" } };
}
