/**
 * The frames of a tear sheet of a run's daily equity, one function each (tear_sheet.ts
 * gathers them): daily, monthly and annual returns,
 * rolling Sharpe ratios, the distribution of daily returns, the worst drawdowns, and exposure
 * (open risk and open positions) over time. Every function takes the daily-state frame of a run
 * (`runBacktest(...).equity`, or a walk-forward's stitched run from {@link walkForwardRun}) and
 * covers its tradable span (`from`, the run's `tradableFrom`): the days before it, the
 * IV-percentile warm-up, are flat and left out, as in the metrics.
 *
 * Conventions, as in the metrics: a day's return is its equity over the previous day's; the
 * span's first day is measured from the equity before it (the starting equity). A month's or a
 * year's return is its last equity over the previous one's (the first from the equity before
 * the span), so the returns compound to the total. Rolling Sharpe ratios are of daily excess
 * returns over a trailing window of 21 trading days a month (126 for 6 months, 252 for 12),
 * sample deviation, × √252.
 *
 * @module
 */
import pl from "nodejs-polars";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { dayToCivil, isoToDay } from "../data/dates.ts";
import { sharpeRatio } from "../stats/returns.ts";
import { dateSeries, dayNumbers, floats, nullableSeries } from "./_columns.ts";

/** Which days of a daily-state frame to use, and the equity before the first of them. */
export interface SpanOptions {
  /**
   * First day of the tradable span, YYYY-MM-DD (a backtest's `tradableFrom`); earlier rows are
   * left out. Default: every row.
   */
  from?: string | null;
  /**
   * Equity before the frame's first day, dollars (the starting equity). Default: the first
   * day's equity less its daily_pnl, to the cent. Used only when the span starts on the
   * frame's first row; otherwise the equity of the row before the span is the base.
   */
  startingEquity?: number;
}

/** The span of a daily-state frame: its days, equity, and the equity before the first day. */
export interface EquitySpan {
  /** Day numbers (days since 1970-01-01). */
  days: Int32Array;
  /** End-of-day equity, dollars. */
  equity: Float64Array;
  /** Equity before the first day. */
  base: number;
  /** Rows of the frame before the span. */
  skipped: number;
}

/**
 * The tradable span of a daily-state frame as typed arrays.
 *
 * @param frame a daily-state frame (date, equity, daily_pnl, ...)
 * @param options the span's first day and the starting equity
 * @returns days, equity, the equity before the first day, and the rows skipped
 *
 * @example The warm-up's rows are skipped; the base is the last of them
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { equitySpan } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame({ date: ["2024-01-02", "2024-01-03", "2024-01-04"],
 *   equity: [100000, 100000, 100500], daily_pnl: [0, 0, 500] })
 *   .withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const s = equitySpan(frame, { from: "2024-01-03" });
 * assert.deepEqual(Array.from(s.equity), [100000, 100500]);
 * assert.equal(s.base, 100000);
 * assert.equal(s.skipped, 1);
 * assert.equal(equitySpan(frame).base, 100000); // 100000 - 0
 * ```
 */
export function equitySpan(frame: pl.DataFrame, options: SpanOptions = {}): EquitySpan {
  const allDays = dayNumbers(frame, "date");
  const allEquity = floats(frame, "equity");
  let skip = 0;
  if (options.from === null) skip = allDays.length;
  else if (options.from !== undefined) {
    const first = isoToDay(options.from);
    while (skip < allDays.length && allDays[skip] < first) skip++;
  }
  let base: number;
  if (skip > 0) base = allEquity[skip - 1];
  else if (options.startingEquity !== undefined) base = options.startingEquity;
  else if (allEquity.length && frame.columns.includes("daily_pnl")) {
    base = Math.round((allEquity[0] - floats(frame, "daily_pnl")[0]) * 100) / 100;
  } else base = allEquity.length ? allEquity[0] : NaN;
  return {
    days: allDays.subarray(skip),
    equity: allEquity.subarray(skip),
    base,
    skipped: skip,
  };
}

/** Daily returns of a span: equity[i] / equity[i - 1] - 1, the first from the base. */
function returnsOf(s: EquitySpan): Float64Array {
  const out = new Float64Array(s.equity.length);
  let previous = s.base;
  for (let i = 0; i < out.length; i++) {
    out[i] = s.equity[i] / previous - 1;
    previous = s.equity[i];
  }
  return out;
}

/**
 * Daily returns over the tradable span.
 *
 * @param frame a daily-state frame
 * @param options the span's first day and the starting equity
 * @returns date, equity, return (a fraction; the first day from the equity before it)
 *
 * @example Up 1%, then down 2%
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { dailyReturnsFrame } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame({ date: ["2024-01-02", "2024-01-03"], equity: [101000, 98980] })
 *   .withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const r = dailyReturnsFrame(frame, { startingEquity: 100000 }).getColumn("return").toArray() as number[];
 * assert.ok(Math.abs(r[0] - 0.01) < 1e-15 && Math.abs(r[1] + 0.02) < 1e-15);
 * ```
 */
