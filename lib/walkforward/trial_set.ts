/**
 * The trials behind a walk-forward's overfitting statistics: every grid combination run over the
 * whole data, as a days × combinations matrix of daily returns over the tradable span (from the
 * first day any combination could enter, after the IV-percentile warm-up). Combinations that
 * never trade are left out (a column of zeros is no strategy: it ties every other at a Sharpe
 * ratio of 0 and decides PBO by the tie rule), and identical columns are merged into one trial.
 * PBO ranks the remaining columns; the Deflated Sharpe Ratio counts them as its trials, with the
 * variance of their Sharpe ratios.
 *
 * @module
 */
import { pickColumns, uniqueColumns } from "../stats/columns.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { moments } from "../stats/moments.ts";
import { excessReturns } from "../stats/returns.ts";

/** The trial set of a grid. */
export interface TrialSet {
  /** Grid combinations run. */
  combinations: number;
  /** Combinations without a single trade over the whole data (left out). */
  never_trading: number;
  /** Trading combinations whose daily returns equal an earlier combination's (merged). */
  duplicates: number;
  /** Combinations kept, one per distinct return series, ascending. */
  kept: number[];
  /** First calendar index of the matrix (the tradable span's first day). */
  from_index: number;
  /** Days in the matrix. */
  days: number;
  /** Variance (n − 1) of the kept trials' per-day Sharpe ratios of excess returns. */
  sharpe_variance: number;
  /** Row-major days × kept.length daily returns. */
  matrix: Float64Array;
}

/**
 * Builds the trial set from every combination's end-of-day equity over the whole calendar.
 *
 * @param equity per combination, end-of-day equity of every calendar day
 * @param trades per combination, its trade count over the whole data
 * @param options starting equity, the tradable span's first calendar index and the annual
 *   risk-free rate of the Sharpe ratios
 * @returns the kept combinations, what was left out, and their return matrix
 *
 * @example Four combinations: one never trades, one copies another
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialSet } from "./trial_set.ts";
 * const equity = [
 *   Float64Array.from([100, 100, 101, 99, 102]),
 *   Float64Array.from([100, 100, 100, 100, 100]), // never trades
 *   Float64Array.from([100, 100, 101, 99, 102]), // the same as the first
 *   Float64Array.from([100, 100, 99, 100, 98]),
 * ];
 * const set = trialSet(equity, [3, 0, 3, 2], { startingEquity: 100, fromIndex: 1 });
 * assert.deepEqual(set.kept, [0, 3]);
 * assert.equal(set.never_trading, 1);
 * assert.equal(set.duplicates, 1);
 * assert.equal(set.days, 4); // from calendar index 1
 * assert.ok(Math.abs(set.matrix[1 * 2 + 0] - 0.01) < 1e-15); // the first kept column, 101 / 100 - 1
 * ```
 */
export function trialSet(
  equity: ArrayLike<number>[],
  trades: ArrayLike<number>,
  options: { startingEquity: number; fromIndex: number; riskFreeRate?: number },
): TrialSet {
  const n = equity.length;
  const total = n ? equity[0].length : 0;
  const from = Math.min(Math.max(0, options.fromIndex), total);
  const days = total - from;
  const all = new Float64Array(days * n);
  for (let c = 0; c < n; c++) {
    const values = equity[c];
    let previous = from > 0 ? values[from - 1] : options.startingEquity;
    for (let d = from; d < total; d++) {
      all[(d - from) * n + c] = values[d] / previous - 1;
      previous = values[d];
    }
  }
  const trading: number[] = [];
  for (let c = 0; c < n; c++) if (trades[c] > 0) trading.push(c);
  const unique = uniqueColumns(all, days, n, trading);
  const matrix = pickColumns(all, days, n, unique.kept);
  const k = unique.kept.length;
  const sharpes: number[] = [];
  const column = new Float64Array(days);
  for (let j = 0; j < k; j++) {
    for (let d = 0; d < days; d++) column[d] = matrix[d * k + j];
    const m = moments(excessReturns(column, TRADING_DAYS_PER_YEAR, options.riskFreeRate ?? 0));
    if (m.std > 0) sharpes.push(m.mean / m.std);
  }
  return {
    combinations: n,
    never_trading: n - trading.length,
    duplicates: unique.duplicates,
    kept: unique.kept,
    from_index: from,
    days,
    sharpe_variance: sharpes.length > 1 ? moments(sharpes).std ** 2 : 0,
    matrix,
  };
}
