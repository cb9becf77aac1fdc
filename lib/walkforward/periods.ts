/**
 * Walk-forward periods: train, validate and test windows of whole calendar months over the
 * data's trading days, rolling forward.
 *
 * Months run from the month of the first trading day to the month of the last (a partial first
 * or last month counts as a month; a month without data still counts). Period i starts at month
 * i·roll; a period is formed only when its test window ends within the data's last month, and
 * only when its validation and test windows hold at least one trading day.
 *
 * @module
 */
import { civilToDay, dayToCivil, dayToIso } from "../data/dates.ts";

/** A window as calendar indexes (inclusive) and ISO dates. */
export interface Window {
  /** First calendar index. */
  fromIndex: number;
  /** Last calendar index. */
  toIndex: number;
  /** First calendar month day, ISO. */
  start: string;
  /** Last calendar month day, ISO. */
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

/** Month number (year·12 + month - 1) of a day. */
function monthOf(day: number): number {
  const c = dayToCivil(day);
  return c.year * 12 + c.month - 1;
}

/** First day of a month number. */
function monthStart(month: number): number {
  return civilToDay(Math.floor(month / 12), (month % 12) + 1, 1);
}

/** Window over months [first, first + count) of the calendar; null when it has no trading day. */
function window(calendar: Int32Array, firstMonth: number, count: number): Window | null {
  const startDay = monthStart(firstMonth);
  const endDay = monthStart(firstMonth + count) - 1;
  let fromIndex = -1;
  let toIndex = -1;
  for (let i = 0; i < calendar.length; i++) {
    if (calendar[i] < startDay) continue;
    if (calendar[i] > endDay) break;
    if (fromIndex < 0) fromIndex = i;
    toIndex = i;
  }
  if (fromIndex < 0) return null;
  return { fromIndex, toIndex, start: dayToIso(startDay), end: dayToIso(endDay) };
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
  if (calendar.length === 0) return [];
  const first = monthOf(calendar[0]);
  const last = monthOf(calendar[calendar.length - 1]);
  const periods: Period[] = [];
  for (
    let start = first;
    start + months.train + months.validate + months.test - 1 <= last;
    start += months.roll
  ) {
    const train = window(calendar, start, months.train);
    const validate = window(calendar, start + months.train, months.validate);
    const test = window(calendar, start + months.train + months.validate, months.test);
    if (!train || !validate || !test) continue;
    periods.push({ index: periods.length, train, validate, test });
  }
  return periods;
}