export function dailyReturnsFrame(frame: pl.DataFrame, options: SpanOptions = {}): pl.DataFrame {
  const s = equitySpan(frame, options);
  return pl.DataFrame([
    dateSeries("date", s.days),
    pl.Series("equity", s.equity),
    pl.Series("return", returnsOf(s)),
  ]);
}

/** Returns of calendar periods (month or year) from period-end equity. */
function periodTable(s: EquitySpan, keyOf: (day: number) => number) {
  const keys: number[] = [];
  const returns: number[] = [];
  const counts: number[] = [];
  let previous = s.base;
  let count = 0;
  for (let i = 0; i < s.days.length; i++) {
    count++;
    const key = keyOf(s.days[i]);
    if (i + 1 === s.days.length || keyOf(s.days[i + 1]) !== key) {
      keys.push(key);
      returns.push(s.equity[i] / previous - 1);
      counts.push(count);
      previous = s.equity[i];
      count = 0;
    }
  }
  return { keys, returns, counts };
}

/**
 * Monthly returns over the tradable span (the data of a monthly-returns heat map): each
 * calendar month's last equity over the previous month's (the first month from the equity
 * before the span, so a partial first month counts its days only).
 *
 * @param frame a daily-state frame
 * @param options the span's first day and the starting equity
 * @returns year, month (1-12), return (a fraction), trading_days, one row per month present
 *
 * @example January up 2%, February down 1% from there
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { monthlyReturnsFrame } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame({ date: ["2024-01-30", "2024-01-31", "2024-02-01"],
 *   equity: [101000, 102000, 100980] }).withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const m = monthlyReturnsFrame(frame, { startingEquity: 100000 }).toRecords();
 * assert.deepEqual(m.map((r) => [r.year, r.month, r.trading_days]), [[2024, 1, 2], [2024, 2, 1]]);
 * assert.ok(Math.abs((m[0].return as number) - 0.02) < 1e-15);
 * assert.ok(Math.abs((m[1].return as number) + 0.01) < 1e-15);
 * ```
 */
export function monthlyReturnsFrame(
  frame: pl.DataFrame,
  options: SpanOptions = {},
): pl.DataFrame {
  const t = periodTable(equitySpan(frame, options), (day) => {
    const c = dayToCivil(day);
    return c.year * 12 + c.month - 1;
  });
  return pl.DataFrame([
    pl.Series("year", Int32Array.from(t.keys, (k) => Math.floor(k / 12))),
    pl.Series("month", Int32Array.from(t.keys, (k) => (k % 12) + 1)),
    pl.Series("return", Float64Array.from(t.returns)),
    pl.Series("trading_days", Int32Array.from(t.counts)),
  ]);
}

/**
 * Annual returns over the tradable span: each calendar year's last equity over the previous
 * year's (the first year from the equity before the span).
 *
 * @param frame a daily-state frame
 * @param options the span's first day and the starting equity
 * @returns year, return (a fraction), trading_days
 *
 * @example Two years: +10%, then −5% from the higher base
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { annualReturnsFrame } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame({ date: ["2023-12-29", "2024-06-28", "2024-12-31"],
 *   equity: [110000, 120000, 104500] }).withColumns(pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"));
 * const a = annualReturnsFrame(frame, { startingEquity: 100000 }).toRecords();
 * assert.deepEqual(a.map((r) => r.year), [2023, 2024]);
 * assert.ok(Math.abs((a[0].return as number) - 0.1) < 1e-15);
 * assert.ok(Math.abs((a[1].return as number) + 0.05) < 1e-15);
 * ```
 */
export function annualReturnsFrame(
  frame: pl.DataFrame,
  options: SpanOptions = {},
): pl.DataFrame {
  const t = periodTable(equitySpan(frame, options), (day) => dayToCivil(day).year);
  return pl.DataFrame([
    pl.Series("year", Int32Array.from(t.keys)),
    pl.Series("return", Float64Array.from(t.returns)),
    pl.Series("trading_days", Int32Array.from(t.counts)),
  ]);
}

/** Trading days per month in the rolling windows. */
export const TRADING_DAYS_PER_MONTH = 21;

/** Options of {@link rollingSharpeFrame}. */
export interface RollingSharpeOptions extends SpanOptions {
  /** Window lengths in months of 21 trading days (default [6, 12]: 126 and 252 days). */
  months?: number[];
  /** Annual risk-free rate, decimal (default 0): Sharpe ratios of excess returns. */
  riskFreeRate?: number;
}

