/**
 * Strategies side by side: one configuration backtested as a put spread, a call spread, both
 * sides and an iron condor (its `strategy_type` changed, nothing else), and the frames that
 * compare them over their common tradable span: equity and drawdown, Sharpe ratios with
 * stationary-bootstrap intervals, P&L by VIX regime at entry, the worst trades, and the
 * findings: which did best, and whether its lead over each other is more than noise (a paired
 * bootstrap of the difference of Sharpe ratios, the same blocks of days for both).
 *
 * Sharpe ratios here are of daily returns × √252 (excess over the configured risk-free rate),
 * the ratio the bootstrap resamples; metrics.json's headline Sharpe is of monthly returns.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import { stationaryBootstrap } from "../stats/bootstrap.ts";
import { pairedSharpeDifference } from "../stats/paired_bootstrap.ts";
import type { StrategyConfig, StrategyType } from "../strategy/config.ts";
import { validateConfig } from "../strategy/config.ts";
import { type BacktestOptions, type BacktestResult, runBacktest } from "./backtest.ts";
import { type FindingRow, findingRowsFrame } from "./findings.ts";
import { VIX_REGIMES, vixRegime } from "./metrics.ts";
import { equitySpan } from "./tear_sheet_frames.ts";
import { EXIT_REASONS } from "./trade_analytics.ts";

/** A strategy of a comparison: its name in tables and figures, and its `strategy_type`. */
export interface ComparedStrategy {
  /** e.g. "put spread". */
  name: string;
  /** The `[strategy] strategy_type` it runs with. */
  strategyType: StrategyType;
}

/** The four strategies compared by default, in this order. */
export const COMPARED_STRATEGIES: readonly ComparedStrategy[] = [
  { name: "put spread", strategyType: "bull_put_spread" },
  { name: "call spread", strategyType: "bear_call_spread" },
  { name: "both sides", strategyType: ["bull_put_spread", "bear_call_spread"] },
  { name: "iron condor", strategyType: "iron_condor" },
];

/** One strategy's backtest in a comparison. */
export interface StrategyRun {
  /** The strategy's name. */
  name: string;
  /** The configuration it ran with. */
  config: StrategyConfig;
  /** Its backtest. */
  result: BacktestResult;
}

/** Options of {@link compareStrategies}. */
export interface CompareOptions extends BacktestOptions {
  /** The strategies (default {@link COMPARED_STRATEGIES}). */
  strategies?: readonly ComparedStrategy[];
}

/**
 * Backtests a configuration as each strategy (its `strategy_type` replaced, every other key
 * kept, `[entry.call]` included).
 *
 * @param store the chain
 * @param config the base configuration
 * @param options the strategies, and the backtest's window
 * @returns one run per strategy, in order
 *
 * @example A put spread and an iron condor on six months of a generated market
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { compareStrategies, COMPARED_STRATEGIES } from "./strategy_comparison.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const runs = compareStrategies(store, loadConfig("config/test_config.toml"),
 *   { strategies: [COMPARED_STRATEGIES[0], COMPARED_STRATEGIES[3]] });
 * assert.deepEqual(runs.map((r) => r.name), ["put spread", "iron condor"]);
 * assert.equal(runs[1].result.trades.getColumn("spread_type").get(0), "iron_condor");
 * ```
 */
export function compareStrategies(
  store: ChainStore,
  config: StrategyConfig,
  options: CompareOptions = {},
): StrategyRun[] {
  const { strategies = COMPARED_STRATEGIES, ...window } = options;
  return strategies.map((s) => {
    const run = validateConfig({
      ...config,
      strategy: { ...config.strategy, strategy_type: s.strategyType },
    });
    return { name: s.name, config: run, result: runBacktest(store, run, window) };
  });
}

/** The first day of the comparison: the latest of the runs' first tradable days. */
function commonFrom(runs: readonly StrategyRun[]): string {
  return runs.map((r) => r.result.tradableFrom).sort().at(-1)!;
}

