/**
 * Compares a chain's published greeks and IV (ORATS-style columns) with this library's
 * Black-Scholes values, on an evenly spaced sample of usable rows: our greeks at the row's IV,
 * and the IV implied by the row's mid. Part of the data-quality report.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TYPE_PUT } from "../data/chain_store.ts";
import { bsGreeks, impliedVol } from "./black_scholes.ts";

/** Distribution of absolute differences. */
export interface DiffSummary {
  /** Median |ours - theirs|. */
  median: number | null;
  /** 99th percentile of |ours - theirs|. */
  p99: number | null;
  /** Largest |ours - theirs|. */
  max: number | null;
}

/** Result of {@link greeksCheck}. */
export interface GreeksCheck {
  /** Rows compared (unflagged, DTE >= 1). */
  rows_compared: number;
  /** Rate used for our values (annual decimal). */
  rate: number;
  delta: DiffSummary;
  /** Gamma per $1. */
  gamma: DiffSummary;
  /** Theta per calendar day. */
  theta: DiffSummary;
  /** Vega per volatility point. */
  vega: DiffSummary;
  /** Our IV from the row's mid vs the row's IV (volatility points as decimals). */
  iv_from_mid: DiffSummary;
  /** Rows whose mid lies outside the no-arbitrage bounds (no IV). */
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
 * Greeks and IV comparison on up to `sample` evenly spaced usable rows.
 *
 * @param store the chain
 * @param options `rate` (annual decimal, default 0: the chain's own rate is not in the data)
 *   and `sample` (default 20,000 rows)
 */
export function greeksCheck(
  store: ChainStore,
  options: { rate?: number; sample?: number } = {},
): GreeksCheck {
  const c = store.columns;
  const rate = options.rate ?? 0;
  const want = options.sample ?? 20000;
  const step = Math.max(1, Math.floor(store.rowCount / want));
  const diffs = {
    delta: [] as number[],
    gamma: [] as number[],
    theta: [] as number[],
    vega: [] as number[],
    iv: [] as number[],
  };
  let outside = 0;
  for (let i = 0; i < store.rowCount; i += step) {
    const dte = c.expiry[i] - c.day[i];
    if (c.flags[i] !== 0 || dte < 1) continue;
    const type = c.type[i] === TYPE_PUT ? "put" : "call";
    const T = dte / 365;
    const g = bsGreeks(type, c.stockPrice[i], c.strike[i], T, rate, c.iv[i]);
    diffs.delta.push(Math.abs(g.delta - c.delta[i]));
    diffs.gamma.push(Math.abs(g.gamma - c.gamma[i]));
    diffs.theta.push(Math.abs(g.theta - c.theta[i]));
    diffs.vega.push(Math.abs(g.vega - c.vega[i]));
    const iv = impliedVol(type, c.mid[i], c.stockPrice[i], c.strike[i], T, rate);
    if (Number.isNaN(iv)) outside++;
    else diffs.iv.push(Math.abs(iv - c.iv[i]));
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
