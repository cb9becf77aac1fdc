/**
 * Civil dates as day numbers: days since 1970-01-01 (UTC), with ISO `YYYY-MM-DD` strings at
 * every boundary. No `Date` arithmetic in local time.
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
 * import { isoToDay } from "./mod.ts";
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
 * import { dayToIso } from "./mod.ts";
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
