/**
 * The trials behind a walk-forward's overfitting statistics: every grid combination run over the
 * whole data, as a days × combinations matrix of daily returns over the tradable span (from the
 * first day any combination could enter, after the IV-percentile warm-up). Combinations that
 * never trade are left out (a column of zeros is no strategy: it ties every other such column in
 * every split and decides PBO by the tie rule), and identical columns are merged into one trial.
 * PBO ranks the remaining columns by the Sharpe ratio of their excess returns (as the optimizer
 * selects); the Deflated Sharpe Ratio counts them as its trials, with the variance of their
 * Sharpe ratios. Beside the PBO of every trial, the PBO of the trials with at least
 * `[walk_forward] min_train_trades` trades over the whole data: a combination that traded twice,
 * both times in one block, can decide many splits on its own.
 *
 * @module
 */
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { pickColumns, uniqueColumns } from "../stats/columns.ts";
import { hasDeviation } from "../stats/deviation.ts";
import { moments } from "../stats/moments.ts";
import { type PboResult, probabilityOfOverfitting } from "../stats/pbo.ts";
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
  /** Row-major days × kept.length daily returns (not less the risk-free rate). */
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
    if (hasDeviation(m.mean, m.std)) sharpes.push(m.mean / m.std);
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

/** PBO over the trials with at least some trades. */
export interface MinTradesPbo {
  /** The threshold: trades over the whole data (`[walk_forward] min_train_trades`). */
  min_train_trades: number;
  /** The trial set's combinations with at least that many trades, ascending. */
  combinations: number[];
  /** PBO over them (null with fewer than two, or fewer days than blocks). */
  pbo: PboResult | null;
}

/** PBO of a trial set, over every trial and over the trials with enough trades. */
export interface TrialSetPbo {
  /** PBO over every trial (null with fewer than two, or fewer days than blocks). */
  pbo: PboResult | null;
  /** PBO over the trials with at least `min_train_trades` trades. */
  min_trades: MinTradesPbo;
}

/**
 * PBO by CSCV over a trial set's daily excess returns: over every trial, and over the trials with
 * at least `minTrades` trades over the whole data.
 *
 * @param set the trial set (see {@link trialSet})
 * @param trades per combination (all of the grid's, by index), its trades over the whole data
 * @param options CSCV blocks, the annual risk-free rate, and the trades a trial needs
 * @returns both PBOs, with the combinations behind the second
 *
 * @example A trial that traded once is left out of the second PBO
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialSet, trialSetPbo } from "./trial_set.ts";
 * const wave = (k: number) => Float64Array.from({ length: 9 }, (_, d) => 100 + Math.sin(d * k));
 * const equity = [wave(1), wave(2), wave(3)];
 * const set = trialSet(equity, [12, 1, 30], { startingEquity: 100, fromIndex: 0 });
 * const result = trialSetPbo(set, [12, 1, 30], { blocks: 2, minTrades: 10 });
 * assert.equal(result.pbo?.strategies, 3);
 * assert.deepEqual(result.min_trades.combinations, [0, 2]);
 * assert.equal(result.min_trades.pbo?.strategies, 2);
 * ```
 */
export function trialSetPbo(
  set: TrialSet,
  trades: ArrayLike<number>,
  options: { blocks: number; riskFreeRate?: number; minTrades?: number },
): TrialSetPbo {
  const minTrades = options.minTrades ?? 0;
  const pboOf = (matrix: Float64Array, columns: number) =>
    columns >= 2 && set.days >= options.blocks
      ? probabilityOfOverfitting(matrix, set.days, columns, options.blocks, {
        riskFreeRate: options.riskFreeRate ?? 0,
      })
      : null;
  const all = pboOf(set.matrix, set.kept.length);
  const positions = set.kept.flatMap((c, j) => (trades[c] >= minTrades ? [j] : []));
  const subset = positions.length === set.kept.length
    ? all
    : pboOf(pickColumns(set.matrix, set.days, set.kept.length, positions), positions.length);
  return {
    pbo: all,
    min_trades: {
      min_train_trades: minTrades,
      combinations: positions.map((j) => set.kept[j]),
      pbo: subset,
    },
  };
}
