/**
 * Discrete cash dividends in European pricing: the escrowed-dividend model. The stock is a
 * riskless part, the present value of the dividends to be paid before expiry, plus a risky
 * part that follows Black-Scholes; an option is priced on the risky part,
 *
 *   Se = S − Σ_{day < x_i ≤ expiry} D_i · e^(−r (x_i − day) / 365),
 *
 * so that its forward is the stock's forward net of the dividends, Se·e^(rT). A dividend whose
 * ex-date is on the expiry date counts (the stock settles ex-dividend); one whose ex-date is
 * the trade date does not (the price has already dropped). The greeks with respect to S are
 * those with respect to Se (∂Se/∂S = 1).
 *
 * @module
 */
import { dividendsPresentValue } from "../data/dividends.ts";

/**
 * The escrowed-dividend spot: the stock price less the present value of the dividends going
 * ex in (day, expiry] ({@link dividendsPresentValue}).
 *
 * @param spot the stock price, dollars
 * @param exDays ex-dates, ascending
 * @param amounts dollars per share on each ex-date
 * @param day trade day number
 * @param expiry expiry day number
 * @param rate annual continuous rate, decimal
 * @returns dollars per share
 *
 * @example 100 with $2 going ex in 36.5 days at 10%: 100 − 2·e^(−0.01)
 * ```ts
 * import assert from "node:assert/strict";
 * import { escrowedSpot } from "./dividends.ts";
 * const s = escrowedSpot(100, [36.5], [2], 0, 60, 0.1);
 * assert.ok(Math.abs(s - (100 - 2 * Math.exp(-0.01))) < 1e-13);
 * ```
 */
export function escrowedSpot(
  spot: number,
  exDays: ArrayLike<number>,
  amounts: ArrayLike<number>,
  day: number,
  expiry: number,
  rate: number,
): number {
  return spot - dividendsPresentValue(exDays, amounts, day, expiry, rate);
}
