/**
 * Black-Scholes-Merton prices and greeks for European options on a stock paying a continuous
 * dividend yield q.
 *
 * Units used throughout: S and K in dollars per share, T in years (DTE / 365), r, q and σ as
 * annual decimals (5% = 0.05). Theta is per calendar day, vega per 1 volatility point (σ + 0.01)
 * and rho per 1 rate point (r + 0.01).
 *
 * @module
 */
import { normCdf, normPdf } from "./normal.ts";
import { CALENDAR_DAYS_PER_YEAR } from "../data/conventions.ts";
import { blackImpliedVolatility, blackPrice } from "./lets_be_rational.ts";

/** Option type as the public API spells it. */
export type OptionType = "call" | "put";

/** Black-Scholes greeks in trader units. */
export interface Greeks {
  /** ∂V/∂S, per $1 of the underlying. */
  delta: number;
  /** ∂²V/∂S², per $1 of the underlying. */
  gamma: number;
  /** ∂V/∂t, dollars per calendar day (negative for a long option, as time passes). */
  theta: number;
  /** ∂V/∂σ, dollars per 1 volatility point. */
  vega: number;
  /** ∂V/∂r, dollars per 1 rate point. */
  rho: number;
}

function thetaSign(type: OptionType): number {
  return type === "call" ? 1 : -1;
}

/**
 * Black-Scholes-Merton price of a European call or put.
 *
 * Computed as e^{-rT}·Black(F = S·e^{(r-q)T}, K, σ, T) through Jäckel's normalised Black
 * function, so far out-of-the-money prices keep full relative precision.
 *
 * @param type "call" or "put"
 * @param S spot price, > 0
 * @param K strike, > 0
 * @param T time to expiry in years; T <= 0 gives the intrinsic value max(±(S-K), 0)
 * @param r risk-free rate, annual continuous decimal
 * @param sigma volatility, annual decimal; σ = 0 gives the discounted forward intrinsic
 * @param q continuous dividend yield, annual decimal (default 0)
 * @returns the price in dollars per share; NaN for non-positive S or K, negative σ or NaN input
 *
 * @example Hull's example 15.6: S = 42, K = 40, r = 10%, σ = 20%, T = 0.5
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsPrice } from "../mod.ts";
 * assert.ok(Math.abs(bsPrice("call", 42, 40, 0.5, 0.1, 0.2) - 4.759422392871532) < 1e-12);
 * assert.ok(Math.abs(bsPrice("put", 42, 40, 0.5, 0.1, 0.2) - 0.8085993729000922) < 1e-12);
 * ```
 */
export function bsPrice(
  type: OptionType,
  S: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
  q = 0,
): number {
  if (!(S > 0 && K > 0 && sigma >= 0) || T !== T || r !== r || q !== q) return NaN;
  const theta = thetaSign(type);
  if (T <= 0) return Math.max(theta * (S - K), 0);
  const forward = S * Math.exp((r - q) * T);
  return Math.exp(-r * T) * blackPrice(forward, K, sigma, T, theta);
}

/**
 * Black-Scholes-Merton greeks of a European call or put.
 *
 * delta = θ·e^{-qT}·Φ(θ·d1); gamma = e^{-qT}·φ(d1)/(S·σ·√T);
 * theta = [-S·e^{-qT}·φ(d1)·σ/(2√T) - θ·r·K·e^{-rT}·Φ(θ·d2) + θ·q·S·e^{-qT}·Φ(θ·d1)] / 365;
 * vega = S·e^{-qT}·φ(d1)·√T / 100; rho = θ·K·T·e^{-rT}·Φ(θ·d2) / 100; with θ = +1 call, -1 put.
 *
 * At expiry (T <= 0) or with σ = 0 the option is a step function: delta is ±e^{-qT} when in the
 * money (forward basis) and 0 otherwise, the other greeks 0.
 *
 * @param type "call" or "put"
 * @param S spot, K strike (dollars), T years, r, sigma, q annual decimals (q default 0)
 * @returns `{ delta, gamma, theta, vega, rho }`; every field NaN on invalid input
 *
 * @example A 30-day at-the-money put has delta near -0.5 and loses value every day
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsGreeks } from "../mod.ts";
 * const g = bsGreeks("put", 100, 100, 30 / 365, 0, 0.2);
 * assert.ok(g.delta < -0.48 && g.delta > -0.5);
 * assert.ok(g.theta < 0);
 * ```
 */
