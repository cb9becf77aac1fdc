/**
 * Tear-sheet figures (Observable Plot, static SVG) drawn from the frames of lib/output's
 * tear sheet: equity against the underlying bought and held, the drawdown (underwater), the
 * monthly-returns heat map, annual returns, rolling Sharpe, the return distribution, exposure
 * over time, the worst drawdowns as a table, and the trade analytics (pnl_pct by exit reason,
 * pnl_pct against an entry variable with bucketed means). Every time axis covers the tradable
 * span and labels every year; percentages are shown as percentages, money in dollars, dates as
 * dates. The equity figure can also be drawn with Plotly, with ISO dates and dollars in its
 * hovers.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { TearSheet } from "../output/tear_sheet.ts";
import { type Displayable, html, table } from "./display.ts";
import { formatDate, formatMoney, formatPct } from "./format.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";
import { plotly } from "./plotly.ts";
import { exitReasonScale } from "./palette.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Colours of the strategy, its benchmark, gains and losses. */
const INK = { strategy: "#1c7ed6", benchmark: "#adb5bd", gain: "#2f9e44", loss: "#d6336c" };

/** Rows of a frame as plain records. */
function rows(frame: pl.DataFrame): Record<string, unknown>[] {
  return frame.toRecords() as Record<string, unknown>[];
}

/** The largest absolute value of a column (for symmetric colour scales), at least 1e-9. */
function maxAbs(records: Record<string, unknown>[], key: string): number {
  return records.reduce((m, r) => Math.max(m, Math.abs(Number(r[key]) || 0)), 1e-9);
}

/** The time axis over a frame's dates (its first and last row). */
function spanAxis(records: Record<string, unknown>[]): Plot.ScaleOptions {
  if (!records.length) return { type: "utc", label: null };
  return timeAxis(records[0].date as Date, records[records.length - 1].date as Date);
}

/** A stretch of dates to shade on a time axis, e.g. a test window without a selection. */
export interface Shade {
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD. */
  end: string;
}

/** Shaded stretches as Plot marks (grey rectangles behind the data). */
function shadeMarks(shade: Shade[] | undefined): Plot.Markish[] {
  if (!shade?.length) return [];
  const spans = shade.map((s) => ({
    x1: new Date(`${s.start}T00:00:00Z`),
    x2: new Date(`${s.end}T00:00:00Z`),
  }));
  return [
    Plot.rectX(spans, { x1: "x1", x2: "x2", fill: "#868e96", fillOpacity: 0.15, clip: true }),
  ];
}

/**
 * The monthly-returns heat map: years down, months across, each cell coloured by its return
 * (red losses, green gains, on a scale symmetric about 0) and labelled in percent.
 *
 * @param monthly a monthly-returns frame (year, month, return)
 * @param options title (default "Monthly returns")
 * @returns the SVG figure
 *
 * @example One cell per month
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { monthlyReturnsHeatmap } from "./tear_sheet.ts";
 * const monthly = pl.DataFrame({ year: [2024, 2024, 2024], month: [1, 2, 3], return: [0.01, -0.02, 0.005] });
 * const svg = monthlyReturnsHeatmap(monthly).html;
 * assert.equal(svg.match(/<rect /g)?.length, 3);
 * assert.ok(svg.includes("-2.0%") && svg.includes("Feb"));
 * ```
 */
