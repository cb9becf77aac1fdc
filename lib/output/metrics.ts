/**
 * Performance metrics of a run: trade statistics, risk-adjusted returns and drawdown, overall,
 * by VIX regime and by underlying.
 *
 * The return statistics cover the run's tradable span: from the first day an entry was possible
 * (after the IV-percentile warm-up, whose flat equity is no result) to the last day. Daily
 * returns are equity over the previous day's; the span's first day is measured from the equity
 * before it (the starting equity). Full-run Sharpe and Sortino use monthly returns × √12
 * (month-end equity; the first, possibly partial, month measured from the equity before the
 * span), with daily × √252 figures alongside; all of them are of excess returns, r − rf / 12 or
 * r − rf / 252. Standard deviations are sample (n − 1); Sortino's downside deviation is the root
 * mean square of the negative excess returns over all n periods (target: the risk-free rate).
 * CAGR compounds the daily returns over 252 trading days a year, (final / start)^(252 / days)
 * − 1, everywhere (overall, by regime, in the bootstrap). Ratios that need at least two returns,
 * or a non-zero deviation, are null.
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
import { dayToIso, isoToDay } from "../data/dates.ts";
import { MONTHS_PER_YEAR, TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import * as returns from "../stats/returns.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import { DEFAULT_TARGETS, type Targets } from "../strategy/rules_config.ts";
import {
  type RuleMetrics,
  ruleMetrics,
  type TARGET_KEYS,
  type TargetCheck,
  targetChecks,
} from "./rule_metrics.ts";

/** Trade statistics of a set of trades. */
export interface TradeStats {
  /** Trades closed. */
  trade_count: number;
  /** Share of trades with P&L > 0. */
  win_rate: number | null;
  /** Gross profit / gross loss. */
  profit_factor: number | null;
  /** Dollars. */
  total_pnl: number;
  /** Mean P&L per trade, dollars. */
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
export interface Metrics extends TradeStats, RuleMetrics {
  /** Equity before the tradable span. */
  starting_equity: number;
  /** Equity on its last day. */
  final_equity: number;
  /** final / starting − 1. */
  total_return: number;
  /** Compound annual growth over 252 trading days a year: (final / start)^(252 / days) − 1. */
  cagr: number | null;
  /** Maximum drawdown of the span's equity (<= 0). */
  max_drawdown: number;
  /** Sharpe ratio of the monthly returns × √12. */
  sharpe: number | null;
  /** Sortino ratio of the monthly returns × √12. */
  sortino: number | null;
  /** Sharpe ratio of the daily returns × √252. */
  sharpe_daily: number | null;
  /** Sortino ratio of the daily returns × √252. */
  sortino_daily: number | null;
  /** Trading days of the tradable span (the return statistics' days). */
  trading_days: number;
  /** First day of the tradable span. */
  first_date: string | null;
  /** Last day of the tradable span. */
  last_date: string | null;
  /** Trading days of the run before the tradable span (the IV-percentile warm-up), left out. */
  warmup_days: number;
  /** By VIX regime at entry (< 15, 15-25, 25-35, > 35). */
  by_vix_regime: Record<string, RegimeStats>;
  /** By underlying. */
  by_underlying: Record<string, TradeStats>;
  /** Each target of `[targets]` with its value and whether it was met (rule_metrics.ts). */
  targets: Record<(typeof TARGET_KEYS)[number], TargetCheck>;
  /** By market regime (VIX and trend; see market_regimes.ts), where the caller adds it. */
  by_market_regime?: Record<string, RegimeStats>;
  /** By exit reason, when the data holds dividends (see exit_reason_metrics.ts). */
  by_exit_reason?: Record<string, TradeStats>;
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
    sharpe: returns.sharpeRatio(daily, TRADING_DAYS_PER_YEAR, riskFreeRate),
    sortino: returns.sortinoRatio(daily, TRADING_DAYS_PER_YEAR, riskFreeRate),
    max_drawdown: daily.length ? returns.maxDrawdown(daily) : null,
    cagr: daily.length ? returns.annualGrowth(daily, TRADING_DAYS_PER_YEAR) : null,
  };
}

/**
 * Index of the first day of the tradable span in a run's days.
 *
 * @param daily the run's days, in date order
 * @param from the span's first day (ISO); undefined: the first day; null: none (no span)
 * @returns the index (the days' length when the span is empty)
 */
export function spanStart(daily: DailyState[], from: string | null | undefined): number {
  if (from === undefined) return 0;
  if (from === null) return daily.length;
  const day = isoToDay(from);
  let i = 0;
  while (i < daily.length && daily[i].day < day) i++;
  return i;
}

