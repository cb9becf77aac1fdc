/**
 * `[entry] avoid_ex_dividend_days`: a short call held over an ex-dividend date may be assigned
 * early (simulation/assignment.ts); a trader who would rather not carry that risk skips the call
 * sides whose expiry spans an ex-date that comes soon. Off at 0.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";

/**
 * Whether a call side entered on snapshot k (ticker t, calendar day d: k = t·nDays + d) and
 * expiring on `expiry` spans an ex-dividend date at most `days` calendar days after the entry
 * day: the first ex-date x after the day has x ≤ expiry and x − day ≤ days.
 *
 * @param store the chain (its dividend series)
 * @param k snapshot index t·nDays + d
 * @param day the entry day, a day number
 * @param expiry the expiry, a day number
 * @param days avoid_ex_dividend_days (0 or undefined: off, never skips)
 * @returns true to skip
 *
 * @example An ex-date 10 days out is skipped at 14 days, not at 7, nor past the expiry
 * ```ts
 * import assert from "node:assert/strict";
 * import { spansExDividend } from "./ex_dividend.ts";
 * const store = { data: { exDividendDay: Int32Array.of(110) } } as never;
 * assert.equal(spansExDividend(store, 0, 100, 130, 14), true);
 * assert.equal(spansExDividend(store, 0, 100, 130, 7), false);
 * assert.equal(spansExDividend(store, 0, 100, 105, 14), false);
 * assert.equal(spansExDividend(store, 0, 100, 130, 0), false);
 * ```
 */
export function spansExDividend(
  store: ChainStore,
  k: number,
  day: number,
  expiry: number,
  days: number | undefined,
): boolean {
  if (days === undefined || !(days > 0)) return false;
  const x = store.data.exDividendDay[k];
  return x <= expiry && x - day <= days;
}