export function monthlyReturnsHeatmap(
  monthly: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const data: Record<string, unknown>[] = rows(monthly).map((r) => ({
    ...r,
    name: MONTHS[Number(r.month) - 1],
  }));
  const years = [...new Set(data.map((r) => Number(r.year)))].sort((a, b) => a - b);
  const extent = maxAbs(data, "return");
  return plotSvg({
    title: options.title ?? "Monthly returns",
    height: 50 + 30 * Math.max(1, years.length),
    marginLeft: 48,
    padding: 0.05,
    x: { domain: MONTHS, label: null, axis: "top" },
    y: { domain: years, label: null, tickFormat: (y: number) => String(y) },
    color: { type: "diverging", scheme: "RdYlGn", domain: [-extent, extent], pivot: 0 },
    marks: [
      Plot.cell(data, { x: "name", y: "year", fill: "return", inset: 0.5 }),
      // White on the darkest cells, black elsewhere.
      ...[true, false].map((dark) =>
        Plot.text(data.filter((d) => (Math.abs(d.return as number) > 0.6 * extent) === dark), {
          x: "name",
          y: "year",
          text: (d) => formatPct(d.return as number),
          fill: dark ? "white" : "black",
          fontSize: 11,
        })
      ),
    ],
  });
}

/**
 * Annual returns as bars (green gains, red losses) labelled in percent, with the benchmark's as
 * dark ticks when given.
 *
 * @param annual an annual-returns frame (year, return)
 * @param options the benchmark's annual returns and name, title
 * @returns the SVG figure
 *
 * @example Two years
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { annualReturnsChart } from "./tear_sheet.ts";
 * const svg = annualReturnsChart(pl.DataFrame({ year: [2023, 2024], return: [0.08, -0.03] })).html;
 * assert.equal(svg.match(/<rect /g)?.length, 2);
 * assert.ok(svg.includes("+8.0%") && svg.includes("-3.0%"));
 * ```
 */
