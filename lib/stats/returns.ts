/**
 * Returns of an equity series and the ratios built on them: period returns, month-end returns,
 * annualized Sharpe and Sortino ratios, the compounded growth rate and the maximum drawdown of
 * a return path. Means and deviations come from {@link moments} (sample deviation, n - 1).
 * Ratios need at least two returns and a series that varies: a deviation that is zero or a
 * floating-point residue of zero (equal excess returns, as in a window without a trade at any
 * risk-free rate; see deviation.ts) makes them null.
 *
 * @module
 */
import { dayToCivil } from "../data/dates.ts";
import { hasDeviation } from "./deviation.ts";
import { moments } from "./moments.ts";

/**
 * Period returns of an equity series: value[i] / value[i - 1] - 1, the first measured from
 * `start`.
 *
 * @param values end-of-period equity
 * @param start equity before the first period
 * @returns one return per value
 *
 * @example Up 10%, then down 10%
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodReturns } from "./returns.ts";
 * assert.deepEqual(periodReturns([110, 99], 100), [0.10000000000000009, -0.09999999999999998]);
 * ```
 */
export function periodReturns(values: ArrayLike<number>, start: number): number[] {
  const out = new Array<number>(values.length);
  let previous = start;
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i] / previous - 1;
    previous = values[i];
  }
  return out;
}

/**
 * Month-end returns of a daily equity series: each calendar month's last value over the
 * previous month's last value (the first month from `start`).
 *
 * @param days day numbers (days since 1970-01-01), ascending
 * @param values end-of-day equity, one per day
 * @param start equity before the first day
 * @returns one return per calendar month present
 *
 * @example Two days in January, one in February
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyReturns } from "./returns.ts";
 * // 2024-01-30, 2024-01-31, 2024-02-01
 * const [january, february] = monthlyReturns([19752, 19753, 19754], [101, 102, 51], 100);
 * assert.ok(Math.abs(january - 0.02) < 1e-15); // 102 / 100 - 1
 * assert.equal(february, -0.5); // 51 / 102 - 1
 * ```
 */
export function monthlyReturns(
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  start: number,
): number[] {
  const out: number[] = [];
  let previous = start;
  for (let i = 0; i < values.length; i++) {
    const here = dayToCivil(days[i]);
    const next = i + 1 < values.length ? dayToCivil(days[i + 1]) : null;
    if (!next || next.month !== here.month || next.year !== here.year) {
      out.push(values[i] / previous - 1);
      previous = values[i];
    }
  }
  return out;
}

/**
 * Excess returns: each return less the risk-free rate of one period, riskFreeAnnual /
 * periodsPerYear (simple, not compounded). Every Sharpe ratio, the PSR/DSR and the bootstrap's
 * Sharpe interval are computed on these.
 *
 * @param returns periodic returns
 * @param periodsPerYear 12 for monthly returns, 252 for daily
 * @param riskFreeAnnual annual risk-free rate, decimal
 * @returns the excess returns (the same array when the rate is zero)
 *
 * @example 3% a year is 0.3/252 percent a trading day
 * ```ts
 * import assert from "node:assert/strict";
 * import { excessReturns } from "./returns.ts";
 * const r = excessReturns([0.001], 252, 0.03)[0];
 * assert.ok(Math.abs(r - (0.001 - 0.03 / 252)) < 1e-18);
 * ```
 */
export function excessReturns(
  returns: ArrayLike<number>,
  periodsPerYear: number,
  riskFreeAnnual: number,
): ArrayLike<number> {
  if (riskFreeAnnual === 0) return returns;
  return Array.from(returns, (r) => r - riskFreeAnnual / periodsPerYear);
}

/**
 * Annualized Sharpe ratio: mean excess return / sample deviation × √periodsPerYear.
 *
 * @param returns periodic returns
 * @param periodsPerYear 12 for monthly returns, 252 for daily
 * @param riskFreeAnnual annual risk-free rate, decimal (default 0)
 * @returns the ratio, or null with fewer than two returns or a series that does not vary (a
 *   deviation of zero or a rounding residue of zero, see {@link hasDeviation})
 *
 * @example Mean 0.02, sample deviation 0.01·√2: monthly Sharpe √2, annualized × √12
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeRatio } from "./returns.ts";
 * assert.ok(Math.abs(sharpeRatio([0.01, 0.03], 12)! - Math.SQRT2 * Math.sqrt(12)) < 1e-12);
 * assert.equal(sharpeRatio([0.01], 12), null);
 * ```
 *
 * @example A window without a trade has no Sharpe ratio, whatever the risk-free rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeRatio } from "./returns.ts";
 * const flat = new Array(126).fill(0);
 * assert.equal(sharpeRatio(flat, 252, 0), null);
 * assert.equal(sharpeRatio(flat, 252, 0.03), null); // not -9.9e15 from a rounding residue
 * ```
 */
