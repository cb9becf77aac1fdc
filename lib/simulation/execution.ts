/**
 * Execution: what trading a spread costs. Closing buys back the short leg and sells the long
 * leg at ORATS fills (pricing/fills.ts, two-leg slippage); every order pays the commission per
 * contract per leg; at expiration each leg settles at intrinsic value from the underlying's
 * close on the expiry date, with a commission only for a leg that finishes in the money
 * (exercise or assignment).
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { barCloseOn } from "../data/bar_closes.ts";
import { buyFill, intrinsic, sellFill } from "../pricing/fills.ts";

/** A leg's quote, dollars per share. */
export interface Quote {
  bid: number;
  ask: number;
}

/** The quotes of a spread's legs (the last complete pair). */
export interface LegQuotes {
  /** The leg sold. */
  short: Quote;
  /** The leg bought. */
  long: Quote;
}

/**
 * Cost of closing a spread, per share: buy the short leg back, sell the long leg.
 *
 * @param q the legs' quotes
 * @param slippage two-leg slippage fraction
 * @returns buyFill(short) - sellFill(long)
 *
 * @example Short 0.50/0.60, long 0.20/0.30 at 66%: 0.566 - 0.234
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeCost } from "./execution.ts";
 * const q = { short: { bid: 0.5, ask: 0.6 }, long: { bid: 0.2, ask: 0.3 } };
 * assert.ok(Math.abs(closeCost(q, 0.66) - 0.332) < 1e-12);
 * ```
 */
export function closeCost(q: LegQuotes, slippage: number): number {
  return buyFill(q.short.bid, q.short.ask, slippage) - sellFill(q.long.bid, q.long.ask, slippage);
}

/**
 * Commission of an order on a spread: both legs, every contract.
 *
 * @param contracts spreads traded
 * @param perContract dollars per contract per leg
 * @returns dollars
 *
 * @example 4 spreads at $1 a contract a leg: $8
 * ```ts
 * import assert from "node:assert/strict";
 * import { spreadCommission } from "./execution.ts";
 * assert.equal(spreadCommission(4, 1), 8);
 * ```
 */
export function spreadCommission(contracts: number, perContract: number): number {
  return 2 * perContract * contracts;
}

/**
 * The underlying's settlement price for an expiry: the bars' close on the expiry date when
 * they have it (even when no chain file has that day), else the last close on or before it
 * among the store's days (the bar's close, or the snapshot's stock price where the bars lack
 * that day).
 *
 * @param store the chain (with its bars' closes at their own dates)
 * @param t ticker index
 * @param expiry expiry day number
 * @returns dollars; NaN when nothing is known on or before the expiry
 */
export function settlementPrice(
  store: ChainStore,
  t: number,
  expiry: number,
): number {
  const close = barCloseOn(store, t, expiry);
  if (!Number.isNaN(close)) return close;
  for (let d = store.nDays - 1; d >= 0; d--) {
    if (store.calendar[d] > expiry) continue;
    const v = store.data.barClose[t * store.nDays + d];
    if (!Number.isNaN(v)) return v;
  }
  return NaN;
}

/** A spread settled at expiration. */
export interface Settlement {
  /** Short leg's intrinsic value minus the long leg's, dollars per share. */
  debit: number;
  /** Legs that finish in the money (each pays a commission). */
  legsInTheMoney: number;
}

/**
 * Settles a spread at intrinsic value.
 *
 * @param isPut true for puts, false for calls
 * @param shortStrike the strike sold
 * @param longStrike the strike bought
 * @param spot the settlement price
 * @returns the debit per share and the legs in the money
 *
 * @example A 100/95 bull put spread with the stock at 97 owes 3.00, one leg in the money
 * ```ts
 * import assert from "node:assert/strict";
 * import { settle } from "./execution.ts";
 * assert.deepEqual(settle(true, 100, 95, 97), { debit: 3, legsInTheMoney: 1 });
 * ```
 */
export function settle(
  isPut: boolean,
  shortStrike: number,
  longStrike: number,
  spot: number,
): Settlement {
  const shortValue = intrinsic(isPut, shortStrike, spot);
  const longValue = intrinsic(isPut, longStrike, spot);
  return {
    debit: shortValue - longValue,
    legsInTheMoney: (shortValue > 0 ? 1 : 0) + (longValue > 0 ? 1 : 0),
  };
}
