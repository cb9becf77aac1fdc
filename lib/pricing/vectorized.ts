/**
 * Whole-chain kernels over typed arrays: implied volatility and prices for many options at once,
 * allocating nothing per option.
 *
 * @module
 */
import { TYPE_PUT } from "../data/chain_store.ts";
import { blackPrice } from "./lets_be_rational.ts";
import { impliedVolRange } from "./_iv_kernel.ts";
import { impliedVolOnTwoThreads } from "./_iv_threads.ts";

/** Inputs of {@link impliedVolArray} and {@link bsPriceArray}: one entry per option. */
export interface OptionArrays {
  /** Option type codes of the ChainStore's `type` column (TYPE_CALL, TYPE_PUT). */
  types: Uint8Array;
  /** Spot prices, dollars. */
  spots: Float64Array;
  /** Strikes, dollars. */
  strikes: Float64Array;
  /** Times to expiry, years. */
  years: Float64Array;
}

/**
 * Implied volatilities of many options, written into `out` (Let's Be Rational per option).
 * Entries whose price is outside the no-arbitrage bounds come out NaN, as in `impliedVol`.
 * Large arrays (32,768 options or more) are split with a helper thread on machines with two
 * cores or more; every option gets the same value on either thread.
 *
 * @param options option types, spots, strikes and years (equal lengths)
 * @param prices discounted option prices, dollars per share
 * @param opts `rate` (annual decimal, default 0), `dividendYield` (default 0), `out` (reused
 *   output array, default a new one), `threads` (1 keeps the work on this thread; default 2)
 * @returns the implied volatilities (annual decimals)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { impliedVolArray } from "./vectorized.ts";
 * const iv = impliedVolArray(
 *   { types: Uint8Array.of(0, 1), spots: Float64Array.of(100, 100),
 *     strikes: Float64Array.of(100, 90), years: Float64Array.of(0.25, 0.25) },
 *   Float64Array.of(3.987761167674492, 0.5),
 * );
 * assert.ok(Math.abs(iv[0] - 0.2) < 1e-13);
 * ```
 */
export function impliedVolArray(
  options: OptionArrays,
  prices: Float64Array,
  opts: { rate?: number; dividendYield?: number; out?: Float64Array; threads?: 1 | 2 } = {},
): Float64Array {
  const { types, spots, strikes, years } = options;
  const n = prices.length;
  if (types.length !== n || spots.length !== n || strikes.length !== n || years.length !== n) {
    throw new RangeError(`All arrays must have the length of prices (${n})`);
  }
  const r = opts.rate ?? 0;
  const q = opts.dividendYield ?? 0;
  const out = opts.out ?? new Float64Array(n);
  if (
    (opts.threads ?? 2) === 2 &&
    impliedVolOnTwoThreads(types, spots, strikes, years, prices, r, q, out)
  ) return out;
  impliedVolRange(types, spots, strikes, years, prices, r, q, out, 0, n);
  return out;
}

/**
 * Black-Scholes-Merton prices of many options, written into `out`.
 *
 * @param options option types, spots, strikes and years (equal lengths)
 * @param vols volatilities, annual decimals
 * @param opts `rate` (default 0), `dividendYield` (default 0), `out` (default a new array)
 * @returns prices in dollars per share (intrinsic value where T <= 0)
 */
export function bsPriceArray(
  options: OptionArrays,
  vols: Float64Array,
  opts: { rate?: number; dividendYield?: number; out?: Float64Array } = {},
): Float64Array {
  const { types, spots, strikes, years } = options;
  const n = vols.length;
  const r = opts.rate ?? 0;
  const q = opts.dividendYield ?? 0;
  const out = opts.out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const theta = types[i] === TYPE_PUT ? -1 : 1;
    const T = years[i];
    const S = spots[i];
    const K = strikes[i];
    if (!(T > 0)) {
      out[i] = Math.max(theta * (S - K), 0);
      continue;
    }
    // No exponentials at zero rates (the default of a backtest); one when q = 0.
    const carry = (r - q) * T;
    const growth = carry === 0 ? 1 : Math.exp(carry);
    const discount = r === 0 ? 1 : q === 0 ? 1 / growth : Math.exp(-r * T);
    out[i] = discount * blackPrice(S * growth, K, vols[i], T, theta);
  }
  return out;
}
