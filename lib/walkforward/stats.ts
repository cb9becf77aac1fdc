/**
 * Walk-forward statistics: window Sharpe, parameter stability and alpha decay.
 *
 * @module
 */
import { periodReturns, sharpeRatio } from "../stats/returns.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";

/**
 * Sharpe ratio of a window from its end-of-day equity values: daily returns × √252 (a
 * one-month window has a single monthly return, so daily returns are the only meaningful
 * basis).
 *
 * @param equity end-of-day equity of the window's days
 * @param startingEquity equity before the first day
 * @param riskFreeRate annual decimal
 * @returns the ratio; null when undefined (fewer than two days or no variation, e.g. no trades)
 *
 * @example A window without trades has no Sharpe ratio
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowSharpe } from "./stats.ts";
 * assert.equal(windowSharpe([100000, 100000, 100000], 100000, 0), null);
 * assert.ok(windowSharpe([100100, 100050, 100200], 100000, 0)! > 0);
 * ```
 */
export function windowSharpe(
  equity: ArrayLike<number>,
  startingEquity: number,
  riskFreeRate: number,
): number | null {
  return sharpeRatio(periodReturns(equity, startingEquity), TRADING_DAYS_PER_YEAR, riskFreeRate);
}

/** Stability of one parameter across periods. */
export interface ParameterStability {
  /** Times the chosen value differs from the previous period's. */
  changes: number;
  /** changes / (periods - 1); null with fewer than two periods. */
  change_rate: number | null;
  /** How often each value was chosen, keyed by its JSON text. */
  distribution: Record<string, number>;
  /** The most often chosen value's JSON text (ties: first in grid order). */
  mode: string | null;
}

/**
 * Parameter stability of a sequence of chosen parameter sets.
 *
 * @param chosen per period, the chosen value of each grid key
 * @param keys grid keys in order
 * @returns per key: changes between consecutive periods, their rate, the distribution, the mode
 *
 * @example 0.1, 0.1, 0.15, 0.1: two changes in three steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameterStability } from "./stats.ts";
 * const s = parameterStability([{ d: 0.1 }, { d: 0.1 }, { d: 0.15 }, { d: 0.1 }], ["d"]).d;
 * assert.equal(s.changes, 2);
 * assert.deepEqual(s.distribution, { "0.1": 3, "0.15": 1 });
 * assert.equal(s.mode, "0.1");
 * ```
 */
export function parameterStability(
  chosen: Array<Record<string, unknown>>,
  keys: string[],
): Record<string, ParameterStability> {
  const out: Record<string, ParameterStability> = {};
  for (const key of keys) {
    const texts = chosen.map((c) => JSON.stringify(c[key]));
    let changes = 0;
    for (let i = 1; i < texts.length; i++) if (texts[i] !== texts[i - 1]) changes++;
    const distribution: Record<string, number> = {};
    for (const t of texts) distribution[t] = (distribution[t] ?? 0) + 1;
    let mode: string | null = null;
    for (const [t, n] of Object.entries(distribution)) {
      if (mode === null || n > distribution[mode]) mode = t;
    }
    out[key] = {
      changes,
      change_rate: texts.length > 1 ? changes / (texts.length - 1) : null,
      distribution,
      mode,
    };
  }
  return out;
}

/** Alpha decay: OLS of test Sharpe on period number. */
export interface AlphaDecay {
  /** Periods with a defined test Sharpe, used in the fit. */
  n: number;
  /** Change of the test Sharpe per period (null with fewer than two periods). */
  slope: number | null;
  /** The fit's test Sharpe at period 0. */
  intercept: number | null;
  /** Share of the test Sharpe's variance the fit explains. */
  r_squared: number | null;
  /**
   * Periods for the fitted Sharpe to halve from its value at period 0:
   * t½ = -intercept / (2·slope), given when slope < 0 and intercept > 0, else null.
   */
  half_life: number | null;
}

/**
 * Ordinary least squares of y on x, with the half-life of a negative slope.
 *
 * @example y = 2 - 0.1·x halves at x = 10
 * ```ts
 * import assert from "node:assert/strict";
 * import { alphaDecay } from "./stats.ts";
 * const fit = alphaDecay([0, 1, 2, 3], [2, 1.9, 1.8, 1.7]);
 * assert.ok(Math.abs(fit.slope! + 0.1) < 1e-12 && Math.abs(fit.half_life! - 10) < 1e-9);
 * ```
 */
export function alphaDecay(x: number[], y: number[]): AlphaDecay {
  const n = x.length;
  if (n < 2) return { n, slope: null, intercept: null, r_squared: null, half_life: null };
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0) return { n, slope: null, intercept: null, r_squared: null, half_life: null };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const rSquared = syy > 0 ? (sxy * sxy) / (sxx * syy) : null;
  const halfLife = slope < 0 && intercept > 0 ? -intercept / (2 * slope) : null;
  return { n, slope, intercept, r_squared: rSquared, half_life: halfLife };
}
