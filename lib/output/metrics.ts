/**
 * Performance metrics of a run: trade statistics, risk-adjusted returns and drawdown, overall,
 * by VIX regime and by underlying.
 *
 * Full-run Sharpe and Sortino use monthly returns × √12 (month-end equity; the first month
 * measured from the starting equity), with daily × √252 figures alongside. Standard deviations
 * are sample (n - 1). Ratios that need at least two returns, or a non-zero deviation, are null.
 *
 * By VIX regime (< 15, 15-25, 25-35, > 35, unknown): the trade statistics of the trades
 * entered in that regime (VIX close of the entry day), and the return statistics of the days
 * spent in it: each day's return (equity over the previous day's, the first day over the
 * starting equity) counts in the regime of that day's VIX close; Sharpe and Sortino are daily
 * × √252, CAGR compounds those returns over 252 days a year, and the maximum drawdown is that
 * of the path they compound to, in date order.
 *
 * @module
 */
import { dayToIso } from "../data/dates.ts";
import * as returns from "../stats/returns.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";

/** Trade statistics of a set of trades. */
export interface TradeStats {
  trade_count: number;
  /** Share of trades with P&L > 0. */
  win_rate: number | null;
  /** Gross profit / gross loss. */
  profit_factor: number | null;
  /** Dollars. */
  total_pnl: number;
  average_pnl: number | null;
  /** Average P&L of the trades with P&L > 0. */
  average_win: number | null;
  /** Average P&L of the trades with P&L < 0 (break-even trades are neither). */
  average_loss: number | null;
  /** Calendar days. */
  average_days_held: number | null;
}

/** Return statistics of a set of days. */
export interface DayStats {
  /** Days counted. */
  days: number;
  /** Daily Sharpe × √252. */
  sharpe: number | null;
  /** Daily Sortino × √252. */
  sortino: number | null;
  /** Maximum drawdown of the compounded path (<= 0). */
  max_drawdown: number | null;
  /** Compound annual growth over 252 days a year. */
  cagr: number | null;
}

/** A VIX regime: the trades entered in it and the days spent in it. */
export type RegimeStats = TradeStats & DayStats;

/** All metrics written to metrics.json. */
export interface Metrics extends TradeStats {
  starting_equity: number;
  final_equity: number;
  total_return: number;
  /** Compound annual growth over the calendar span (365.25 days a year). */
  cagr: number | null;
  max_drawdown: number;
  /** Monthly returns × √12. */
  sharpe: number | null;
  sortino: number | null;
  /** Daily returns × √252. */
  sharpe_daily: number | null;
  sortino_daily: number | null;
  trading_days: number;
  first_date: string | null;
  last_date: string | null;
  by_vix_regime: Record<string, RegimeStats>;
  by_underlying: Record<string, TradeStats>;
  /** By market regime (VIX and trend; see market_regimes.ts), where the caller adds it. */
  by_market_regime?: Record<string, RegimeStats>;
}

/** The VIX regimes, in order of VIX level. */
export const VIX_REGIMES = ["<15", "15-25", "25-35", ">35", "unknown"] as const;

/**
 * VIX regime label of a VIX level.
 *
 * @param vix the VIX close (NaN when unknown)
 * @returns "<15", "15-25", "25-35", ">35" or "unknown"
 *
 * @example Bounds belong to the higher regime up to 25, and 35 to 25-35
 * ```ts
 * import assert from "node:assert/strict";
 * import { vixRegime } from "./metrics.ts";
 * assert.deepEqual([14.99, 15, 25, 35, 35.01, NaN].map(vixRegime),
 *   ["<15", "15-25", "25-35", "25-35", ">35", "unknown"]);
 * ```
 */
export function vixRegime(vix: number): string {
  if (!(vix >= 0)) return "unknown";
  if (vix < 15) return "<15";
  if (vix < 25) return "15-25";
  if (vix <= 35) return "25-35";
  return ">35";
}

/**
 * Trade statistics of a list of trades.
 *
 * @param trades completed trades
 * @returns count, win rate, profit factor, P&L totals and averages, average days held
 *
 * @example A win, a loss and a break-even trade
 * ```ts
 * import assert from "node:assert/strict";
 * import { tradeStats } from "./metrics.ts";
 * const t = (pnlUsd: number) => ({ pnlUsd, entryDay: 0, exitDay: 10 });
 * const s = tradeStats([t(300), t(-100), t(0)] as never);
 * assert.equal(s.average_loss, -100); // the break-even trade is not a loss
 * assert.equal(s.profit_factor, 3);
 * assert.equal(s.win_rate, 1 / 3);
 * ```
 */
export function tradeStats(trades: Trade[]): TradeStats {
  const n = trades.length;
  const wins = trades.filter((t) => t.pnlUsd > 0);
  const losses = trades.filter((t) => t.pnlUsd < 0);
  const grossWin = wins.reduce((a, t) => a + t.pnlUsd, 0);
  const grossLoss = -losses.reduce((a, t) => a + t.pnlUsd, 0);
  const total = trades.reduce((a, t) => a + t.pnlUsd, 0);
  return {
    trade_count: n,
    win_rate: n ? wins.length / n : null,
    profit_factor: grossLoss > 0 ? grossWin / grossLoss : null,
    total_pnl: total,
    average_pnl: n ? total / n : null,
    average_win: wins.length ? grossWin / wins.length : null,
    average_loss: losses.length ? -grossLoss / losses.length : null,
    average_days_held: n ? trades.reduce((a, t) => a + (t.exitDay - t.entryDay), 0) / n : null,
  };
}

