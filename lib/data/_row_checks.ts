/**
 * The quality checks of one contract row on its own (the duplicate check, which compares a row
 * with the one before it, is in _index.ts): what makes a row unusable for trading and for the
 * 30-day ATM IV. Shared by the flags of a loaded store and by the loader's DTE skip rule, which
 * must agree on which expiries hold a usable quote.
 *
 * @module
 */

/** Row flag: bid above ask. */
export const FLAG_CROSSED = 1;
/** Row flag: bid zero, negative or missing. */
export const FLAG_ZERO_BID = 2;
/** Row flag: a greek or the IV is NaN or out of range (also: IV not found when computed). */
export const FLAG_BAD_GREEKS = 4;

/**
 * The flags of one row's own checks: crossed quote, no bid, a greek or the IV NaN or out of
 * range (|delta| > 1, gamma or vega < 0, theta NaN, IV outside (0, 5]).
 *
 * @returns 0 for a usable row, else FLAG_CROSSED | FLAG_ZERO_BID | FLAG_BAD_GREEKS bits
 *
 * @example A crossed quote with a NaN IV
 * ```ts
 * import assert from "node:assert/strict";
 * import { FLAG_BAD_GREEKS, FLAG_CROSSED, rowCheckFlags } from "./_row_checks.ts";
 * assert.equal(rowCheckFlags(1.2, 1.1, -0.3, 0.01, -0.02, 0.1, NaN), FLAG_CROSSED | FLAG_BAD_GREEKS);
 * assert.equal(rowCheckFlags(1.0, 1.1, -0.3, 0.01, -0.02, 0.1, 0.2), 0);
 * ```
 */
export function rowCheckFlags(
  bid: number,
  ask: number,
  delta: number,
  gamma: number,
  theta: number,
  vega: number,
  iv: number,
): number {
  let f = 0;
  if (bid > ask) f |= FLAG_CROSSED;
  if (!(bid > 0)) f |= FLAG_ZERO_BID;
  if (
    !(delta >= -1 && delta <= 1) || !(gamma >= 0) || !(vega >= 0) || theta !== theta ||
    !(iv > 0 && iv <= 5)
  ) f |= FLAG_BAD_GREEKS;
  return f;
}
