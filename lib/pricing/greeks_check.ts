/**
 * Compares published greeks and implied volatilities (ORATS-style quotes) with this library's
 * Black-Scholes values: our greeks at the quote's IV, and the IV implied by the quote's mid.
 * It reads plain records, so any source of quotes can be checked; the data-quality report
 * feeds it a sample of a chain's rows.
 *
 * @module
 */
import { bsGreeks, impliedVol, type OptionType } from "./black_scholes.ts";

/** A published quote with its greeks, as the check reads it. */
export interface PublishedOption {
  /** "call" or "put". */
  type: OptionType;
  /** Underlying price, dollars. */
  spot: number;
  /** Strike, dollars. */
  strike: number;
  /** Time to expiry, years (calendar days / 365). */
  years: number;
  /** Mid price, dollars per share. */
  mid: number;
  /** Published implied volatility, annual decimal. */
  iv: number;
  /** Published delta. */
  delta: number;
  /** Published gamma, per $1. */
  gamma: number;
  /** Published theta, dollars per calendar day. */
  theta: number;
  /** Published vega, dollars per volatility point. */
  vega: number;
}

/** Distribution of absolute differences. */
export interface DiffSummary {
  /** Median |ours - theirs|. */
  median: number | null;
  /** 99th percentile of |ours - theirs|. */
  p99: number | null;
  /** Largest |ours - theirs|. */
  max: number | null;
}

/** Result of {@link compareGreeks}. */
export interface GreeksCheck {
  /** Quotes compared. */
  /** Quotes compared. */
  rows_compared: number;
  /** Rate used for our values (annual decimal). */
  rate: number;
  /** Delta. */
  delta: DiffSummary;
  /** Gamma per $1. */
  gamma: DiffSummary;
  /** Theta per calendar day. */
  theta: DiffSummary;
  /** Vega per volatility point. */
  vega: DiffSummary;
  /** Our IV from the quote's mid vs the quote's IV (volatility points as decimals). */
  iv_from_mid: DiffSummary;
  /** Quotes whose mid lies outside the no-arbitrage bounds (no IV). */
  mid_outside_bounds: number;
}

function summarize(values: number[]): DiffSummary {
  if (!values.length) return { median: null, p99: null, max: null };
  const s = values.sort((a, b) => a - b);
  return {
    median: s[s.length >> 1],
    p99: s[Math.min(s.length - 1, Math.floor(0.99 * s.length))],
    max: s[s.length - 1],
  };
}

/**
 * Greeks and IV comparison of published quotes.
 *
 * @param quotes the quotes to compare
 * @param rate risk-free rate for our values, annual decimal (default 0)
 * @returns the distributions of the differences
 *
 * @example Quotes priced with the same formulas agree to rounding
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsGreeks, bsPrice } from "./black_scholes.ts";
 * import { compareGreeks } from "./greeks_check.ts";
 * const g = bsGreeks("put", 100, 95, 0.1, 0, 0.2);
 * const quote = { type: "put" as const, spot: 100, strike: 95, years: 0.1, iv: 0.2,
 *   mid: bsPrice("put", 100, 95, 0.1, 0, 0.2), ...g };
 * const check = compareGreeks([quote, { ...quote, delta: g.delta + 0.01 }]);
 * assert.equal(check.rows_compared, 2);
 * assert.ok(Math.abs(check.delta.max! - 0.01) < 1e-12 && check.iv_from_mid.max! < 1e-12);
 * ```
 */
export function compareGreeks(quotes: Iterable<PublishedOption>, rate = 0): GreeksCheck {
  const diffs = {
    delta: [] as number[],
    gamma: [] as number[],
    theta: [] as number[],
    vega: [] as number[],
    iv: [] as number[],
  };
  let outside = 0;
  for (const q of quotes) {
    const g = bsGreeks(q.type, q.spot, q.strike, q.years, rate, q.iv);
    diffs.delta.push(Math.abs(g.delta - q.delta));
    diffs.gamma.push(Math.abs(g.gamma - q.gamma));
    diffs.theta.push(Math.abs(g.theta - q.theta));
    diffs.vega.push(Math.abs(g.vega - q.vega));
    const iv = impliedVol(q.type, q.mid, q.spot, q.strike, q.years, rate);
    if (Number.isNaN(iv)) outside++;
    else diffs.iv.push(Math.abs(iv - q.iv));
  }
  return {
    rows_compared: diffs.delta.length,
    rate,
    delta: summarize(diffs.delta),
    gamma: summarize(diffs.gamma),
    theta: summarize(diffs.theta),
    vega: summarize(diffs.vega),
    iv_from_mid: summarize(diffs.iv),
    mid_outside_bounds: outside,
  };
}
