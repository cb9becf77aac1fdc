/**
 * Trading-day integers: days since 1970-01-01 (UTC), with ISO `YYYY-MM-DD` strings at every
 * boundary. No `Date` arithmetic in local time.
 *
 * @module
 */

const MS_PER_DAY = 86_400_000;

/**
 * Day number of an ISO date `YYYY-MM-DD`, or NaN when the string is not a valid date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay } from "./dates.ts";
 * assert.equal(isoToDay("1970-01-02"), 1);
 * assert.ok(Number.isNaN(isoToDay("2020-02-30")));
 * ```
 */
export function isoToDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return NaN;
  return civilToDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Day number of a calendar date, or NaN when month/day are out of range for that year. */
export function civilToDay(year: number, month: number, day: number): number {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return NaN;
  }
  return ms / MS_PER_DAY;
}

/**
 * ISO `YYYY-MM-DD` string of a day number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayToIso } from "./dates.ts";
 * assert.equal(dayToIso(18262), "2020-01-01");
 * ```
 */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Year, month (1-12) and day of month of a day number. */
export function dayToCivil(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Parses a date in ISO `YYYY-MM-DD` or US `MM/DD/YYYY` form (CBOE and ORATS downloads) to a
 * day number; NaN when unparsable.
 */
export function parseDateToDay(text: string): number {
  const iso = isoToDay(text);
  if (!Number.isNaN(iso)) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!m) return NaN;
  return civilToDay(Number(m[3]), Number(m[1]), Number(m[2]));
}

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

/**
 * NYSE full-day holidays of a year (the regular rules: New Year, MLK, Washington's Birthday,
 * Good Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day, Thanksgiving,
 * Christmas). Used to build the sample market's calendar; real data defines its own holidays.
 */
export function nyseHolidays(year: number): Set<number> {
  const days = [
    civilToDay(year, 1, 1),
    nthWeekday(year, 1, 1, 3),
    nthWeekday(year, 2, 1, 3),
    easter(year) - 2,
    nthWeekday(year, 5, 1, -1),
    civilToDay(year, 7, 4),
    nthWeekday(year, 9, 1, 1),
    nthWeekday(year, 11, 4, 4),
    civilToDay(year, 12, 25),
  ];
  if (year >= 2022) days.push(civilToDay(year, 6, 19));
  const set = new Set<number>();
  for (const d of days) {
    const o = observed(d);
    // New Year's Day on a Saturday is not observed on the prior Friday (NYSE rule 7.2).
    if (!(d === civilToDay(year, 1, 1) && weekday(d) === 6)) set.add(o);
  }
  return set;
}

/** NYSE trading days between two day numbers inclusive: weekdays minus {@link nyseHolidays}. */
export function nyseTradingDays(first: number, last: number): number[] {
  const out: number[] = [];
  let holidays = new Set<number>();
  let year = -1;
  for (let d = first; d <= last; d++) {
    const y = dayToCivil(d).year;
    if (y !== year) {
      year = y;
      holidays = nyseHolidays(y);
    }
    const wd = weekday(d);
    if (wd !== 0 && wd !== 6 && !holidays.has(d)) out.push(d);
  }
  return out;
}