export function sharpeRatio(
  returns: ArrayLike<number>,
  periodsPerYear: number,
  riskFreeAnnual = 0,
): number | null {
  if (returns.length < 2) return null;
  const m = moments(excessReturns(returns, periodsPerYear, riskFreeAnnual));
  return hasDeviation(m.mean, m.std) ? m.mean / m.std * Math.sqrt(periodsPerYear) : null;
}

/**
 * Annualized Sortino ratio: mean excess return / downside deviation × √periodsPerYear, where
 * the downside deviation is the root mean square of the negative excess returns over all
 * periods.
 *
 * @param returns periodic returns
 * @param periodsPerYear 12 for monthly returns, 252 for daily
 * @param riskFreeAnnual annual risk-free rate, decimal (default 0)
 * @returns the ratio, or null with fewer than two returns, no negative excess return, or a
 *   series that does not vary (as for {@link sharpeRatio})
 *
 * @example Mean 0.01, downside deviation √(0.01² / 2)
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortinoRatio } from "./returns.ts";
 * const s = sortinoRatio([0.03, -0.01], 1)!;
 * assert.ok(Math.abs(s - 0.01 / Math.sqrt(0.0001 / 2)) < 1e-12);
 * ```
 *
 * @example Equal excess returns have no Sortino ratio (their downside is no risk taken)
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortinoRatio } from "./returns.ts";
 * assert.equal(sortinoRatio(new Array(21).fill(0), 252, 0.03), null);
 * ```
 */
export function sortinoRatio(
  returns: ArrayLike<number>,
  periodsPerYear: number,
  riskFreeAnnual = 0,
): number | null {
  if (returns.length < 2) return null;
  const excess = excessReturns(returns, periodsPerYear, riskFreeAnnual);
  const m = moments(excess);
  if (!hasDeviation(m.mean, m.std)) return null;
  let sum = 0;
  let downside = 0;
  for (let i = 0; i < excess.length; i++) {
    sum += excess[i];
    if (excess[i] < 0) downside += excess[i] * excess[i];
  }
  const deviation = Math.sqrt(downside / excess.length);
  return deviation > 0 ? sum / excess.length / deviation * Math.sqrt(periodsPerYear) : null;
}

/**
 * Compound annual growth rate of a return path: (Π(1 + r))^(periodsPerYear / n) - 1.
 *
 * @param returns periodic returns (at least one)
 * @param periodsPerYear e.g. 252 for daily returns
 * @returns the growth rate; NaN for an empty path
 *
 * @example 252 daily returns of 0.1% compound to 28.6%
 * ```ts
 * import assert from "node:assert/strict";
 * import { annualGrowth } from "./returns.ts";
 * const g = annualGrowth(new Array(252).fill(0.001), 252);
 * assert.ok(Math.abs(g - (1.001 ** 252 - 1)) < 1e-12);
 * ```
 */
export function annualGrowth(returns: ArrayLike<number>, periodsPerYear: number): number {
  let logGrowth = 0;
  for (let i = 0; i < returns.length; i++) logGrowth += Math.log1p(returns[i]);
  return Math.expm1(logGrowth * periodsPerYear / returns.length);
}

/**
 * Maximum drawdown of the path compounded from returns (starting at 1): the lowest
 * value / running peak - 1.
 *
 * @param returns periodic returns
 * @returns a fraction <= 0 (0 for an empty path or one that never falls)
 *
 * @example Up 10%, down 20%, up 5%: the trough is 0.88 / 1.10 - 1 = -20%
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxDrawdown } from "./returns.ts";
 * assert.ok(Math.abs(maxDrawdown([0.1, -0.2, 0.05]) + 0.2) < 1e-12);
 * ```
 */
export function maxDrawdown(returns: ArrayLike<number>): number {
  let equity = 1, peak = 1, worst = 0;
  for (let i = 0; i < returns.length; i++) {
    equity *= 1 + returns[i];
    if (equity > peak) peak = equity;
    const dd = equity / peak - 1;
    if (dd < worst) worst = dd;
  }
  return worst;
}
