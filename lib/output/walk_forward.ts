/**
 * Output files of `optimize`: walk_forward.json, grid_results.parquet, params.toml, and the
 * stitched out-of-sample run's trades.parquet, metrics.json, equity_curve.csv, plus
 * manifest.json and data_quality.json.
 *
 * @module
 */
import pl from "nodejs-polars";
import { dayToIso } from "../data/dates.ts";
import { configToToml, type StrategyConfig, underlyingsOf } from "../strategy/config.ts";
import type { WalkForwardResult } from "../walkforward/assemble.ts";
import {
  NEAR_ZERO_TRAIN_SHARPE,
  type WalkForwardEfficiency,
  WFE_RULE_LEFT_OUT,
} from "../walkforward/efficiency.ts";
import type { Window } from "../walkforward/periods.ts";
import { combinationValues, type WalkForwardSettings } from "../walkforward/settings.ts";
import { targetsOf } from "../strategy/rules_config.ts";
import { trialBudget } from "../walkforward/trial_budget.ts";
import type { DataQualityReport } from "./data_quality.ts";
import { withMarketRegimes } from "./market_regimes.ts";
import { computeMetrics, METRIC_CONVENTIONS, type Metrics } from "./metrics.ts";
import { manifestText } from "./run_outputs.ts";
import { equityFrame, tradeLegsFrame, tradesFrame } from "./trade_log.ts";
import { type OutputFile, toJson } from "./write_run.ts";

function windowJson(w: Window, calendar: Int32Array) {
  return {
    start: w.start,
    end: w.end,
    first_trading_day: dayToIso(calendar[w.fromIndex]),
    last_trading_day: dayToIso(calendar[w.toIndex]),
    trading_days: w.toIndex - w.fromIndex + 1,
  };
}

/** Quantiles of the PBO logit distribution. */
function logitQuantiles(logits: number[]): Record<string, number> {
  const s = [...logits].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { p05: q(0.05), p25: q(0.25), median: q(0.5), p75: q(0.75), p95: q(0.95) };
}

/**
 * The metrics of a walk-forward's stitched out-of-sample run (the test windows in order).
 *
 * @param result the walk-forward
 * @param config its base configuration (starting equity, risk-free rate)
 * @returns the metrics, as metrics.json holds them
 *
 * @example The stitched run's trades are the test windows'
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { walkForwardMetrics } from "./walk_forward.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-05-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const config = loadConfig("config/test_config.toml");
 * const wf = await optimizeWalkForward(store, config, { workers: 1 });
 * const m = walkForwardMetrics(wf, config);
 * assert.equal(m.trade_count, wf.periods.reduce((a, p) => a + p.test_trade_count, 0));
 * assert.equal(m.trading_days, wf.oosDaily.length);
 * ```
 */
export function walkForwardMetrics(result: WalkForwardResult, config: StrategyConfig): Metrics {
  const run = { trades: result.oosTrades, daily: result.oosDaily };
  const riskFreeRate = config.simulation.risk_free_rate;
  const metrics = computeMetrics(run, {
    startingEquity: config.simulation.starting_equity,
    riskFreeRate,
    from: result.oosFrom,
    targets: targetsOf(config.targets),
  });
  return withMarketRegimes(metrics, run, result.marketRegimes, {
    underlyings: underlyingsOf(config),
    riskFreeRate,
    from: result.oosFrom,
  });
}

/** The window settings as walk_forward.json writes them (in months, or in days). */
function windowSettingsJson(s: WalkForwardSettings): Record<string, number> {
  const w = s.windows;
  const unit = w.unit;
  return {
    [`train_${unit}`]: w.train,
    [`validate_${unit}`]: w.validate,
    [`test_${unit}`]: w.test,
    [`roll_${unit}`]: w.roll,
  };
}

/** A walk-forward's stitched out-of-sample run, shaped as a backtest's result. */
export interface WalkForwardRun {
  /** The test windows' trades, in order (see tradesFrame). */
  trades: pl.DataFrame;
  /** The stitched daily state (see equityFrame). */
  equity: pl.DataFrame;
  /** First day of the tradable span (the first test window with a selection), or null. */
  tradableFrom: string | null;
  /** The stitched run's metrics over that span. */
  metrics: Metrics;
  /** The base configuration's starting equity and risk-free rate. */
  params: { startingEquity: number; riskFreeRate: number };
}