/** Each run's days and daily returns over the common span. */
function spans(runs: readonly StrategyRun[]) {
  const from = commonFrom(runs);
  return runs.map((r) => {
    const s = equitySpan(r.result.equity, {
      from,
      startingEquity: r.result.params.startingEquity,
    });
    const returns = new Float64Array(s.equity.length);
    let previous = s.base;
    for (let i = 0; i < returns.length; i++) {
      returns[i] = s.equity[i] / previous - 1;
      previous = s.equity[i];
    }
    return { name: r.name, days: s.days, equity: s.equity, base: s.base, returns };
  });
}

/**
 * Equity and drawdown of every strategy, day by day over the common tradable span.
 *
 * @param runs the comparison's runs
 * @returns date, strategy, equity (dollars), drawdown (equity / running peak - 1, the peak
 *   starting at the equity before the span), in the runs' order then by date
 */
export function strategyEquityFrame(runs: readonly StrategyRun[]): pl.DataFrame {
  const dates: number[] = [], names: string[] = [], equity: number[] = [], drawdown: number[] = [];
  for (const s of spans(runs)) {
    let peak = s.base;
    for (let i = 0; i < s.days.length; i++) {
      peak = Math.max(peak, s.equity[i]);
      dates.push(s.days[i]);
      names.push(s.name);
      equity.push(s.equity[i]);
      drawdown.push(s.equity[i] / peak - 1);
    }
  }
  return pl.DataFrame([
    pl.Series("date", Int32Array.from(dates)).cast(pl.Date),
    pl.Series("strategy", names, pl.Utf8),
    pl.Series("equity", equity, pl.Float64),
    pl.Series("drawdown", drawdown, pl.Float64),
  ]);
}

/**
 * Options of the bootstrap intervals (defaults: the first run's `[diagnostics]`: resamples,
 * mean block length, level and seed).
 */
export interface ComparisonBootstrap {
  /** Bootstrap resamples. */
  resamples?: number;
  /** Mean block length, days. */
  meanBlock?: number;
  /** Two-sided level of the intervals. */
  level?: number;
  /** Seed of the resampling. */
  seed?: number;
}

/**
 * What each strategy did, and whether the best one's lead is more than noise.
 *
 * The best strategy has the highest Sharpe ratio. For every other one, a paired stationary
 * bootstrap of best-minus-it gives an interval of the gap: when its lower bound is above 0 the
 * best did better by more than noise ("behind, beyond noise"), otherwise the two are not told
 * apart at that level ("not distinguishable"). A strategy without trades is "no trades".
 *
 * @param runs the comparison's runs
 * @param options the bootstrap's resamples, mean block length, level and seed (default the
 *   first run's `[diagnostics]`)
 * @returns strategy, trades, total_pnl, win_rate, max_drawdown, sharpe, sharpe_lower,
 *   sharpe_upper, gap_to_best, gap_lower, gap_upper, verdict, level; in the runs' order
 *
 * @example Four strategies on six months of a generated market
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { compareStrategies, strategyFindingsFrame } from "./strategy_comparison.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const runs = compareStrategies(store, loadConfig("config/test_config.toml"));
 * const rows = strategyFindingsFrame(runs, { resamples: 200 }).toRecords();
 * assert.equal(rows.filter((r) => r.verdict === "best").length, 1);
 * const best = rows.find((r) => r.verdict === "best")!;
 * assert.ok(rows.every((r) => r.sharpe === null || (r.sharpe as number) <= (best.sharpe as number)));
 * ```
 */
