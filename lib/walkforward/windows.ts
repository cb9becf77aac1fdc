/**
 * Walk-forward windows in months or in trading days, rolling or anchored, over a span of the
 * data's trading days; periods that would run past the data are dropped and counted.
 *
 * - **Months** (`train_months`, `validate_months`, `test_months`, `roll_months`): calendar
 *   months from the month of the span's first trading day (a partial first month counts as a
 *   month; a month without data still counts). Period i starts at month i·roll: train months
 *   [i·roll, i·roll + train), then validate, then test months.
 * - **Days** (`train_days`, `validate_days`, `test_days`, `roll_days`): trading days of the data
 *   (the calendar of every underlying's snapshots). Period i's training window is the span's
 *   trading days [i·roll, i·roll + train), then validate, then test days.
 * - **Anchored** (expanding): every training window starts at the span's first day and ends
 *   where the rolling one would; validation and test windows are the rolling ones.
 *
 * A period whose test window starts within the span but would end after its last trading day
 * is dropped and counted (`pastEnd`), never truncated: in days, when fewer trading days remain
 * than the test needs; in months, when the test window's last month runs beyond the span's last
 * month, or is that month while the NYSE has sessions in it after the span's last day. A period
 * whose validation or test window holds no trading day (a month without data) is dropped and
 * counted too (`emptyWindow`).
 *
 * @module
 */
import { civilToDay, dayToCivil, dayToIso, nyseTradingDays } from "../data/dates.ts";
import type { Period, PeriodPlan, Window } from "./periods.ts";

/** Window lengths and how they move. */
export interface WindowSpec {
  /** "months" (calendar months) or "days" (trading days). */
  unit: "months" | "days";
  /** Training window length. */
  train: number;
  /** Validation window length. */
  validate: number;
  /** Test window length. */
  test: number;
  /** Step between periods. */
  roll: number;
  /** Expanding training windows from the span's first day (default rolling). */
  anchored: boolean;
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

/** Window over months [first, first + count) within calendar indexes [lo, hi]; null if empty. */
function monthWindow(
  calendar: Int32Array,
  lo: number,
  hi: number,
  firstMonth: number,
  count: number,
): Window | null {
  const startDay = monthStart(firstMonth);
  const endDay = monthStart(firstMonth + count) - 1;
  let fromIndex = -1;
  let toIndex = -1;
  for (let i = lo; i <= hi; i++) {
    if (calendar[i] < startDay) continue;
    if (calendar[i] > endDay) break;
    if (fromIndex < 0) fromIndex = i;
    toIndex = i;
  }
  if (fromIndex < 0) return null;
  return { fromIndex, toIndex, start: dayToIso(startDay), end: dayToIso(endDay) };
}

/** Window over calendar indexes [fromIndex, toIndex], dated by its trading days. */
function dayWindow(calendar: Int32Array, fromIndex: number, toIndex: number): Window {
  return {
    fromIndex,
    toIndex,
    start: dayToIso(calendar[fromIndex]),
    end: dayToIso(calendar[toIndex]),
  };
}

/**
 * The walk-forward periods of a span of trading days.
 *
 * @param calendar ascending trading days
 * @param spec window lengths, unit, roll and anchoring
 * @param span calendar indexes of the first and last day to use (default all)
 * @returns the periods and the counts of dropped ones
 *
 * @example 24/3/3 months rolled monthly over six years: 43 periods, none dropped; anchored, the
 * training windows all start on the first day
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay, nyseTradingDays } from "../data/dates.ts";
 * import { planPeriods } from "./windows.ts";
 * const days = Int32Array.from(nyseTradingDays(isoToDay("2019-01-02"), isoToDay("2024-12-31")));
 * const spec = { unit: "months", train: 24, validate: 3, test: 3, roll: 1, anchored: false } as const;
 * const rolling = planPeriods(days, spec);
 * assert.equal(rolling.periods.length, 72 - 30 + 1);
 * assert.equal(rolling.periods[0].test.start, "2021-04-01");
 * assert.equal(rolling.periods[42].test.end, "2024-12-31");
 * const anchored = planPeriods(days, { ...spec, anchored: true });
 * assert.ok(anchored.periods.every((p) => p.train.fromIndex === 0));
 * assert.equal(anchored.periods[42].train.end, "2024-06-30");
 * ```
 */
export function planPeriods(
  calendar: Int32Array,
  spec: WindowSpec,
  span: { fromIndex: number; toIndex: number } = { fromIndex: 0, toIndex: calendar.length - 1 },
): PeriodPlan {
  const plan: PeriodPlan = { periods: [], pastEnd: 0, emptyWindow: 0 };
  const lo = span.fromIndex;
  const hi = span.toIndex;
  if (hi < lo || calendar.length === 0) return plan;
  const push = (train: Window, validate: Window, test: Window) =>
    plan.periods.push({ index: plan.periods.length, train, validate, test });
  if (spec.unit === "days") {
    for (let i = 0;; i++) {
      const trainStart = lo + i * spec.roll;
      const trainEnd = trainStart + spec.train - 1;
      const testStart = trainEnd + spec.validate + 1;
      const testEnd = testStart + spec.test - 1;
      if (testStart > hi) break;
      if (testEnd > hi) {
        plan.pastEnd++;
        continue;
      }
      push(
        dayWindow(calendar, spec.anchored ? lo : trainStart, trainEnd),
        dayWindow(calendar, trainEnd + 1, testStart - 1),
        dayWindow(calendar, testStart, testEnd),
      );
    }
    return plan;
  }
  const first = monthOf(calendar[lo]);
  const lastDay = calendar[hi];
  const last = monthOf(lastDay);
  // The span's last month is complete when the NYSE has no session after the span's last day.
  const lastComplete = nyseTradingDays(lastDay + 1, monthStart(last + 1) - 1).length === 0;
  for (let start = first;; start += spec.roll) {
    const validateMonth = start + spec.train;
    const testMonth = validateMonth + spec.validate;
    const testLast = testMonth + spec.test - 1;
    if (testMonth > last) break;
    if (testLast > last || (testLast === last && !lastComplete)) {
      plan.pastEnd++;
      continue;
    }
    const train = spec.anchored
      ? monthWindow(calendar, lo, hi, first, validateMonth - first)
      : monthWindow(calendar, lo, hi, start, spec.train);
    const validate = monthWindow(calendar, lo, hi, validateMonth, spec.validate);
    const test = monthWindow(calendar, lo, hi, testMonth, spec.test);
    if (!train || !validate || !test) {
      plan.emptyWindow++;
      continue;
    }
    push(train, validate, test);
  }
  return plan;
}

/**
 * The rolling periods of a trading calendar in calendar months: {@link planPeriods} over the
 * whole calendar, without the counts of dropped periods.
 *
 * @param calendar ascending trading days
 * @param months train, validate, test and roll lengths in months
 * @returns the periods, in order
 *
 * @example Six years of data give 65 periods of 6/1/1 months rolled monthly
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildPeriods } from "./windows.ts";
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
