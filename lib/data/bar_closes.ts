/**
 * Underlying closes at the bars' own dates. The ChainStore's calendar holds only the days that
 * have chains, so a bar on a day that no chain file covers does not reach the store; settlement
 * at expiration still needs the close of an expiry date that the chain files lack.
 *
 * @module
 */
import pl from "nodejs-polars";

/** Closes per ticker at the bars' own dates, as flat typed arrays (structured-cloneable). */
export interface BarCloses {
  /** Tickers, in the order of a store's `tickers`; `t` indexes this list. */
  tickers: string[];
  /** Ticker t's bars are `days`/`closes` [offsets[t], offsets[t + 1]). */
  offsets: Int32Array;
  /** Bar days (days since 1970-01-01), ascending within a ticker. */
  days: Int32Array;
  /** Closes, dollars. */
  closes: Float64Array;
}

/**
 * The closes of loaded bars, per ticker of a store.
 *
 * @param bars daily bars per ticker, as loaded (`MarketData.bars`: date, ..., close)
 * @param tickers the store's tickers; a ticker without bars gets an empty run
 * @returns the closes at their own dates
 *
 * @example A close on a day that has no chain
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { barCloseOn, barCloses } from "./bar_closes.ts";
 * const bars = pl.DataFrame({ date: ["2024-01-19"], close: [471.5] })
 *   .withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const closes = barCloses(new Map([["SPY", bars]]), ["IWM", "SPY"]);
 * assert.equal(barCloseOn(closes, 1, 19741), 471.5); // 2024-01-19
 * assert.ok(Number.isNaN(barCloseOn(closes, 0, 19741)));
 * ```
 */
export function barCloses(bars: Map<string, pl.DataFrame>, tickers: string[]): BarCloses {
  const runs = tickers.map((ticker) => {
    const frame = bars.get(ticker);
    if (!frame || frame.height === 0) return { days: new Int32Array(), closes: new Float64Array() };
    const sorted = frame.sort("date");
    return {
      days: Int32Array.from(sorted.getColumn("date").cast(pl.Int32).toArray() as number[]),
      closes: Float64Array.from(
        sorted.getColumn("close").cast(pl.Float64).toArray() as (number | null)[],
        (x) => x ?? NaN,
      ),
    };
  });
  const offsets = new Int32Array(tickers.length + 1);
  runs.forEach((r, t) => (offsets[t + 1] = offsets[t] + r.days.length));
  const days = new Int32Array(offsets[tickers.length]);
  const closes = new Float64Array(offsets[tickers.length]);
  runs.forEach((r, t) => {
    days.set(r.days, offsets[t]);
    closes.set(r.closes, offsets[t]);
  });
  return { tickers: [...tickers], offsets, days, closes };
}

/**
 * The close of ticker `t` on `day` from its bars, or NaN when the bars lack that day (or the
 * close is missing).
 *
 * @param closes the closes (see barCloses)
 * @param t ticker index in `closes.tickers`
 * @param day day number
 * @returns dollars, or NaN
 *
 * @example See {@link barCloses}
 * ```ts
 * import assert from "node:assert/strict";
 * import { barCloseOn } from "./bar_closes.ts";
 * const closes = { tickers: ["SPY"], offsets: Int32Array.of(0, 2), days: Int32Array.of(10, 12),
 *   closes: Float64Array.of(400, 401) };
 * assert.equal(barCloseOn(closes, 0, 12), 401);
 * assert.ok(Number.isNaN(barCloseOn(closes, 0, 11)));
 * ```
 */
export function barCloseOn(closes: BarCloses, t: number, day: number): number {
  let lo = closes.offsets[t];
  let hi = closes.offsets[t + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = closes.days[mid];
    if (d < day) lo = mid + 1;
    else if (d > day) hi = mid - 1;
    else return closes.closes[mid];
  }
  return NaN;
}
