/**
 * Hand-built chains for tests: rows in the long layout as a polars frame, and bars, ready for
 * buildChainStore.
 *
 * @module
 */
import pl from "nodejs-polars";

/** One contract row (prices in dollars per share, days since 1970-01-01). */
export interface ChainRow {
  ticker: string;
  day: number;
  expiry: number;
  strike: number;
  type: "P" | "C";
  bid: number;
  ask: number;
  stockPrice: number;
  delta: number;
  gamma?: number;
  theta?: number;
  vega?: number;
  rho?: number;
  iv?: number;
  volume?: number;
  openInterest?: number;
}

/** Rows as the long layout's frame (mid = (bid + ask) / 2; greeks default to usable values). */
export function chainFrame(rows: ChainRow[]): pl.DataFrame {
  const num = (f: (r: ChainRow) => number) => pl.Series(Float64Array.from(rows, f));
  return pl.DataFrame({
    ticker: pl.Series("ticker", rows.map((r) => r.ticker), pl.Utf8),
    tradeDate: pl.Series(Int32Array.from(rows, (r) => r.day)).cast(pl.Date),
    expirDate: pl.Series(Int32Array.from(rows, (r) => r.expiry)).cast(pl.Date),
    strike: num((r) => r.strike),
    optionType: pl.Series("optionType", rows.map((r) => r.type), pl.Utf8),
    bid: num((r) => r.bid),
    ask: num((r) => r.ask),
    mid: num((r) => (r.bid + r.ask) / 2),
    last: num(() => NaN),
    volume: pl.Series(Int32Array.from(rows, (r) => r.volume ?? 100)),
    openInterest: pl.Series(Int32Array.from(rows, (r) => r.openInterest ?? 1000)),
    stockPrice: num((r) => r.stockPrice),
    delta: num((r) => r.delta),
    gamma: num((r) => r.gamma ?? 0.01),
    theta: num((r) => r.theta ?? -0.01),
    vega: num((r) => r.vega ?? 0.1),
    rho: num((r) => r.rho ?? 0.01),
    impliedVolatility: num((r) => r.iv ?? 0.2),
    underlyingBid: num(() => NaN),
    underlyingAsk: num(() => NaN),
  });
}

/** Daily bars of one ticker from (day, close) pairs (open = high = low = close). */
export function barsFrame(closes: Array<[day: number, close: number]>): pl.DataFrame {
  const close = Float64Array.from(closes, (c) => c[1]);
  return pl.DataFrame({
    date: pl.Series(Int32Array.from(closes, (c) => c[0])).cast(pl.Date),
    open: pl.Series(close),
    high: pl.Series(close),
    low: pl.Series(close),
    close: pl.Series(close),
    volume: pl.Series(new Float64Array(closes.length)),
  });
}
