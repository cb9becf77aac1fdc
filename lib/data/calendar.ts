/**
 * The NYSE calendar from 1990 on: full-day holidays by the exchange's rules, the unscheduled
 * closures, and early (1:00 pm, occasionally 2:00 pm or later) closes. Missing sessions in the
 * data are judged against it.
 *
 * Holidays: New Year's Day (observed Monday when on a Sunday, not observed when on a Saturday),
 * Martin Luther King Jr. Day (third Monday of January, from 1998), Washington's Birthday (third
 * Monday of February), Good Friday, Memorial Day (last Monday of May), Juneteenth (June 19, from
 * 2022), Independence Day (July 4), Labor Day (first Monday of September), Thanksgiving (fourth
 * Thursday of November) and Christmas (December 25); the last three fixed dates move to the
 * Friday before when on a Saturday and the Monday after when on a Sunday. Unscheduled closures:
 * {@link NYSE_CLOSURES}.
 *
 * Early closes (1:00 pm): the day after Thanksgiving (2:00 pm in 1992); July 3 when it is a
 * Monday, Tuesday or Thursday (from 1995), or a Wednesday (from 2013), and Friday July 5 from
 * 1996 to 2012; December 24 from Monday to Thursday (from 1999; 1996-1998 too, and 2:00 pm in
 * 1990-1992); and {@link NYSE_EARLY_CLOSES_UNSCHEDULED}.
 *
 * @module
 */
import { civilToDay, dayToCivil, isoToDay, weekday } from "./_civil.ts";

/** Unscheduled full-day closures since 1990 (day, ISO, and why). */
export const NYSE_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ["1994-04-27", "funeral of President Nixon"],
  ["2001-09-11", "September 11 attacks"],
  ["2001-09-12", "September 11 attacks"],
  ["2001-09-13", "September 11 attacks"],
  ["2001-09-14", "September 11 attacks"],
  ["2004-06-11", "national day of mourning, President Reagan"],
  ["2007-01-02", "national day of mourning, President Ford"],
  ["2012-10-29", "Hurricane Sandy"],
  ["2012-10-30", "Hurricane Sandy"],
  ["2018-12-05", "national day of mourning, President G. H. W. Bush"],
  ["2025-01-09", "national day of mourning, President Carter"],
];

/** Unscheduled early closes since 1990 (day, ISO, and the close, ET). */
export const NYSE_EARLY_CLOSES_UNSCHEDULED: ReadonlyArray<readonly [string, string]> = [
  ["1994-02-11", "14:30"],
  ["1996-01-08", "14:00"],
  ["1997-10-27", "15:30"],
  ["1997-12-26", "13:00"],
  ["2003-12-26", "13:00"],
  ["2005-06-01", "15:56"],
];

/** Easter Sunday (Gregorian, anonymous algorithm) of a year, as a day number. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return civilToDay(year, month, day);
}

/** The n-th given weekday (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = civilToDay(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + 7 * (n - 1);
  }
  const last = civilToDay(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** A fixed-date holiday observed on Friday when it falls on Saturday, Monday when on Sunday. */
function observed(day: number): number {
  const wd = weekday(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

const holidayCache = new Map<number, Set<number>>();

/**
 * NYSE full-day closures of a year: the holidays by the exchange's rules and the unscheduled
 * closures (see the module documentation). Years before 1990 get today's rules.
 *
 * @param year calendar year
 * @returns day numbers of the weekdays the exchange is closed
 *
 * @example Hurricane Sandy and the Juneteenth holiday
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay, nyseHolidays } from "./mod.ts";
 * assert.ok(nyseHolidays(2012).has(isoToDay("2012-10-29")));
 * assert.ok(nyseHolidays(2022).has(isoToDay("2022-06-20"))); // June 19 was a Sunday
 * assert.ok(!nyseHolidays(2021).has(isoToDay("2021-06-18"))); // not a holiday before 2022
 * ```
 */
export function nyseHolidays(year: number): Set<number> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const set = new Set<number>();
  const newYear = civilToDay(year, 1, 1);
  // New Year's Day on a Saturday is not observed on the prior Friday (NYSE Rule 7.2).
  if (weekday(newYear) !== 6) set.add(observed(newYear));
  if (year >= 1998) set.add(nthWeekday(year, 1, 1, 3));
  set.add(nthWeekday(year, 2, 1, 3));
  set.add(easter(year) - 2);
  set.add(nthWeekday(year, 5, 1, -1));
  if (year >= 2022) set.add(observed(civilToDay(year, 6, 19)));
  set.add(observed(civilToDay(year, 7, 4)));
  set.add(nthWeekday(year, 9, 1, 1));
  set.add(nthWeekday(year, 11, 4, 4));
  set.add(observed(civilToDay(year, 12, 25)));
  for (const [iso] of NYSE_CLOSURES) {
    const day = isoToDay(iso);
    if (dayToCivil(day).year === year) set.add(day);
  }
  holidayCache.set(year, set);
  return set;
}

/**
 * NYSE early closes of a year: day number -> the close, ET (`"13:00"` unless noted).
 *
 * @example The day after Thanksgiving and Christmas Eve
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay, nyseEarlyCloses } from "./mod.ts";
 * const closes = nyseEarlyCloses(2019);
 * assert.equal(closes.get(isoToDay("2019-11-29")), "13:00");
 * assert.equal(closes.get(isoToDay("2019-12-24")), "13:00");
 * assert.equal(closes.get(isoToDay("2019-07-03")), "13:00");
 * ```
 */
export function nyseEarlyCloses(year: number): Map<number, string> {
  const out = new Map<number, string>();
  if (year >= 1992) {
    out.set(nthWeekday(year, 11, 4, 4) + 1, year === 1992 ? "14:00" : "13:00");
  }
  const july3 = civilToDay(year, 7, 3);
  const wd3 = weekday(july3);
  if (year >= 1995 && (wd3 === 1 || wd3 === 2 || wd3 === 4)) out.set(july3, "13:00");
  if (year >= 2013 && wd3 === 3) out.set(july3, "13:00");
  const july5 = civilToDay(year, 7, 5);
  if (year >= 1996 && year <= 2012 && weekday(july5) === 5) out.set(july5, "13:00");
  const eve = civilToDay(year, 12, 24);
  const wdEve = weekday(eve);
  if (wdEve >= 1 && wdEve <= 4) {
    if (year >= 1996) out.set(eve, "13:00");
    else if (year >= 1990 && year <= 1992) out.set(eve, "14:00");
  }
  for (const [iso, close] of NYSE_EARLY_CLOSES_UNSCHEDULED) {
    const day = isoToDay(iso);
    if (dayToCivil(day).year === year) out.set(day, close);
  }
  const holidays = nyseHolidays(year);
  for (const day of out.keys()) if (holidays.has(day)) out.delete(day);
  return out;
}

/** Whether the NYSE holds a session on a day (a weekday that is not a closure). */
export function isNyseSession(day: number): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !nyseHolidays(dayToCivil(day).year).has(day);
}

/**
 * NYSE sessions between two day numbers inclusive: weekdays minus {@link nyseHolidays}.
 *
 * @example The week of September 11, 2001
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayToIso, isoToDay, nyseTradingDays } from "./mod.ts";
 * const days = nyseTradingDays(isoToDay("2001-09-10"), isoToDay("2001-09-17"));
 * assert.deepEqual(days.map(dayToIso), ["2001-09-10", "2001-09-17"]);
 * ```
 */
export function nyseTradingDays(first: number, last: number): number[] {
  const out: number[] = [];
  for (let d = first; d <= last; d++) if (isNyseSession(d)) out.push(d);
  return out;
}
