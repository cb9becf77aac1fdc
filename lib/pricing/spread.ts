/**
 * Greeks of a vertical credit spread as the position holds them: the short leg counts
 * negative and the long leg positive (position = long − short, per share). A credit spread
 * therefore shows positive theta (it earns time decay) and negative vega (it loses when
 * volatility rises); a bull put spread has positive delta and a bear call spread negative
 * delta. Per-leg greeks keep their market signs.
 *
 * Worked example (S = 100, T = 0.1 year, r = 0, σ = 20%): a bull put spread short the 95 put,
 * long the 90 put. The 95 put has delta -0.1997, theta -0.0242 per day and vega 0.0885 per
 * point; the 90 put delta -0.0448, theta -0.0082 and vega 0.0299. The position's delta is
 * -0.0448 - (-0.1997) = +0.1549, its theta -0.0082 - (-0.0242) = +0.0161 a day, and its vega
 * 0.0299 - 0.0885 = -0.0586 per point.
 *
 * @module
 */
import type { Greeks } from "./black_scholes.ts";

/**
 * Position greeks of a spread: long leg minus short leg, per share.
 *
 * @param shortLeg greeks of the option sold (market signs)
 * @param longLeg greeks of the option bought (market signs)
 * @returns `{ delta, gamma, theta, vega, rho }` of the position (theta per calendar day, vega
 *   and rho per 1 point)
 *
 * @example A bull put spread earns theta, loses on volatility and gains as the stock rises
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsGreeks } from "./black_scholes.ts";
 * import { spreadGreeks } from "./spread.ts";
 * const short = bsGreeks("put", 100, 95, 0.1, 0, 0.2);
 * const long = bsGreeks("put", 100, 90, 0.1, 0, 0.2);
 * const g = spreadGreeks(short, long);
 * assert.ok(Math.abs(g.delta - 0.1549) < 1e-4 && Math.abs(g.theta - 0.0161) < 1e-4);
 * assert.ok(g.vega < 0 && g.delta === long.delta - short.delta);
 * ```
 */
export function spreadGreeks(shortLeg: Greeks, longLeg: Greeks): Greeks {
  return {
    delta: longLeg.delta - shortLeg.delta,
    gamma: longLeg.gamma - shortLeg.gamma,
    theta: longLeg.theta - shortLeg.theta,
    vega: longLeg.vega - shortLeg.vega,
    rho: longLeg.rho - shortLeg.rho,
  };
}
