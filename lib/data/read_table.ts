/**
 * Reads one tabular file — CSV, gzip CSV or Parquet — into a polars DataFrame. CSV cells are
 * read as strings so that validation can name the exact row and column of a bad value.
 *
 * @module
 */
import pl from "nodejs-polars";
import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DataError } from "./errors.ts";

/** Kinds of file the loaders understand. */
export type TableKind = "csv" | "parquet";

/** The file kind from its name: `.csv`, `.csv.gz`, `.parquet`; null for anything else. */
export function tableKind(path: string): TableKind | null {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) return "csv";
  if (lower.endsWith(".parquet")) return "parquet";
  return null;
}

/**
 * Reads a CSV (optionally gzip) or Parquet file. CSV columns come back as strings.
 *
 * @param path file path
 * @returns the raw frame
 * @throws DataError when the file is missing, empty, or not readable as its kind
 */
export function readTable(path: string): pl.DataFrame {
  const kind = tableKind(path);
  if (!kind) {
    throw new DataError({ file: path }, "Unsupported file type (use .csv, .csv.gz or .parquet)");
  }
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DataError({ file: path }, "File not found");
  }
  if (size === 0) throw new DataError({ file: path, row: 1 }, "File is empty");
  try {
    if (kind === "parquet") return pl.readParquet(path);
    let bytes: Uint8Array = readFileSync(path);
    if (path.toLowerCase().endsWith(".gz")) bytes = gunzipSync(bytes);
    const text = new TextDecoder().decode(bytes);
    if (text.trim() === "") throw new DataError({ file: path, row: 1 }, "File is empty");
    const df = pl.readCSV(text, { inferSchemaLength: 0 });
    if (df.height === 0) {
      throw new DataError({ file: path, row: 2 }, "File has a header but no rows");
    }
    return df;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError({ file: path }, `Cannot read as ${kind}: ${(err as Error).message}`);
  }
}
