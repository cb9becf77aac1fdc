/**
 * The findings of a run in one frame: did it make money, how reliably, how deep it fell, and,
 * for a walk-forward, whether the selection overfit. Every row holds a computed value with its
 * interval where there is one, so the report's closing table and sentences read from it (see
 * lib/viz's findingsTable and findingsText).
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ReturnDiagnostics } from "../stats/diagnostics.ts";
import type { WalkForwardResult } from "../walkforward/assemble.ts";
import type { Metrics } from "./metrics.ts";
import type { TearSheet } from "./tear_sheet.ts";
import { targetSummary } from "./rule_metrics.ts";

/** What {@link findingsFrame} reads. */
export interface FindingsInput {
  /** The run's metrics over its tradable span (a backtest's, or a walk-forward's stitched run's). */
  metrics: Metrics;
  /** PSR/DSR and bootstrap intervals over the same span. */
  diagnostics: ReturnDiagnostics;
  /** The walk-forward behind a stitched run: adds its test windows, trials and PBO. */
  walkForward?: WalkForwardResult;
}

/** The unit of a finding's value: how it is formatted. */
export type FindingUnit =
  | "pct"
  | "money"
  | "ratio"
  | "probability"
  | "count"
  | "date"
  | "sci";

/** A finding row (the shape of {@link findingsFrame}'s rows), for other findings frames. */
export interface FindingRow {
  /** Stable key. */
  key: string;
  /** What it is, for people. */
  finding: string;
  /** The value (null when undefined). */
  value: number | null;
  /** Its interval's lower end, when it has one. */
  lower: number | null;
  /** Its interval's upper end, when it has one. */
  upper: number | null;
  /** How the value is formatted. */
  unit: FindingUnit;
  /** How it is computed. */
  note: string;
}

/**
 * Finding rows as a frame of {@link findingsFrame}'s shape (key, finding, value, lower, upper,
 * unit, note), for a notebook's own findings (the data's, the pricing's).
 *
 * @param rows the rows
 * @returns the frame
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findingRowsFrame } from "./findings.ts";
 * const f = findingRowsFrame([{ key: "rows", finding: "contracts", value: 12, lower: null,
 *   upper: null, unit: "count", note: "loaded" }]);
 * assert.deepEqual(f.columns, ["key", "finding", "value", "lower", "upper", "unit", "note"]);
 * ```
 */
export function findingRowsFrame(rows: FindingRow[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("key", rows.map((r) => r.key), pl.Utf8),
    pl.Series("finding", rows.map((r) => r.finding), pl.Utf8),
    pl.Series("value", rows.map((r) => r.value), pl.Float64),
    pl.Series("lower", rows.map((r) => r.lower), pl.Float64),
    pl.Series("upper", rows.map((r) => r.upper), pl.Float64),
    pl.Series("unit", rows.map((r) => r.unit), pl.Utf8),
    pl.Series("note", rows.map((r) => r.note), pl.Utf8),
  ]);
}

/**
 * The findings of a run as rows: key, finding (what it is), value, lower and upper (its
 * interval, when there is one), unit ("pct", "money", "ratio", "probability", "count", "date") and note
 * (how it is computed).
 *
 * Keys: first_date and last_date (day numbers, unit "date"), total_return, total_pnl, cagr (with its bootstrap interval), sharpe (monthly × √12),
 * sharpe_daily (daily × √252, with its bootstrap interval), psr, max_drawdown (with its
 * interval), trades, win_rate, profit_factor; with a walk-forward also dsr, mean_test_sharpe,
 * no_selection_periods and pbo (the interval spans its two other tie rules).
 *
 * @param input the metrics, the diagnostics and, for a stitched run, the walk-forward
 * @returns the frame, one row per finding
 *
 * @example A losing run's findings read from its metrics
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest,
 *   runDiagnostics } from "../mod.ts";
 * import { findingsFrame } from "./findings.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const config = loadConfig("config/test_config.toml");
 * const run = runBacktest(store, config);
 * const diagnostics = runDiagnostics(run.raw.daily, config, { from: run.tradableFrom });
 * const f = findingsFrame({ metrics: run.metrics, diagnostics }).toRecords();
 * const get = (key: string) => f.find((r) => r.key === key)!;
 * assert.equal(get("total_return").value, run.metrics.total_return);
 * assert.equal(get("sharpe_daily").lower, diagnostics.bootstrap.sharpe.lower);
 * assert.equal(get("trades").value, run.trades.height);
 * assert.ok(!f.some((r) => r.key === "pbo"));
 * ```
 */
