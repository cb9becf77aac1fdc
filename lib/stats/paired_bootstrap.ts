/**
 * Is one return series' Sharpe ratio above another's by more than noise? A paired stationary
 * bootstrap (Politis & Romano 1994, as in bootstrap.ts) resamples the same blocks of days for
 * both series, so that what they share (the market of those days) stays paired, and gives an
 * interval of the difference of their annualized Sharpe ratios. An interval that excludes 0
 * says the difference is more than the resampling noise at that level.
 *
 * @module
 */
import { Random } from "../data/random.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import type { Interval } from "./bootstrap.ts";
import { sharpeRatio } from "./returns.ts";

/** Options of {@link pairedSharpeDifference}. */
export interface PairedBootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Mean block length in returns (default 10). */
  meanBlock?: number;
  /** Confidence level (default 0.9). */
  level?: number;
  /** Seed (default 7). */
  seed?: number;
  /** Annual risk-free rate, decimal: Sharpe ratios of excess returns (default 0). */
  riskFreeRate?: number;
}

/** The interval of a difference of Sharpe ratios. */
export interface SharpeDifference extends Interval {
  /** Share of resamples in which the difference is above 0. */
  share_above_zero: number | null;
  /** Resamples drawn. */
  resamples: number;
  /** Two-sided level of the interval. */
  level: number;
}

/**
 * Paired stationary-bootstrap interval of Sharpe(a) − Sharpe(b), daily returns × √252 (of
 * excess returns over the risk-free rate). Both series are resampled with the same blocks.
 *
 * @param a daily returns of one series
 * @param b daily returns of the other, the same days (the same length)
 * @param options resamples, mean block, level, seed, risk-free rate
 * @returns the estimate on the original series, the interval's bounds and the share of
 *   resamples above 0 (null where a Sharpe ratio is undefined)
 * @throws RangeError when the series differ in length
 *
 * @example A series against itself shifted up: the difference is clearly above 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairedSharpeDifference } from "./paired_bootstrap.ts";
 * const b = Array.from({ length: 500 }, (_, i) => 0.01 * Math.sin(i * 2.3));
 * const a = b.map((x) => x + 0.002);
 * const d = pairedSharpeDifference(a, b, { resamples: 300 });
 * assert.ok(d.lower! > 0 && d.estimate! > d.lower! && d.share_above_zero === 1);
 * assert.deepEqual(pairedSharpeDifference(a, b, { resamples: 300 }), d); // seeded
 * ```
 */
export function pairedSharpeDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedBootstrapOptions = {},
): SharpeDifference {
  if (a.length !== b.length) {
    throw new RangeError(`Paired series differ in length: ${a.length} and ${b.length}`);
  }
  const resamples = options.resamples ?? 1000;
  const meanBlock = options.meanBlock ?? 10;
  const level = options.level ?? 0.9;
  const rf = options.riskFreeRate ?? 0;
  const sharpe = (r: ArrayLike<number>) => sharpeRatio(r, TRADING_DAYS_PER_YEAR, rf);
  const difference = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    const sx = sharpe(x), sy = sharpe(y);
    return sx === null || sy === null ? null : sx - sy;
  };
  const n = a.length;
  const rng = new Random(options.seed ?? 7);
  const p = 1 / meanBlock;
  const sa = new Float64Array(n), sb = new Float64Array(n);
  const values: number[] = [];
  for (let k = 0; n >= 2 && k < resamples; k++) {
    let pos = Math.floor(rng.uniform() * n);
    for (let i = 0; i < n; i++) {
      sa[i] = a[pos];
      sb[i] = b[pos];
      pos = rng.uniform() < p ? Math.floor(rng.uniform() * n) : (pos + 1) % n;
    }
    const d = difference(sa, sb);
    if (d !== null) values.push(d);
  }
  values.sort((x, y) => x - y);
  const quantile = (q: number) => {
    if (!values.length) return null;
    const pos = q * (values.length - 1);
    const lo = Math.floor(pos), hi = Math.ceil(pos);
    return values[lo] + (values[hi] - values[lo]) * (pos - lo);
  };
  return {
    estimate: n >= 2 ? difference(a, b) : null,
    lower: quantile((1 - level) / 2),
    upper: quantile((1 + level) / 2),
    share_above_zero: values.length ? values.filter((d) => d > 0).length / values.length : null,
    resamples,
    level,
  };
}
