/**
 * Results by VIX regime and by group, as polars frames for notebooks. Two views of a regime
 * are kept apart: the trades *entered* in it (VIX close of the entry day), and the days *spent*
 * in it (each day's return in the regime of that day's VIX close). A trade entered in a calm
 * regime can lose its money days later in a stressed one, so the two need not agree.
 * Regimes come in order of VIX level; a regime with neither trades nor days is left out.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { stationaryBootstrap } from "../stats/bootstrap.ts";
import { floats, texts } from "./_columns.ts";
import { type Metrics, VIX_REGIMES, vixRegime } from "./metrics.ts";
import { equitySpan } from "./tear_sheet_frames.ts";
import type { TearSheetRun } from "./tear_sheet.ts";
import { EXIT_REASONS } from "./trade_analytics.ts";

/**
 * A run's metrics by VIX regime in one table: the trades entered in each regime and the return
 * statistics of the days spent in it.
 *
 * @param metrics a run's metrics (runBacktest(...).metrics)
 * @returns regime, trades, win_rate, total_pnl (dollars), days, day_share (of the span's
 *   days), sharpe, sortino (daily × √252), cagr, max_drawdown of the days
 *
 * @example Regimes in VIX order, without the empty ones
 * ```ts
 * import assert from "node:assert/strict";
 * import { regimeStatsFrame } from "./regime_frames.ts";
 * const empty = { trade_count: 0, win_rate: null, total_pnl: 0, days: 0, sharpe: null,
 *   sortino: null, cagr: null, max_drawdown: null };
 * const by_vix_regime = { "<15": { ...empty, trade_count: 3, win_rate: 2 / 3, days: 40 },
 *   "15-25": { ...empty, days: 60 }, "25-35": empty, ">35": empty, unknown: empty };
 * const rows = regimeStatsFrame({ by_vix_regime } as never).toRecords();
 * assert.deepEqual(rows.map((r) => [r.regime, r.trades, r.day_share]), [["<15", 3, 0.4], ["15-25", 0, 0.6]]);
 * ```
 */
export function regimeStatsFrame(metrics: Pick<Metrics, "by_vix_regime">): pl.DataFrame {
  const all = VIX_REGIMES.map((regime) => ({ regime, s: metrics.by_vix_regime[regime] }))
    .filter((r) => r.s);
  const days = all.reduce((a, r) => a + r.s.days, 0);
  const kept = all.filter((r) => r.s.trade_count > 0 || r.s.days > 0);
  const col = (name: string, f: (s: (typeof kept)[number]["s"]) => number | null) =>
    pl.Series(name, kept.map((r) => f(r.s)), pl.Float64);
  return pl.DataFrame([
    pl.Series("regime", kept.map((r) => r.regime), pl.Utf8),
    pl.Series("trades", Int32Array.from(kept, (r) => r.s.trade_count)),
    col("win_rate", (s) => s.win_rate),
    col("total_pnl", (s) => s.total_pnl),
    pl.Series("days", Int32Array.from(kept, (r) => r.s.days)),
    col("day_share", (s) => (days ? s.days / days : null)),
    col("sharpe", (s) => s.sharpe),
    col("sortino", (s) => s.sortino),
    col("cagr", (s) => s.cagr),
    col("max_drawdown", (s) => s.max_drawdown),
  ]);
}

/** Options of {@link regimeSharpeFrame}. */
export interface RegimeSharpeOptions {
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
  /** Mean block length in days (default 10). */
  meanBlock?: number;
  /** Two-sided level (default 0.9). */
  level?: number;
  /** Seed (default 7). */
  seed?: number;
  /** Regimes with fewer days are left out (default 20). */
  minDays?: number;
}

/**
 * The Sharpe ratio of the days spent in each VIX regime, with stationary-bootstrap intervals:
 * the run's daily returns over its tradable span, grouped by the day's VIX close, each group's
 * excess returns over the run's risk-free rate, × √252. The bootstrap resamples each regime's
 * returns on their own (blocks of consecutive days of that regime).
 *
 * @param run a backtest's result or a walk-forward's stitched run
 * @param store the chain (VIX by day)
 * @param options bootstrap settings, the fewest days a regime needs
 * @returns regime, days, sharpe, lower, upper (the interval), level
 *
 * @example The estimate of each regime is inside its interval
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest } from "../mod.ts";
 * import { regimeSharpeFrame } from "./regime_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml"));
 * const rows = regimeSharpeFrame(run, store, { resamples: 200 }).toRecords();
 * const days = rows.reduce((a, r) => a + (r.days as number), 0);
 * assert.ok(rows.length > 0 && days <= run.metrics.trading_days);
 * for (const r of rows) assert.ok((r.lower as number) <= (r.sharpe as number) && (r.sharpe as number) <= (r.upper as number));
 * ```
 */