export function strategyFindingsFrame(
  runs: readonly StrategyRun[],
  options: ComparisonBootstrap = {},
): pl.DataFrame {
  const d = runs[0]?.config.diagnostics;
  const level = options.level ?? d?.bootstrap_level ?? 0.9;
  const settings = {
    resamples: options.resamples ?? d?.bootstrap_resamples,
    meanBlock: options.meanBlock ?? d?.bootstrap_mean_block,
    seed: options.seed ?? d?.seed,
    level,
  };
  const series = spans(runs);
  const rows = runs.map((r, i) => {
    const rf = r.result.params.riskFreeRate;
    const b = stationaryBootstrap(series[i].returns, { ...settings, riskFreeRate: rf }).sharpe;
    const m = r.result.metrics;
    return {
      strategy: r.name,
      trades: m.trade_count,
      total_pnl: m.total_pnl,
      win_rate: m.trade_count > 0 ? m.win_rate : null,
      max_drawdown: m.max_drawdown,
      sharpe: m.trade_count > 0 ? b.estimate : null,
      sharpe_lower: m.trade_count > 0 ? b.lower : null,
      sharpe_upper: m.trade_count > 0 ? b.upper : null,
    };
  });
  let best = -1;
  rows.forEach((r, i) => {
    if (r.sharpe !== null && (best < 0 || r.sharpe > rows[best].sharpe!)) best = i;
  });
  const gaps = rows.map((r, i) => {
    if (best < 0 || i === best || r.sharpe === null) return null;
    return pairedSharpeDifference(series[best].returns, series[i].returns, {
      ...settings,
      riskFreeRate: runs[i].result.params.riskFreeRate,
    });
  });
  const verdict = (i: number) =>
    rows[i].sharpe === null
      ? "no trades"
      : i === best
      ? "best"
      : (gaps[i]?.lower ?? 0) > 0
      ? "behind, beyond noise"
      : "not distinguishable";
  const f64 = (name: string, f: (i: number) => number | null) =>
    pl.Series(name, rows.map((_, i) => f(i)), pl.Float64);
  return pl.DataFrame([
    pl.Series("strategy", rows.map((r) => r.strategy), pl.Utf8),
    pl.Series("trades", Int32Array.from(rows, (r) => r.trades)),
    f64("total_pnl", (i) => rows[i].total_pnl),
    f64("win_rate", (i) => rows[i].win_rate),
    f64("max_drawdown", (i) => rows[i].max_drawdown),
    f64("sharpe", (i) => rows[i].sharpe),
    f64("sharpe_lower", (i) => rows[i].sharpe_lower),
    f64("sharpe_upper", (i) => rows[i].sharpe_upper),
    f64("gap_to_best", (i) => gaps[i]?.estimate ?? (i === best ? 0 : null)),
    f64("gap_lower", (i) => gaps[i]?.lower ?? null),
    f64("gap_upper", (i) => gaps[i]?.upper ?? null),
    pl.Series("verdict", rows.map((_, i) => verdict(i)), pl.Utf8),
    f64("level", () => level),
  ]);
}

/**
 * The comparison's findings as finding rows (findingRowsFrame's shape, for the report's closing
 * findings table): each strategy's Sharpe ratio with its bootstrap interval and its total P&L,
 * then the best one's lead over each other with the paired interval and the verdict.
 *
 * @param findings strategyFindingsFrame's frame
 * @returns key, finding, value, lower, upper, unit, note
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { strategyFindingRows } from "./strategy_comparison.ts";
 * const f = pl.DataFrame({ strategy: ["a", "b"], trades: [10, 12], total_pnl: [500, -200],
 *   win_rate: [0.7, 0.6], max_drawdown: [-0.05, -0.08], sharpe: [0.9, 0.1],
 *   sharpe_lower: [0.1, -0.7], sharpe_upper: [1.7, 0.9], gap_to_best: [0, 0.8],
 *   gap_lower: [null, 0.2], gap_upper: [null, 1.4], verdict: ["best", "behind, beyond noise"],
 *   level: [0.9, 0.9] });
 * const rows = strategyFindingRows(f).toRecords();
 * assert.deepEqual(rows.map((r) => r.finding), ["Sharpe, a (the best)", "Sharpe, b",
 *   "total P&L, a", "total P&L, b", "lead of a over b"]);
 * assert.equal(rows[4].lower, 0.2);
 * assert.match(rows[4].note as string, /: more than noise$/);
 * ```
 */
