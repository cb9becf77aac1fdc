/**
 * Small tables (underlying bars, VIX) remembered between commands: parsing and validating a
 * bars CSV with polars costs tens of milliseconds, a noticeable part of a warm command, so the
 * validated table is kept in the cache folder under the file's path, size and modification
 * time (as the chain cache keys its entries) and read back as typed columns. Any change to the
 * file is a miss; so is a damaged memo (it carries a checksum).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import pl from "nodejs-polars";
import { namedChecksum } from "./_checksum.ts";
import { CACHE_FORMAT } from "./_cache_key.ts";
import { removeStaleTemps, tempSuffix } from "./temp_names.ts";

/** The memo file of a table read from `file` as `kind`. */
function memoFile(cacheDir: string, kind: string, file: string): string {
  const s = statSync(file);
  const key = createHash("sha256")
    .update(JSON.stringify([CACHE_FORMAT, kind, resolve(file), s.size, s.mtimeMs]))
    .digest("hex");
  return join(cacheDir, "tables", `${kind}-${key}.json`);
}

/**
 * A table read by `read`, remembered in `cacheDir` (or read every time without one). The
 * table's columns must be a Date column `date` and Float64 columns (NaN kept).
 *
 * @param cacheDir the cache folder, or null
 * @param kind what the table is (part of the memo's name)
 * @param file the table's file
 * @param read reads and validates the file (the table it returns is remembered)
 * @returns the table, equal to `read()`'s
 */
export function memoizedTable(
  cacheDir: string | null,
  kind: string,
  file: string,
  read: () => pl.DataFrame,
): pl.DataFrame {
  if (!cacheDir) return read();
  let path: string;
  try {
    path = memoFile(cacheDir, kind, file);
  } catch {
    return read();
  }
  try {
    const text = readFileSync(path, "utf8");
    const cut = text.indexOf("\n");
    const body = text.slice(cut + 1);
    if (
      Number(text.slice(0, cut)) === namedChecksum(basename(path), new TextEncoder().encode(body))
    ) {
      const memo = JSON.parse(body) as { names: string[]; columns: Array<Array<number | null>> };
      const columns: Record<string, Int32Array | Float64Array> = {};
      memo.names.forEach((name, k) => {
        columns[name] = name === "date"
          ? Int32Array.from(memo.columns[k] as number[])
          : Float64Array.from(memo.columns[k], (v) => (v === null ? NaN : v));
      });
      return pl.DataFrame(columns).withColumns(pl.col("date").cast(pl.Date));
    }
  } catch {
    // Not remembered yet (or unreadable): read the file.
  }
  const df = read();
  try {
    const names = df.columns;
    const ok = names.every((n) =>
      n === "date"
        ? df.getColumn(n).dtype.equals(pl.Date)
        : df.getColumn(n).dtype.equals(pl.Float64)
    );
    if (!ok || !names.includes("date")) return df;
    const columns = names.map((n) =>
      n === "date"
        ? Array.from(df.getColumn(n).cast(pl.Int32).toTypedArray() as Int32Array)
        : Array.from(
          df.getColumn(n).toTypedArray() as Float64Array,
          (v) => (Number.isNaN(v) ? null : v),
        )
    );
    // Only what JSON gives back exactly: no infinities, no negative zero.
    const exact = columns.every((c) =>
      c.every((v) => v === null || (Number.isFinite(v) && !Object.is(v, -0)))
    );
    if (!exact) return df;
    const body = JSON.stringify({ names, columns });
    mkdirSync(join(cacheDir, "tables"), { recursive: true });
    const tmp = `${path}${tempSuffix()}`;
    const checksum = namedChecksum(basename(path), new TextEncoder().encode(body));
    writeFileSync(tmp, `${checksum}\n${body}`);
    renameSync(tmp, path);
    removeStaleTemps(dirname(path), "");
  } catch {
    // A read-only cache folder: read again next time.
  }
  return df;
}
