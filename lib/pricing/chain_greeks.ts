/**
 * Implied volatility and greeks of whole chains that come without them (CBOE's Option EOD files
 * without "Calcs", or any layout mapped without IV and greeks): IV from each option's price by
 * Jäckel's "Let's Be Rational", then Black-Scholes-Merton greeks at that IV, over typed arrays
 * and allocating nothing per option. The data layer calls it through its `computeGreeks` load
 * option.
 *
 * @module
 */
import { blackImpliedVolatility } from "./lets_be_rational.ts";
import { normCdf, normPdf } from "./normal.ts";
import { TYPE_PUT } from "../data/chain_store.ts";
import { CALENDAR_DAYS_PER_YEAR } from "../data/conventions.ts";
import type { OptionArrays } from "./vectorized.ts";

/** Outputs of {@link chainGreeks}, one entry per option (rho optional). */
export interface ChainGreeksOutput {
  /** Implied volatility, annual decimal; NaN where none exists. */
  iv: Float64Array;
  /** Delta per $1 of the underlying. */
  delta: Float64Array;
  /** Gamma per $1 of the underlying. */
  gamma: Float64Array;
  /** Theta, dollars per calendar day. */
  theta: Float64Array;
  /** Vega, dollars per volatility point. */
  vega: Float64Array;
  /** Rho, dollars per rate point (skipped when absent). */
  rho?: Float64Array;
}

/**
 * Implied volatility and greeks of many options from their prices. For each option: σ is the
 * Black-Scholes-Merton implied volatility of the (discounted) price with rate r and dividend
 * yield q (Let's Be Rational on the forward F = S·e^{(r-q)T}); the greeks are
 * {@link bsGreeks}' at σ — delta = θ·e^{-qT}·Φ(θd1), gamma = e^{-qT}φ(d1)/(Sσ√T), theta per
 * calendar day, vega and rho per point. Where no σ > 0 exists (a NaN price, a price at or below
 * intrinsic value or above its upper bound, T <= 0) every output is NaN: never guessed.
 *
 * @param options option types (0 call, 1 put), spots, strikes and years to expiry
 * @param prices option prices, dollars per share (NaN for "no usable price")
 * @param out output arrays (same length), written in place
 * @param opts `rate` and `dividendYield`, annual decimals (default 0)
 * @returns the number of options whose IV could not be found
 *
 * @example A put priced at 20% volatility comes back at 20%; a price below intrinsic has no IV
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsGreeks, bsPrice, chainGreeks } from "../mod.ts";
 * const price = bsPrice("put", 100, 95, 0.25, 0.03, 0.2);
 * const out = {
 *   iv: new Float64Array(2),
 *   delta: new Float64Array(2),
 *   gamma: new Float64Array(2),
 *   theta: new Float64Array(2),
 *   vega: new Float64Array(2),
 * };
 * const missed = chainGreeks(
 *   {
 *     types: Uint8Array.of(1, 1),
 *     spots: Float64Array.of(100, 100),
 *     strikes: Float64Array.of(95, 130),
 *     years: Float64Array.of(0.25, 0.25),
 *   },
 *   Float64Array.of(price, 1), // the 130 put is worth at least 29 intrinsic
 *   out,
 *   { rate: 0.03 },
 * );
 * assert.ok(Math.abs(out.iv[0] - 0.2) < 1e-13);
 * assert.ok(Math.abs(out.delta[0] - bsGreeks("put", 100, 95, 0.25, 0.03, 0.2).delta) < 1e-13);
 * assert.equal(missed, 1);
 * assert.ok(Number.isNaN(out.iv[1]) && Number.isNaN(out.delta[1]));
 * ```
 */
export function chainGreeks(
  options: OptionArrays,
  prices: Float64Array,
  out: ChainGreeksOutput,
  opts: { rate?: number; dividendYield?: number } = {},
): number {
  const { types, spots, strikes, years } = options;
  const n = prices.length;
  if (types.length !== n || spots.length !== n || strikes.length !== n || years.length !== n) {
    throw new RangeError(`All arrays must have the length of prices (${n})`);
  }
  const r = opts.rate ?? 0;
  const q = opts.dividendYield ?? 0;
  const { iv, delta, gamma, theta, vega, rho } = out;
  let missed = 0;
  for (let i = 0; i < n; i++) {
    const T = years[i];
    const S = spots[i];
    const K = strikes[i];
    const th = types[i] === TYPE_PUT ? -1 : 1;
    let sigma = NaN;
    if (T > 0 && S > 0 && K > 0 && prices[i] > 0) {
      const carry = (r - q) * T;
      const growth = carry === 0 ? 1 : Math.exp(carry);
      sigma = blackImpliedVolatility(
        prices[i] * (q === 0 ? growth : Math.exp(r * T)),
        S * growth,
        K,
        T,
        th,
      );
    }
    if (!(sigma > 0)) {
      missed++;
      iv[i] = NaN;
      delta[i] = NaN;
      gamma[i] = NaN;
      theta[i] = NaN;
      vega[i] = NaN;
      if (rho) rho[i] = NaN;
      continue;
    }
    // The greeks exactly as bsGreeks computes them.
    const sqrtT = Math.sqrt(T);
    const sigmaSqrtT = sigma * sqrtT;
    const d1 = (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / sigmaSqrtT;
    const d2 = d1 - sigmaSqrtT;
    const dq = Math.exp(-q * T);
    const dr = Math.exp(-r * T);
    const pdf = normPdf(d1);
    const nd1 = normCdf(th * d1);
    const nd2 = normCdf(th * d2);
    iv[i] = sigma;
    delta[i] = th * dq * nd1;
    gamma[i] = dq * pdf / (S * sigmaSqrtT);
    theta[i] =
      (-S * dq * pdf * sigma / (2 * sqrtT) - th * r * K * dr * nd2 + th * q * S * dq * nd1) /
      CALENDAR_DAYS_PER_YEAR;
    vega[i] = S * dq * pdf * sqrtT / 100;
    if (rho) rho[i] = th * K * T * dr * nd2 / 100;
  }
  return missed;
}