export function strategyFindingRows(findings: pl.DataFrame): pl.DataFrame {
  const rows = findings.toRecords();
  const best = rows.find((r) => r.verdict === "best");
  const level = rows.length ? `${Math.round(100 * (rows[0].level as number))}%` : "90%";
  const num = (x: unknown) => (x === null || x === undefined ? null : x as number);
  const out: FindingRow[] = [
    ...rows.map((r): FindingRow => ({
      key: `sharpe:${r.strategy}`,
      finding: `Sharpe, ${r.strategy}${r === best ? " (the best)" : ""}`,
      value: num(r.sharpe),
      lower: num(r.sharpe_lower),
      upper: num(r.sharpe_upper),
      unit: "ratio",
      note: `daily returns × √252 over the common span; ${level} stationary bootstrap`,
    })),
    ...rows.map((r): FindingRow => ({
      key: `total_pnl:${r.strategy}`,
      finding: `total P&L, ${r.strategy}`,
      value: num(r.total_pnl),
      lower: null,
      upper: null,
      unit: "money",
      note: `${(r.trades as number).toLocaleString("en-US")} trades; max drawdown ${
        (100 * (r.max_drawdown as number)).toFixed(1)
      }%`,
    })),
    ...rows.filter((r) => best && r !== best && r.sharpe !== null).map((r): FindingRow => ({
      key: `lead:${r.strategy}`,
      finding: `lead of ${best!.strategy} over ${r.strategy}`,
      value: num(r.gap_to_best),
      lower: num(r.gap_lower),
      upper: num(r.gap_upper),
      unit: "ratio",
      note: `Sharpe gap, ${level} paired stationary bootstrap (the same days for both): ${
        r.verdict === "behind, beyond noise" ? "more than noise" : "within noise"
      }`,
    })),
  ];
  return findingRowsFrame(out);
}

/**
 * Each strategy's trades by the VIX regime of their entry day: trades, win rate, mean pnl_pct
 * (P&L over max loss, comparable across sizes) and total P&L, over the common tradable span.
 *
 * @param runs the comparison's runs
 * @returns strategy, regime (<15, 15-25, 25-35, >35, unknown; those with trades), trades,
 *   win_rate, mean_pnl_pct, total_pnl; in the runs' order, then by VIX
 */
export function strategyRegimeFrame(runs: readonly StrategyRun[]): pl.DataFrame {
  const from = commonFrom(runs);
  const out: Array<Record<string, unknown>> = [];
  for (const r of runs) {
    const trades = r.result.trades.toRecords();
    for (const regime of VIX_REGIMES) {
      const group = trades.filter((t) =>
        vixRegime((t.vix_at_entry as number | null) ?? NaN) === regime &&
        dayOf(t.entry_date) >= dayOf(from)
      );
      if (!group.length) continue;
      const pnl = group.map((t) => t.pnl as number);
      out.push({
        strategy: r.name,
        regime,
        trades: group.length,
        win_rate: pnl.filter((x) => x > 0).length / group.length,
        mean_pnl_pct: group.reduce((a, t) => a + (t.pnl_pct as number), 0) / group.length,
        total_pnl: Math.round(pnl.reduce((a, x) => a + x, 0) * 100) / 100,
      });
    }
  }
  return pl.DataFrame([
    pl.Series("strategy", out.map((o) => o.strategy as string), pl.Utf8),
    pl.Series("regime", out.map((o) => o.regime as string), pl.Utf8),
    pl.Series("trades", Int32Array.from(out, (o) => o.trades as number)),
    pl.Series("win_rate", out.map((o) => o.win_rate as number), pl.Float64),
    pl.Series("mean_pnl_pct", out.map((o) => o.mean_pnl_pct as number), pl.Float64),
    pl.Series("total_pnl", out.map((o) => o.total_pnl as number), pl.Float64),
  ]);
}

/**
 * How each strategy's trades ended: trades by exit reason (in the order exits are checked),
 * and the position-days on which a held position's set of quotes was incomplete (it kept its
 * last complete set, and could not be closed that day).
 *
 * @param runs the comparison's runs
 * @returns strategy, trades, spread_types (the trades by spread type, most first, e.g.
 *   "bear_call 377, bull_put 29"), one count column per exit reason any strategy had,
 *   expiration_share, missing_quote_days, and itm_per_delta: the mean over its trades of
 *   P(ITM) at entry over the short leg's |delta| (verticals only; null with an iron condor)
 */
