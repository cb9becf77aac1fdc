/**
 * The trading days of a data path without loading it: from the chain files' names when they
 * carry their day (daily files), else from the date column of Parquet files (read alone). A
 * sharded walk-forward plans on these days before loading only its window.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { chainFileKind, parquetDays } from "./_sources.ts";
import { civilToDay } from "./dates.ts";
import { type ColumnMap, dayOfFileName } from "./layouts.ts";
import { listChainFiles } from "./load.ts";

/** A chain file's first and last day and size. */
export interface ChainFileSpan {
  /** The file's path. */
  file: string;
  /** Its first day (day number). */
  first: number;
  /** Its last day (day number). */
  last: number;
  /** Its size in bytes. */
  bytes: number;
}

/** The days of a data path's chain files. */
export interface ChainDays {
  /** Every day any chain file holds, ascending (day numbers). */
  days: Int32Array;
  /** Each chain file's span (files without a row left out). */
  files: ChainFileSpan[];
}

/**
 * Scans a data path's chain files for their days.
 *
 * @param path chain file, folder or data folder (as the loader takes)
 * @param options the configuration's column map
 * @returns the days, or null when some file's days cannot be had without loading it (a CSV,
 *   ZIP or JSON file without its day in its name, or a Parquet file whose dates are not Date
 *   or ISO text)
 */
export function scanChainDays(
  path: string,
  options: { columns?: ColumnMap } = {},
): ChainDays | null {
  if (!existsSync(path)) return null;
  let files: string[];
  if (!statSync(path).isDirectory()) files = chainFileKind(path) ? [path] : [];
  else {
    const chains = join(path, "chains");
    files = listChainFiles(existsSync(chains) && statSync(chains).isDirectory() ? chains : path);
  }
  if (files.length === 0) return null;
  const all = new Set<number>();
  const spans: ChainFileSpan[] = [];
  for (const file of files) {
    const named = dayOfFileName(file);
    let days: number[] | null;
    if (named) days = [civilToDay(named.year, named.month, named.day)];
    else if (chainFileKind(file) === "parquet") days = parquetDays(file, options.columns);
    else days = null;
    if (days === null || days.some(Number.isNaN)) return null;
    if (days.length === 0) continue;
    for (const d of days) all.add(d);
    spans.push({
      file,
      first: Math.min(...days),
      last: Math.max(...days),
      bytes: statSync(file).size,
    });
  }
  return { days: Int32Array.from([...all].sort((a, b) => a - b)), files: spans };
}