export function annualReturnsChart(
  annual: pl.DataFrame,
  options: { benchmark?: pl.DataFrame | null; benchmarkName?: string | null; title?: string } = {},
): Displayable {
  const data: Record<string, unknown>[] = rows(annual).map((r) => ({ ...r, year: String(r.year) }));
  const bench = options.benchmark
    ? rows(options.benchmark).map((r) => ({ ...r, year: String(r.year) }))
    : [];
  const name = options.benchmarkName ?? "benchmark";
  return plotSvg({
    title: options.title ?? "Annual returns",
    subtitle: bench.length ? `bars: the strategy; black ticks: ${name} bought and held` : undefined,
    height: 280,
    x: { type: "band", label: null, padding: 0.3 },
    y: { grid: true, nice: true, label: "return", tickFormat: "+.0%" },
    marks: [
      Plot.barY(data, {
        x: "year",
        y: "return",
        fill: (d) => ((d.return as number) >= 0 ? INK.gain : INK.loss),
      }),
      ...[-1, 1].map((side) =>
        Plot.text(data.filter((d) => Math.sign(d.return as number || 1) === side), {
          x: "year",
          y: "return",
          text: (d) => formatPct(d.return as number, 1, { sign: true }),
          dy: -9 * side,
          fontSize: 11,
        })
      ),
      ...(bench.length
        ? [Plot.tickY(bench, { x: "year", y: "return", stroke: "#212529", strokeWidth: 2.5 })]
        : []),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Rolling Sharpe ratios over time, one line per window (6 and 12 months by default). A window
 * needs all its days, so each line starts once its first window is full.
 *
 * @param rolling a rolling-Sharpe frame (date, sharpe_6m, sharpe_12m, ...)
 * @param options title
 * @returns the SVG figure
 *
 * @example Two windows, two lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { rollingSharpeChart } from "./tear_sheet.ts";
 * const frame = pl.DataFrame([pl.Series("date", [19724, 19725, 19726]).cast(pl.Date),
 *   pl.Series("sharpe_6m", [null, 0.5, 0.7]), pl.Series("sharpe_12m", [null, null, 0.4])]);
 * const svg = rollingSharpeChart(frame).html;
 * assert.equal(svg.match(/aria-label="line"/g)?.length, 1);
 * assert.ok(svg.includes("6 months") && svg.includes("12 months"));
 * assert.ok(!svg.includes("gaps:"));
 * const gap = pl.DataFrame([pl.Series("date", [19724, 19725, 19726]).cast(pl.Date),
 *   pl.Series("sharpe_6m", [0.5, null, 0.7])]);
 * assert.ok(rollingSharpeChart(gap).html.includes("gaps: windows whose daily returns never varied"));
 * ```
 */
export function rollingSharpeChart(
  rolling: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const windows = rolling.columns.filter((c) => c.startsWith("sharpe_"));
  const names = windows.map((w) => `${w.replace("sharpe_", "").replace("m", "")} months`);
  const records = rows(rolling);
  const data = records.flatMap((r) =>
    windows.map((w, k) => ({ date: r.date, window: names[k], sharpe: r[w] ?? null }))
  );
  // A null after a line has started: a window whose returns never varied (no Sharpe ratio).
  const gaps = windows.some((w) => {
    const first = records.findIndex((r) => r[w] !== null && r[w] !== undefined);
    return first >= 0 && records.slice(first).some((r) => r[w] === null || r[w] === undefined);
  });
  return plotSvg({
    title: options.title ?? "Rolling Sharpe ratio (daily excess returns × √252)",
    subtitle: "each line starts once its trailing window (21 trading days a month) is full" +
      (gaps
        ? "; gaps: windows whose daily returns never varied (no position open), which have none"
        : ""),
    height: 280,
    y: { grid: true, label: "Sharpe", nice: true },
    x: spanAxis(records),
    color: { legend: true, label: "window", domain: names, range: ["#1c7ed6", "#e8590c"] },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, { x: "date", y: "sharpe", stroke: "window", strokeWidth: 1.5 }),
    ],
  });
}

/**
 * The distribution of daily returns as a histogram, with the mean marked.
 *
 * @param histogram a histogram frame (lower, upper, count)
 * @param options title
 * @returns the SVG figure
 *
 * @example One bar per non-empty bin
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { returnHistogramChart } from "./tear_sheet.ts";
 * const h = pl.DataFrame({ lower: [-0.01, 0], upper: [0, 0.01], count: [3, 5] });
 * assert.equal(returnHistogramChart(h).html.match(/<rect /g)?.length, 2);
 * ```
 */
export function returnHistogramChart(
  histogram: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const data = rows(histogram);
  return plotSvg({
    title: options.title ?? "Daily returns",
    subtitle: "days per bin of daily return; dashed: zero",
    height: 260,
    x: { label: "daily return", tickFormat: "+.1%" },
    y: { grid: true, label: "days", nice: true },
    marks: [
      Plot.rectY(data, {
        x1: "lower",
        x2: "upper",
        y: "count",
        fill: (
          d,
        ) => ((d.upper as number) <= 0
          ? INK.loss
          : (d.lower as number) >= 0
          ? INK.gain
          : "#868e96"),
        insetLeft: 0.5,
      }),
      Plot.ruleY([0]),
      Plot.ruleX([0], { stroke: "#212529", strokeDasharray: "3,3" }),
    ],
  });
}

/**
 * Equity over the tradable span, with the underlying bought and held from the same equity and
 * the starting equity as a dashed line; optional grey bands mark stretches to explain (e.g. test
 * windows without a selection, where the equity stays flat).
 *
 * @param returns a daily-returns frame (date, equity)
 * @param options the benchmark frame (date, equity) and its name, shaded stretches and what they
 *   are, title
 * @returns the SVG figure
 *
 * @example The strategy and its benchmark
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { equityChart } from "./tear_sheet.ts";
 * const dates = pl.Series("date", [19724, 19725]).cast(pl.Date);
 * const run = pl.DataFrame([dates, pl.Series("equity", [100000, 100500]), pl.Series("return", [0, 0.005])]);
 * const spy = pl.DataFrame([dates, pl.Series("equity", [100000, 99000])]);
 * const svg = equityChart(run, { benchmark: spy, benchmarkName: "SPY" }).html;
 * assert.ok(svg.includes("SPY bought and held"));
 * ```
 */
export function equityChart(
  returns: pl.DataFrame,
  options: {
    benchmark?: pl.DataFrame | null;
    benchmarkName?: string | null;
    shade?: Shade[];
    shadeLabel?: string;
    title?: string;
  } = {},
): Displayable {
  const held = `${options.benchmarkName ?? "benchmark"} bought and held`;
  const records = rows(returns);
  const base = startingEquity(records);
  const data = [
    ...(options.benchmark
      ? rows(options.benchmark).map((r) => ({ date: r.date, equity: r.equity, series: held }))
      : []),
    ...records.map((r) => ({ date: r.date, equity: r.equity, series: "strategy" })),
  ];
  const shaded = options.shade?.length ? options.shadeLabel ?? "shaded" : null;
  return plotSvg({
    title: options.title ?? "Equity",
    subtitle: [
      `dashed: the starting equity, ${formatMoney(base, 0)}`,
      shaded ? `grey bands: ${shaded}` : "",
    ].filter(Boolean).join("; "),
    height: 320,
    y: { grid: true, label: "equity ($)", tickFormat: "$,.0f", nice: true, inset: 6 },
    x: spanAxis(records),
    color: {
      legend: true,
      label: null,
      domain: options.benchmark ? ["strategy", held] : ["strategy"],
      range: [INK.strategy, INK.benchmark],
    },
    marks: [
      ...shadeMarks(options.shade),
      Plot.ruleY([base], { stroke: "#495057", strokeDasharray: "4,3" }),
      Plot.lineY(data, { x: "date", y: "equity", stroke: "series", strokeWidth: 1.5 }),
    ],
  });
}

/** The equity before the first row: its equity over one plus its return. */
function startingEquity(records: Record<string, unknown>[]): number {
  if (!records.length) return NaN;
  const r = records[0];
  return typeof r.return === "number" ? (r.equity as number) / (1 + r.return) : r.equity as number;
}

/**
 * The same equity figure with Plotly: hover a day for its date (YYYY-MM-DD) and both equities in
 * dollars to the cent.
 *
 * @param returns a daily-returns frame (date, equity, return)
 * @param options the benchmark frame and its name, shaded stretches, title
 * @returns the Plotly figure
 *
 * @example ISO dates and dollars in the hovers
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { equityPlotly } from "./tear_sheet.ts";
 * const dates = pl.Series("date", [19724, 19725]).cast(pl.Date);
 * const run = pl.DataFrame([dates, pl.Series("equity", [100000, 100500]), pl.Series("return", [0, 0.005])]);
 * const fig = equityPlotly(run).html;
 * assert.ok(fig.includes('"x":["2024-01-02","2024-01-03"]'));
 * assert.ok(fig.includes("%{x|%Y-%m-%d}") && fig.includes("$%{y:,.2f}"));
 * ```
 */
export function equityPlotly(
  returns: pl.DataFrame,
  options: {
    benchmark?: pl.DataFrame | null;
    benchmarkName?: string | null;
    shade?: Shade[];
    title?: string;
  } = {},
): Displayable {
  const trace = (frame: pl.DataFrame, name: string, color: string) => {
    const records = rows(frame);
    return {
      type: "scatter",
      mode: "lines",
      name,
      x: records.map((r) => formatDate(r.date as Date)),
      y: records.map((r) => r.equity),
      line: { color, width: 1.5 },
      hovertemplate: `${name}<br>%{x|%Y-%m-%d}: $%{y:,.2f}<extra></extra>`,
    };
  };
  const held = `${options.benchmarkName ?? "benchmark"} bought and held`;
  return plotly([
    ...(options.benchmark ? [trace(options.benchmark, held, INK.benchmark)] : []),
    trace(returns, "strategy", INK.strategy),
  ], {
    title: options.title ?? "Equity (hover for the day's values)",
    height: 420,
    hovermode: "x unified",
    xaxis: { type: "date", hoverformat: "%Y-%m-%d" },
    yaxis: { title: "equity ($)", tickformat: "$,.0f" },
    legend: { orientation: "h", y: -0.15 },
    shapes: (options.shade ?? []).map((s) => ({
      type: "rect",
      xref: "x",
      yref: "paper",
      x0: s.start,
      x1: s.end,
      y0: 0,
      y1: 1,
      fillcolor: "#868e96",
      opacity: 0.15,
      line: { width: 0 },
    })),
  });
}

/**
 * The drawdown (underwater) curve: each day's equity below its running peak, with the deepest
 * point labelled.
 *
 * @param returns a daily-returns frame (date, equity, return)
 * @param options title
 * @returns the SVG figure
 *
 * @example The trough is labelled with its depth and date
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { drawdownChart } from "./tear_sheet.ts";
 * const r = pl.DataFrame([pl.Series("date", [19724, 19725, 19726]).cast(pl.Date),
 *   pl.Series("equity", [101000, 95950, 99000]), pl.Series("return", [0.01, -0.05, 0.0318])]);
 * assert.ok(drawdownChart(r).html.includes("-5.0% on 2024-01-03"));
 * ```
 */
export function drawdownChart(
  returns: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const records = rows(returns);
  let peak = startingEquity(records);
  let worst = { drawdown: 0, date: null as unknown };
  const data = records.map((r) => {
    peak = Math.max(peak, r.equity as number);
    const drawdown = (r.equity as number) / peak - 1;
    if (drawdown < worst.drawdown) worst = { drawdown, date: r.date };
    return { date: r.date, drawdown };
  });
  const label = worst.date === null
    ? []
    : [{ ...worst, text: `${formatPct(worst.drawdown)} on ${formatDate(worst.date as Date)}` }];
  return plotSvg({
    title: options.title ?? "Drawdown: equity below its running peak",
    height: 220,
    // Room under the deepest point for its label, clear of the date axis.
    y: { grid: true, label: "drawdown", tickFormat: ".0%", nice: true, insetBottom: 18 },
    x: spanAxis(records),
    marks: [
      Plot.areaY(data, { x: "date", y: "drawdown", fill: INK.loss, fillOpacity: 0.45 }),
      Plot.ruleY([0]),
      Plot.dot(label, { x: "date", y: "drawdown", fill: "#212529", r: 3 }),
      Plot.text(label, { x: "date", y: "drawdown", text: "text", dy: 12, fontSize: 11 }),
    ],
  });
}

/**
 * Exposure over time: the open positions' risk (sum of max losses) in dollars, and the number
 * of open positions, as two aligned panels.
 *
 * @param exposure an exposure frame (date, open_risk, open_positions)
 * @param options title
 * @returns the two SVG figures in one output
 *
 * @example Two panels
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { exposureChart } from "./tear_sheet.ts";
 * const e = pl.DataFrame([pl.Series("date", [19724, 19725]).cast(pl.Date),
 *   pl.Series("open_risk", [0, 1800]), pl.Series("open_positions", [0, 1])]);
 * assert.equal(exposureChart(e).html.match(/<svg/g)?.length, 2);
 * ```
 */
export function exposureChart(
  exposure: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const data = rows(exposure);
  const x = spanAxis(data);
  const risk = plotSvg({
    title: options.title ?? "Exposure: open risk (the open positions' max losses)",
    height: 200,
    y: { grid: true, label: "open risk ($)", tickFormat: "$,.0f" },
    x,
    marks: [
      Plot.areaY(data, {
        x: "date",
        y: "open_risk",
        curve: "step-after",
        fill: INK.strategy,
        fillOpacity: 0.5,
      }),
      Plot.ruleY([0]),
    ],
  });
  const positions = plotSvg({
    title: "Open positions",
    height: 170,
    y: { grid: true, label: "positions", tickFormat: "d" },
    x,
    marks: [
      Plot.lineY(data, { x: "date", y: "open_positions", curve: "step-after", stroke: "#343a40" }),
      Plot.ruleY([0]),
    ],
  });
  return html(risk.html + positions.html);
}

/**
 * The worst drawdowns as a table: start, trough, recovery (or "not recovered"), depth in
 * percent, the peak's equity, trading days under water.
 *
 * @param drawdowns a drawdowns frame (rank, start, trough, recovery, depth, peak_equity, days)
 * @returns an HTML table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { drawdownsTable } from "./tear_sheet.ts";
 * const d = pl.DataFrame([pl.Series("rank", [1]), pl.Series("start", [19724]).cast(pl.Date),
 *   pl.Series("trough", [19730]).cast(pl.Date), pl.Series("recovery", [null]).cast(pl.Int32).cast(pl.Date),
 *   pl.Series("depth", [-0.0523]), pl.Series("peak_equity", [100212.14]), pl.Series("days", [12])]);
 * const t = drawdownsTable(d).html;
 * assert.ok(t.includes("2024-01-02") && t.includes("-5.2%") && t.includes("not recovered"));
 * assert.ok(t.includes("$100,212.14"));
 * ```
 */
export function drawdownsTable(drawdowns: pl.DataFrame): Displayable {
  return table(drawdowns, {
    caption: "Worst drawdowns: from the first day below a peak to the first day back at it",
    formats: {
      start: "date",
      trough: "date",
      recovery: (v) => (v instanceof Date ? formatDate(v) : "not recovered"),
      depth: "pct",
      peak_equity: "money",
      days: "int",
    },
    labels: { rank: "#", peak_equity: "peak equity", days: "trading days under water" },
  });
}

/**
 * P&L by exit reason, in pnl_pct (P&L over max loss, comparable across position sizes): each
 * reason's trades as a box plot (quartiles, whiskers, outliers) with its mean as a dot, labelled
 * with the trade count, the mean and the total P&L in dollars.
 *
 * @param exitReasons an exit-reason frame (exit_reason, trades, total_pnl, mean_pnl_pct)
 * @param trades the trade log (exit_reason, pnl_pct) for the boxes
 * @param options title
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { exitReasonChart } from "./tear_sheet.ts";
 * const trades = pl.DataFrame({ exit_reason: ["profit_target", "profit_target", "stop_loss"],
 *   pnl: [100, 120.5, -3000.25], pnl_pct: [0.2, 0.25, -0.6] });
 * const f = pl.DataFrame({ exit_reason: ["profit_target", "stop_loss"], trades: [2, 1],
 *   total_pnl: [220.5, -3000.25], mean_pnl_pct: [0.225, -0.6] });
 * const svg = exitReasonChart(f, trades).html;
 * assert.ok(svg.includes("1 trade · mean -60.0% · -$3,000.25"));
 * ```
 */
export function exitReasonChart(
  exitReasons: pl.DataFrame,
  trades: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const summary: Record<string, unknown>[] = rows(exitReasons).map((r) => ({
    ...r,
    label: `${r.trades} trade${r.trades === 1 ? "" : "s"} · mean ${
      formatPct(r.mean_pnl_pct as number)
    } · ${formatMoney(r.total_pnl as number)}`,
  }));
  const reasons = summary.map((d) => d.exit_reason as string);
  const points = rows(trades.select("exit_reason", "pnl_pct"));
  return plotSvg({
    title: options.title ?? "P&L by exit reason, as a share of max loss (pnl_pct)",
    subtitle: "boxes: quartiles and whiskers of the trades' pnl_pct; black dots: the means",
    height: 70 + 56 * Math.max(1, reasons.length),
    marginLeft: 110,
    marginRight: 260,
    x: { grid: true, label: "pnl_pct", tickFormat: "+.0%", nice: true },
    y: { domain: reasons, label: null },
    color: { ...exitReasonScale(reasons), legend: false },
    marks: [
      Plot.ruleX([0]),
      Plot.boxX(points, { x: "pnl_pct", y: "exit_reason", fill: "exit_reason", r: 2 }),
      Plot.dot(summary, { x: "mean_pnl_pct", y: "exit_reason", fill: "#212529", r: 4 }),
      Plot.text(summary, {
        y: "exit_reason",
        frameAnchor: "right",
        dx: 255,
        text: "label",
        textAnchor: "end",
        fontSize: 11,
      }),
    ],
  });
}

/**
 * P&L against an entry variable: each trade's pnl_pct as a dot coloured by its exit reason, and
 * each bucket's mean as a horizontal segment across the bucket (open-ended buckets span the
 * trades' range).
 *
 * @param trades a trade log (pnl_pct, exit_reason and the column)
 * @param buckets the column's bucket frame (lower, upper, mean_pnl_pct; see pnlByBucketFrame)
 * @param column the column, e.g. "vix_at_entry"
 * @param options axis label and title
 * @returns the SVG figure
 *
 * @example Dots and bucket means
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { pnlByBucketFrame } from "../output/trade_analytics.ts";
 * import { pnlScatterChart } from "./tear_sheet.ts";
 * const trades = pl.DataFrame({ dte_at_entry: [25, 29, 30, 44], pnl: [10, 20, 30, 40],
 *   pnl_pct: [0.1, 0.2, 0.3, 0.4], exit_reason: ["profit_target", "profit_target", "stop_loss", "time_exit"] });
 * const buckets = pnlByBucketFrame(trades, "dte_at_entry", { edges: [30] });
 * const svg = pnlScatterChart(trades, buckets, "dte_at_entry").html;
 * assert.equal(svg.match(/<circle /g)?.length, 4);
 * ```
 */
export function pnlScatterChart(
  trades: pl.DataFrame,
  buckets: pl.DataFrame,
  column: string,
  options: { label?: string; title?: string } = {},
): Displayable {
  const dots = rows(trades.select(column, "pnl_pct", "exit_reason")).filter((r) =>
    typeof r[column] === "number" && Number.isFinite(r[column] as number)
  );
  const xs = dots.map((r) => r[column] as number);
  const lo = xs.length ? Math.min(...xs) : 0;
  const hi = xs.length ? Math.max(...xs) : 1;
  const segments = rows(buckets).filter((b) => b.bucket !== "unknown").map((b) => ({
    x1: b.lower ?? lo,
    x2: b.upper ?? hi,
    y: b.mean_pnl_pct,
  }));
  const label = options.label ?? column;
  return plotSvg({
    title: options.title ?? `P&L over max loss against ${label}`,
    subtitle: "dots: trades, by exit reason; black segments: each bucket's mean",
    height: 300,
    x: { label, grid: true, nice: true },
    y: { label: "pnl_pct", grid: true, tickFormat: "+.0%", nice: true },
    color: exitReasonScale(dots.map((d) => d.exit_reason as string)),
    marks: [
      Plot.ruleY([0]),
      Plot.dot(dots, { x: column, y: "pnl_pct", r: 2.5, fill: "exit_reason", fillOpacity: 0.6 }),
      Plot.ruleY(segments, { x1: "x1", x2: "x2", y: "y", stroke: "#212529", strokeWidth: 3 }),
    ],
  });
}

/** Options of {@link tearSheetFigures}. */
export interface TearSheetFigureOptions {
  /** Draw the equity figure with Plotly (hover for values) instead of as SVG (default false). */
  interactive?: boolean;
  /** Stretches to shade on the equity figure, and what they are. */
  shade?: Shade[];
  /** What the shaded stretches are (e.g. "test windows without a selection"). */
  shadeLabel?: string;
}

/**
 * The figures and tables of a tear sheet, by name. The keys come in reading order, so
 * `Object.values(figures)` shows them all in that order.
 */
export interface TearSheetFigures {
  /** Equity against the underlying bought and held (Plotly when `interactive`). */
  equity: Displayable;
  /** The drawdown (underwater) curve. */
  drawdown: Displayable;
  /** The monthly-returns heat map. */
  monthlyReturns: Displayable;
  /** Annual returns, with the benchmark's. */
  annualReturns: Displayable;
  /** Rolling Sharpe ratios (6 and 12 months). */
  rollingSharpe: Displayable;
  /** The distribution of daily returns. */
  returnDistribution: Displayable;
  /** The worst drawdowns, as a table. */
  worstDrawdowns: Displayable;
  /** Open risk and open positions over time. */
  exposure: Displayable;
  /** pnl_pct by exit reason. */
  exitReasons: Displayable;
  /** pnl_pct against the position's delta at entry. */
  pnlByDelta: Displayable;
  /** pnl_pct against the VIX at entry. */
  pnlByVix: Displayable;
  /** pnl_pct against the IV percentile at entry. */
  pnlByIvRank: Displayable;
  /** pnl_pct against DTE at entry. */
  pnlByDte: Displayable;
}

/**
 * Every figure of a tear sheet, by name, in reading order: equity against the benchmark,
 * drawdown, monthly returns, annual returns (with the benchmark's), rolling Sharpe, the return
 * distribution, the worst drawdowns, exposure, P&L by exit reason, and P&L against delta, VIX,
 * IV rank and DTE at entry.
 *
 * @param sheet the tear sheet's frames (see tearSheet)
 * @param trades the run's trade log
 * @param options the equity figure interactive, shaded stretches
 * @returns the figures and tables by name, to pass to show()
 *
 * @example Thirteen named outputs
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest, tearSheet } from "../mod.ts";
 * import { tearSheetFigures } from "./tear_sheet.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml"));
 * const figures = tearSheetFigures(tearSheet(run, { store }), run.trades);
 * assert.equal(Object.keys(figures).length, 13);
 * assert.match(figures.monthlyReturns.html, /Monthly returns/);
 * assert.match(figures.worstDrawdowns.html, /<table/);
 * assert.ok(Object.values(figures).every((f) => !/NaN|undefined|\[object Object\]/.test(f.html)));
 * ```
 */
export function tearSheetFigures(
  sheet: TearSheet,
  trades: pl.DataFrame,
  options: TearSheetFigureOptions = {},
): TearSheetFigures {
  const bench = { benchmark: sheet.benchmark, benchmarkName: sheet.benchmarkName };
  const equity = options.interactive
    ? equityPlotly(sheet.returns, { ...bench, shade: options.shade })
    : equityChart(sheet.returns, {
      ...bench,
      shade: options.shade,
      shadeLabel: options.shadeLabel,
    });
  const byEntry = (frame: pl.DataFrame, column: string, label: string) =>
    pnlScatterChart(trades, frame, column, { label });
  return {
    equity,
    drawdown: drawdownChart(sheet.returns),
    monthlyReturns: monthlyReturnsHeatmap(sheet.monthly),
    annualReturns: annualReturnsChart(sheet.annual, {
      benchmark: sheet.benchmarkAnnual,
      benchmarkName: sheet.benchmarkName,
    }),
    rollingSharpe: rollingSharpeChart(sheet.rollingSharpe),
    returnDistribution: returnHistogramChart(sheet.histogram),
    worstDrawdowns: drawdownsTable(sheet.drawdowns),
    exposure: exposureChart(sheet.exposure),
    exitReasons: exitReasonChart(sheet.exitReasons, trades),
    pnlByDelta: byEntry(sheet.byDelta, "delta_at_entry", "position delta at entry"),
    pnlByVix: byEntry(sheet.byVix, "vix_at_entry", "VIX at entry"),
    pnlByIvRank: byEntry(sheet.byIvRank, "iv_rank_at_entry", "IV rank at entry"),
    pnlByDte: byEntry(sheet.byDte, "dte_at_entry", "DTE at entry"),
  };
}
