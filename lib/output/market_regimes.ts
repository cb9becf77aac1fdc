/**
 * Results by market regime (lib/strategy/market_regime.ts: VIX level and trend), beside the VIX
 * buckets: the same statistics as `by_vix_regime`. Trades count in the regime of their own
 * underlying on their entry day; days count in the regime of the run's market underlying (the
 * first configured underlying the data holds), each day's return (equity over the previous
 * day's, the first over the starting equity) in the regime of that day; Sharpe and Sortino are
 * daily × √252, CAGR compounds those returns over 252 days a year, and the maximum drawdown is
 * that of the path they compound to, in date order.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";
import { periodReturns } from "../stats/returns.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import {
  MARKET_REGIMES,
  type MarketRegimeTable,
  marketRegimeTable,
  regimeOn,
} from "../strategy/market_regime.ts";
import {
  dayStats,
  type Metrics,
  type RegimeStats,
  spanStart,
  tradeStats,
  VIX_REGIMES,
} from "./metrics.ts";

/** Options of {@link marketRegimeBreakdown}. */
export interface MarketRegimeOptions {
  /** The underlying whose regime the days take (default: the table's first ticker). */
  underlying?: string;
  /** Dollars. */
  startingEquity: number;
  /** Annual decimal (default 0). */
  riskFreeRate?: number;
  /**
   * First day of the tradable span (ISO), as computeMetrics takes it: the days before it are
   * left out, the first counted day's return measured from the equity before it (default: all).
   */
  from?: string | null;
}

/**
 * The underlying whose regime a run's days take: the first of the configured underlyings that
 * the table holds, else the table's first ticker.
 *
 * @param table the regime table
 * @param underlyings the configured underlyings, in order
 */
export function marketUnderlying(table: MarketRegimeTable, underlyings: string[]): string {
  return underlyings.find((u) => table.tickers.includes(u)) ?? table.tickers[0] ?? "";
}

/**
 * Trade and day statistics per market regime.
 *
 * @param run trades and the daily state of a run
 * @param table the store's regime table (see marketRegimeTable)
 * @param options the market underlying, starting equity, risk-free rate
 * @returns per regime (every label of MARKET_REGIMES, in order): trade and day statistics
 *
 * @example Every label is present, and the days add up to the run's
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, marketRegimeTable,
 *   runBacktest } from "../mod.ts";
 * import { marketRegimeBreakdown } from "./market_regimes.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml")).raw;
 * const byRegime = marketRegimeBreakdown(run, marketRegimeTable(store), { startingEquity: 100000 });
 * assert.equal(Object.keys(byRegime).length, 7);
 * assert.equal(byRegime.unknown.days, run.daily.length); // six months: under 200 closes
 * assert.equal(byRegime.unknown.trade_count, run.trades.length);
 * ```
 */
export function marketRegimeBreakdown(
  run: { trades: Trade[]; daily: DailyState[] },
  table: MarketRegimeTable,
  options: MarketRegimeOptions,
): Record<string, RegimeStats> {
  const market = options.underlying ?? table.tickers[0] ?? "";
  const trades: Record<string, Trade[]> = {};
  const days: Record<string, number[]> = {};
  for (const r of MARKET_REGIMES) {
    trades[r] = [];
    days[r] = [];
  }
  for (const t of run.trades) trades[regimeOn(table, t.underlying, t.entryDay)].push(t);
  const skip = spanStart(run.daily, options.from);
  const daily = run.daily.slice(skip);
  const start = skip > 0 ? run.daily[skip - 1].equity : options.startingEquity;
  const returns = periodReturns(daily.map((e) => e.equity), start);
  // Days mostly come in date order: walk the table's calendar alongside them (back to its start
  // when a day comes earlier than the last, as in a stitched run of overlapping test windows).
  const t = table.tickers.indexOf(market);
  const n = table.calendar.length;
  let d = 0;
  daily.forEach((e, i) => {
    if (d > 0 && (d >= n || table.calendar[d] > e.day) && table.calendar[d - 1] >= e.day) d = 0;
    while (d < n && table.calendar[d] < e.day) d++;
    const known = t >= 0 && d < n && table.calendar[d] === e.day;
    days[known ? MARKET_REGIMES[table.codes[t * n + d]] : "unknown"].push(returns[i]);
  });
  return Object.fromEntries(
    MARKET_REGIMES.map((r) => [
      r,
      { ...tradeStats(trades[r]), ...dayStats(days[r], options.riskFreeRate ?? 0) },
    ]),
  );
}

/**
 * A run's metrics with `by_market_regime` added (after the other keys).
 *
 * @param metrics the run's metrics
 * @param run its trades and daily state
 * @param table the store's regime table
 * @param options the configured underlyings (the first the table holds is the market's), the
 *   risk-free rate and the tradable span's first day (those of the metrics)
 * @returns the metrics with the breakdown
 */
