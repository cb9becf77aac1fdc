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
import type { WalkForwardResult } from "../walkforward/optimizer.ts";
import type { Window } from "../walkforward/periods.ts";
import { combinationValues, type WalkForwardSettings } from "../walkforward/settings.ts";
import { trialBudget } from "../walkforward/trial_budget.ts";
import { withMarketRegimes } from "./market_regimes.ts";
import type { DataQualityReport } from "./data_quality.ts";
import { computeMetrics, type Metrics } from "./metrics.ts";
import { manifestText } from "./run_outputs.ts";
import { equityFrame, tradesFrame } from "./trade_log.ts";
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
 * assert.equal(m.trade_count, wf.periods.reduce((a, p) => a + p.test_trades, 0));
 * assert.equal(m.trading_days, wf.oosDaily.length);
 * ```
 */
export function walkForwardMetrics(result: WalkForwardResult, config: StrategyConfig): Metrics {
  const run = { trades: result.oosTrades, daily: result.oosDaily };
  const riskFreeRate = config.simulation.risk_free_rate;
  const metrics = computeMetrics(run, {
    startingEquity: config.simulation.starting_equity,
    riskFreeRate,
  });
  return withMarketRegimes(metrics, run, result.marketRegimes, {
    underlyings: underlyingsOf(config),
    riskFreeRate,
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
      chosen: { combination: p.chosen.combination, params: p.chosenValues },
      train_sharpe: p.chosen.train_sharpe,
      train_trades: p.chosen.train_trades,
      validate_sharpe: p.chosen.validate_sharpe,
      validate_trades: p.chosen.validate_trades,
      test_sharpe: p.test_sharpe,
      test_trades: p.test_trades,
      wfe: efficiency.periods[i].wfe,
      wfe_undefined: efficiency.periods[i].wfe_undefined,
      top: p.top.map((t) => ({ ...t, params: combinationValues(s, t.combination) })),
    })),
    aggregate: {
      periods: result.periods.length,
      ...result.aggregate,
      alpha_decay_note:
        "OLS of test Sharpe on period number; half_life = -intercept / (2 * slope) when slope < 0 and intercept > 0",
      oos_sharpe_monthly: oosMetrics.sharpe,
      oos_total_return: oosMetrics.total_return,
      oos_deflated_sharpe: result.oosDiagnostics.sharpe_inference,
      wfe_mean: efficiency.wfe_mean,
      wfe_median: efficiency.wfe_median,
      wfe_of_means: efficiency.wfe_of_means,
      wfe_defined: efficiency.wfe_defined,
      wfe_undefined_train_sharpe: efficiency.wfe_undefined_train_sharpe,
      wfe_undefined_test_sharpe: efficiency.wfe_undefined_test_sharpe,
      wfe_note:
        "test Sharpe / train Sharpe of the chosen combination; undefined where the train Sharpe is undefined or <= 0, or the test Sharpe undefined",
      mean_trades_per_test_window: efficiency.mean_trades_per_test_window,
      oos_win_rate: efficiency.oos_win_rate,
      oos_max_drawdown: efficiency.oos_max_drawdown,
      dropped_periods: result.dropped,
      pbo: result.pbo && {
        pbo: result.pbo.pbo,
        splits: result.pbo.splits,
        blocks: result.pbo.blocks,
        strategies: result.pbo.strategies,
        logit_quantiles: logitQuantiles(result.pbo.logits),
        logits: result.pbo.logits,
        note:
          "CSCV over every combination's full-sample daily returns; PBO = share of splits whose in-sample best ranks at or below the out-of-sample median",
      },
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
 * latest period's choice), the stitched out-of-sample run's trades.parquet, metrics.json and
 * equity_curve.csv, data_quality.json and manifest.json.
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
  return [
    {
      name: "walk_forward.json",
      text: toJson(walkForwardJson(result, context.calendar, oosMetrics)),
    },
    { name: "grid_results.parquet", parquet: gridResultsFrame(result) },
    { name: "params.toml", text: configToToml(latest) },
    { name: "trades.parquet", parquet: tradesFrame(result.oosTrades) },
    {
      name: "metrics.json",
      text: toJson({
        ...oosMetrics,
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