/**
 * Rolling Sharpe ratios of the daily excess returns over trailing windows (default 6 and 12
 * months: 126 and 252 trading days), × √252. A window needs all its days: earlier dates, and
 * windows without variation, are null.
 *
 * @param frame a daily-state frame
 * @param options window lengths in months, risk-free rate, the span
 * @returns date, then one column per window: sharpe_6m, sharpe_12m, ...
 *
 * @example A 1-month window over a sawtooth: mean 0.0005, deviation from the two values
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { rollingSharpeFrame } from "./tear_sheet_frames.ts";
 * const returns: number[] = Array.from({ length: 30 }, (_, i) => (i % 2 ? -0.001 : 0.002));
 * let equity = 100000;
 * const values = returns.map((r) => (equity *= 1 + r));
 * const days = Array.from({ length: 30 }, (_, i) => 19724 + i);
 * const frame = pl.DataFrame([pl.Series("date", days).cast(pl.Date), pl.Series("equity", values)]);
 * const s = rollingSharpeFrame(frame, { months: [1], startingEquity: 100000 })
 *   .getColumn("sharpe_1m").toArray() as (number | null)[];
 * assert.equal(s[19], null); // 20 returns: the 21-day window is not full yet
 * const w = returns.slice(0, 21);
 * const mean = w.reduce((a, b) => a + b) / 21;
 * const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
 * assert.ok(Math.abs(s[20]! - mean / std * Math.sqrt(252)) < 1e-9);
 * ```
 */
export function rollingSharpeFrame(
  frame: pl.DataFrame,
  options: RollingSharpeOptions = {},
): pl.DataFrame {
  const s = equitySpan(frame, options);
  const excess = returnsOf(s);
  const rf = (options.riskFreeRate ?? 0) / TRADING_DAYS_PER_YEAR;
  for (let i = 0; i < excess.length; i++) excess[i] -= rf;
  const columns = [dateSeries("date", s.days)];
  for (const months of options.months ?? [6, 12]) {
    const w = Math.round(months * TRADING_DAYS_PER_MONTH);
    const out = new Float64Array(excess.length).fill(NaN);
    for (let end = w - 1; end < excess.length; end++) {
      const window = excess.subarray(end - w + 1, end + 1);
      out[end] = sharpeRatio(window, TRADING_DAYS_PER_YEAR) ?? NaN;
    }
    columns.push(nullableSeries(`sharpe_${months}m`, out));
  }
  return pl.DataFrame(columns);
}

/** Options of {@link returnHistogramFrame}. */
export interface HistogramOptions extends SpanOptions {
  /** Number of equal-width bins between the smallest and largest return (default 40). */
  bins?: number;
}

/**
 * The distribution of daily returns over the tradable span: equal-width bins from the smallest
 * to the largest return, each [lower, upper) except the last, which holds its upper edge.
 *
 * @param frame a daily-state frame
 * @param options number of bins, the span
 * @returns lower, upper, count (one row per bin; counts sum to the days)
 *
 * @example Returns −1%, 0, 0, +1% in two bins
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { returnHistogramFrame } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame([pl.Series("date", [19724, 19725, 19726, 19727]).cast(pl.Date),
 *   pl.Series("equity", [99000, 99000, 99000, 99990])]);
 * const h = returnHistogramFrame(frame, { bins: 2, startingEquity: 100000 }).toRecords();
 * assert.deepEqual(h.map((r) => r.count), [1, 3]); // [-1%, 0) and [0, 1%]
 * assert.ok(Math.abs((h[0].lower as number) + 0.01) < 1e-15);
 * ```
 */
export function returnHistogramFrame(
  frame: pl.DataFrame,
  options: HistogramOptions = {},
): pl.DataFrame {
  const r = returnsOf(equitySpan(frame, options));
  const bins = Math.max(1, Math.floor(options.bins ?? 40));
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of r) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (r.length === 0) {
    return pl.DataFrame([
      pl.Series("lower", new Float64Array(0)),
      pl.Series("upper", new Float64Array(0)),
      pl.Series("count", new Int32Array(0)),
    ]);
  }
  if (hi === lo) hi = lo + 1e-9;
  const width = (hi - lo) / bins;
  const counts = new Int32Array(bins);
  for (const x of r) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  return pl.DataFrame([
    pl.Series("lower", Float64Array.from({ length: bins }, (_, b) => lo + b * width)),
    pl.Series(
      "upper",
      Float64Array.from({ length: bins }, (_, b) => (b + 1 === bins ? hi : lo + (b + 1) * width)),
    ),
    pl.Series("count", counts),
  ]);
}