export function findingsFrame(input: FindingsInput): pl.DataFrame {
  const m = input.metrics;
  const b = input.diagnostics.bootstrap;
  const si = input.diagnostics.sharpe_inference;
  const level = `${Math.round(100 * b.level)}%`;
  const n = (x: number) => x.toLocaleString("en-US");
  const span = `${m.first_date ?? "—"} to ${m.last_date ?? "—"}, ${n(m.trading_days)} trading days`;
  const day = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 86400000);
  const rows: FindingRow[] = [
    {
      key: "first_date",
      finding: "first day",
      value: day(m.first_date),
      lower: null,
      upper: null,
      unit: "date",
      note: m.warmup_days
        ? `the tradable span starts after ${m.warmup_days} days of IV-percentile warm-up`
        : "the run's first day",
    },
    {
      key: "last_date",
      finding: "last day",
      value: day(m.last_date),
      lower: null,
      upper: null,
      unit: "date",
      note: `${n(m.trading_days)} trading days in all`,
    },
    {
      key: "total_return",
      finding: "total return",
      value: m.total_return,
      lower: null,
      upper: null,
      unit: "pct",
      note: `final over starting equity, ${span}`,
    },
    {
      key: "total_pnl",
      finding: "total P&L",
      value: m.total_pnl,
      lower: null,
      upper: null,
      unit: "money",
      note: input.walkForward
        ? `sum of the ${m.trade_count} trades' P&L, net of costs; each test window restarts at the starting equity, so this sums the windows' returns while the total return compounds them`
        : `sum of the ${m.trade_count} trades' P&L, net of costs`,
    },
    {
      key: "cagr",
      finding: "CAGR",
      value: m.cagr,
      lower: b.cagr.lower,
      upper: b.cagr.upper,
      unit: "pct",
      note: `252 trading days a year; ${level} stationary-bootstrap interval`,
    },
    {
      key: "sharpe",
      finding: "Sharpe ratio",
      value: m.sharpe,
      lower: null,
      upper: null,
      unit: "ratio",
      note: "monthly excess returns × √12",
    },
    {
      key: "sharpe_daily",
      finding: "Sharpe ratio (daily)",
      value: m.sharpe_daily,
      lower: b.sharpe.lower,
      upper: b.sharpe.upper,
      unit: "ratio",
      note: `daily excess returns × √252; ${level} stationary-bootstrap interval`,
    },
    {
      key: "psr",
      finding: "probabilistic Sharpe PSR(0)",
      value: si.psr,
      lower: null,
      upper: null,
      unit: "probability",
      note: `probability that the true Sharpe is above 0, given ${n(si.n)} days, skewness ${
        si.skewness.toFixed(2)
      } and kurtosis ${si.kurtosis.toFixed(1)}`,
    },
    {
      key: "max_drawdown",
      finding: "maximum drawdown",
      value: m.max_drawdown,
      lower: b.max_drawdown.lower,
      upper: b.max_drawdown.upper,
      unit: "pct",
      note: `deepest fall from a running peak; ${level} stationary-bootstrap interval`,
    },
    {
      key: "trades",
      finding: "trades",
      value: m.trade_count,
      lower: null,
      upper: null,
      unit: "count",
      note: "closed spreads",
    },
    {
      key: "win_rate",
      finding: "win rate",
      value: m.win_rate,
      lower: null,
      upper: null,
      unit: "pct",
      note: "share of trades with P&L > 0",
    },
    {
      key: "profit_factor",
      finding: "profit factor",
      value: m.profit_factor,
      lower: null,
      upper: null,
      unit: "ratio",
      note: "gross profit / gross loss",
    },
    {
      key: "targets",
      finding: "targets met",
      value: Object.values(m.targets).filter((c) => c.met).length,
      lower: null,
      upper: null,
      unit: "count",
      note: `of the ${Object.keys(m.targets).length} in [targets] (the spec's table by default): ${
        targetSummary(m.targets)
      }`,
    },
  ];
  const wf = input.walkForward;
  if (wf) {
    rows.push(
      {
        key: "dsr",
        finding: "deflated Sharpe DSR",
        value: si.dsr,
        lower: null,
        upper: null,
        unit: "probability",
        note: `PSR against the best Sharpe ${si.trials} skill-less trials would show`,
      },
      {
        key: "mean_test_sharpe",
        finding: "mean test-window Sharpe",
        value: wf.aggregate.mean_oos_sharpe,
        lower: null,
        upper: null,
        unit: "ratio",
        note: "mean of the test windows' own Sharpe ratios (each window restarts flat)",
      },
      {
        key: "no_selection_periods",
        finding: "periods without a selection",
        value: wf.aggregate.no_selection_periods,
        lower: null,
        upper: null,
        unit: "count",
        note: `of ${wf.periods.length}: no combination traded in training, no test trade`,
      },
    );
    const pbo = wf.pbo;
    rows.push({
      key: "pbo",
      finding: "probability of backtest overfitting",
      value: pbo?.pbo ?? null,
      lower: pbo ? Math.min(pbo.pboTiesLow, pbo.pboTiesHigh) : null,
      upper: pbo ? Math.max(pbo.pboTiesLow, pbo.pboTiesHigh) : null,
      unit: "probability",
      note: pbo
        ? `${
          pbo.splits.toLocaleString("en-US")
        } splits of ${pbo.strategies} trials (${wf.trials.never_trading} never-trading and ${wf.trials.duplicates} duplicate combinations of ${wf.trials.combinations} left out); ties counted half, the interval ranks them all below or all above`
        : "undefined: fewer than two trials with returns that vary",
    });
  }
  return findingRowsFrame(rows);
}

