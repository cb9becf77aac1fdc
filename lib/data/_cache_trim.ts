/**
 * Narrowing a cache read to a tighter DTE limit than its entry's: the rows that limit skips are
 * removed and counted, exactly as a load from the files skips them.
 *
 * @module
 */
import { type ChainColumns, COLUMN_TYPES, type ColumnArray, columnOn } from "./_columns.ts";
import type { LoadedChains, SnapshotCounts } from "./_accumulate.ts";
import { FLAG_DUPLICATE } from "./_index.ts";

/**
 * The rows of a cache read that a tighter DTE limit keeps, counting the others as skipped:
 * per snapshot every expiry up to max(maxDte, ivTenorDays) and, past the tenor, every expiry up
 * to the first with a row that passes the row checks (its flags apart from the duplicate flag
 * are 0), as the loader keeps them (see _accumulate.ts). The
 * kept rows are copied into fresh SharedArrayBuffer columns (the read's columns may be maps of
 * the entry's files, which are never written).
 *
 * @param chains sorted chains of a cache read
 * @param maxDte the load's DTE limit
 * @param ivTenorDays the load's IV tenor
 * @returns the trimmed chains (the same object when nothing is skipped)
 */
export function trimDte(chains: LoadedChains, maxDte: number, ivTenorDays: number): LoadedChains {
  const c = chains.columns;
  const n = c.day.length;
  const limit = Math.max(maxDte, ivTenorDays);
  const skipped = new Map<number, number>();
  // Rows kept form runs (whole expiry groups), copied run by run, column by column.
  const runs: number[] = []; // [start, end) pairs of kept rows
  let stop = -1; // first expiry past the tenor with a usable row, in the current snapshot
  for (let i = 0; i < n;) {
    if (i === 0 || c.day[i] !== c.day[i - 1] || c.underlying[i] !== c.underlying[i - 1]) {
      stop = -1;
    }
    // One expiry group of one snapshot: rows [i, j).
    let j = i + 1;
    while (
      j < n && c.expiry[j] === c.expiry[i] && c.day[j] === c.day[i] &&
      c.underlying[j] === c.underlying[i]
    ) j++;
    const dte = c.expiry[i] - c.day[i];
    if (dte > ivTenorDays && stop < 0) {
      for (let q = i; q < j; q++) {
        if ((c.flags[q] & ~FLAG_DUPLICATE) === 0) {
          stop = c.expiry[i];
          break;
        }
      }
    }
    if (dte > limit && stop >= 0 && c.expiry[i] > stop) {
      const key = c.underlying[i] * 1_000_000 + c.day[i];
      skipped.set(key, (skipped.get(key) ?? 0) + (j - i));
    } else if (runs.length && runs[runs.length - 1] === i) runs[runs.length - 1] = j;
    else runs.push(i, j);
    i = j;
  }
  let w = 0;
  for (let k = 0; k < runs.length; k += 2) w += runs[k + 1] - runs[k];
  if (w === n) return chains;
  const columns: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const src = c[name];
    const out = columnOn(
      Ctor,
      new SharedArrayBuffer(Math.max(w * Ctor.BYTES_PER_ELEMENT, 8)),
      0,
      w,
    );
    let pos = 0;
    for (let k = 0; k < runs.length; k += 2) {
      out.set(src.subarray(runs[k], runs[k + 1]) as never, pos);
      pos += runs[k + 1] - runs[k];
    }
    columns[name] = out;
  }
  // Add the skipped rows to the counts (a snapshot may have none yet).
  const merged = new Map<number, number[]>();
  const k0 = chains.counts;
  for (let k = 0; k < k0.day.length; k++) {
    merged.set(k0.ticker[k] * 1_000_000 + k0.day[k], [
      k0.skippedDte[k],
      k0.greeksComputed[k],
      k0.ivNotFound[k],
    ]);
  }
  for (const [key, s] of skipped) {
    const e = merged.get(key) ?? [0, 0, 0];
    e[0] += s;
    merged.set(key, e);
  }
  const keys = [...merged.keys()].sort((a, b) => a - b);
  const counts: SnapshotCounts = {
    ticker: Uint8Array.from(keys, (key) => Math.floor(key / 1_000_000)),
    day: Int32Array.from(keys, (key) => key % 1_000_000),
    skippedDte: Int32Array.from(keys, (key) => merged.get(key)![0]),
    greeksComputed: Int32Array.from(keys, (key) => merged.get(key)![1]),
    ivNotFound: Int32Array.from(keys, (key) => merged.get(key)![2]),
  };
  return {
    tickers: chains.tickers,
    columns: columns as unknown as ChainColumns,
    counts,
    flagged: chains.flagged,
    origin: chains.origin,
  };
}