/**
 * The stitched out-of-sample run of a walk-forward as frames and metrics, the same shape as a
 * backtest's result, for the tear sheet and tables.
 *
 * @param result the walk-forward
 * @param config its base configuration
 * @returns trades and daily state frames, the tradable span's first day, metrics, parameters
 *
 * @example The stitched run's frames hold the test windows' trades and days
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { walkForwardRun } from "./walk_forward.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-05-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const config = loadConfig("config/test_config.toml");
 * const run = walkForwardRun(await optimizeWalkForward(store, config, { workers: 1 }), config);
 * assert.equal(run.trades.height, run.metrics.trade_count);
 * assert.equal(run.equity.height, run.metrics.trading_days + run.metrics.warmup_days);
 * assert.equal(run.tradableFrom, run.metrics.first_date);
 * ```
 */
export function walkForwardRun(result: WalkForwardResult, config: StrategyConfig): WalkForwardRun {
  return {
    trades: tradesFrame(result.oosTrades),
    equity: equityFrame(result.oosDaily),
    tradableFrom: result.oosFrom,
    metrics: walkForwardMetrics(result, config),
    params: {
      startingEquity: config.simulation.starting_equity,
      riskFreeRate: config.simulation.risk_free_rate,
    },
  };
}

/** How the stitched run's P&L and return reconcile (the `stitching` block of metrics.json). */
export interface Stitching {
  /** What stitching does. */
  method: string;
  /** Test windows stitched. */
  windows: number;
  /** Test windows without a selection (flat). */
  no_selection_windows: number;
  /** Σ over windows of (window's final equity / starting equity − 1). */
  sum_of_window_returns: number;
  /** Π over windows of (1 + window return) − 1: the stitched total_return. */
  compounded_return: number;
  /** Σ of the trades' P&L: starting equity × sum_of_window_returns. */
  sum_of_trade_pnl: number;
  /** The stitched equity's change: starting equity × compounded_return. */
  equity_change: number;
  /** How to read them. */
  note: string;
}

/**
 * How a walk-forward's stitched out-of-sample P&L and return reconcile. Each test window starts
 * flat at the starting equity and sizes its trades from it, so the trades' P&L sums the
 * windows' returns times the starting equity, while the stitched equity chains (compounds) the
 * same returns.
 *
 * @param result the walk-forward
 * @param startingEquity the configuration's starting equity
 * @returns the sums, the compounded return and the note metrics.json carries
 *
 * @example Two windows of +10% and −10%: trades sum to $0, the chained equity loses 1%
 * ```ts
 * import assert from "node:assert/strict";
 * import { stitching } from "./walk_forward.ts";
 * const window = (end: number) => ({ chosen: {}, testDaily: [{ equity: 100000 }, { equity: end }],
 *   testTrades: [{ pnlUsd: end - 100000 }] });
 * const s = stitching({ periods: [window(110000), window(90000)] } as never, 100000);
 * assert.equal(s.sum_of_trade_pnl, 0);
 * assert.ok(Math.abs(s.compounded_return - (1.1 * 0.9 - 1)) < 1e-15);
 * assert.ok(Math.abs(s.equity_change + 1000) < 1e-9);
 * ```
 */
export function stitching(result: WalkForwardResult, startingEquity: number): Stitching {
  let sum = 0;
  let product = 1;
  let pnl = 0;
  for (const p of result.periods) {
    const last = p.testDaily.length ? p.testDaily[p.testDaily.length - 1].equity : startingEquity;
    const r = last / startingEquity - 1;
    sum += r;
    product *= 1 + r;
    for (const t of p.testTrades) pnl += t.pnlUsd;
  }
  return {
    method:
      "each test window starts flat at the starting equity and sizes its trades from it; the stitched equity chains the windows, each scaled to start where the previous one ended",
    windows: result.periods.length,
    no_selection_windows: result.periods.filter((p) => p.chosen === null).length,
    sum_of_window_returns: sum,
    compounded_return: product - 1,
    sum_of_trade_pnl: pnl,
    equity_change: startingEquity * (product - 1),
    note:
      "total_pnl (the trades' sum) = starting_equity x sum_of_window_returns; total_return = compounded_return and final_equity - starting_equity = equity_change: the two differ by compounding only",
  };
}