/** The landmarks of an equity curve (see {@link equityLandmarks}). */
export interface EquityLandmarks {
  /** First day of the span, YYYY-MM-DD. */
  first_date: string | null;
  /** Last day of the span, YYYY-MM-DD. */
  last_date: string | null;
  /** Equity before the first day. */
  starting_equity: number;
  /** Equity on the last day. */
  final_equity: number;
  /** final / starting − 1. */
  total_return: number;
  /** The highest equity. */
  peak_equity: number;
  /** The (first) day of the highest equity. */
  peak_date: string | null;
  /** The worst drawdown's depth (<= 0). */
  worst_drawdown: number;
  /** Its first day under water (null if none). */
  drawdown_start: string | null;
  /** Its trough (null if none). */
  drawdown_trough: string | null;
  /** Its recovery, the first day back at the peak (null if none, or not recovered). */
  drawdown_recovery: string | null;
  /** The benchmark's name (null without one). */
  benchmark_name: string | null;
  /** The benchmark's return over the same span (null without one). */
  benchmark_return: number | null;
}

/** A frame's Date cell as YYYY-MM-DD, or null. */
function isoOf(value: unknown): string | null {
  return value instanceof Date ? value.toISOString().slice(0, 10) : null;
}

/**
 * The landmarks of a tear sheet's equity curve, for prose that states where the equity went:
 * where it started and ended, its peak, its worst drawdown (start, trough, recovery), and the
 * benchmark's return over the same span.
 *
 * @param sheet a tear sheet (see tearSheet)
 * @returns the landmarks
 *
 * @example A rise, a fall below the start, no recovery
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { dailyReturnsFrame, drawdownsFrame } from "./tear_sheet_frames.ts";
 * import { equityLandmarks } from "./findings.ts";
 * const equity = pl.DataFrame([pl.Series("date", [19724, 19725, 19726]).cast(pl.Date),
 *   pl.Series("equity", [102000, 96900, 98000])]);
 * const span = { startingEquity: 100000 };
 * const sheet = { returns: dailyReturnsFrame(equity, span), drawdowns: drawdownsFrame(equity, span),
 *   benchmark: null, benchmarkName: null };
 * const l = equityLandmarks(sheet as never);
 * assert.equal(l.peak_date, "2024-01-02");
 * assert.equal(l.drawdown_trough, "2024-01-03");
 * assert.equal(l.drawdown_recovery, null);
 * assert.ok(Math.abs(l.worst_drawdown - (96900 / 102000 - 1)) < 1e-15);
 * assert.ok(Math.abs(l.total_return + 0.02) < 1e-15);
 * ```
 */
export function equityLandmarks(
  sheet: Pick<TearSheet, "returns" | "drawdowns" | "benchmark" | "benchmarkName">,
): EquityLandmarks {
  const dates = sheet.returns.getColumn("date").toArray() as unknown as Date[];
  const equity = sheet.returns.getColumn("equity").toArray() as number[];
  const returns = sheet.returns.getColumn("return").toArray() as number[];
  const start = equity.length ? equity[0] / (1 + returns[0]) : NaN;
  let peak = 0;
  for (let i = 1; i < equity.length; i++) if (equity[i] > equity[peak]) peak = i;
  const worst = sheet.drawdowns.height ? sheet.drawdowns.toRecords()[0] : null;
  const bench = sheet.benchmark?.getColumn("equity").toArray() as number[] | undefined;
  const final = equity.length ? equity[equity.length - 1] : start;
  return {
    first_date: isoOf(dates[0]),
    last_date: isoOf(dates[dates.length - 1]),
    starting_equity: start,
    final_equity: final,
    total_return: final / start - 1,
    peak_equity: equity.length ? equity[peak] : NaN,
    peak_date: isoOf(dates[peak]),
    worst_drawdown: worst ? worst.depth as number : 0,
    drawdown_start: worst ? isoOf(worst.start) : null,
    drawdown_trough: worst ? isoOf(worst.trough) : null,
    drawdown_recovery: worst ? isoOf(worst.recovery) : null,
    benchmark_name: sheet.benchmarkName,
    benchmark_return: bench?.length ? bench[bench.length - 1] / start - 1 : null,
  };
}