export function bsGreeks(
  type: OptionType,
  S: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
  q = 0,
): Greeks {
  if (!(S > 0 && K > 0 && sigma >= 0) || T !== T || r !== r || q !== q) {
    return { delta: NaN, gamma: NaN, theta: NaN, vega: NaN, rho: NaN };
  }
  const th = thetaSign(type);
  if (T <= 0 || sigma === 0) {
    const tt = T > 0 ? T : 0;
    const forward = S * Math.exp((r - q) * tt);
    const itm = th * (forward - K) > 0;
    const dq = Math.exp(-q * tt);
    const rho = itm && tt > 0 ? th * K * tt * Math.exp(-r * tt) / 100 : 0;
    const theta = itm && tt > 0
      ? (-th * r * K * Math.exp(-r * tt) + th * q * S * dq) / CALENDAR_DAYS_PER_YEAR
      : 0;
    return { delta: itm ? th * dq : 0, gamma: 0, theta, vega: 0, rho };
  }
  const sqrtT = Math.sqrt(T);
  const sigmaSqrtT = sigma * sqrtT;
  const d1 = (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / sigmaSqrtT;
  const d2 = d1 - sigmaSqrtT;
  const dq = Math.exp(-q * T);
  const dr = Math.exp(-r * T);
  const pdf = normPdf(d1);
  const nd1 = normCdf(th * d1);
  const nd2 = normCdf(th * d2);
  return {
    delta: th * dq * nd1,
    gamma: dq * pdf / (S * sigmaSqrtT),
    theta: (-S * dq * pdf * sigma / (2 * sqrtT) - th * r * K * dr * nd2 + th * q * S * dq * nd1) /
      CALENDAR_DAYS_PER_YEAR,
    vega: S * dq * pdf * sqrtT / 100,
    rho: th * K * T * dr * nd2 / 100,
  };
}

/**
 * Black-Scholes-Merton implied volatility by Jäckel's "Let's Be Rational": the discounted price
 * is turned into an undiscounted price on the forward F = S·e^{(r-q)T} and inverted to machine
 * precision in at most two Householder iterations.
 *
 * @param type "call" or "put"
 * @param price option price in dollars per share (discounted, as quoted)
 * @param S spot, K strike (dollars), T years (> 0), r, q annual decimals (q default 0)
 * @returns σ as an annual decimal; 0 when the price equals the intrinsic value of the forward;
 *   NaN (never an exception) when the price is outside the no-arbitrage bounds — below
 *   e^{-rT}·max(θ(F-K), 0) or at/above e^{-qT}·S for a call, e^{-rT}·K for a put — or when
 *   T <= 0, S <= 0, K <= 0 or any input is NaN
 *
 * @example Round trip of Hull's example 15.6 call
 * ```ts
 * import assert from "node:assert/strict";
 * import { impliedVol } from "../mod.ts";
 * const iv = impliedVol("call", 4.759422392871532, 42, 40, 0.5, 0.1);
 * assert.ok(Math.abs(iv - 0.2) < 1e-14);
 * ```
 */
export function impliedVol(
  type: OptionType,
  price: number,
  S: number,
  K: number,
  T: number,
  r: number,
  q = 0,
): number {
  if (!(S > 0 && K > 0 && T > 0) || r !== r || q !== q) return NaN;
  const forward = S * Math.exp((r - q) * T);
  return blackImpliedVolatility(price * Math.exp(r * T), forward, K, T, thetaSign(type));
}

/**
 * Risk-neutral probability that the option finishes in the money: Φ(d2) for a call, Φ(-d2)
 * for a put. Used by candidate scoring as P(ITM) of a spread's short strike.
 *
 * @param type "call" or "put"
 * @param S spot, K strike, T years, r, sigma, q annual decimals (q default 0)
 * @returns probability in [0, 1]; the step value at T <= 0 or σ = 0; NaN on invalid input
 *
 * @example An at-the-money option with zero rate is slightly less than 50% likely to finish ITM
 * ```ts
 * import assert from "node:assert/strict";
 * import { probItm } from "../mod.ts";
 * const p = probItm("call", 100, 100, 0.25, 0, 0.2);
 * assert.ok(p < 0.5 && p > 0.48);
 * ```
 */
export function probItm(
  type: OptionType,
  S: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
  q = 0,
): number {
  if (!(S > 0 && K > 0 && sigma >= 0) || T !== T || r !== r || q !== q) return NaN;
  const th = thetaSign(type);
  const sigmaSqrtT = sigma * Math.sqrt(Math.max(T, 0));
  const lnForwardOverK = Math.log(S / K) + (r - q) * Math.max(T, 0);
  if (!(sigmaSqrtT > 0)) return th * lnForwardOverK > 0 ? 1 : 0;
  const d2 = lnForwardOverK / sigmaSqrtT - 0.5 * sigmaSqrtT;
  return normCdf(th * d2);
}
