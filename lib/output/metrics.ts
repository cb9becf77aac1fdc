/**
 * Performance metrics of a backtest: trade statistics, risk-adjusted returns and drawdown,
 * overall, by VIX regime at entry and by underlying.
 *
 * Sharpe and Sortino use monthly returns × √12 (month-end equity; the first month measured from
 * the starting equity), with daily × √252 figures alongside. Standard deviations are sample
 * (n - 1). Ratios that need at least two returns, or a non-zero deviation, are null.
 *
 * @module
 */
import { dayToCivil } from "../data/dates.ts";
import type { EquityPoint, Trade } from "../simulation/engine.ts";

/** Trade statistics of a set of trades. */
export interface TradeStats {
  trade_count: number;
  win_rate: number | null;
  profit_factor: number | null;
  total_pnl: number;
  average_pnl: number | null;
  average_win: number | null;
  average_loss: number | null;
  average_days_held: number | null;
}

/** All metrics written to metrics.json. */
export interface Metrics extends TradeStats {
  starting_equity: number;
  final_equity: number;
  total_return: number;
  cagr: number | null;
  max_drawdown: number;
  sharpe: number | null;
  sortino: number | null;
  sharpe_daily: number | null;
  sortino_daily: number | null;
  trading_days: number;
  first_date: string | null;
  last_date: string | null;
  by_vix_regime: Record<string, TradeStats>;
  by_underlying: Record<string, TradeStats>;
}

/** VIX regime label of a VIX level: "<15", "15-25", "25-35", ">35" or "unknown". */
export function vixRegime(vix: number): string {
  if (!(vix >= 0)) return "unknown";
  if (vix < 15) return "<15";
  if (vix < 25) return "15-25";
  if (vix <= 35) return "25-35";
  return ">35";
}

/** Mean and sample standard deviation. */
function meanStd(xs: number[]): { mean: number; std: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : NaN;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Annualized Sharpe ratio of periodic returns: mean excess return / sample std × √periods.
 * Null with fewer than two returns or zero deviation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpeRatio } from "./metrics.ts";
 * // mean 0.02, sample std 0.01·√2: monthly Sharpe √2, annualized × √12
 * assert.ok(Math.abs(sharpeRatio([0.01, 0.03], 12)! - Math.SQRT2 * Math.sqrt(12)) < 1e-12);
 * ```
 */
export function sharpeRatio(
  returns: number[],
  periodsPerYear: number,
  riskFreeAnnual = 0,
): number | null {
  if (returns.length < 2) return null;
  const excess = returns.map((r) => r - riskFreeAnnual / periodsPerYear);
  const { mean, std } = meanStd(excess);
  return std > 0 ? mean / std * Math.sqrt(periodsPerYear) : null;
}

/** Annualized Sortino ratio: mean excess return / downside deviation (root mean square of negative excess returns over all periods) × √periods. */
export function sortinoRatio(
  returns: number[],
  periodsPerYear: number,
  riskFreeAnnual = 0,
): number | null {
  if (returns.length < 2) return null;
  const excess = returns.map((r) => r - riskFreeAnnual / periodsPerYear);
  const mean = excess.reduce((a, b) => a + b, 0) / excess.length;
  const downside = Math.sqrt(excess.reduce((a, r) => a + (r < 0 ? r * r : 0), 0) / excess.length);
  return downside > 0 ? mean / downside * Math.sqrt(periodsPerYear) : null;
}

/** Daily returns of an equity curve (the first from the starting equity). */
export function dailyReturns(equity: EquityPoint[], startingEquity: number): number[] {
  const out: number[] = [];
  let previous = startingEquity;
  for (const e of equity) {
    out.push(e.equity / previous - 1);
    previous = e.equity;
  }
  return out;
}

/** Monthly returns from month-end equity (the first month from the starting equity). */
export function monthlyReturns(equity: EquityPoint[], startingEquity: number): number[] {
  const out: number[] = [];
  let previous = startingEquity;
  for (let i = 0; i < equity.length; i++) {
    const here = dayToCivil(equity[i].day);
    const next = i + 1 < equity.length ? dayToCivil(equity[i + 1].day) : null;
    if (!next || next.month !== here.month || next.year !== here.year) {
      out.push(equity[i].equity / previous - 1);
      previous = equity[i].equity;
    }
  }
  return out;
}

/** Trade statistics of a list of trades. */
export function tradeStats(trades: Trade[]): TradeStats {
  const n = trades.length;
  const wins = trades.filter((t) => t.pnlUsd > 0);
  const losses = trades.filter((t) => t.pnlUsd <= 0);
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
 * Computes every metric of a run.
 *
 * @param trades completed trades
 * @param equity daily equity curve
 * @param options starting equity, risk-free rate and ticker names
 */
export function computeMetrics(
  trades: Trade[],
  equity: EquityPoint[],
  options: {
    startingEquity: number;
    riskFreeRate: number;
    tickers: string[];
    isoOf: (day: number) => string;
  },
): Metrics {
  const start = options.startingEquity;
  const final = equity.length ? equity[equity.length - 1].equity : start;
  const monthly = monthlyReturns(equity, start);
  const daily = dailyReturns(equity, start);
  const days = equity.length ? equity[equity.length - 1].day - equity[0].day + 1 : 0;
  const byRegime: Record<string, Trade[]> = {
    "<15": [],
    "15-25": [],
    "25-35": [],
    ">35": [],
    unknown: [],
  };
  const byUnderlying: Record<string, Trade[]> = {};
  for (const t of trades) {
    byRegime[vixRegime(t.vixAtEntry)].push(t);
    (byUnderlying[options.tickers[t.tickerIndex]] ??= []).push(t);
  }
  return {
    ...tradeStats(trades),
    starting_equity: start,
    final_equity: final,
    total_return: final / start - 1,
    cagr: days > 0 && final > 0 ? (final / start) ** (365.25 / days) - 1 : null,
    max_drawdown: equity.reduce((m, e) => Math.min(m, e.drawdown), 0),
    sharpe: sharpeRatio(monthly, 12, options.riskFreeRate),
    sortino: sortinoRatio(monthly, 12, options.riskFreeRate),
    sharpe_daily: sharpeRatio(daily, 252, options.riskFreeRate),
    sortino_daily: sortinoRatio(daily, 252, options.riskFreeRate),
    trading_days: equity.length,
    first_date: equity.length ? options.isoOf(equity[0].day) : null,
    last_date: equity.length ? options.isoOf(equity[equity.length - 1].day) : null,
    by_vix_regime: Object.fromEntries(Object.entries(byRegime).map(([k, v]) => [k, tradeStats(v)])),
    by_underlying: Object.fromEntries(
      Object.keys(byUnderlying).sort().map((k) => [k, tradeStats(byUnderlying[k])]),
    ),
  };
}
