/**
 * Column sets of the two chain formats and detection from a header.
 *
 * @module
 */

/** Columns of the long format, one row per contract, in the spec's order. */
export const LONG_COLUMNS = [
  "ticker",
  "tradeDate",
  "expirDate",
  "strike",
  "optionType",
  "bid",
  "ask",
  "mid",
  "last",
  "volume",
  "openInterest",
  "stockPrice",
  "delta",
  "gamma",
  "theta",
  "vega",
  "rho",
  "impliedVolatility",
  "underlyingBid",
  "underlyingAsk",
] as const;

/** Long-format columns a file must have; the others are filled (mid = (bid+ask)/2, rest NaN). */
export const LONG_REQUIRED = [
  "ticker",
  "tradeDate",
  "expirDate",
  "strike",
  "optionType",
  "bid",
  "ask",
  "volume",
  "openInterest",
  "stockPrice",
  "delta",
  "gamma",
  "theta",
  "vega",
  "impliedVolatility",
] as const;

/** Columns of ORATS' wide "strikes" format that the loader uses (others are ignored). */
export const WIDE_REQUIRED = [
  "ticker",
  "tradeDate",
  "expirDate",
  "strike",
  "stockPrice",
  "callVolume",
  "callOpenInterest",
  "putVolume",
  "putOpenInterest",
  "callBidPrice",
  "callAskPrice",
  "putBidPrice",
  "putAskPrice",
  "callMidIv",
  "putMidIv",
  "delta",
  "gamma",
  "theta",
  "vega",
] as const;

/** Which chain format a header is. */
export type ChainFormat = "long" | "wide";

/**
 * Detects the chain format from a header: `optionType` marks the long format, `callBidPrice`
 * ORATS' wide strikes format; anything else is null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectFormat } from "./schema.ts";
 * assert.equal(detectFormat(["ticker", "optionType", "bid"]), "long");
 * assert.equal(detectFormat(["ticker", "callBidPrice"]), "wide");
 * ```
 */
export function detectFormat(columns: readonly string[]): ChainFormat | null {
  if (columns.includes("optionType")) return "long";
  if (columns.includes("callBidPrice") || columns.includes("putBidPrice")) return "wide";
  return null;
}
