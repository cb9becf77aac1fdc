/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", J. of Computational
 * Finance 20(4), 2017).
 *
 * The T × N matrix of returns (T time steps, N strategies) is cut into S row blocks. For each of
 * the C(S, S/2) ways to pick S/2 blocks as in-sample (the rest out-of-sample), the strategy with
 * the best in-sample Sharpe is ranked out-of-sample: ω = rank / (N + 1), λ = ln(ω / (1 - ω)).
 * PBO is the share of splits with λ <= 0 (the in-sample winner at or below the out-of-sample
 * median).
 *
 * Sharpe ratios rank excess returns, r − riskFreeRate / periodsPerYear, like every other ratio:
 * the optimizer selects by the Sharpe ratio of excess returns, and subtracting a rate changes
 * that ranking (a strategy's (mean − rate) / deviation is not its mean / deviation scaled). The
 * deviation is that of the returns themselves (a shift does not change it), so a half in which a
 * strategy never trades (returns exactly 0) has a deviation of exactly 0 and no rounding residue.
 * A half without deviation has the Sharpe ratio of its limit: +∞ or −∞ by the sign of its mean
 * excess return (a strategy idle at a positive rate ranks below every one that varies), 0 when
 * that mean is 0.
 *
 * Ties. In sample, the winner among equal Sharpe ratios is the lowest column. Out of sample,
 * the winner's rank among columns with the same Sharpe ratio decides λ in those splits: the
 * headline PBO counts such ties half (mid-rank: rank = below + 1 + equal / 2); `pboTiesLow`
 * ranks the winner below every column it ties (rank = below + 1) and `pboTiesHigh` above them
 * (rank = below + equal + 1). When they differ, the tie rule matters: columns that never trade
 * tie in every split (at a Sharpe ratio of 0, or −∞ at a positive rate), and identical columns
 * tie everywhere, so leave them out first (see {@link uniqueColumns}).
 *
 * @module
 */
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";

/** Result of {@link probabilityOfOverfitting}. */
export interface PboResult {
  /** Share of splits whose in-sample best ranks at or below the out-of-sample median. */
  pbo: number;
  /** Logits λ of every split, in split order. */
  logits: number[];
  /** Number of splits, C(S, S/2). */
  splits: number;
  /** Blocks S. */
  blocks: number;
  /** Strategies N. */
  strategies: number;
  /** Splits in which the in-sample winner ties another column's out-of-sample Sharpe. */
  tiedSplits: number;
  /** PBO with the winner ranked below every column it ties out of sample. */
  pboTiesLow: number;
  /** PBO with the winner ranked above every column it ties out of sample. */
  pboTiesHigh: number;
}

/** Options of {@link probabilityOfOverfitting}. */
export interface PboOptions {
  /** Annual risk-free rate, decimal: Sharpe ratios of excess returns (default 0). */
  riskFreeRate?: number;
  /** Rows per year, for the rate of one row (default 252: daily returns). */
  periodsPerYear?: number;
}

/**
 * The one-pass variance (s2 − c·mean²) / (c − 1) of c equal values x is a rounding residue of
 * at most about 3·c·ε·x²; at or below 8·c·ε·mean² a variance is taken as zero.
 */
const ONE_PASS_RESIDUE = 8 * Number.EPSILON;

/** Every k-subset of {0..n-1} as bit masks, in lexicographic order. */
function subsets(n: number, k: number): number[] {
  const out: number[] = [];
  const rec = (start: number, left: number, mask: number) => {
    if (left === 0) return void out.push(mask);
    for (let i = start; i <= n - left; i++) rec(i + 1, left - 1, mask | (1 << i));
  };
  rec(0, k, 0);
  return out;
}

/**
 * PBO of a return matrix.
 *
 * @param returns row-major T × N returns (row t, strategy j at t·N + j)
 * @param t rows (time steps)
 * @param n columns (strategies)
 * @param blocks S, even, 2..24 (default 16); rows are split into S contiguous blocks
 * @param options the risk-free rate of the excess returns ranked, and rows per year
 * @returns PBO (ties count half), the logits of every split, the split count C(S, S/2), the
 *   splits decided by a tie and the PBO under the low and high tie conventions
 *
 * @example One strategy with a persistent edge over noise: PBO near 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { Random } from "../data/random.ts";
 * import { probabilityOfOverfitting } from "./pbo.ts";
 * const rng = new Random(1);
 * const t = 400, n = 5;
 * const r = Float64Array.from({ length: t * n }, (_, k) => 0.01 * rng.normal() + (k % n === 0 ? 0.004 : 0));
 * const result = probabilityOfOverfitting(r, t, n, 8);
 * assert.equal(result.splits, 70); // C(8, 4)
 * assert.ok(result.pbo < 0.2);
 * assert.equal(result.tiedSplits, 0); // continuous returns never tie
 * assert.equal(result.pboTiesLow, result.pboTiesHigh);
 * ```
 *
 * @example Two columns that never trade and one that always loses: the tie rule decides
 * ```ts
 * import assert from "node:assert/strict";
 * import { probabilityOfOverfitting } from "./pbo.ts";
 * // Columns 0 and 1 hold zeros; column 2 loses a little more each day.
 * const t = 8, n = 3;
 * const r = Float64Array.from({ length: t * n }, (_, k) =>
 *   k % n === 2 ? -0.01 - 0.001 * Math.floor(k / n) : 0);
 * const result = probabilityOfOverfitting(r, t, n, 2);
 * // In both splits columns 0 and 1 tie in sample at Sharpe 0 and column 0 wins; out of sample
 * // it ties column 1 above column 2: rank 2 (ω = 1/2, λ = 0, overfit) or rank 3 (λ > 0).
 * assert.equal(result.splits, 2);
 * assert.equal(result.tiedSplits, 2);
 * assert.equal(result.pboTiesLow, 1);
 * assert.equal(result.pboTiesHigh, 0);
 * assert.equal(result.pbo, 0); // rank 2.5: above the median
 * ```
 *
 * @example A risk-free rate changes the ranking: excess returns decide
 * ```ts
 * import assert from "node:assert/strict";
 * import { probabilityOfOverfitting } from "./pbo.ts";
 * // Two blocks of 4 days; each column alternates around its mean by ± its swing.
 * const days = [[0.0002, 0.0001, 0.0004, 0.0004], [0.0001, 0.0001, 0.0008, 0.0004]];
 * const r = new Float64Array(16);
 * for (let d = 0; d < 8; d++) {
 *   const [meanA, swingA, meanB, swingB] = days[d >> 2];
 *   const sign = d % 2 ? -1 : 1;
 *   r[2 * d] = meanA + sign * swingA;
 *   r[2 * d + 1] = meanB + sign * swingB;
 * }
 * // Raw: column 0 wins block 0 (Sharpe 1.73 against 0.87), column 1 block 1 (1.73 against
 * // 0.87): each in-sample winner is last out of sample.
 * assert.equal(probabilityOfOverfitting(r, 8, 2, 2).pbo, 1);
 * // Less 5.04% a year (0.0002 a day), column 1 wins both blocks: 0 against 0.43, −0.87 against 1.3.
 * assert.equal(probabilityOfOverfitting(r, 8, 2, 2, { riskFreeRate: 0.0504 }).pbo, 0);
 * ```
 */
export function probabilityOfOverfitting(
  returns: Float64Array,
  t: number,
  n: number,
  blocks = 16,
  options: PboOptions = {},
): PboResult {
  if (blocks % 2 !== 0 || blocks < 2 || blocks > 24) {
    throw new RangeError(`Blocks must be even and in 2..24, got ${blocks}`);
  }
  if (t < blocks) throw new RangeError(`Need at least ${blocks} rows, got ${t}`);
  if (n < 2) throw new RangeError(`Need at least 2 strategies, got ${n}`);
  // Per block and strategy: sum, sum of squares, count.
  const sum = new Float64Array(blocks * n);
  const sq = new Float64Array(blocks * n);
  const count = new Int32Array(blocks);
  for (let r = 0; r < t; r++) {
    const b = Math.min(blocks - 1, Math.floor(r * blocks / t));
    count[b]++;
    for (let j = 0; j < n; j++) {
      const x = returns[r * n + j];
      sum[b * n + j] += x;
      sq[b * n + j] += x * x;
    }
  }
  // Per split, the in-sample and out-of-sample sums of each strategy are built block by block
  // (blocks in ascending order, so every sum is formed exactly as a direct loop would form it),
  // with the strategies in the inner, contiguous loop.
  const isSum = new Float64Array(n), isSq = new Float64Array(n);
  const osSum = new Float64Array(n), osSq = new Float64Array(n);
  const ratePerRow = (options.riskFreeRate ?? 0) /
    (options.periodsPerYear ?? TRADING_DAYS_PER_YEAR);
  // Mean and variance of the returns; the Sharpe ratio of the excess returns.
  const sharpeOf = (s: number, s2: number, c: number): number => {
    const mean = s / c;
    const variance = (s2 - c * mean * mean) / (c - 1);
    const excess = mean - ratePerRow;
    return variance > ONE_PASS_RESIDUE * c * mean * mean
      ? excess / Math.sqrt(variance)
      : (excess > 0 ? Infinity : excess < 0 ? -Infinity : 0);
  };
  const logits: number[] = [];
  let overfit = 0;
  let overfitLow = 0;
  let overfitHigh = 0;
  let tiedSplits = 0;
  const logit = (rank: number) => {
    const omega = rank / (n + 1);
    return Math.log(omega / (1 - omega));
  };
  const oos = new Float64Array(n);
  for (const mask of subsets(blocks, blocks / 2)) {
    isSum.fill(0);
    isSq.fill(0);
    osSum.fill(0);
    osSq.fill(0);
    let isCount = 0;
    let osCount = 0;
    for (let b = 0; b < blocks; b++) {
      const inSample = (mask & (1 << b)) !== 0;
      const s = inSample ? isSum : osSum;
      const s2 = inSample ? isSq : osSq;
      if (inSample) isCount += count[b];
      else osCount += count[b];
      const base = b * n;
      for (let j = 0; j < n; j++) {
        s[j] += sum[base + j];
        s2[j] += sq[base + j];
      }
    }
    let best = 0;
    let bestIs = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = sharpeOf(isSum[j], isSq[j], isCount);
      if (v > bestIs) {
        bestIs = v;
        best = j;
      }
      oos[j] = sharpeOf(osSum[j], osSq[j], osCount);
    }
    // Rank (1 = worst .. N = best) of the in-sample winner out of sample; ties count half.
    let below = 0, equal = 0;
    for (let j = 0; j < n; j++) {
      if (oos[j] < oos[best]) below++;
      else if (oos[j] === oos[best] && j !== best) equal++;
    }
    const lambda = logit(below + 1 + equal / 2);
    logits.push(lambda);
    if (lambda <= 0) overfit++;
    if (equal > 0) tiedSplits++;
    if (logit(below + 1) <= 0) overfitLow++;
    if (logit(below + equal + 1) <= 0) overfitHigh++;
  }
  const splits = logits.length;
  return {
    pbo: overfit / splits,
    logits,
    splits,
    blocks,
    strategies: n,
    tiedSplits,
    pboTiesLow: overfitLow / splits,
    pboTiesHigh: overfitHigh / splits,
  };
}
