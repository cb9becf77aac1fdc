/**
 * The benchmark of a tear sheet: an underlying bought and held with the run's starting equity,
 * from its daily closes (the bars, else the chain's stock price), over the run's tradable span.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { dateSeries } from "./_columns.ts";
import { equitySpan, type SpanOptions } from "./tear_sheet_frames.ts";

/** Options of {@link benchmarkFrame}. */
export interface BenchmarkOptions extends SpanOptions {
  /** The underlying bought and held (default SPY when the store holds it, else its first). */
  underlying?: string;
}

/**
 * The underlying bought and held: the equity before the span buys it at the close of the day
 * before the span's first day (or of that first day when the data starts there) and holds it;
 * each day of the span is valued at that day's close. Days without a close carry the last
 * value. With dividends in the data, each dividend is reinvested at the close of its ex-date
 * (a total return: the close drops by the dividend that day, the holding does not).
 *
 * @param store the chain (closes from the bars, else the chain's stock price)
 * @param frame the run's daily-state frame (for its dates and starting equity)
 * @param options the underlying, the span
 * @returns date, close, equity (dollars), return (daily, a fraction)
 *
 * @example Bought at the first close (the data starts with the span), valued at the last
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest } from "../mod.ts";
 * import { benchmarkFrame } from "./benchmark.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml")); // no warm-up
 * const b = benchmarkFrame(store, run.equity, { underlying: "QQQ", from: run.tradableFrom });
 * const equity = b.getColumn("equity").toArray() as number[];
 * const growth = store.close("QQQ", "2024-03-28") / store.close("QQQ", "2024-01-02");
 * // QQQ's March dividend goes ex on 2024-03-18, reinvested at that close.
 * const dividend = Number(
 *   Deno.readTextFileSync(`${dir}/dividends.csv`).match(/QQQ,2024-03-18,([\d.]+)/)![1],
 * );
 * const exClose = store.close("QQQ", "2024-03-18");
 * assert.equal(b.height, store.nDays);
 * const expected = 100000 * growth * (exClose + dividend) / exClose;
 * assert.ok(Math.abs(equity[b.height - 1] - expected) < 1e-6);
 * ```
 */
export function benchmarkFrame(
  store: ChainStore,
  frame: pl.DataFrame,
  options: BenchmarkOptions = {},
): pl.DataFrame {
  const underlying = options.underlying ??
    (store.tickers.includes("SPY") ? "SPY" : store.tickers[0]);
  const t = store.tickerIndex(underlying);
  if (t < 0) {
    throw new RangeError(
      `Benchmark ${underlying} is not in the data (it holds ${store.tickers.join(", ")})`,
    );
  }
  const s = equitySpan(frame, options);
  const closeOf = (day: number) => {
    const d = store.dayIndex(day);
    return d < 0 ? NaN : store.data.barClose[t * store.nDays + d];
  };
  // Bought at the close before the first day of the span when the data has it.
  let bought = NaN;
  let boughtDay = NaN;
  if (s.days.length) {
    const first = store.dayIndex(s.days[0]);
    for (let d = first - 1; d >= 0 && Number.isNaN(bought); d--) {
      bought = store.data.barClose[t * store.nDays + d];
      boughtDay = store.calendar[d];
      if (first - d > 5) break;
    }
    if (Number.isNaN(bought)) {
      bought = closeOf(s.days[0]);
      boughtDay = s.days[0];
    }
  }
  const n = s.days.length;
  const close = new Float64Array(n);
  const equity = new Float64Array(n);
  const returns = new Float64Array(n);
  let last = bought;
  let previous = s.base;
  // Shares held per share bought: 1, grown by each dividend going ex after the purchase,
  // reinvested at its ex-date's close.
  let reinvested = 1;
  const divEnd = store.data.dividendOffsets[t + 1];
  let j = store.data.dividendOffsets[t];
  while (j < divEnd && store.data.dividendDays[j] <= boughtDay) j++;
  for (let i = 0; i < n; i++) {
    const c = closeOf(s.days[i]);
    if (!Number.isNaN(c)) last = c;
    close[i] = last;
    for (; j < divEnd && store.data.dividendDays[j] <= s.days[i]; j++) {
      reinvested *= (last + store.data.dividendAmounts[j]) / last;
    }
    equity[i] = s.base * last / bought * reinvested;
    returns[i] = equity[i] / previous - 1;
    previous = equity[i];
  }
  return pl.DataFrame([
    dateSeries("date", s.days),
    pl.Series("close", close),
    pl.Series("equity", equity),
    pl.Series("return", returns),
  ]);
}