/**
 * The walk-forward efficiency as walk_forward.json's aggregate `wfe` holds it: the figure the
 * guard used (`value`) and its rule, the same ratio with the windows without a test Sharpe left
 * out, and the per-period ratios' mean, median and interquartile range, as information.
 *
 * @param e the efficiency figures of the walk-forward
 * @returns the `wfe` block
 *
 * @example The block's value is the guard's figure
 * ```ts
 * import assert from "node:assert/strict";
 * import { wfeJson } from "./walk_forward.ts";
 * const ratio = (wfe: number) => ({ wfe, periods: 4, mean_train_sharpe: 1, mean_test_sharpe: wfe });
 * const block = wfeJson({ wfe: 0.3, wfe_rule: "ratio_of_means_no_test_sharpe_as_zero",
 *   wfe_ratio: ratio(0.3), wfe_left_out: ratio(0.4), wfe_no_test_sharpe: 1, wfe_mean: 25,
 *   wfe_median: 0.4, wfe_p25: 0.1, wfe_p75: 0.9, wfe_iqr: 0.8, wfe_defined: 3,
 *   wfe_undefined_no_selection: 0, wfe_undefined_train_sharpe: 0, wfe_undefined_test_sharpe: 1,
 *   near_zero_train_periods: [2] } as never) as Record<string, unknown>;
 * assert.equal(block.value, 0.3);
 * assert.equal(block.rule, "ratio_of_means_no_test_sharpe_as_zero");
 * assert.deepEqual(block.near_zero_train_sharpe, { threshold: 0.1, periods: [2] });
 * ```
 */
export function wfeJson(e: WalkForwardEfficiency): unknown {
  return {
    value: e.wfe,
    rule: e.wfe_rule,
    definition:
      "mean test Sharpe / mean train Sharpe of the chosen combinations over the periods that made a selection (0 when the mean train Sharpe <= 0); a test window without a Sharpe ratio (no trade) counts as a test Sharpe of 0. The guard min_wfe checks value",
    periods: e.wfe_ratio.periods,
    mean_train_sharpe: e.wfe_ratio.mean_train_sharpe,
    mean_test_sharpe: e.wfe_ratio.mean_test_sharpe,
    periods_without_test_sharpe: e.wfe_no_test_sharpe,
    no_test_sharpe_left_out: {
      rule: WFE_RULE_LEFT_OUT,
      value: e.wfe_left_out.wfe,
      periods: e.wfe_left_out.periods,
      mean_train_sharpe: e.wfe_left_out.mean_train_sharpe,
      mean_test_sharpe: e.wfe_left_out.mean_test_sharpe,
    },
    per_period: {
      defined: e.wfe_defined,
      mean: e.wfe_mean,
      median: e.wfe_median,
      p25: e.wfe_p25,
      p75: e.wfe_p75,
      iqr: e.wfe_iqr,
      undefined_no_selection: e.wfe_undefined_no_selection,
      undefined_train_sharpe: e.wfe_undefined_train_sharpe,
      undefined_test_sharpe: e.wfe_undefined_test_sharpe,
      note:
        "information, not the guard: each period's test Sharpe / train Sharpe, undefined where no combination was selected, the train Sharpe is <= 0 or the test Sharpe is undefined; quartiles by linear interpolation",
    },
    near_zero_train_sharpe: {
      threshold: NEAR_ZERO_TRAIN_SHARPE,
      periods: e.near_zero_train_periods,
    },
  };
}

/** The PBO over the trials with at least min_train_trades trades, as walk_forward.json holds it. */
function minTradesPboJson(result: WalkForwardResult) {
  const m = result.pboMinTrades;
  return {
    min_train_trades: m.min_train_trades,
    strategies: m.combinations.length,
    combinations: m.combinations,
    pbo: m.pbo?.pbo ?? null,
    pbo_ties_low: m.pbo?.pboTiesLow ?? null,
    pbo_ties_high: m.pbo?.pboTiesHigh ?? null,
    tied_splits: m.pbo?.tiedSplits ?? null,
    splits: m.pbo?.splits ?? null,
    logit_quantiles: m.pbo ? logitQuantiles(m.pbo.logits) : null,
    note:
      "PBO as above over the trials whose whole-data run has at least min_train_trades trades (null with fewer than two)",
  };
}

/**
 * walk_forward.json content: settings (with the guards and the trial budget), each period's
 * windows, chosen parameters, Sharpe ratios, WFE, trade counts and top-N list, the aggregates
 * (with the efficiency figures and the dropped periods), and the verdict.
 *
 * @param result the walk-forward
 * @param calendar the store's trading days
 * @param oosMetrics the stitched out-of-sample metrics (see walkForwardMetrics)
 */
