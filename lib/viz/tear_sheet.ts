/**
 * Tear-sheet figures (Observable Plot, static SVG) drawn from the frames of lib/output's
 * tear sheet: the monthly-returns heat map, annual returns, rolling Sharpe, the return
 * distribution, equity against the underlying bought and held, exposure over time, the worst
 * drawdowns as a table, and the trade analytics (P&L by exit reason, P&L against an entry
 * variable with bucketed means). Percentages are shown as percentages, money in dollars, dates
 * as dates.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { TearSheet } from "../output/tear_sheet_frames.ts";
import { type Displayable, escapeHtml, html } from "./display.ts";
import { Plot, plotSvg } from "./plot.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A fraction as a percentage with one decimal, e.g. "-12.3%" (never "-0.0%"). */
function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  const text = (100 * x).toFixed(1);
  return `${text === "-0.0" ? "0.0" : text}%`;
}

/** Rows of a frame as plain records. */
function rows(frame: pl.DataFrame): Record<string, unknown>[] {
  return frame.toRecords() as Record<string, unknown>[];
}

/** The largest absolute value of a column (for symmetric colour scales), at least 1e-9. */
function maxAbs(records: Record<string, unknown>[], key: string): number {
  return records.reduce((m, r) => Math.max(m, Math.abs(Number(r[key]) || 0)), 1e-9);
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
    height: 40 + 28 * Math.max(1, years.length),
    marginLeft: 48,
    padding: 0.05,
    x: { domain: MONTHS, label: null, axis: "top" },
    y: { domain: years, label: null, tickFormat: (y: number) => String(y) },
    color: { type: "diverging", scheme: "RdYlGn", domain: [-extent, extent], pivot: 0 },
    marks: [
      Plot.cell(data, { x: "name", y: "year", fill: "return", inset: 0.5 }),
      Plot.text(data, { x: "name", y: "year", text: (d) => pct(d.return as number), fontSize: 10 }),
    ],
  });
}

/**
 * Annual returns as bars (green gains, red losses), with the benchmark's as ticks when given.
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
 * ```
 */