/** One drawdown episode, by index into a span. */
interface Episode {
  start: number;
  trough: number;
  recovery: number;
  depth: number;
  peak: number;
}

/** Every drawdown episode of a span: under water from the first day below the peak. */
function episodes(s: EquitySpan): Episode[] {
  const out: Episode[] = [];
  let peak = s.base;
  let current: Episode | null = null;
  for (let i = 0; i < s.equity.length; i++) {
    const v = s.equity[i];
    if (v >= peak) {
      if (current) {
        current.recovery = i;
        out.push(current);
        current = null;
      }
      peak = v;
      continue;
    }
    const depth = v / peak - 1;
    if (!current) current = { start: i, trough: i, recovery: -1, depth, peak };
    else if (depth < current.depth) {
      current.trough = i;
      current.depth = depth;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Options of {@link drawdownsFrame}. */
export interface DrawdownOptions extends SpanOptions {
  /** Episodes to keep, deepest first (default 5). */
  top?: number;
}

/**
 * The worst drawdowns over the tradable span, deepest first. An episode starts on the first day
 * the equity is below its running peak, bottoms at its trough, and recovers on the first day
 * back at or above that peak (null when it has not recovered by the last day).
 *
 * @param frame a daily-state frame
 * @param options how many episodes (default 5), the span
 * @returns rank, start, trough, recovery (dates), depth (trough / peak − 1, <= 0), peak_equity,
 *   days (trading days under water: from start to the day before recovery, or to the last day)
 *
 * @example Two dips: −5% recovered, −2% still open
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { drawdownsFrame } from "./tear_sheet_frames.ts";
 * const equity = [100000, 95000, 97000, 101000, 98980, 99000];
 * const frame = pl.DataFrame([pl.Series("date", equity.map((_, i) => 19724 + i)).cast(pl.Date),
 *   pl.Series("equity", equity)]);
 * const d = drawdownsFrame(frame, { startingEquity: 100000 }).toRecords();
 * assert.equal(d.length, 2);
 * assert.ok(Math.abs((d[0].depth as number) + 0.05) < 1e-15);
 * assert.deepEqual([d[0].days, d[1].days], [2, 2]);
 * assert.equal(d[1].recovery, null);
 * assert.ok(Math.abs((d[1].depth as number) - (98980 / 101000 - 1)) < 1e-15);
 * ```
 */
export function drawdownsFrame(frame: pl.DataFrame, options: DrawdownOptions = {}): pl.DataFrame {
  const s = equitySpan(frame, options);
  const worst = episodes(s).sort((a, b) => a.depth - b.depth || a.start - b.start)
    .slice(0, Math.max(0, options.top ?? 5));
  const day = (i: number) => (i < 0 ? null : s.days[i]);
  const dates = (name: string, f: (e: Episode) => number) =>
    pl.Series(name, worst.map((e) => day(f(e)))).cast(pl.Int32).cast(pl.Date);
  const last = s.equity.length;
  return pl.DataFrame([
    pl.Series("rank", Int32Array.from(worst, (_, i) => i + 1)),
    dates("start", (e) => e.start),
    dates("trough", (e) => e.trough),
    dates("recovery", (e) => e.recovery),
    pl.Series("depth", Float64Array.from(worst, (e) => e.depth)),
    pl.Series("peak_equity", Float64Array.from(worst, (e) => e.peak)),
    pl.Series(
      "days",
      Int32Array.from(worst, (e) => (e.recovery < 0 ? last : e.recovery) - e.start),
    ),
  ]);
}

/**
 * Exposure over the tradable span: the open positions' risk (the sum of their max losses), that
 * risk as a share of equity (heat), and the number of open positions, each day.
 *
 * @param frame a daily-state frame (with open_risk, heat, open_positions)
 * @param options the span
 * @returns date, open_risk (dollars), heat (a fraction), open_positions
 *
 * @example The warm-up's rows are left out
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { exposureFrame } from "./tear_sheet_frames.ts";
 * const frame = pl.DataFrame([pl.Series("date", [19724, 19725]).cast(pl.Date),
 *   pl.Series("equity", [100000, 100100]), pl.Series("open_risk", [0, 1800]),
 *   pl.Series("heat", [0, 0.018]), pl.Series("open_positions", Int32Array.from([0, 1]))]);
 * const e = exposureFrame(frame, { from: "2024-01-03" }).toRecords();
 * assert.deepEqual(e.map((r) => r.open_positions), [1]);
 * ```
 */
export function exposureFrame(frame: pl.DataFrame, options: SpanOptions = {}): pl.DataFrame {
  const skip = equitySpan(frame, options).skipped;
  return frame.select("date", "open_risk", "heat", "open_positions").slice(
    skip,
    frame.height - skip,
  );
}
