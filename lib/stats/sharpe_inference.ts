/**
 * The Probabilistic Sharpe Ratio (Bailey & López de Prado, "The Sharpe Ratio Efficient
 * Frontier", J. of Risk 15(2), 2012) and the Deflated Sharpe Ratio (Bailey & López de Prado,
 * "The Deflated Sharpe Ratio", J. of Portfolio Management 40(5), 2014).
 *
 * All Sharpe ratios here are per period (not annualized): SR = mean / std of the period returns.
 *
 * @module
 */
import { inverseNormCdf, normCdf } from "../pricing/normal.ts";
import { hasDeviation } from "./deviation.ts";
import { moments } from "./moments.ts";

/** Euler-Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * PSR(SR*) = Φ( (SR - SR*)·√(n - 1) / √(1 - γ₃·SR + (γ₄ - 1)/4·SR²) ): the probability that
 * the true Sharpe ratio exceeds the benchmark SR*, given the observed SR over n returns with
 * skewness γ₃ and (non-excess) kurtosis γ₄.
 *
 * @param sr observed per-period Sharpe ratio
 * @param n number of returns
 * @param skewness γ₃
 * @param kurtosis γ₄ (normal = 3)
 * @param benchmark SR* per period (default 0)
 * @returns probability in [0, 1]; NaN when the variance term is not positive or n < 2
 *
 * @example Bailey & López de Prado (2014): SR 2.5 a year over 1,250 days, skew -3, kurtosis 10
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedMaxSharpe, probabilisticSharpe } from "./sharpe_inference.ts";
 * const dsr = probabilisticSharpe(2.5 / Math.sqrt(250), 1250, -3, 10, expectedMaxSharpe(100, 0.5 / 250));
 * assert.ok(Math.abs(dsr - 0.9004) < 5e-4); // the paper's DSR for 100 trials
 * ```
 */
export function probabilisticSharpe(
  sr: number,
  n: number,
  skewness: number,
  kurtosis: number,
  benchmark = 0,
): number {
  const v = 1 - skewness * sr + (kurtosis - 1) / 4 * sr * sr;
  if (!(v > 0) || n < 2) return NaN;
  return normCdf((sr - benchmark) * Math.sqrt(n - 1) / Math.sqrt(v));
}

/**
 * Expected maximum of N per-period Sharpe ratios under the null of no skill, the DSR's
 * benchmark: √V[SR]·((1 - γ)·Φ⁻¹(1 - 1/N) + γ·Φ⁻¹(1 - 1/(N·e))), γ = Euler-Mascheroni.
 *
 * @param trials N, independent trials (>= 1; 0 is returned for N = 1)
 * @param variance V[SR], variance of the trials' per-period Sharpe ratios
 * @returns the benchmark SR*, per period
 *
 * @example The paper's 100 trials with annualized Sharpe variance 0.5: 0.1132 a day
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedMaxSharpe } from "./sharpe_inference.ts";
 * assert.ok(Math.abs(expectedMaxSharpe(100, 0.5 / 250) - 0.1132) < 5e-5);
 * assert.equal(expectedMaxSharpe(1, 0.1), 0);
 * ```
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(variance) *
    ((1 - EULER_GAMMA) * inverseNormCdf(1 - 1 / trials) +
      EULER_GAMMA * inverseNormCdf(1 - 1 / (trials * Math.E)));
}

/** PSR and DSR of a return series. */
export interface SharpeInference {
  /** Per-period Sharpe ratio. */
  sharpe: number;
  /** Number of returns. */
  n: number;
  /** Skewness of the returns. */
  skewness: number;
  /** Kurtosis of the returns (non-excess: 3 for a normal). */
  kurtosis: number;
  /** PSR against 0. */
  psr: number | null;
  /** Number of trials behind the selection. */
  trials: number;
  /** The DSR's benchmark, per period. */
  benchmark: number;
  /** DSR = PSR(benchmark). */
  dsr: number | null;
}

/**
 * PSR(0) and DSR of a return series selected among `trials` trials whose per-period Sharpe
 * ratios have variance `trialVariance`.
 *
 * @param returns the series
 * @param trials trials behind the selection (default 1)
 * @param trialVariance variance of the trials' per-period Sharpe ratios (default 0)
 * @returns the per-period Sharpe (NaN for a series that does not vary, see deviation.ts), its
 *   moments, PSR(0), the benchmark and DSR (null where undefined)
 *
 * @example Selection among many trials deflates the Sharpe ratio
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeInference } from "./sharpe_inference.ts";
 * const returns = Array.from({ length: 500 }, (_, i) => 0.001 + 0.01 * Math.sin(i * 1.7));
 * const one = sharpeInference(returns);
 * const many = sharpeInference(returns, 240, 0.001);
 * assert.equal(one.dsr, one.psr);
 * assert.ok(many.dsr! < one.dsr!);
 * ```
 */
export function sharpeInference(
  returns: ArrayLike<number>,
  trials = 1,
  trialVariance = 0,
): SharpeInference {
  const m = moments(returns);
  const sr = hasDeviation(m.mean, m.std) ? m.mean / m.std : NaN;
  const benchmark = expectedMaxSharpe(trials, trialVariance);
  const nan = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    sharpe: sr,
    n: m.n,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
    psr: nan(probabilisticSharpe(sr, m.n, m.skewness, m.kurtosis, 0)),
    trials,
    benchmark,
    dsr: nan(probabilisticSharpe(sr, m.n, m.skewness, m.kurtosis, benchmark)),
  };
}
