/**
 * Market conventions with names, imported wherever 100, 252, 12 or 365 would otherwise be
 * written: how many shares an option contract delivers, how many trading days or months make a
 * year for annualizing returns, and how many calendar days make a year for time to expiry
 * (Actual/365 Fixed, as option pricing on calendar days-to-expiry uses).
 *
 * @module
 */

/** Shares delivered by one listed equity option contract (SPY, QQQ, IWM): dollars = per share × 100. */
export const CONTRACT_MULTIPLIER = 100;

/** Trading days in a year, for annualizing daily returns (× √252) and CAGR exponents. */
export const TRADING_DAYS_PER_YEAR = 252;

/** Months in a year, for annualizing monthly returns (× √12). */
export const MONTHS_PER_YEAR = 12;

/** Calendar days in a year of the Actual/365 Fixed day count. */
export const CALENDAR_DAYS_PER_YEAR = 365;

/**
 * Time in years of a number of calendar days, Actual/365 Fixed: `days / 365`.
 *
 * @param days calendar days (e.g. days to expiry)
 * @returns years
 *
 * @example Thirty days to expiry
 * ```ts
 * import assert from "node:assert/strict";
 * import { yearFraction } from "./conventions.ts";
 * assert.equal(yearFraction(30), 30 / 365);
 * assert.equal(yearFraction(365), 1);
 * ```
 */
export function yearFraction(days: number): number {
  return days / CALENDAR_DAYS_PER_YEAR;
}
