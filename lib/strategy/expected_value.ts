/**
 * Expected value at expiry of a credit spread per share, the first term of the score.
 *
 * A vertical keeps the spec's formula: EV = credit·P(OTM) − max loss·P(ITM), with P(ITM) the
 * risk-neutral probability N(∓d2) that the short strike finishes in the money (everything past
 * the short strike counts as the full loss).
 *
 * An iron condor integrates its payoff at expiry under the same lognormal as that P(ITM): the
 * underlying at expiry S_T has ln S_T ~ N(ln S + (r − σ²/2)·T, σ²·T), T = DTE / 365, with each
 * side's zones under its own short strike's implied volatility σ (so each side's tail is the
 * lognormal of its vertical's P(ITM)). With the put side Kpl < Kps and the call side
 * Kcs < Kcl, credit c, and the sides' max losses Lp = (Kps − Kpl) − c and Lc = (Kcl − Kcs) − c:
 *
 *   EV = c·P(Kps ≤ S_T ≤ Kcs)                          both sides expire worthless
 *      − Lp·P(S_T < Kpl) − Lc·P(S_T > Kcl)              a side at its max loss
 *      + ∫[Kpl, Kps] (c − (Kps − s)) dP(s)              the put side's partial zone
 *      + ∫[Kcs, Kcl] (c − (s − Kcs)) dP(s)              the call side's partial zone
 *
 * where P(Kps ≤ S_T ≤ Kcs) = 1 − Pput(S_T < Kps) − Pcall(S_T > Kcs). Collecting the credit
 * terms, this is c − Ep − Ec, where each side's expected loss is the difference of two
 * undiscounted Black-Scholes values at its strikes (a put spread's and a call spread's):
 *
 *   Ep = E[(Kps − S_T)⁺] − E[(Kpl − S_T)⁺],  E[(K − S_T)⁺] = K·N(−d2) − F·N(−d1)
 *   Ec = E[(S_T − Kcs)⁺] − E[(S_T − Kcl)⁺],  E[(S_T − K)⁺] = F·N(d1) − K·N(d2)
 *
 * with F = S·e^{rT}, d1 = (ln(F/K) + σ²T/2) / (σ√T), d2 = d1 − σ√T. That closed form is what
 * is computed; tests/strategy/expected_value_test.ts checks it zone by zone against numerical
 * integration of the density. With one volatility for both sides it is the exact expectation
 * under one lognormal. Under the usual skew (the put's IV above the call's) the two sides'
 * lognormals differ; for short strikes near the money their tail probabilities can then add up
 * to a little over 1 (P(Kps ≤ S_T ≤ Kcs) slightly below 0), which the EV carries as it is.
 *
 * @module
 */
import { normCdf } from "../pricing/normal.ts";

/**
 * Expected loss at expiry of one side of a credit spread per share: E[short leg's payoff −
 * long leg's payoff] under the lognormal of the short strike's implied volatility.
 *
 * @param isPut true for the put side (a bull put spread), false for the call side
 * @param spot underlying price S, dollars
 * @param shortStrike strike sold, dollars
 * @param longStrike strike bought, further out of the money, dollars
 * @param years time to expiry T = DTE / 365
 * @param rate risk-free rate r, annual decimal (the drift of the risk-neutral lognormal)
 * @param vol implied volatility σ of the short strike, annual decimal
 * @returns dollars per share, between 0 and the width; NaN when an input is unusable
 *
 * @example At expiry (T = 0) the loss is the intrinsic difference; a 95/90 put side with the
 * stock at 93 loses 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { sideExpectedLoss } from "./expected_value.ts";
 * assert.equal(sideExpectedLoss(true, 93, 95, 90, 0, 0, 0.2), 2);
 * const loss = sideExpectedLoss(false, 100, 105, 110, 30 / 365, 0, 0.2);
 * assert.ok(loss > 0 && loss < 5);
 * ```
 */
export function sideExpectedLoss(
  isPut: boolean,
  spot: number,
  shortStrike: number,
  longStrike: number,
  years: number,
  rate: number,
  vol: number,
): number {
  if (!(spot > 0 && shortStrike > 0 && longStrike > 0 && vol >= 0 && years >= 0)) return NaN;
  const forward = spot * Math.exp(rate * years);
  const sigmaSqrtT = vol * Math.sqrt(years);
  return undiscountedValue(isPut, forward, shortStrike, sigmaSqrtT) -
    undiscountedValue(isPut, forward, longStrike, sigmaSqrtT);
}

/**
 * E[(K − S_T)⁺] (put) or E[(S_T − K)⁺] (call) for a lognormal S_T with mean F and log
 * standard deviation σ√T; the intrinsic value at F when σ√T = 0.
 */
function undiscountedValue(isPut: boolean, forward: number, strike: number, sigmaSqrtT: number) {
  if (!(sigmaSqrtT > 0)) return Math.max(isPut ? strike - forward : forward - strike, 0);
  const d1 = Math.log(forward / strike) / sigmaSqrtT + 0.5 * sigmaSqrtT;
  const d2 = d1 - sigmaSqrtT;
  return isPut
    ? strike * normCdf(-d2) - forward * normCdf(-d1)
    : forward * normCdf(d1) - strike * normCdf(d2);
}

/** One side of an iron condor, for {@link condorExpectedValue}. */
export interface CondorSide {
  /** Strike sold, dollars. */
  shortStrike: number;
  /** Strike bought, further out of the money, dollars. */
  longStrike: number;
  /** Implied volatility of the short strike, annual decimal. */
  vol: number;
}

/**
 * Expected value at expiry of an iron condor per share: credit − the put side's expected loss
 * − the call side's (the zone integral of the module doc, in closed form).
 *
 * @param credit total credit after slippage, dollars per share
 * @param spot underlying price S, dollars
 * @param years time to expiry T = DTE / 365
 * @param rate risk-free rate r, annual decimal
 * @param put the put side (strikes and the short put's implied volatility)
 * @param call the call side (strikes and the short call's implied volatility)
 * @returns dollars per share; NaN when an input is unusable
 *
 * @example At expiry with the stock between the short strikes the condor keeps its credit
 * ```ts
 * import assert from "node:assert/strict";
 * import { condorExpectedValue } from "./expected_value.ts";
 * const put = { shortStrike: 95, longStrike: 90, vol: 0.2 };
 * const call = { shortStrike: 105, longStrike: 110, vol: 0.18 };
 * assert.equal(condorExpectedValue(1.1, 100, 0, 0, put, call), 1.1);
 * assert.ok(condorExpectedValue(1.1, 100, 30 / 365, 0, put, call) < 1.1);
 * ```
 */
export function condorExpectedValue(
  credit: number,
  spot: number,
  years: number,
  rate: number,
  put: CondorSide,
  call: CondorSide,
): number {
  return credit -
    sideExpectedLoss(true, spot, put.shortStrike, put.longStrike, years, rate, put.vol) -
    sideExpectedLoss(false, spot, call.shortStrike, call.longStrike, years, rate, call.vol);
}
