/**
 * What a walk-forward needs before it runs: at least one period. Data too short for one is an
 * error that states the span needed and the span given, never an empty result.
 *
 * @module
 */
import { dayToCivil, dayToIso } from "../data/dates.ts";
import type { Period } from "./periods.ts";
import type { WalkForwardSettings } from "./settings.ts";
import type { WindowSpec } from "./windows.ts";

/**
 * Checks that the calendar formed at least one walk-forward period.
 *
 * @param calendar the data's trading days
 * @param settings window lengths (in months, or `windows` in trading days)
 * @param periods the periods built from them
 * @param dropped periods dropped because their test window would run past the data
 * @throws RangeError stating the months one period needs and the span the data covers
 *
 * @example Four months of data for a 6 + 1 + 1 month period
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay, nyseTradingDays } from "../data/dates.ts";
 * import { requirePeriods } from "./guards.ts";
 * const days = Int32Array.from(nyseTradingDays(isoToDay("2024-01-02"), isoToDay("2024-04-30")));
 * const settings = { trainMonths: 6, validateMonths: 1, testMonths: 1 } as never;
 * assert.throws(() => requirePeriods(days, settings, []), new RangeError(
 *   "Too little data for one walk-forward period: it needs 8 calendar months (train 6 + " +
 *     "validate 1 + test 1); the data spans 4 (2024-01-02 to 2024-04-30, 83 trading days)",
 * ));
 * ```
 */
export function requirePeriods(
  calendar: Int32Array,
  settings:
    & Pick<WalkForwardSettings, "trainMonths" | "validateMonths" | "testMonths">
    & { windows?: WindowSpec },
  periods: readonly Period[],
  dropped: { pastEnd: number } = { pastEnd: 0 },
): void {
  if (periods.length > 0) return;
  const w = settings.windows;
  if (w?.unit === "days") {
    const need = w.train + w.validate + w.test;
    throw new RangeError(
      `Too little data for one walk-forward period: it needs ${need} trading days (train ` +
        `${w.train} + validate ${w.validate} + test ${w.test}); the data has ${calendar.length}` +
        (calendar.length
          ? ` (${dayToIso(calendar[0])} to ${dayToIso(calendar[calendar.length - 1])})`
          : ""),
    );
  }
  const need = settings.trainMonths + settings.validateMonths + settings.testMonths;
  const what =
    `it needs ${need} calendar months (train ${settings.trainMonths} + validate ${settings.validateMonths} + test ${settings.testMonths})`;
  if (calendar.length === 0) {
    throw new RangeError(`Too little data for one walk-forward period: ${what}; the data is empty`);
  }
  const first = dayToCivil(calendar[0]);
  const last = dayToCivil(calendar[calendar.length - 1]);
  const months = (last.year - first.year) * 12 + last.month - first.month + 1;
  const span = `${dayToIso(calendar[0])} to ${dayToIso(calendar[calendar.length - 1])}, ${
    calendar.length.toLocaleString("en-US")
  } trading days`;
  throw new RangeError(
    months >= need && dropped.pastEnd > 0
      ? `Too little data for one walk-forward period: ${what}; the data spans ${months} ` +
        `(${span}), the last of them incomplete: a test window would run past the data`
      : months >= need
      ? `No walk-forward period has trading days in its validation and test windows: ${what}; ` +
        `the data spans ${months} (${span}) with gaps`
      : `Too little data for one walk-forward period: ${what}; the data spans ${months} (${span})`,
  );
}