/**
 * Return statistics of a set of daily returns (in date order).
 *
 * @param daily daily returns
 * @param riskFreeRate annual decimal
 * @returns days, Sharpe and Sortino (daily × √252), maximum drawdown and CAGR
 *
 * @example Two days up 1%, one down 2%
 * ```ts
 * import assert from "node:assert/strict";
 * import { dayStats } from "./metrics.ts";
 * const s = dayStats([0.01, 0.01, -0.02]);
 * assert.equal(s.days, 3);
 * assert.ok(Math.abs(s.max_drawdown! + 0.02) < 1e-12);
 * assert.equal(dayStats([]).cagr, null);
 * ```
 */
export function dayStats(daily: number[], riskFreeRate = 0): DayStats {
  return {
    days: daily.length,
    sharpe: returns.sharpeRatio(daily, 252, riskFreeRate),
    sortino: returns.sortinoRatio(daily, 252, riskFreeRate),
    max_drawdown: daily.length ? returns.maxDrawdown(daily) : null,
    cagr: daily.length ? returns.annualGrowth(daily, 252) : null,
  };
}

/** Options of {@link computeMetrics}. */
export interface MetricsOptions {
  /** Dollars. */
  startingEquity: number;
  /** Annual decimal (default 0). */
  riskFreeRate?: number;
}

/**
 * Computes every metric of a run.
 *
 * @param run completed trades and the daily state (e.g. a simulation result, or a
 *   walk-forward's stitched out-of-sample run)
 * @param options starting equity and risk-free rate
 * @returns the metrics of metrics.json
 *
 * @example The metrics of a six-month backtest: trade P&L sums to the equity change
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, ivPercentileTable, loadConfig, loadMarketData,
 *   paramsFromConfig, simulate } from "../mod.ts";
 * import { computeMetrics } from "./metrics.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const p = paramsFromConfig(loadConfig("config/test_config.toml"));
 * const run = simulate(store, p, { ivPct: ivPercentileTable(store, p.ivHistoryDays) });
 * const m = computeMetrics(run, { startingEquity: p.startingEquity });
 * assert.ok(Math.abs(m.final_equity - m.starting_equity - m.total_pnl) < 1e-6);
 * const regimeDays = Object.values(m.by_vix_regime).reduce((a, r) => a + r.days, 0);
 * assert.equal(regimeDays, m.trading_days);
 * ```
 */
export function computeMetrics(
  run: { trades: Trade[]; daily: DailyState[] },
  options: MetricsOptions,
): Metrics {
  const { trades, daily } = run;
  const start = options.startingEquity;
  const rf = options.riskFreeRate ?? 0;
  const values = daily.map((e) => e.equity);
  const final = daily.length ? daily[daily.length - 1].equity : start;
  const monthly = returns.monthlyReturns(daily.map((e) => e.day), values, start);
  const dailyReturns = returns.periodReturns(values, start);
  const span = daily.length ? daily[daily.length - 1].day - daily[0].day + 1 : 0;
  const regimeTrades: Record<string, Trade[]> = {};
  const regimeReturns: Record<string, number[]> = {};
  for (const r of VIX_REGIMES) {
    regimeTrades[r] = [];
    regimeReturns[r] = [];
  }
  const byUnderlying: Record<string, Trade[]> = {};
  for (const t of trades) {
    regimeTrades[vixRegime(t.entry.vix)].push(t);
    (byUnderlying[t.underlying] ??= []).push(t);
  }
  daily.forEach((e, i) => regimeReturns[vixRegime(e.vix)].push(dailyReturns[i]));
  return {
    ...tradeStats(trades),
    starting_equity: start,
    final_equity: final,
    total_return: final / start - 1,
    cagr: span > 0 && final > 0 ? (final / start) ** (365.25 / span) - 1 : null,
    max_drawdown: daily.reduce((m, e) => Math.min(m, e.drawdown), 0),
    sharpe: returns.sharpeRatio(monthly, 12, rf),
    sortino: returns.sortinoRatio(monthly, 12, rf),
    sharpe_daily: returns.sharpeRatio(dailyReturns, 252, rf),
    sortino_daily: returns.sortinoRatio(dailyReturns, 252, rf),
    trading_days: daily.length,
    first_date: daily.length ? dayToIso(daily[0].day) : null,
    last_date: daily.length ? dayToIso(daily[daily.length - 1].day) : null,
    by_vix_regime: Object.fromEntries(
      VIX_REGIMES.map((
        r,
      ) => [r, { ...tradeStats(regimeTrades[r]), ...dayStats(regimeReturns[r], rf) }]),
    ),
    by_underlying: Object.fromEntries(
      Object.keys(byUnderlying).sort().map((k) => [k, tradeStats(byUnderlying[k])]),
    ),
  };
}