export function annualReturnsChart(
  annual: pl.DataFrame,
  options: { benchmark?: pl.DataFrame; benchmarkName?: string; title?: string } = {},
): Displayable {
  const data = rows(annual).map((r) => ({ ...r, year: String(r.year) }));
  const bench = options.benchmark
    ? rows(options.benchmark).map((r) => ({ ...r, year: String(r.year) }))
    : [];
  return plotSvg({
    title: options.title ??
      `Annual returns${bench.length ? ` (ticks: ${options.benchmarkName ?? "benchmark"})` : ""}`,
    height: 260,
    x: { type: "band", label: null },
    y: { grid: true, nice: true, label: "return", tickFormat: "+.0%" },
    marks: [
      Plot.barY(data, {
        x: "year",
        y: "return",
        fill: (d) => ((d.return as number) >= 0 ? "#2ca02c" : "#d62728"),
      }),
      ...(bench.length
        ? [Plot.tickY(bench, { x: "year", y: "return", stroke: "#333", strokeWidth: 2 })]
        : []),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Rolling Sharpe ratios over time, one line per window (6 and 12 months by default).
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
 * ```
 */
export function rollingSharpeChart(
  rolling: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const windows = rolling.columns.filter((c) => c.startsWith("sharpe_"));
  const names = windows.map((w) => `${w.replace("sharpe_", "").replace("m", "")} months`);
  const data = rows(rolling).flatMap((r) =>
    windows.map((w, k) => ({ date: r.date, window: names[k], sharpe: r[w] ?? null }))
  );
  return plotSvg({
    title: options.title ?? "Rolling Sharpe ratio (daily excess returns × √252)",
    height: 260,
    y: { grid: true, label: "Sharpe" },
    x: { label: null },
    color: { legend: true, label: "window", domain: names },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(data, {
        x: "date",
        y: "sharpe",
        stroke: "window",
      }),
    ],
  });
}

/**
 * The distribution of daily returns as a histogram.
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
  return plotSvg({
    title: options.title ?? "Daily returns",
    height: 240,
    x: { label: "daily return", tickFormat: "+.1%" },
    y: { grid: true, label: "days" },
    marks: [
      Plot.rectY(rows(histogram), {
        x1: "lower",
        x2: "upper",
        y: "count",
        fill: "#4c78a8",
        insetLeft: 0.5,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * Equity over the tradable span, with the underlying bought and held with the same equity.
 *
 * @param returns a daily-returns frame (date, equity)
 * @param options the benchmark frame (date, equity) and its name, title
 * @returns the SVG figure
 *
 * @example The strategy and its benchmark
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { equityChart } from "./tear_sheet.ts";
 * const dates = pl.Series("date", [19724, 19725]).cast(pl.Date);
 * const run = pl.DataFrame([dates, pl.Series("equity", [100000, 100500])]);
 * const spy = pl.DataFrame([dates, pl.Series("equity", [100000, 99000])]);
 * const svg = equityChart(run, { benchmark: spy, benchmarkName: "SPY" }).html;
 * assert.ok(svg.includes("SPY bought and held"));
 * ```
 */
export function equityChart(
  returns: pl.DataFrame,
  options: { benchmark?: pl.DataFrame | null; benchmarkName?: string | null; title?: string } = {},
): Displayable {
  const held = `${options.benchmarkName ?? "benchmark"} bought and held`;
  const data = [
    ...rows(returns).map((r) => ({ date: r.date, equity: r.equity, series: "strategy" })),
    ...(options.benchmark
      ? rows(options.benchmark).map((r) => ({ date: r.date, equity: r.equity, series: held }))
      : []),
  ];
  return plotSvg({
    title: options.title ?? "Equity",
    height: 300,
    y: { grid: true, label: "equity ($)" },
    x: { label: null },
    color: {
      legend: true,
      label: null,
      domain: options.benchmark ? ["strategy", held] : ["strategy"],
      range: ["#1f5fa8", "#aaaaaa"],
    },
    marks: [Plot.lineY(data, { x: "date", y: "equity", stroke: "series" })],
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
  const risk = plotSvg({
    title: options.title ?? "Exposure: open risk (the open positions' max losses)",
    height: 200,
    y: { grid: true, label: "open risk ($)" },
    x: { label: null },
    marks: [
      Plot.areaY(data, { x: "date", y: "open_risk", fill: "#4c78a8", fillOpacity: 0.6 }),
      Plot.ruleY([0]),
    ],
  });
  const positions = plotSvg({
    title: "Open positions",
    height: 180,
    y: { grid: true, label: "open positions" },
    x: { label: null },
    marks: [
      Plot.lineY(data, { x: "date", y: "open_positions", curve: "step-after", stroke: "#333" }),
      Plot.ruleY([0]),
    ],
  });
  return html(risk.html + positions.html);
}

/**
 * The worst drawdowns as a table: start, trough, recovery (or "not recovered"), depth in
 * percent, trading days under water.
 *
 * @param drawdowns a drawdowns frame (rank, start, trough, recovery, depth, days)
 * @returns an HTML table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { drawdownsTable } from "./tear_sheet.ts";
 * const d = pl.DataFrame([pl.Series("rank", [1]), pl.Series("start", [19724]).cast(pl.Date),
 *   pl.Series("trough", [19730]).cast(pl.Date), pl.Series("recovery", [null]).cast(pl.Int32).cast(pl.Date),
 *   pl.Series("depth", [-0.0523]), pl.Series("days", [12])]);
 * const t = drawdownsTable(d).html;
 * assert.ok(t.includes("2024-01-02") && t.includes("-5.2%") && t.includes("not recovered"));
 * ```
 */
export function drawdownsTable(drawdowns: pl.DataFrame): Displayable {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : "not recovered");
  const body = rows(drawdowns).map((r) =>
    `<tr><td>${r.rank}</td><td>${iso(r.start)}</td><td>${iso(r.trough)}</td><td>${
      escapeHtml(iso(r.recovery))
    }</td><td>${pct(r.depth as number)}</td><td>${r.days}</td></tr>`
  ).join("");
  return html(
    `<table class="mahler-table"><caption>Worst drawdowns</caption><thead><tr><th>#</th>` +
      `<th>start</th><th>trough</th><th>recovery</th><th>depth</th><th>trading days</th>` +
      `</tr></thead><tbody>${body}</tbody></table>`,
  );
}

/**
 * P&L by exit reason: the mean pnl_pct (P&L over max loss) of each reason's trades as bars,
 * labelled with the trade count and the total P&L in dollars.
 *
 * @param exitReasons an exit-reason frame (exit_reason, trades, total_pnl, mean_pnl_pct)
 * @param options title
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { exitReasonChart } from "./tear_sheet.ts";
 * const f = pl.DataFrame({ exit_reason: ["profit_target", "stop_loss"], trades: [20, 5],
 *   total_pnl: [4000.5, -3000.25], mean_pnl_pct: [0.2, -0.6] });
 * const svg = exitReasonChart(f).html;
 * assert.equal(svg.match(/<rect /g)?.length, 2);
 * assert.ok(svg.includes("5 trades, -$3,000.25"));
 * ```
 */
export function exitReasonChart(
  exitReasons: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const money = (x: number) =>
    `${x < 0 ? "-" : ""}$${
      Math.abs(x).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    }`;
  const data: Record<string, unknown>[] = rows(exitReasons).map((r) => ({
    ...r,
    label: `${r.trades} trades, ${money(r.total_pnl as number)}`,
  }));
  return plotSvg({
    title: options.title ?? "P&L by exit reason: mean P&L over max loss",
    height: 60 + 40 * Math.max(1, data.length),
    marginLeft: 110,
    marginRight: 150,
    x: { grid: true, label: "mean pnl_pct", tickFormat: "+.0%" },
    y: { domain: data.map((d) => d.exit_reason as string), label: null },
    marks: [
      Plot.barX(data, {
        y: "exit_reason",
        x: "mean_pnl_pct",
        fill: (d) => ((d.mean_pnl_pct as number) >= 0 ? "#2ca02c" : "#d62728"),
      }),
      Plot.text(data, {
        y: "exit_reason",
        frameAnchor: "right",
        dx: 145,
        text: "label",
        textAnchor: "end",
      }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * P&L against an entry variable: each trade's pnl_pct as a dot, and each bucket's mean as a
 * horizontal segment across the bucket (open-ended buckets span the trades' range).
 *
 * @param trades a trade log (pnl_pct and the column)
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
 *   pnl_pct: [0.1, 0.2, 0.3, 0.4] });
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
  const dots = rows(trades.select(column, "pnl_pct")).filter((r) =>
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
    title: options.title ?? `P&L over max loss against ${label} (segments: bucket means)`,
    height: 260,
    x: { label, grid: true },
    y: { label: "pnl_pct", grid: true, tickFormat: "+.0%" },
    marks: [
      Plot.ruleY([0]),
      Plot.dot(dots, { x: column, y: "pnl_pct", r: 2, fill: "#4c78a8", fillOpacity: 0.5 }),
      Plot.ruleY(segments, { x1: "x1", x2: "x2", y: "y", stroke: "#d62728", strokeWidth: 3 }),
    ],
  });
}

/**
 * Every figure of a tear sheet, in reading order: equity against the benchmark, monthly
 * returns, annual returns, rolling Sharpe, the return distribution, the worst drawdowns,
 * exposure, P&L by exit reason, and P&L against delta, VIX, IV rank and DTE at entry.
 *
 * @param sheet the tear sheet's frames (see tearSheet)
 * @param trades the run's trade log
 * @returns the figures and tables, to pass to show()
 *
 * @example Twelve outputs
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData, runBacktest, tearSheet } from "../mod.ts";
 * import { tearSheetFigures } from "./tear_sheet.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const run = runBacktest(store, loadConfig("config/test_config.toml"));
 * const figures = tearSheetFigures(tearSheet(run, { store }), run.trades);
 * assert.equal(figures.length, 12);
 * assert.ok(figures.every((f) => !/NaN|undefined|\[object Object\]/.test(f.html)));
 * ```
 */
export function tearSheetFigures(sheet: TearSheet, trades: pl.DataFrame): Displayable[] {
  return [
    equityChart(sheet.returns, { benchmark: sheet.benchmark, benchmarkName: sheet.benchmarkName }),
    monthlyReturnsHeatmap(sheet.monthly),
    annualReturnsChart(sheet.annual),
    rollingSharpeChart(sheet.rollingSharpe),
    returnHistogramChart(sheet.histogram),
    drawdownsTable(sheet.drawdowns),
    exposureChart(sheet.exposure),
    exitReasonChart(sheet.exitReasons),
    pnlScatterChart(trades, sheet.byDelta, "delta_at_entry", { label: "position delta at entry" }),
    pnlScatterChart(trades, sheet.byVix, "vix_at_entry", { label: "VIX at entry" }),
    pnlScatterChart(trades, sheet.byIvRank, "iv_rank_at_entry", { label: "IV rank at entry" }),
    pnlScatterChart(trades, sheet.byDte, "dte_at_entry", { label: "DTE at entry" }),
  ];
}
