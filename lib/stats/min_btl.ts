/**
 * The minimum backtest length of Bailey, Borwein, López de Prado and Zhu, "Pseudo-Mathematics
 * and Financial Charlatanism: The Effects of Backtest Overfitting on Out-of-Sample
 * Performance", Notices of the AMS 61(5), 2014, pp. 458-471 (the rule of thumb behind the same
 * authors' "The Probability of Backtest Overfitting", J. of Computational Finance 20(4), 2017).
 *
 * Among N independent strategy configurations with no skill (true Sharpe ratio 0, annualized
 * Sharpe ratios of unit variance over a year), the best in-sample annualized Sharpe over y years
 * is expected to be E[max_N]/√y, with
 *
 *   E[max_N] ≈ (1 − γ)·Z⁻¹[1 − 1/N] + γ·Z⁻¹[1 − 1/(N·e)]   (γ: Euler-Mascheroni),
 *
 * so a backtest must last at least MinBTL = (E[max_N] / Ē)² years (with the upper bound
 * 2·ln N / Ē²) before an in-sample Sharpe of Ē stops being what N trials give by
 * chance. Inverted, a backtest of y years supports at most the largest N with MinBTL(N) ≤ y:
 * the paper's example, 5 years at Ē = 1, supports 45 independent configurations.
 *
 * @module
 */
import { expectedMaxSharpe } from "./sharpe_inference.ts";

/**
 * Minimum backtest length, in years, for N independent trials not to produce an in-sample
 * annualized Sharpe ratio of `sharpe` by chance: (E[max_N] / sharpe)².
 *
 * @param trials N (0 for N <= 1)
 * @param sharpe the in-sample annualized Sharpe ratio Ē (default 1)
 * @returns years
 *
 * @example The paper's 45 trials need 5 years at Ē = 1; the bound 2·ln N is above it
 * ```ts
 * import assert from "node:assert/strict";
 * import { minimumBacktestLength } from "./min_btl.ts";
 * assert.ok(Math.abs(minimumBacktestLength(45) - 5) < 0.002);
 * assert.ok(minimumBacktestLength(45) < 2 * Math.log(45));
 * assert.equal(minimumBacktestLength(1), 0);
 * ```
 */
export function minimumBacktestLength(trials: number, sharpe = 1): number {
  if (trials <= 1) return 0;
  return (expectedMaxSharpe(trials, 1) / sharpe) ** 2;
}

/**
 * The largest number of independent trials a backtest of `years` supports: the largest N with
 * MinBTL(N) ≤ years (at least 1).
 *
 * @param years backtest length (the in-sample window), years
 * @param sharpe the in-sample annualized Sharpe ratio Ē (default 1)
 * @returns N
 *
 * @example Five years support the paper's 45 configurations; two years, seven; six months, two
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxIndependentTrials } from "./min_btl.ts";
 * assert.equal(maxIndependentTrials(5), 45);
 * assert.equal(maxIndependentTrials(2), 7);
 * assert.equal(maxIndependentTrials(0.5), 2);
 * ```
 */
export function maxIndependentTrials(years: number, sharpe = 1): number {
  if (!(years > 0)) return 1;
  const fits = (n: number) => minimumBacktestLength(n, sharpe) <= years;
  let hi = 2;
  while (fits(hi) && hi < 2 ** 52) hi *= 2;
  let lo = hi / 2 >= 2 && fits(hi / 2) ? hi / 2 : 1;
  // fits(lo) (or lo = 1), !fits(hi): bisect.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
