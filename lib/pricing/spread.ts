/**
 * Greeks of a vertical credit spread.
 *
 * Convention: spread greeks are **short leg minus long leg** (`short - long`), the greeks of the
 * spread's value, which is what the seller owes. A credit spread's mark is
 * `mid(short) - mid(long)` > 0 and falls as the trade makes money. The trader's position is
 * short that value, so the position's greeks are the negatives: a bull put spread (short the
 * higher put, long the lower) has spread delta < 0 and position delta > 0; its spread theta is
 * negative (the value decays) and the position earns theta.
 *
 * @module
 */
import type { Greeks } from "./black_scholes.ts";

/**
 * Spread greeks as short leg minus long leg.
 *
 * @param shortLeg greeks of the option sold
 * @param longLeg greeks of the option bought
 * @returns `{ delta, gamma, theta, vega, rho }` of the spread's value (negate for the position)
 *
 * @example A bull put spread's value has negative delta
 * ```ts
 * import assert from "node:assert/strict";
 * import { bsGreeks, spreadGreeks } from "../mod.ts";
 * const g = spreadGreeks(bsGreeks("put", 100, 95, 0.1, 0, 0.2), bsGreeks("put", 100, 90, 0.1, 0, 0.2));
 * assert.ok(g.delta < 0);
 * ```
 */
export function spreadGreeks(shortLeg: Greeks, longLeg: Greeks): Greeks {
  return {
    delta: shortLeg.delta - longLeg.delta,
    gamma: shortLeg.gamma - longLeg.gamma,
    theta: shortLeg.theta - longLeg.theta,
    vega: shortLeg.vega - longLeg.vega,
    rho: shortLeg.rho - longLeg.rho,
  };
}
