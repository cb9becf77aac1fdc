/**
 * ORATS-methodology fills: a leg sold fills at ask - (ask - bid)·s and a leg bought at
 * bid + (ask - bid)·s, where s depends on the order's leg count (1: 75%, 2: 66%, 3: 56%,
 * 4: 53% of the bid-ask spread). All prices in dollars per share.
 *
 * @module
 */

/**
 * Fill price of selling a leg.
 *
 * @example Selling at 66% slippage on a 1.00/1.20 market fills at 1.068
 * ```ts
 * import assert from "node:assert/strict";
 * import { sellFill } from "./fills.ts";
 * assert.ok(Math.abs(sellFill(1.0, 1.2, 0.66) - 1.068) < 1e-12);
 * ```
 */
export function sellFill(bid: number, ask: number, slippage: number): number {
  return ask - (ask - bid) * slippage;
}

/** Fill price of buying a leg: bid + (ask - bid)·s. */
export function buyFill(bid: number, ask: number, slippage: number): number {
  return bid + (ask - bid) * slippage;
}

/** Intrinsic value of a put (θ = -1) or call (θ = 1) at an underlying price. */
export function intrinsic(isPut: boolean, strike: number, underlying: number): number {
  return Math.max(isPut ? strike - underlying : underlying - strike, 0);
}
