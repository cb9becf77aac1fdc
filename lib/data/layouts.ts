/**
 * The chain layouts Mahler reads, detected from a header (or the keys of JSON records), and
 * their field lists. Every layout is normalized to the long layout: one row per contract.
 *
 * | layout | detected by | one row is |
 * |---|---|---|
 * | `long` | `optionType` and `tradeDate` | a contract |
 * | `orats_strikes` | `callBidPrice` | a strike: a call and a put |
 * | `smv_strikes` | `cBidPx` | a strike: a call and a put |
 * | `snake_long` | `option_type` and `trade_date` | a contract |
 * | `cboe_eod` | `underlying_symbol`, `quote_date`, `bid_1545` | a contract (no greeks) |
 * | `cboe_eod_calcs` | the same plus `implied_volatility_1545` | a contract |
 * | `mapped` | every source column of the `[data.columns]` map | a contract, as `long` |
 *
 * @module
 */

/** Name of a chain layout. */
export type LayoutName =
  | "long"
  | "orats_strikes"
  | "smv_strikes"
  | "snake_long"
  | "cboe_eod"
  | "cboe_eod_calcs"
  | "mapped";

/** Columns of the long layout, one row per contract, in the spec's order. */
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

/** Greek and IV columns of the long layout: all present, or all absent (then computed). */
export const LONG_GREEKS = ["delta", "gamma", "theta", "vega", "impliedVolatility"] as const;

/** Long-layout columns a file must have besides {@link LONG_GREEKS}. */
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
] as const;

/** ORATS Data API "strikes" columns the loader reads (others are ignored). */
export const ORATS_STRIKES_REQUIRED = [
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

/**
 * ORATS near-end-of-day "SMV Strikes" columns the loader reads. `trade_date` may be absent when
 * the file name carries the day (`ORATS_SMV_Strikes_YYYYMMDD`).
 */
export const SMV_STRIKES_REQUIRED = [
  "ticker",
  "expirDate",
  "strike",
  "stkPx",
  "cVolu",
  "cOi",
  "pVolu",
  "pOi",
  "cBidPx",
  "cAskPx",
  "pBidPx",
  "pAskPx",
  "cMidIv",
  "pMidIv",
  "delta",
  "gamma",
  "theta",
  "vega",
] as const;

/** Snake_case long-layout columns the loader reads. */
export const SNAKE_LONG_REQUIRED = [
  "ticker",
  "trade_date",
  "expir_date",
  "strike",
  "option_type",
  "stock_price",
  "bid",
  "ask",
  "volume",
  "open_interest",
  "mid_iv",
  "delta",
  "gamma",
  "theta",
  "vega",
] as const;

/** CBOE DataShop "Option EOD" columns the loader reads (15:45 quotes). */
export const CBOE_EOD_REQUIRED = [
  "underlying_symbol",
  "quote_date",
  "expiration",
  "strike",
  "option_type",
  "bid_1545",
  "ask_1545",
  "trade_volume",
  "open_interest",
  "underlying_bid_1545",
  "underlying_ask_1545",
] as const;

/** The "Calcs" columns of CBOE's Option EOD files that the loader reads. */
export const CBOE_CALCS = [
  "implied_volatility_1545",
  "delta_1545",
  "gamma_1545",
  "theta_1545",
  "vega_1545",
] as const;

/** A `[data.columns]` map: long-layout column name -> the file's column name. */
export type ColumnMap = Record<string, string>;

/**
 * Detects the layout of a header (or of JSON records' keys). A column map applies when the
 * header holds every source column it names.
 *
 * @param columns the header
 * @param columnMap an optional `[data.columns]` map
 * @returns the layout, or null when none matches
 *
 * @example Detecting layouts from headers
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectLayout } from "./layouts.ts";
 * assert.equal(detectLayout(["ticker", "tradeDate", "optionType", "bid"]), "long");
 * assert.equal(detectLayout(["ticker", "tradeDate", "callBidPrice"]), "orats_strikes");
 * assert.equal(detectLayout(["ticker", "cBidPx", "trade_date"]), "smv_strikes");
 * assert.equal(detectLayout(["underlying_symbol", "quote_date", "bid_1545"]), "cboe_eod");
 * assert.equal(detectLayout(["Sym", "Date", "PutCall"], { ticker: "Sym" }), "mapped");
 * assert.equal(detectLayout(["a", "b"]), null);
 * ```
 */
export function detectLayout(
  columns: readonly string[],
  columnMap?: ColumnMap,
): LayoutName | null {
  const has = (name: string) => columns.includes(name);
  const sources = Object.values(columnMap ?? {});
  if (sources.length > 0 && sources.every(has)) return "mapped";
  if (has("cBidPx") || has("pBidPx")) return "smv_strikes";
  if (has("callBidPrice") || has("putBidPrice")) return "orats_strikes";
  if (has("underlying_symbol") && has("quote_date") && (has("bid_1545") || has("ask_1545"))) {
    return has("implied_volatility_1545") ? "cboe_eod_calcs" : "cboe_eod";
  }
  if (has("option_type") && has("trade_date")) return "snake_long";
  if (has("optionType") && has("tradeDate")) return "long";
  return null;
}

/** A one-line description of the layouts, for "unknown layout" messages. */
export const LAYOUT_HINT =
  "expected the long layout (tradeDate, optionType), ORATS strikes (callBidPrice), ORATS SMV " +
  "Strikes (cBidPx), the snake_case layout (trade_date, option_type), CBOE Option EOD " +
  "(underlying_symbol, quote_date, bid_1545) or a [data.columns] map";

/**
 * The day a file name carries: `YYYYMMDD` after an underscore or dash (ORATS' daily
 * `ORATS_SMV_Strikes_20240102.csv`) or `YYYY-MM-DD` (CBOE's `..._2024-01-02.csv`), else null.
 * Used for daily files without a date column and to skip daily files outside a date window.
 */
export function dayOfFileName(name: string): { year: number; month: number; day: number } | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /(?:^|[_-])(\d{4})-?(\d{2})-?(\d{2})(?=\.|$)/.exec(base.replace(/\.(zip|gz)$/i, ""));
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day };
}
