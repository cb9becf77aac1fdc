/**
 * Numbers formatted for people, as the reports show them: percentages as percentages, money to
 * the cent with thousands separators, tiny values in exponent notation, dates as YYYY-MM-DD.
 * Every formatter shows null, undefined and NaN as an em dash and never prints "-0".
 *
 * @module
 */

/** What a missing value prints as. */
export const MISSING = "—";

/** Whether a value is a finite number. */
function finite(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** A fixed-point text without a negative zero ("-0.0" becomes "0.0"). */
function fixed(x: number, digits: number, grouping: boolean): string {
  const text = x.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: grouping,
  });
  return /^-[0.,]*$/.test(text) ? text.slice(1) : text;
}

/**
 * A fraction as a percentage.
 *
 * @param x a fraction (0.123 is 12.3%)
 * @param digits decimals of the percentage, default 1
 * @param options sign: "+" before gains too (default: only "-" before losses)
 * @returns e.g. "12.3%", "-4.0%", "—" for a missing value
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPct } from "./format.ts";
 * assert.equal(formatPct(0.6757), "67.6%");
 * assert.equal(formatPct(-0.00001), "0.0%");
 * assert.equal(formatPct(0.05, 0, { sign: true }), "+5%");
 * assert.equal(formatPct(null), "—");
 * ```
 */
export function formatPct(
  x: number | null | undefined,
  digits = 1,
  options: { sign?: boolean } = {},
): string {
  if (!finite(x)) return MISSING;
  const text = `${fixed(100 * x, digits, true)}%`;
  return options.sign && !text.startsWith("-") && text !== `${fixed(0, digits, true)}%`
    ? `+${text}`
    : text;
}

/**
 * Dollars to the cent, with thousands separators.
 *
 * @param x dollars
 * @param digits decimals, default 2 (the cent)
 * @returns e.g. "-$13,872.84", "$0.00"
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatMoney } from "./format.ts";
 * assert.equal(formatMoney(-13872.8423), "-$13,872.84");
 * assert.equal(formatMoney(1234567), "$1,234,567.00");
 * assert.equal(formatMoney(-0.001), "$0.00");
 * assert.equal(formatMoney(98500, 0), "$98,500");
 * ```
 */
export function formatMoney(x: number | null | undefined, digits = 2): string {
  if (!finite(x)) return MISSING;
  const text = fixed(Math.abs(x), digits, true);
  return x < 0 && /[1-9]/.test(text) ? `-$${text}` : `$${text}`;
}

/**
 * A number with thousands separators and a fixed number of decimals; integers print without
 * decimals unless `digits` is given.
 *
 * @param x the number
 * @param digits decimals (default: 0 for integers, 2 otherwise)
 * @returns e.g. "4,305,214", "-0.72"
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNumber } from "./format.ts";
 * assert.equal(formatNumber(4305214), "4,305,214");
 * assert.equal(formatNumber(-0.7163), "-0.72");
 * assert.equal(formatNumber(0.12345, 3), "0.123");
 * ```
 */
export function formatNumber(x: number | null | undefined, digits?: number): string {
  if (!finite(x)) return MISSING;
  return fixed(x, digits ?? (Number.isInteger(x) ? 0 : 2), true);
}

/**
 * A number in exponent notation with `significant` digits, e.g. for errors near machine
 * precision; zero prints as "0".
 *
 * @param x the number
 * @param significant significant digits, default 2
 * @returns e.g. "1.7e-15", "0"
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSci } from "./format.ts";
 * assert.equal(formatSci(1.6653e-15), "1.7e-15");
 * assert.equal(formatSci(0), "0");
 * assert.equal(formatSci(123456, 3), "1.23e+5");
 * ```
 */
export function formatSci(x: number | null | undefined, significant = 2): string {
  if (!finite(x)) return MISSING;
  if (x === 0) return "0";
  return x.toExponential(Math.max(0, significant - 1));
}

/**
 * A number with a fixed number of decimals, switching to exponent notation when the value is
 * non-zero but would print as zero (or is very large): what a table of mixed magnitudes needs.
 *
 * @param x the number
 * @param digits decimals, default 4
 * @returns e.g. "0.1235", "3.1e-9", "1,234.5000"
 *
 * @example Tiny values keep their magnitude
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatAuto } from "./format.ts";
 * assert.equal(formatAuto(0.12345), "0.1235");
 * assert.equal(formatAuto(3.14e-9), "3.1e-9");
 * assert.equal(formatAuto(0), "0");
 * assert.equal(formatAuto(12), "12");
 * ```
 */
export function formatAuto(x: number | null | undefined, digits = 4): string {
  if (!finite(x)) return MISSING;
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return formatNumber(x);
  const magnitude = Math.abs(x);
  if (magnitude < 0.5 * 10 ** -digits || magnitude >= 1e12) return formatSci(x);
  return fixed(x, digits, true);
}

/**
 * A date as YYYY-MM-DD: a Date (UTC), a day number (days since 1970-01-01) or an ISO string.
 *
 * @param d the date
 * @returns "2024-03-01", or "—" when missing
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDate } from "./format.ts";
 * assert.equal(formatDate(new Date(Date.UTC(2024, 2, 1))), "2024-03-01");
 * assert.equal(formatDate(19783), "2024-03-01");
 * assert.equal(formatDate(null), "—");
 * ```
 */
export function formatDate(d: Date | number | string | null | undefined): string {
  if (d === null || d === undefined) return MISSING;
  if (typeof d === "string") return d.slice(0, 10);
  const date = typeof d === "number" ? new Date(d * 86400000) : d;
  return Number.isNaN(date.getTime()) ? MISSING : date.toISOString().slice(0, 10);
}

/**
 * How a table column is formatted: "pct" (fraction as %, 1 decimal), "pct2" (2 decimals),
 * "money" (dollars to the cent), "money0" (whole dollars), "int" (thousands separators), "sci"
 * (exponent notation), "date", "text", a number of decimals, or a function of the value.
 */
export type ColumnFormat =
  | "pct"
  | "pct2"
  | "money"
  | "money0"
  | "int"
  | "sci"
  | "date"
  | "text"
  | number
  | ((value: unknown) => string);

/**
 * Formats one value by a column format (see {@link ColumnFormat}).
 *
 * @param value the value
 * @param format the column's format
 * @returns the text
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatValue } from "./format.ts";
 * assert.equal(formatValue(0.25, "pct"), "25.0%");
 * assert.equal(formatValue(-12.5, "money"), "-$12.50");
 * assert.equal(formatValue(0.123456, 3), "0.123");
 * assert.equal(formatValue(7, (v) => `${v} trades`), "7 trades");
 * ```
 */
export function formatValue(value: unknown, format: ColumnFormat): string {
  if (typeof format === "function") return format(value);
  if (value === null || value === undefined) return MISSING;
  if (format === "date") return formatDate(value as Date | number | string);
  if (format === "text" || typeof value !== "number") return String(value);
  switch (format) {
    case "pct":
      return formatPct(value);
    case "pct2":
      return formatPct(value, 2);
    case "money":
      return formatMoney(value);
    case "money0":
      return formatMoney(value, 0);
    case "int":
      return formatNumber(value, 0);
    case "sci":
      return formatSci(value);
    default:
      return formatNumber(value, format);
  }
}
