/**
 * Early assignment of American-style options (SPY, QQQ and IWM options are American and
 * physically settled). A holder exercises early when the option is worth less alive than
 * exercised:
 *
 * - a call, on the trading day before an ex-dividend date, when it is in the money and its
 *   time value (mid − intrinsic) is below the dividend that exercising collects;
 * - a put, any day, when it is in the money and its time value is below the interest that
 *   exercising earns on the strike, K × r × DTE / 365 (never at r = 0).
 *
 * The rule reads the day's marks (the position's quotes of that day: a day without a complete
 * set of quotes assigns nothing) and the underlying's close that day; from the day after the
 * entry, before the expiry date (expiration settles at intrinsic anyway). The assignment is at
 * that close: the assigned short leg closes at its intrinsic value, paying the option
 * commission (an exercise) and `[simulation] stock_commission` per contract for the stock
 * delivered or taken; the other legs close as one order of their own leg count at the day's
 * fills ({@link assignmentFills}). Exit reason `assignment`.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { yearFraction } from "../data/conventions.ts";
import { dividendTomorrow } from "../data/dividends.ts";
import { buyFill, intrinsic, sellFill } from "../pricing/fills.ts";
import { atLeast } from "../pricing/ties.ts";
import { type SimParams, slippageOf } from "../strategy/params.ts";
import type { HeldLeg } from "./execution.ts";

/** What the assignment rule reads of an open position. */
export interface AssignmentInput {
  /** Ticker index in the store. */
  t: number;
  /** Entry calendar index. */
  entryIndex: number;
  /** Expiry day number. */
  expiry: number;
  /** Whether today's snapshot quoted every leg usably (the marks are today's). */
  quoted: boolean;
  /** The legs with their marks. */
  legs: readonly HeldLeg[];
}

/**
 * Whether a short option is assigned early at the close: in the money, and its time value
 * (mid − intrinsic) below the threshold — the dividend going ex tomorrow for a call, the
 * interest K × r × DTE / 365 for a put. "Below" is strict and holds on paper (a time value
 * equal to the threshold to a billionth is not below it).
 *
 * @param isPut a put (true) or a call
 * @param strike dollars
 * @param mid the option's mid, dollars per share
 * @param close the underlying's close, dollars
 * @param threshold the dividend (call) or the interest (put), dollars per share
 * @returns true when the holder exercises
 *
 * @example A 440 call at 12.40 with the close at 451.20: time value 1.20 < a 1.75 dividend
 * ```ts
 * import assert from "node:assert/strict";
 * import { exercisedEarly } from "./assignment.ts";
 * assert.equal(exercisedEarly(false, 440, 12.4, 451.2, 1.75), true);
 * assert.equal(exercisedEarly(false, 440, 12.4, 451.2, 1.2), false); // equal: not below
 * assert.equal(exercisedEarly(false, 460, 0.4, 451.2, 1.75), false); // out of the money
 * ```
 */
export function exercisedEarly(
  isPut: boolean,
  strike: number,
  mid: number,
  close: number,
  threshold: number,
): boolean {
  const value = intrinsic(isPut, strike, close);
  if (!(value > 0) || !(threshold > 0)) return false;
  return !atLeast(mid - value, threshold);
}

/**
 * The leg of a position assigned early at day d's close, or -1: the first short leg (in the
 * legs' order) that {@link exercisedEarly} exercises — a call on the eve of an ex-date against
 * its dividend, a put against K × r × DTE / 365 at the configured risk-free rate.
 *
 * @param store the chain (closes and dividends)
 * @param pos the position, marked for day d
 * @param d calendar index
 * @param p parameters (the risk-free rate)
 * @returns the leg's index, or -1
 */
export function assignedLeg(
  store: ChainStore,
  pos: AssignmentInput,
  d: number,
  p: SimParams,
): number {
  if (d === pos.entryIndex || !pos.quoted) return -1;
  const day = store.calendar[d];
  const dte = pos.expiry - day;
  if (dte <= 0) return -1;
  const dividend = dividendTomorrow(store.data, store.calendar, pos.t, d);
  const rate = p.riskFreeRate;
  if (!(dividend > 0) && !(rate > 0)) return -1;
  const close = store.data.barClose[pos.t * store.nDays + d];
  if (Number.isNaN(close)) return -1;
  for (let i = 0; i < pos.legs.length; i++) {
    const leg = pos.legs[i];
    if (leg.ratio >= 0) continue;
    const mid = 0.5 * (leg.mark.bid + leg.mark.ask);
    const threshold = leg.isPut ? leg.strike * rate * yearFraction(dte) : dividend;
    if (exercisedEarly(leg.isPut, leg.strike, mid, close, threshold)) return i;
  }
  return -1;
}

/**
 * The exit of an assigned position, leg by leg: the assigned leg at its intrinsic value at the
 * close, paying the option commission (an exercise) plus the stock commission per contract;
 * every other leg at the day's fill of one order of their own leg count (a leg sold is bought
 * back, a leg bought is sold), paying the option commission.
 *
 * @param legs the held legs, marked for the day
 * @param assigned the assigned leg's index
 * @param close the underlying's close, dollars
 * @param p parameters (slippage by leg count, commission, stock commission)
 * @param contracts positions held
 * @param fills each leg's exit fill, dollars per share (filled)
 * @param legCommissions each leg's exit commission, dollars (filled)
 *
 * @example A 440/445 bear call spread assigned with the close at 451.20 (4 contracts)
 * ```ts
 * import assert from "node:assert/strict";
 * import { assignmentFills } from "./assignment.ts";
 * const legs = [
 *   { isPut: false, strike: 440, ratio: -1, mark: { bid: 12.3, ask: 12.5 } },
 *   { isPut: false, strike: 445, ratio: 1, mark: { bid: 7.5, ask: 7.7 } },
 * ];
 * const p = { slippage: [0.75, 0.66, 0.56, 0.53], commission: 1, stockCommission: 0.5 };
 * const fills: number[] = [], commissions: number[] = [];
 * assignmentFills(legs, 0, 451.2, p as never, 4, fills, commissions);
 * // the long call sells alone: 7.7 - 0.75 · 0.2 = 7.55
 * assert.ok(Math.abs(fills[0] - 11.2) < 1e-12 && Math.abs(fills[1] - 7.55) < 1e-12);
 * assert.deepEqual(commissions, [6, 4]);
 * ```
 */
export function assignmentFills(
  legs: readonly HeldLeg[],
  assigned: number,
  close: number,
  p: SimParams,
  contracts: number,
  fills: number[],
  legCommissions: number[],
): void {
  fills.length = legs.length;
  legCommissions.length = legs.length;
  const slippage = legs.length > 1 ? slippageOf(p, legs.length - 1) : 0;
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i];
    if (i === assigned) {
      fills[i] = intrinsic(leg.isPut, leg.strike, close);
      legCommissions[i] = (p.commission + (p.stockCommission ?? 0)) * contracts;
      continue;
    }
    const q = leg.mark;
    fills[i] = leg.ratio < 0 ? buyFill(q.bid, q.ask, slippage) : sellFill(q.bid, q.ask, slippage);
    legCommissions[i] = p.commission * contracts;
  }
}
