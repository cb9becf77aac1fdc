/**
 * Stationary bootstrap (Politis & Romano, "The Stationary Bootstrap", JASA 89, 1994) confidence
 * intervals for Sharpe ratio, CAGR and maximum drawdown of a daily return series. Resamples are
 * built from blocks starting at uniform positions with geometric lengths of mean `meanBlock`,
 * wrapping around the end. Seeded: the same inputs give the same intervals.
 *
 * @module
 */
import { Random } from "../data/random.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { annualGrowth, maxDrawdown, sharpeRatio } from "./returns.ts";

/** An interval estimate. */
export interface Interval {
  /** Statistic on the original series. */
  estimate: number | null;
  /** Lower bound (quantile (1 - level)/2 of the bootstrap distribution). */
  lower: number | null;
  /** Upper bound (quantile (1 + level)/2). */
  upper: number | null;
}

/** Bootstrap intervals of the three statistics. */
export interface BootstrapResult {
  /** Annualized Sharpe of the daily excess returns (mean / std × √252). */
  sharpe: Interval;
  /** Compound annual growth rate over 252 returns a year. */
  cagr: Interval;
  /** Maximum drawdown of the compounded path (<= 0). */
  max_drawdown: Interval;
  /** Resamples drawn. */
  resamples: number;
  /** Mean block length of the stationary bootstrap, in returns. */
  mean_block: number;
  /** Confidence level of the intervals. */
  level: number;
  /** Seed of the resampling. */
  seed: number;
  /** Annual risk-free rate the Sharpe ratios are in excess of. */
  risk_free_rate: number;
}

/** Options of {@link stationaryBootstrap}. */
export interface BootstrapOptions {
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

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Stationary-bootstrap intervals for Sharpe, CAGR and max drawdown of daily returns. The Sharpe
 * ratio is that of the excess returns over `riskFreeRate`, daily × √252; CAGR compounds the
 * returns over 252 a year; the drawdown is that of the compounded path.
 *
 * @param returns daily returns (at least 2)
 * @param options resamples, mean block length, level, seed and risk-free rate
 * @returns the intervals, with the estimates on the original series
 *
 * @example The interval brackets the estimate, and the same seed gives the same interval
 * ```ts
 * import assert from "node:assert/strict";
 * import { stationaryBootstrap } from "./bootstrap.ts";
 * const r = Array.from({ length: 250 }, (_, i) => 0.0005 + 0.01 * Math.sin(i * 2.3));
 * const a = stationaryBootstrap(r, { resamples: 300, seed: 1 });
 * assert.ok(a.sharpe.lower! < a.sharpe.estimate! && a.sharpe.estimate! < a.sharpe.upper!);
 * assert.deepEqual(stationaryBootstrap(r, { resamples: 300, seed: 1 }), a);
 * ```
 *
 * @example With a risk-free rate, the Sharpe ratios are of excess returns
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeRatio } from "./returns.ts";
 * import { stationaryBootstrap } from "./bootstrap.ts";
 * const r = Array.from({ length: 250 }, (_, i) => 0.0005 + 0.01 * Math.sin(i * 2.3));
 * const b = stationaryBootstrap(r, { resamples: 300, riskFreeRate: 0.03 });
 * assert.equal(b.sharpe.estimate, sharpeRatio(r, 252, 0.03));
 * assert.ok(b.sharpe.lower! < b.sharpe.estimate! && b.sharpe.estimate! < b.sharpe.upper!);
 * ```
 */
export function stationaryBootstrap(
  returns: ArrayLike<number>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const resamples = options.resamples ?? 1000;
  const meanBlock = options.meanBlock ?? 10;
  const level = options.level ?? 0.9;
  const seed = options.seed ?? 7;
  const rf = options.riskFreeRate ?? 0;
  const sharpe = (r: ArrayLike<number>) => sharpeRatio(r, TRADING_DAYS_PER_YEAR, rf) ?? NaN;
  const n = returns.length;
  const rng = new Random(seed);
  const p = 1 / meanBlock;
  const sample = new Float64Array(n);
  const stats = { sharpe: [] as number[], cagr: [] as number[], max_drawdown: [] as number[] };
  for (let b = 0; n >= 2 && b < resamples; b++) {
    let pos = Math.floor(rng.uniform() * n);
    for (let i = 0; i < n; i++) {
      sample[i] = returns[pos];
      // With probability p a new block starts at a uniform position; else continue (wrapping).
      pos = rng.uniform() < p ? Math.floor(rng.uniform() * n) : (pos + 1) % n;
    }
    const s = sharpe(sample);
    if (!Number.isNaN(s)) stats.sharpe.push(s);
    stats.cagr.push(annualGrowth(sample, TRADING_DAYS_PER_YEAR));
    stats.max_drawdown.push(maxDrawdown(sample));
  }
  const lowQ = (1 - level) / 2;
  const interval = (values: number[], estimate: number): Interval => {
    values.sort((a, b) => a - b);
    return {
      estimate: Number.isFinite(estimate) ? estimate : null,
      lower: quantile(values, lowQ),
      upper: quantile(values, 1 - lowQ),
    };
  };
  return {
    sharpe: interval(stats.sharpe, n >= 2 ? sharpe(returns) : NaN),
    cagr: interval(stats.cagr, n >= 1 ? annualGrowth(returns, TRADING_DAYS_PER_YEAR) : NaN),
    max_drawdown: interval(stats.max_drawdown, n >= 1 ? maxDrawdown(returns) : NaN),
    resamples,
    mean_block: meanBlock,
    level,
    seed,
    risk_free_rate: rf,
  };
}