/** Options of {@link computeMetrics}. */
export interface MetricsOptions {
  /** Dollars. */
  startingEquity: number;
  /** Annual decimal (default 0). */
  riskFreeRate?: number;
  /**
   * First day of the tradable span, YYYY-MM-DD: the return statistics leave out the days before
   * it (flat: no entry was possible). Default: the run's first day; null: no day was tradable.
   */
  from?: string | null;
  /** The targets to check (default: the spec's, see rules_config.ts). */
  targets?: Targets;
}

/** The conventions behind the metrics, written into metrics.json beside them. */
export const METRIC_CONVENTIONS = {
  span:
    "return statistics cover first_date to last_date: from the first day an entry was possible (after the IV-percentile warm-up, warmup_days left out)",
  returns:
    "daily return = equity / previous day's equity - 1, the first day from the equity before the span; monthly returns from month-end equity, the first (partial) month from the equity before the span",
  risk_free_rate:
    "Sharpe, Sortino, PSR/DSR and the bootstrap's Sharpe use excess returns: r - rate/12 monthly, r - rate/252 daily",
  deviation: "sample standard deviation (n - 1)",
  sortino:
    "downside deviation = sqrt(sum of squared negative excess returns / n), over all n periods",
  cagr: "(final / start)^(252 / trading days) - 1: 252 trading days a year, everywhere",
  sharpe: "monthly x sqrt(12); sharpe_daily and the regimes' daily x sqrt(252)",
  vix_regimes: "VIX close: <15, 15 <= v < 25, 25 <= v <= 35, >35; unknown without VIX",
} as const;

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
 *
 * @example Two warm-up days left out: CAGR over 252 trading days a year, drawdown of the span
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay } from "../data/dates.ts";
 * import { computeMetrics } from "./metrics.ts";
 * const dates = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"];
 * const equity = [100000, 100000, 101000, 99990, 102000];
 * const daily = dates.map((d, i) => ({ day: isoToDay(d), equity: equity[i], vix: 14 }));
 * const m = computeMetrics({ trades: [], daily } as never, { startingEquity: 100000, from: "2024-01-04" });
 * assert.equal(m.trading_days, 3);
 * assert.equal(m.warmup_days, 2);
 * assert.equal(m.first_date, "2024-01-04");
 * assert.ok(Math.abs(m.cagr! - (1.02 ** (252 / 3) - 1)) < 1e-12);
 * assert.ok(Math.abs(m.max_drawdown - (99990 / 101000 - 1)) < 1e-15);
 * assert.ok(Math.abs(m.total_return - 0.02) < 1e-15);
 * ```
 */
export function computeMetrics(
  run: { trades: Trade[]; daily: DailyState[] },
  options: MetricsOptions,
): Metrics {
  const { trades } = run;
  const rf = options.riskFreeRate ?? 0;
  const skip = spanStart(run.daily, options.from);
  const daily = run.daily.slice(skip);
  const start = skip > 0 ? run.daily[skip - 1].equity : options.startingEquity;
  const values = daily.map((e) => e.equity);
  const final = daily.length ? daily[daily.length - 1].equity : start;
  const monthly = returns.monthlyReturns(daily.map((e) => e.day), values, start);
  const dailyReturns = returns.periodReturns(values, start);
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
  const stats = tradeStats(trades);
  const cagr = daily.length && final > 0
    ? returns.annualGrowth(dailyReturns, TRADING_DAYS_PER_YEAR)
    : null;
  const maxDrawdown = returns.maxDrawdown(dailyReturns);
  const sharpe = returns.sharpeRatio(monthly, MONTHS_PER_YEAR, rf);
  const sortino = returns.sortinoRatio(monthly, MONTHS_PER_YEAR, rf);
  return {
    ...stats,
    starting_equity: options.startingEquity,
    final_equity: final,
    total_return: final / options.startingEquity - 1,
    cagr,
    max_drawdown: maxDrawdown,
    sharpe,
    sortino,
    sharpe_daily: returns.sharpeRatio(dailyReturns, TRADING_DAYS_PER_YEAR, rf),
    sortino_daily: returns.sortinoRatio(dailyReturns, TRADING_DAYS_PER_YEAR, rf),
    trading_days: daily.length,
    first_date: daily.length ? dayToIso(daily[0].day) : null,
    last_date: daily.length ? dayToIso(daily[daily.length - 1].day) : null,
    warmup_days: skip,
    by_vix_regime: Object.fromEntries(
      VIX_REGIMES.map((
        r,
      ) => [r, { ...tradeStats(regimeTrades[r]), ...dayStats(regimeReturns[r], rf) }]),
    ),
    by_underlying: Object.fromEntries(
      Object.keys(byUnderlying).sort().map((k) => [k, tradeStats(byUnderlying[k])]),
    ),
    ...ruleMetrics(trades, daily, cagr, maxDrawdown),
    targets: targetChecks(
      { ...stats, sharpe, sortino, max_drawdown: maxDrawdown, cagr },
      options.targets ?? DEFAULT_TARGETS,
    ),
  };
}