export function walkForwardJson(
  result: WalkForwardResult,
  calendar: Int32Array,
  oosMetrics: Metrics,
): unknown {
  const s = result.settings;
  const efficiency = result.efficiency;
  return {
    settings: {
      ...windowSettingsJson(s),
      top_n: s.topN,
      delta_band_halfwidth: s.deltaBandHalfwidth,
      min_train_trades: s.minTrainTrades,
      grid: Object.fromEntries(s.grid.map((g) => [g.key, g.values])),
      combinations: result.combinations,
      window_sharpe: "daily returns x sqrt(252), each window starting flat",
      anchored: s.windows.anchored,
      guards: {
        min_wfe: s.guards.minWfe,
        min_mean_oos_sharpe: s.guards.minMeanOosSharpe,
        min_trades_per_window: s.guards.minTradesPerWindow,
        min_win_rate: s.guards.minWinRate,
        max_drawdown_pct: s.guards.maxDrawdownPct,
      },
      trial_budget: {
        ...trialBudget(s),
        rule:
          "minimum backtest length (Bailey, Borwein, Lopez de Prado and Zhu 2014): the largest N with (E[max_N] / sharpe)^2 <= training_years",
      },
    },
    periods: result.periods.map((p, i) => ({
      period: p.period.index,
      train: windowJson(p.period.train, calendar),
      validate: windowJson(p.period.validate, calendar),
      test: windowJson(p.period.test, calendar),
      chosen: p.chosen && { combination: p.chosen.combination, params: p.chosenValues },
      selection: p.chosen ? "chosen" : "no selection: no combination traded in training",
      train_sharpe: p.chosen?.train_sharpe ?? null,
      train_trades: p.chosen?.train_trades ?? 0,
      validate_sharpe: p.chosen?.validate_sharpe ?? null,
      validate_trades: p.chosen?.validate_trades ?? 0,
      test_sharpe: p.test_sharpe,
      test_trades: p.test_trade_count,
      wfe: efficiency.periods[i].wfe,
      wfe_undefined: efficiency.periods[i].wfe_undefined,
      top: p.top.map((t) => ({ ...t, params: combinationValues(s, t.combination) })),
    })),
    aggregate: {
      periods: result.periods.length,
      ...result.aggregate,
      alpha_decay_note:
        "OLS of test Sharpe on period number; half_life = -intercept / (2 * slope) when slope < 0 and intercept > 0",
      mean_oos_sharpe_note:
        "mean and median of the test windows' Sharpe ratios (daily x sqrt(252)), over the periods with a defined one; the stitched run's figures below are those of one chained equity curve",
      oos_from: result.oosFrom,
      oos_sharpe_monthly: oosMetrics.sharpe,
      oos_sharpe_daily: oosMetrics.sharpe_daily,
      oos_total_return: oosMetrics.total_return,
      oos_max_drawdown: oosMetrics.max_drawdown,
      oos_deflated_sharpe: result.oosDiagnostics.sharpe_inference,
      wfe: wfeJson(efficiency),
      mean_trades_per_test_window: efficiency.mean_trades_per_test_window,
      oos_win_rate: efficiency.oos_win_rate,
      dropped_periods: result.dropped,
      trials: {
        ...result.trials,
        first_day: result.trials.days > 0 ? dayToIso(calendar[result.trials.from_index]) : null,
        note:
          "PBO and the DSR's trials: each combination run over the whole data, daily returns from the first day any combination could enter; combinations that never trade are left out and identical return series merged into one trial",
      },
      pbo: result.pbo && {
        pbo: result.pbo.pbo,
        pbo_ties_low: result.pbo.pboTiesLow,
        pbo_ties_high: result.pbo.pboTiesHigh,
        tied_splits: result.pbo.tiedSplits,
        tie_rule:
          "in sample, equal Sharpe ratios go to the lower combination; out of sample, the winner's ties with other combinations count half (mid-rank); pbo_ties_low and pbo_ties_high rank it below and above all of them",
        splits: result.pbo.splits,
        blocks: result.pbo.blocks,
        strategies: result.pbo.strategies,
        combinations: result.trials.kept,
        logit_quantiles: logitQuantiles(result.pbo.logits),
        logits: result.pbo.logits,
        note:
          "CSCV over the trials' daily excess returns (less risk_free_rate / 252, as every Sharpe ratio); PBO = share of splits whose in-sample best ranks at or below the out-of-sample median",
      },
      pbo_min_train_trades: minTradesPboJson(result),
    },
    verdict: result.verdict,
  };
}

