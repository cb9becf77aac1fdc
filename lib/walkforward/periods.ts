/**
 * Walk-forward periods: train, validate and test windows of whole calendar months over the
 * data's trading days, rolling forward.
 *
 * Months run from the month of the first trading day to the month of the last (a partial first
 * month counts as a month; a month without data still counts). Period i starts at month i·roll;
 * a period is formed only when its test window ends within the data (see windows.ts for the
 * exact rule, and for windows in trading days and anchored windows), and only when each of its
 * windows holds at least one trading day.
 *
 * @module
 */
import { planPeriods } from "./windows.ts";

/** A window as calendar indexes (inclusive) and ISO dates. */
export interface Window {
  /** First calendar index. */
  fromIndex: number;
  /** Last calendar index. */
  toIndex: number;
  /** First day, ISO: the first calendar day of its first month (windows in days: its first trading day). */
  start: string;
  /** Last day, ISO: the last calendar day of its last month (windows in days: its last trading day). */
  end: string;
}

/** One walk-forward period. */
export interface Period {
  /** 0-based period number. */
  index: number;
  train: Window;
  validate: Window;
  test: Window;
}

/**
 * Builds the periods of a trading calendar.
 *
 * @param calendar ascending trading days
 * @param months train, validate, test and roll lengths in months
 * @returns the periods, in order
 *
 * @example Six years of data give 65 periods of 6/1/1 months rolled monthly
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPeriods } from "./periods.ts";
 * import { isoToDay, nyseTradingDays } from "../data/dates.ts";
 * const days = Int32Array.from(nyseTradingDays(isoToDay("2019-01-02"), isoToDay("2024-12-31")));
 * const periods = buildPeriods(days, { train: 6, validate: 1, test: 1, roll: 1 });
 * assert.equal(periods.length, 65);
 * assert.equal(periods[0].test.start, "2019-08-01");
 * ```
 */
export function buildPeriods(
  calendar: Int32Array,
  months: { train: number; validate: number; test: number; roll: number },
): Period[] {
  return planPeriods(calendar, { unit: "months", anchored: false, ...months }).periods;
}