export function withMarketRegimes(
  metrics: Metrics,
  run: { trades: Trade[]; daily: DailyState[] },
  table: MarketRegimeTable,
  options: { underlyings: string[]; riskFreeRate: number; from?: string | null },
): Metrics {
  return {
    ...metrics,
    by_market_regime: marketRegimeBreakdown(run, table, {
      underlying: marketUnderlying(table, options.underlyings),
      startingEquity: metrics.starting_equity,
      riskFreeRate: options.riskFreeRate,
      from: options.from,
    }),
  };
}

/** Options of {@link marketRegimesFrame}. */
export interface MarketRegimesFrameOptions {
  /** Only these underlyings (default all of the store's). */
  underlyings?: string[];
}

/**
 * Every underlying's market regime on every trading day, with the values behind it.
 *
 * @param store the chain, with its bars and VIX
 * @param options which underlyings
 * @returns a frame: date, underlying, close, sma50, sma200, vix, regime
 *
 * @example The sample's last day has a known regime for SPY
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, ensureSampleData, loadMarketData } from "../mod.ts";
 * import { marketRegimesFrame } from "./market_regimes.ts";
 * ensureSampleData("data/sample");
 * const store = buildChainStore(loadMarketData("data/sample", { underlyings: ["SPY"] }));
 * const frame = marketRegimesFrame(store);
 * assert.deepEqual(frame.columns, ["date", "underlying", "close", "sma50", "sma200", "vix", "regime"]);
 * assert.equal(frame.height, store.nDays);
 * assert.equal(frame.getColumn("regime").get(0), "unknown"); // no 200 closes yet
 * assert.notEqual(frame.getColumn("regime").get(store.nDays - 1), "unknown");
 * ```
 */
export function marketRegimesFrame(
  store: ChainStore,
  options: MarketRegimesFrameOptions = {},
): pl.DataFrame {
  const table = marketRegimeTable(store);
  const wanted = options.underlyings ?? [...store.tickers];
  const date: string[] = [];
  const underlying: string[] = [];
  const close: number[] = [];
  const sma50: (number | null)[] = [];
  const sma200: (number | null)[] = [];
  const vix: (number | null)[] = [];
  const regime: string[] = [];
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  for (let t = 0; t < store.tickers.length; t++) {
    if (!wanted.includes(store.tickers[t])) continue;
    for (let d = 0; d < store.nDays; d++) {
      const k = t * store.nDays + d;
      date.push(dayToIso(store.calendar[d]));
      underlying.push(store.tickers[t]);
      close.push(table.close[k]);
      sma50.push(orNull(table.sma50[k]));
      sma200.push(orNull(table.sma200[k]));
      vix.push(orNull(store.data.vixClose[d]));
      regime.push(MARKET_REGIMES[table.codes[k]]);
    }
  }
  return pl.DataFrame([
    pl.Series("date", date).cast(pl.Date),
    pl.Series("underlying", underlying, pl.Utf8),
    pl.Series("close", close, pl.Float64),
    pl.Series("sma50", sma50, pl.Float64),
    pl.Series("sma200", sma200, pl.Float64),
    pl.Series("vix", vix, pl.Float64),
    pl.Series("regime", regime, pl.Utf8),
  ]);
}

/**
 * A metrics breakdown as a frame, one row per regime in order (VIX buckets by level, market
 * regimes as MARKET_REGIMES lists them), for notebooks.
 *
 * @param metrics a run's metrics (runBacktest's, or a walk-forward's out-of-sample)
 * @param by "market" (`by_market_regime`) or "vix" (`by_vix_regime`)
 * @returns a frame: regime, then the trade statistics and the day statistics
 *
 * @example The VIX buckets in order of level
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest } from "../mod.ts";
 * import { regimeBreakdownFrame } from "./market_regimes.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-04-30", seed: 3 });
 * const result = runBacktest(buildChainStore(loadMarketData(dir)), loadConfig("config/test_config.toml"));
 * const vix = regimeBreakdownFrame(result.metrics, "vix");
 * assert.deepEqual(vix.getColumn("regime").toArray(), ["<15", "15-25", "25-35", ">35", "unknown"]);
 * const market = regimeBreakdownFrame(result.metrics, "market");
 * const counts = market.getColumn("trade_count").toArray() as number[];
 * assert.equal(counts.reduce((a, b) => a + b, 0), result.metrics.trade_count);
 * ```
 */
export function regimeBreakdownFrame(metrics: Metrics, by: "market" | "vix"): pl.DataFrame {
  const breakdown = by === "vix" ? metrics.by_vix_regime : metrics.by_market_regime ?? {};
  const order: readonly string[] = by === "vix" ? VIX_REGIMES : MARKET_REGIMES;
  const rows = order.filter((r) => breakdown[r]).map((r) => ({ regime: r, ...breakdown[r] }));
  const keys = rows.length ? Object.keys(rows[0]) : ["regime"];
  return pl.DataFrame(
    keys.map((k) =>
      k === "regime" ? pl.Series(k, rows.map((r) => r.regime), pl.Utf8) : pl.Series(
        k,
        rows.map((r) => (r as unknown as Record<string, number | null>)[k]),
        k === "trade_count" || k === "days" ? pl.Int32 : pl.Float64,
      )
    ),
  );
}