/**
 * grid_results.parquet: one row per (period, combination) with the grid values, train Sharpe
 * and trades, and validation Sharpe and trades for the top N (null elsewhere).
 *
 * @param result the walk-forward
 */
export function gridResultsFrame(result: WalkForwardResult): pl.DataFrame {
  const n = result.trainSharpe.length;
  const nc = result.combinations;
  const period = Int32Array.from({ length: n }, (_, i) => Math.floor(i / nc));
  const combination = Int32Array.from({ length: n }, (_, i) => i % nc);
  const nullable = (a: Float64Array) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));
  const columns: Record<string, pl.Series> = {
    period: pl.Series("period", period),
    combination: pl.Series("combination", combination),
  };
  for (const g of result.settings.grid) {
    const values = Array.from(
      { length: nc },
      (_, c) => combinationValues(result.settings, c)[g.key],
    );
    const numeric = values.every((v) => typeof v === "number");
    columns[g.key] = numeric
      ? pl.Series(g.key, Float64Array.from(combination, (c) => values[c] as number))
      : pl.Series(g.key, Array.from(combination, (c) => JSON.stringify(values[c])), pl.Utf8);
  }
  columns.train_sharpe = pl.Series("train_sharpe", nullable(result.trainSharpe), pl.Float64);
  columns.train_trades = pl.Series("train_trades", result.trainTrades);
  columns.validate_sharpe = pl.Series(
    "validate_sharpe",
    nullable(result.validateSharpe),
    pl.Float64,
  );
  columns.validate_trades = pl.Series(
    "validate_trades",
    Array.from(result.validateTrades, (x) => (x < 0 ? null : x)),
    pl.Int32,
  );
  return pl.DataFrame(columns);
}

/**
 * Every file of an optimize run: walk_forward.json, grid_results.parquet, params.toml (the
 * latest period's choice), the stitched out-of-sample run's trades.parquet, trade_legs.parquet,
 * metrics.json and equity_curve.csv, data_quality.json and manifest.json.
 *
 * @param result the walk-forward
 * @param config its base configuration
 * @param context the store's calendar, the data-quality report, inputs, timings, workers, and
 *   more manifest fields
 * @returns the files, to hand to writeRunFiles
 */
export function walkForwardFiles(
  result: WalkForwardResult,
  config: StrategyConfig,
  context: {
    calendar: Int32Array;
    quality: DataQualityReport;
    inputFiles: string[];
    timings: Record<string, number>;
    workers: number;
    /** More manifest fields (e.g. the command line's overrides). */
    manifest?: Record<string, unknown>;
  },
): OutputFile[] {
  const latest = result.latestConfig ?? config;
  const oosMetrics = walkForwardMetrics(result, config);
  const paramsHeader = result.latestConfig
    ? ""
    : "# No walk-forward period selected a combination (none traded in a training window):\n" +
      "# these are the input configuration's parameters, not an optimization result.\n";
  return [
    {
      name: "walk_forward.json",
      text: toJson(walkForwardJson(result, context.calendar, oosMetrics)),
    },
    { name: "grid_results.parquet", parquet: gridResultsFrame(result) },
    { name: "params.toml", text: paramsHeader + configToToml(latest) },
    { name: "trades.parquet", parquet: tradesFrame(result.oosTrades) },
    { name: "trade_legs.parquet", parquet: tradeLegsFrame(result.oosTrades) },
    {
      name: "metrics.json",
      text: toJson({
        ...oosMetrics,
        stitching: stitching(result, config.simulation.starting_equity),
        conventions: METRIC_CONVENTIONS,
        entry_funnel: result.oosFunnel,
        diagnostics: result.oosDiagnostics,
      }),
    },
    { name: "equity_curve.csv", csv: equityFrame(result.oosDaily) },
    {
      name: "data_quality.json",
      text: toJson({ ...context.quality, missing_leg_quotes: result.oosMissingQuotes }),
    },
    {
      name: "manifest.json",
      text: manifestText(config, {
        command: "optimize",
        inputFiles: context.inputFiles,
        timings: context.timings,
        extra: {
          workers: context.workers,
          periods: result.periods.length,
          combinations: result.combinations,
          ...context.manifest,
        },
      }),
    },
  ];
}