export function strategyExitFrame(runs: readonly StrategyRun[]): pl.DataFrame {
  const tally = (xs: string[]) => {
    const by = new Map<string, number>();
    for (const x of xs) by.set(x, (by.get(x) ?? 0) + 1);
    return by;
  };
  const counts = runs.map((r) => {
    const reasons = r.result.trades.getColumn("exit_reason").toArray() as string[];
    const types = [...tally(r.result.trades.getColumn("spread_type").toArray() as string[])]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const pItm = r.result.trades.getColumn("p_itm").toArray() as number[];
    const delta = r.result.trades.getColumn("short_delta_at_entry").toArray() as number[];
    const condor = r.result.trades.columns.includes("call_short_strike");
    const ratio = pItm.reduce((a, p, i) => a + p / Math.abs(delta[i]), 0) / pItm.length;
    return {
      trades: reasons.length,
      by: tally(reasons),
      types: types.map(([t, n]) => `${t} ${n}`).join(", "),
      itmPerDelta: pItm.length && !condor ? ratio : null,
    };
  });
  const present = EXIT_REASONS.filter((x) => counts.some((c) => c.by.has(x)));
  return pl.DataFrame([
    pl.Series("strategy", runs.map((r) => r.name), pl.Utf8),
    pl.Series("trades", Int32Array.from(counts, (c) => c.trades)),
    pl.Series("spread_types", counts.map((c) => c.types), pl.Utf8),
    ...present.map((x) => pl.Series(x, Int32Array.from(counts, (c) => c.by.get(x) ?? 0))),
    pl.Series(
      "expiration_share",
      counts.map((c) => (c.trades ? (c.by.get("expiration") ?? 0) / c.trades : null)),
      pl.Float64,
    ),
    pl.Series("missing_quote_days", Int32Array.from(runs, (r) => r.result.raw.missingQuotes)),
    pl.Series("itm_per_delta", counts.map((c) => c.itmPerDelta), pl.Float64),
  ]);
}

/** Day number of a date cell (a Date) or an ISO string. */
function dayOf(x: unknown): number {
  const ms = x instanceof Date ? x.getTime() : Date.parse(`${x}T00:00:00Z`);
  return Math.round(ms / 86400000);
}

/**
 * The worst trades of each strategy by P&L in dollars, with their strikes written as the
 * position holds them ("95/90p" for a bull put, "105/110c" for a bear call, "95/90p 105/110c"
 * for an iron condor: strike sold / strike bought).
 *
 * @param runs the comparison's runs
 * @param n trades per strategy (default 5)
 * @returns strategy, trade_id, spread_type, underlying, entry_date, exit_date, strikes,
 *   contracts, exit_reason, vix_at_entry, pnl, pnl_pct; worst first within each strategy
 */
export function worstTradesFrame(runs: readonly StrategyRun[], n = 5): pl.DataFrame {
  const frames = runs.map((r) => {
    const t = r.result.trades;
    const condor = t.columns.includes("call_short_strike");
    const worst = t.sort("pnl").head(n);
    const strikes = worst.toRecords().map((row) => {
      const fmt = (x: unknown) => String(x);
      const type = row.spread_type as string;
      const first = `${fmt(row.short_strike)}/${fmt(row.long_strike)}${
        type === "bear_call" ? "c" : "p"
      }`;
      return condor && type === "iron_condor"
        ? `${first} ${fmt(row.call_short_strike)}/${fmt(row.call_long_strike)}c`
        : first;
    });
    return worst.select(
      pl.lit(r.name).alias("strategy"),
      "trade_id",
      "spread_type",
      "underlying",
      "entry_date",
      "exit_date",
    ).withColumns(pl.Series("strikes", strikes, pl.Utf8)).hstack(
      worst.select("contracts", "exit_reason", "vix_at_entry", "pnl", "pnl_pct"),
    );
  });
  return pl.concat(frames, { how: "vertical" });
}