export function regimeSharpeFrame(
  run: TearSheetRun,
  store: ChainStore,
  options: RegimeSharpeOptions = {},
): pl.DataFrame {
  const span = equitySpan(run.equity, {
    from: run.tradableFrom,
    startingEquity: run.params.startingEquity,
  });
  const groups = new Map<string, number[]>();
  let previous = span.base;
  for (let i = 0; i < span.days.length; i++) {
    const regime = vixRegime(store.getVix(span.days[i]) ?? NaN);
    if (!groups.has(regime)) groups.set(regime, []);
    groups.get(regime)!.push(span.equity[i] / previous - 1);
    previous = span.equity[i];
  }
  const level = options.level ?? 0.9;
  const rows = VIX_REGIMES.filter((r) => (groups.get(r)?.length ?? 0) >= (options.minDays ?? 20))
    .map((regime) => {
      const r = groups.get(regime)!;
      const b = stationaryBootstrap(r, {
        resamples: options.resamples ?? 1000,
        meanBlock: options.meanBlock,
        level,
        seed: options.seed,
        riskFreeRate: run.params.riskFreeRate,
      }).sharpe;
      return { regime, days: r.length, ...b };
    });
  return pl.DataFrame([
    pl.Series("regime", rows.map((r) => r.regime), pl.Utf8),
    pl.Series("days", Int32Array.from(rows, (r) => r.days)),
    pl.Series("sharpe", rows.map((r) => r.estimate), pl.Float64),
    pl.Series("lower", rows.map((r) => r.lower), pl.Float64),
    pl.Series("upper", rows.map((r) => r.upper), pl.Float64),
    pl.Series("level", rows.map(() => level), pl.Float64),
  ]);
}

/**
 * Trades by VIX regime at entry and exit reason, as a cross-table: one row per regime (in VIX
 * order), one count column per exit reason (in the order exits are checked; reasons no trade
 * had are left out), then the row's trades, its share of stop losses, mean pnl_pct and total
 * P&L.
 *
 * @param trades a trade log (vix_at_entry, exit_reason, pnl, pnl_pct)
 * @returns regime, one column per exit reason, trades, stop_loss_share, mean_pnl_pct,
 *   total_pnl (dollars)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { regimeExitFrame } from "./regime_frames.ts";
 * const trades = pl.DataFrame({ vix_at_entry: [12, 13, 30], exit_reason: ["profit_target", "stop_loss", "stop_loss"],
 *   pnl: [50, -120, -200], pnl_pct: [0.1, -0.4, -0.5] });
 * const f = regimeExitFrame(trades);
 * assert.deepEqual(f.columns, ["regime", "profit_target", "stop_loss", "trades", "stop_loss_share", "mean_pnl_pct", "total_pnl"]);
 * assert.deepEqual(f.toRecords().map((r) => [r.regime, r.profit_target, r.stop_loss, r.trades]),
 *   [["<15", 1, 1, 2], ["25-35", 0, 1, 1]]);
 * ```
 */
export function regimeExitFrame(trades: pl.DataFrame): pl.DataFrame {
  const regimes = Array.from(floats(trades, "vix_at_entry"), vixRegime);
  const reasons = texts(trades, "exit_reason");
  const pnl = floats(trades, "pnl");
  const pct = floats(trades, "pnl_pct");
  const present = [...EXIT_REASONS, ...new Set(reasons)].filter((r, i, all) =>
    all.indexOf(r) === i && reasons.includes(r)
  );
  const rows = VIX_REGIMES.filter((r) => regimes.includes(r)).map((regime) => {
    const idx = regimes.flatMap((r, i) => (r === regime ? [i] : []));
    const count = (reason: string) => idx.filter((i) => reasons[i] === reason).length;
    return {
      regime,
      counts: present.map(count),
      trades: idx.length,
      stops: count("stop_loss"),
      pct: idx.reduce((a, i) => a + pct[i], 0) / idx.length,
      pnl: idx.reduce((a, i) => a + pnl[i], 0),
    };
  });
  return pl.DataFrame([
    pl.Series("regime", rows.map((r) => r.regime), pl.Utf8),
    ...present.map((reason, k) => pl.Series(reason, Int32Array.from(rows, (r) => r.counts[k]))),
    pl.Series("trades", Int32Array.from(rows, (r) => r.trades)),
    pl.Series("stop_loss_share", Float64Array.from(rows, (r) => r.stops / r.trades)),
    pl.Series("mean_pnl_pct", Float64Array.from(rows, (r) => r.pct)),
    pl.Series("total_pnl", Float64Array.from(rows, (r) => r.pnl)),
  ]);
}

/**
 * P&L by the values of a text column of the trade log (underlying, spread_type, exit_reason),
 * sorted by value: trades, win rate, mean pnl_pct (P&L over max loss, comparable across
 * position sizes) and total P&L in dollars.
 *
 * @param trades a trade log (the column, pnl, pnl_pct)
 * @param column e.g. "underlying"
 * @returns the column, trades, win_rate, mean_pnl_pct, total_pnl
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { pnlByGroupFrame } from "./regime_frames.ts";
 * const trades = pl.DataFrame({ underlying: ["SPY", "IWM", "SPY"], pnl: [50, -30, -10], pnl_pct: [0.2, -0.1, -0.05] });
 * const rows = pnlByGroupFrame(trades, "underlying").toRecords();
 * assert.deepEqual(rows.map((r) => [r.underlying, r.trades, r.win_rate, r.total_pnl]),
 *   [["IWM", 1, 0, -30], ["SPY", 2, 0.5, 40]]);
 * ```
 */
export function pnlByGroupFrame(trades: pl.DataFrame, column: string): pl.DataFrame {
  return trades.groupBy(column).agg(
    pl.col("pnl").count().cast(pl.Int32).alias("trades"),
    pl.col("pnl").gt(0).mean().alias("win_rate"),
    pl.col("pnl_pct").mean().alias("mean_pnl_pct"),
    pl.col("pnl").sum().alias("total_pnl"),
  ).sort(column);
}
