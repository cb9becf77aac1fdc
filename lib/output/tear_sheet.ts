/**
 * The tear sheet: every frame of tear_sheet_frames.ts and the trade analytics in one call
 * (the record of named frames the figures are drawn from), for a backtest (`runBacktest`) or a walk-forward's
 * stitched out-of-sample run (`walkForwardRun`): returns by day, month and year, rolling Sharpe,
 * the return distribution, the worst drawdowns, exposure, the underlying bought and held, and
 * the trade analytics.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { benchmarkFrame } from "./benchmark.ts";
import {
  annualReturnsFrame,
  dailyReturnsFrame,
  drawdownsFrame,
  equitySpan,
  exposureFrame,
  monthlyReturnsFrame,
  returnHistogramFrame,
  rollingSharpeFrame,
} from "./tear_sheet_frames.ts";
import { exitReasonFrame, pnlByBucketFrame } from "./trade_analytics.ts";

/** What {@link tearSheet} reads: a backtest's result or a walk-forward's stitched run. */
export interface TearSheetRun {
  /** The trade log. */
  trades: pl.DataFrame;
  /** The daily state. */
  equity: pl.DataFrame;
  /** First day of the tradable span (null: no tradable day). */
  tradableFrom: string | null;
  /** Starting equity and risk-free rate. */
  params: { startingEquity: number; riskFreeRate: number };
}

/** Options of {@link tearSheet}. */
export interface TearSheetOptions {
  /** The store, for the benchmark (without it, `benchmark` is null). */
  store?: ChainStore;
  /** The underlying bought and held (default SPY when the store holds it, else its first). */
  benchmark?: string;
  /** Worst drawdowns to list (default 5). */
  drawdowns?: number;
  /** Bins of the return histogram (default 40). */
  bins?: number;
}

/** The frames of a tear sheet. */
export interface TearSheet {
  /** First day of the tradable span every frame covers. */
  from: string | null;
  /** date, equity, return. */
  returns: pl.DataFrame;
  /** year, month, return, trading_days. */
  monthly: pl.DataFrame;
  /** year, return, trading_days. */
  annual: pl.DataFrame;
  /** date, sharpe_6m, sharpe_12m. */
  rollingSharpe: pl.DataFrame;
  /** lower, upper, count of daily returns. */
  histogram: pl.DataFrame;
  /** The worst drawdowns: rank, start, trough, recovery, depth, peak_equity, days. */
  drawdowns: pl.DataFrame;
  /** date, open_risk, heat, open_positions. */
  exposure: pl.DataFrame;
  /** The underlying bought and held: date, close, equity, return (null without a store). */
  benchmark: pl.DataFrame | null;
  /** Name of the benchmark's underlying (null without a store). */
  benchmarkName: string | null;
  /** The benchmark's annual returns: year, return, trading_days (null without a store). */
  benchmarkAnnual: pl.DataFrame | null;
  /** P&L by exit reason. */
  exitReasons: pl.DataFrame;
  /** P&L by the position's delta at entry, in buckets. */
  byDelta: pl.DataFrame;
  /** P&L by VIX at entry, by regime. */
  byVix: pl.DataFrame;
  /** P&L by IV rank at entry, in buckets. */
  byIvRank: pl.DataFrame;
  /** P&L by DTE at entry, in buckets. */
  byDte: pl.DataFrame;
}

/**
 * Every frame of a tear sheet of a run, over its tradable span.
 *
 * @param run a backtest's result or a walk-forward's stitched run (walkForwardRun)
 * @param options the store and underlying of the benchmark, drawdowns to list, histogram bins
 * @returns the frames (see {@link TearSheet})
 *
 * @example The tear sheet of a three-month backtest
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest } from "../mod.ts";
 * import { tearSheet } from "./tear_sheet.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml"));
 * const sheet = tearSheet(run, { store });
 * assert.equal(sheet.monthly.height, 3);
 * const compounded = (sheet.monthly.getColumn("return").toArray() as number[])
 *   .reduce((g, r) => g * (1 + r), 1) - 1;
 * assert.ok(Math.abs(compounded - run.metrics.total_return) < 1e-6); // to the cent
 * assert.equal(sheet.benchmarkName, "SPY");
 * // SPY's return with its March dividend (ex on 2024-03-15) reinvested at that close.
 * const ex = store.close("SPY", "2024-03-15");
 * const dividend = store.data.dividendAmounts[store.data.dividendOffsets[store.tickerIndex("SPY")]];
 * const spy = store.close("SPY", "2024-03-28") / store.close("SPY", "2024-01-02") *
 *     (ex + dividend) / ex - 1;
 * assert.ok(Math.abs((sheet.benchmarkAnnual!.getColumn("return").get(0) as number) - spy) < 1e-12);
 * const trades = sheet.exitReasons.getColumn("trades").toArray() as number[];
 * assert.equal(trades.reduce((a, b) => a + b, 0), run.trades.height);
 * ```
 */
export function tearSheet(run: TearSheetRun, options: TearSheetOptions = {}): TearSheet {
  const span = { from: run.tradableFrom, startingEquity: run.params.startingEquity };
  const store = options.store;
  const benchmarkName = store
    ? options.benchmark ?? (store.tickers.includes("SPY") ? "SPY" : store.tickers[0])
    : null;
  const benchmark = store && benchmarkName
    ? benchmarkFrame(store, run.equity, { ...span, underlying: benchmarkName })
    : null;
  return {
    from: run.tradableFrom,
    returns: dailyReturnsFrame(run.equity, span),
    monthly: monthlyReturnsFrame(run.equity, span),
    annual: annualReturnsFrame(run.equity, span),
    rollingSharpe: rollingSharpeFrame(run.equity, {
      ...span,
      riskFreeRate: run.params.riskFreeRate,
    }),
    histogram: returnHistogramFrame(run.equity, { ...span, bins: options.bins }),
    drawdowns: drawdownsFrame(run.equity, { ...span, top: options.drawdowns }),
    exposure: exposureFrame(run.equity, span),
    benchmark,
    benchmarkName,
    // The benchmark starts from the run's equity before the span, as the run does.
    benchmarkAnnual: benchmark &&
      annualReturnsFrame(benchmark, { startingEquity: equitySpan(run.equity, span).base }),
    exitReasons: exitReasonFrame(run.trades),
    byDelta: pnlByBucketFrame(run.trades, "delta_at_entry"),
    byVix: pnlByBucketFrame(run.trades, "vix_at_entry"),
    byIvRank: pnlByBucketFrame(run.trades, "iv_rank_at_entry"),
    byDte: pnlByBucketFrame(run.trades, "dte_at_entry"),
  };
}
