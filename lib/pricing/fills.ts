/**
 * ORATS-methodology fill prices of one leg: a leg sold fills at ask - (ask - bid)·s and a leg
 * bought at bid + (ask - bid)·s, where s is the share of the bid-ask spread given up, set by
 * the order's leg count (1: 0.75, 2: 0.66, 3: 0.56, 4: 0.53). All prices in dollars per share.
 * The scanner prices a candidate's credit with these, the execution model its exits.
 *
 * @module
 */

/**
 * Fill price of selling a leg: ask - (ask - bid)·s.
 *
 * @param bid bid, dollars per share
 * @param ask ask, dollars per share
 * @param slippage share s of the bid-ask spread given up (0 = the ask, 1 = the bid)
 * @returns the fill, dollars per share
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

/**
 * Fill price of buying a leg: bid + (ask - bid)·s.
 *
 * @param bid bid, dollars per share
 * @param ask ask, dollars per share
 * @param slippage share s of the bid-ask spread given up (0 = the bid, 1 = the ask)
 * @returns the fill, dollars per share
 *
 * @example Buying at 66% slippage on a 0.40/0.50 market fills at 0.466
 * ```ts
 * import assert from "node:assert/strict";
 * import { buyFill } from "./fills.ts";
 * assert.ok(Math.abs(buyFill(0.4, 0.5, 0.66) - 0.466) < 1e-12);
 * ```
 */
export function buyFill(bid: number, ask: number, slippage: number): number {
  return bid + (ask - bid) * slippage;
}

/**
 * Intrinsic value of an option at an underlying price: max(K - S, 0) for a put, max(S - K, 0)
 * for a call.
 *
 * @param isPut true for a put, false for a call
 * @param strike strike K, dollars
 * @param underlying underlying price S, dollars
 * @returns dollars per share
 *
 * @example A 450 put with the underlying at 447.25 is worth 2.75 at expiry
 * ```ts
 * import assert from "node:assert/strict";
 * import { intrinsic } from "./fills.ts";
 * assert.equal(intrinsic(true, 450, 447.25), 2.75);
 * assert.equal(intrinsic(false, 450, 447.25), 0);
 * ```
 */
export function intrinsic(isPut: boolean, strike: number, underlying: number): number {
  return Math.max(isPut ? strike - underlying : underlying - strike, 0);
}
