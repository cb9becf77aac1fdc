/**
 * Execution: what trading a position of N legs costs, and what it is worth.
 *
 * - Mark: the position's value at mid per share, what the seller owes: Σ mid of the legs sold
 *   − Σ mid of the legs bought ({@link spreadMark}).
 * - Closing as one order: every leg sold is bought back at bid + (ask − bid)·s and every leg
 *   bought is sold at ask − (ask − bid)·s (pricing/fills.ts), with s the slippage of the
 *   order's leg count (2 for a vertical, 4 for an iron condor) ({@link closeCost},
 *   {@link exitFills}).
 * - Commission: per contract per leg of an order ({@link orderCommission}).
 * - Settlement at expiration: each leg at its intrinsic value from the underlying's close on
 *   the expiry date, so each side of an iron condor settles on its own; a commission only for
 *   a leg that finishes in the money (exercise or assignment), none for one that expires
 *   worthless ({@link settle}).
 *
 * Sums over legs run in the legs' order (put side first, short before long), so a vertical's
 * amounts are, to the bit, short leg's − long leg's.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { barCloseOn } from "../data/bar_closes.ts";
import { buyFill, intrinsic, sellFill } from "../pricing/fills.ts";

/** A leg's quote, dollars per share. */
export interface Quote {
  /** Bid, dollars per share. */
  bid: number;
  /** Ask, dollars per share. */
  ask: number;
}

/** A held leg as execution sees it: which option, which way, and its last complete quote. */
export interface HeldLeg {
  /** A put (true) or a call (false). */
  isPut: boolean;
  /** Strike, dollars. */
  strike: number;
  /** Contracts of this leg per contract of the position: -1 sold, +1 bought. */
  ratio: number;
  /** The leg's quote from the position's last complete set of quotes. */
  mark: Quote;
}

/**
 * A position's mark per share: Σ mid of the legs sold − Σ mid of the legs bought, from its
 * last complete set of quotes.
 *
 * @param legs the held legs
 * @returns dollars per share (what the seller owes at mid)
 *
 * @example Short 1.00/1.20, long 0.40/0.50: 1.10 - 0.45
 * ```ts
 * import assert from "node:assert/strict";
 * import { spreadMark } from "./execution.ts";
 * const mark = spreadMark([
 *   { isPut: true, strike: 100, ratio: -1, mark: { bid: 1, ask: 1.2 } },
 *   { isPut: true, strike: 95, ratio: 1, mark: { bid: 0.4, ask: 0.5 } },
 * ]);
 * assert.ok(Math.abs(mark - 0.65) < 1e-12);
 * ```
 */
export function spreadMark(legs: readonly HeldLeg[]): number {
  let mark = 0;
  for (let i = 0; i < legs.length; i++) {
    const q = legs[i].mark;
    mark -= legs[i].ratio * (0.5 * (q.bid + q.ask));
  }
  return mark;
}

/**
 * Cost of closing a position as one order, per share: buy back the legs sold, sell the legs
 * bought.
 *
 * @param legs the held legs (their last complete quotes)
 * @param slippage the order's slippage fraction (by its leg count)
 * @returns Σ buyFill(legs sold) − Σ sellFill(legs bought)
 *
 * @example Short 0.50/0.60, long 0.20/0.30 at 66%: 0.566 - 0.234
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeCost } from "./execution.ts";
 * const legs = [
 *   { isPut: true, strike: 100, ratio: -1, mark: { bid: 0.5, ask: 0.6 } },
 *   { isPut: true, strike: 95, ratio: 1, mark: { bid: 0.2, ask: 0.3 } },
 * ];
 * assert.ok(Math.abs(closeCost(legs, 0.66) - 0.332) < 1e-12);
 * ```
 */
export function closeCost(legs: readonly HeldLeg[], slippage: number): number {
  let cost = 0;
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i];
    const q = leg.mark;
    if (leg.ratio < 0) cost += buyFill(q.bid, q.ask, slippage);
    else cost -= sellFill(q.bid, q.ask, slippage);
  }
  return cost;
}

/**
 * Each leg's fill when a position closes as one order, per share: a leg sold is bought back
 * (buy fill), a leg bought is sold (sell fill).
 *
 * @param legs the held legs
 * @param slippage the order's slippage fraction
 * @param into an array to fill (its length set to the leg count)
 * @returns `into`
 */
export function exitFills(legs: readonly HeldLeg[], slippage: number, into: number[]): number[] {
  into.length = legs.length;
  for (let i = 0; i < legs.length; i++) {
    const q = legs[i].mark;
    into[i] = legs[i].ratio < 0
      ? buyFill(q.bid, q.ask, slippage)
      : sellFill(q.bid, q.ask, slippage);
  }
  return into;
}

/**
 * Commission of an order: every leg, every contract.
 *
 * @param legs the order's leg count
 * @param contracts position contracts traded
 * @param perContract dollars per contract per leg
 * @returns dollars
 *
 * @example 4 verticals at $1 a contract a leg: $8; 4 iron condors: $16
 * ```ts
 * import assert from "node:assert/strict";
 * import { orderCommission } from "./execution.ts";
 * assert.equal(orderCommission(2, 4, 1), 8);
 * assert.equal(orderCommission(4, 4, 1), 16);
 * ```
 */
export function orderCommission(legs: number, contracts: number, perContract: number): number {
  return legs * perContract * contracts;
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

/** A position settled at expiration. */
export interface Settlement {
  /** Σ intrinsic value of the legs sold − Σ that of the legs bought, dollars per share. */
  debit: number;
  /** Legs that finish in the money (each pays a commission). */
  legsInTheMoney: number;
  /** Each leg's intrinsic value, dollars per share, in the legs' order. */
  values: number[];
}

/**
 * Settles every leg of a position at its intrinsic value.
 *
 * @param legs the held legs
 * @param spot the settlement price
 * @returns the debit per share, the legs in the money and each leg's value
 *
 * @example A 100/95 bull put spread with the stock at 97 owes 3.00, one leg in the money
 * ```ts
 * import assert from "node:assert/strict";
 * import { settle } from "./execution.ts";
 * const q = { bid: 0, ask: 0 };
 * const legs = [
 *   { isPut: true, strike: 100, ratio: -1, mark: q },
 *   { isPut: true, strike: 95, ratio: 1, mark: q },
 * ];
 * assert.deepEqual(settle(legs, 97), { debit: 3, legsInTheMoney: 1, values: [3, 0] });
 * ```
 */
export function settle(legs: readonly HeldLeg[], spot: number): Settlement {
  let debit = 0;
  let legsInTheMoney = 0;
  const values: number[] = [];
  for (let i = 0; i < legs.length; i++) {
    const value = intrinsic(legs[i].isPut, legs[i].strike, spot);
    values.push(value);
    debit -= legs[i].ratio * value;
    if (value > 0) legsInTheMoney++;
  }
  return { debit, legsInTheMoney, values };
}
