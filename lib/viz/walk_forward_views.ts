/**
 * The walk-forward notebook's figures, tables and sentences: the chosen combination's Sharpe in
 * each period's three windows, the grid's training Sharpe as a heat map (never-trading cells
 * drawn and counted), the chosen values over time with the periods without a selection marked,
 * parameter stability, alpha decay, the PBO logits, the walk-forward efficiency per period and
 * the verdict with its guards, and the worker pool's runs.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { WalkForwardResult } from "../walkforward/assemble.ts";
import { NEAR_ZERO_TRAIN_SHARPE } from "../walkforward/efficiency.ts";
import { type Displayable, html, table } from "./display.ts";
import { formatNumber, formatPct } from "./format.ts";
import { WINDOW_COLORS } from "./palette.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";

type Row = Record<string, unknown>;

/** Records of a frame. */
function recordsOf(frame: pl.DataFrame): Row[] {
  return frame.toRecords() as Row[];
}

/** A number with 2 decimals, or "none". */
function two(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "none" : formatNumber(x, 2);
}

/**
 * The periods without a selection, as shaded test windows; consecutive ones make one span, so
 * that the shading has no seams between them.
 */
function noSelectionSpans(periods: Row[]): Row[] {
  const spans: Row[] = [];
  let previous = false;
  for (const p of periods) {
    const none = p.selection !== "chosen";
    const last = spans[spans.length - 1];
    if (none && previous && last && (p.test_end as Date) > (last.x2 as Date)) last.x2 = p.test_end;
    else if (none && !previous) spans.push({ x1: p.test_start, x2: p.test_end });
    previous = none;
  }
  return spans;
}

/**
 * The chosen combination's Sharpe in each period's training, validation and test windows, one
 * dot per window and period (no line bridges a period without a value), the test windows
 * without a selection shaded; the subtitle counts the periods without a selection and the
 * windows without trades (no Sharpe).
 *
 * @param periods the periods frame of walkForwardFrames
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { windowSharpeChart } from "./walk_forward_views.ts";
 * const d = (s: string) => new Date(s);
 * const periods = pl.DataFrame({ period: [0, 1], test_start: [d("2020-01-02"), d("2020-02-03")],
 *   test_end: [d("2020-01-31"), d("2020-02-28")], selection: ["chosen", "no selection"],
 *   train_sharpe: [1.2, null], validate_sharpe: [0.8, null], test_sharpe: [-0.3, null] });
 * const svg = windowSharpeChart(periods).html;
 * assert.ok(svg.includes("1 of 2 periods without a selection"));
 * ```
 */
export function windowSharpeChart(periods: pl.DataFrame): Displayable {
  const rows = recordsOf(periods);
  const points = rows.flatMap((p) =>
    (["train", "validate", "test"] as const).map((w) => ({
      date: p.test_start,
      window: w,
      sharpe: p[`${w}_sharpe`] as number | null,
    }))
  ).filter((r) => r.sharpe !== null && Number.isFinite(r.sharpe));
  const none = noSelectionSpans(rows);
  const chosen = rows.filter((p) => p.selection === "chosen");
  const noTest = chosen.filter((p) => p.test_sharpe === null).length;
  return plotSvg({
    title: "The chosen combination's Sharpe in each window, by test month",
    subtitle: `${none.length} of ${rows.length} periods without a selection (shaded: no ` +
      `combination traded in training); ${noTest} chosen combinations without a test trade ` +
      `(no test Sharpe)`,
    height: 340,
    marginTop: 24,
    x: timeAxis(rows[0].test_start as Date, rows[rows.length - 1].test_end as Date),
    y: { grid: true, label: "Sharpe (annualized)", nice: true, inset: 8 },
    color: {
      domain: ["train", "validate", "test"],
      range: ["train", "validate", "test"].map((w) => WINDOW_COLORS[w]),
      legend: true,
      label: "window",
    },
    marks: [
      Plot.rectX(none, { x1: "x1", x2: "x2", fill: "#868e96", fillOpacity: 0.18, clip: true }),
      Plot.ruleY([0]),
      // Side by side within the period (train left, test right), so that equal values stay visible.
      ...(["train", "validate", "test"] as const).map((w, k) =>
        Plot.dot(points.filter((p) => p.window === w), {
          x: "date",
          y: "sharpe",
          fill: "window",
          r: 3,
          dx: 4 * (k - 1),
        })
      ),
    ],
  });
}

/**
 * The grid's mean training Sharpe as a heat map over two keys: every cell drawn, those whose
 * combinations never traded in training grey and labelled "never traded"; the subtitle counts
 * them.
 *
 * @param heat the frame of gridHeatFrame
 * @param rows the key down the rows
 * @param columns the key across
 * @param labels readable names of the two keys
 * @returns the figure
 *
 * @example A never-trading cell is drawn and labelled
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { gridHeatmap } from "./walk_forward_views.ts";
 * const heat = pl.DataFrame({ d: [0.1, 0.2], t: [0.5, 0.5], mean_train_sharpe: [1.5, null],
 *   combinations: [2, 2], trading: [2, 0] });
 * const svg = gridHeatmap(heat, "d", "t").html;
 * assert.ok(svg.includes("never traded") && svg.includes("1 of 2 cells"));
 * ```
 */
export function gridHeatmap(
  heat: pl.DataFrame,
  rows: string,
  columns: string,
  labels: { rows?: string; columns?: string } = {},
): Displayable {
  const text = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : String(v));
  const cells: Row[] = recordsOf(heat).map((r) => ({
    ...r,
    row: text(r[rows]),
    col: text(r[columns]),
  }));
  const blank = cells.filter((c) => c.mean_train_sharpe === null);
  const values = cells.map((c) => c.mean_train_sharpe).filter((v) => v !== null) as number[];
  const extent = Math.max(0.1, ...values.map(Math.abs));
  return plotSvg({
    title: `Mean training Sharpe by ${labels.rows ?? rows} and ${labels.columns ?? columns}`,
    subtitle: `${blank.length} of ${cells.length} cells hold only combinations that never ` +
      `traded in any training window (grey): they have no Sharpe`,
    height: 70 + 46 * new Set(cells.map((c) => c.row)).size,
    marginLeft: 90,
    x: { label: labels.columns ?? columns, type: "band" },
    y: { label: labels.rows ?? rows, type: "band" },
    color: {
      type: "quantize",
      n: 6,
      scheme: "RdYlGn",
      domain: [-extent, extent],
      legend: true,
      label: "mean training Sharpe",
      tickFormat: ".2f",
    },
    marks: [
      Plot.cell(blank, { x: "col", y: "row", fill: "#dee2e6" }),
      Plot.cell(cells.filter((c) => c.mean_train_sharpe !== null), {
        x: "col",
        y: "row",
        fill: "mean_train_sharpe",
      }),
      Plot.text(cells, {
        x: "col",
        y: "row",
        text: (d: Row) =>
          d.mean_train_sharpe === null
            ? "never traded"
            : formatNumber(d.mean_train_sharpe as number, 2),
        fill: "#212529",
        fontSize: 12,
      }),
    ],
  });
}

/**
 * The chosen value of each grid key over time: one panel per key, one dot per period with a
 * selection, the test windows without a selection shaded (nothing is chosen there).
 *
 * @param periods the periods frame of walkForwardFrames
 * @param keys the grid keys
 * @param labels readable names of the keys
 * @returns the panels
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { chosenValuesChart } from "./walk_forward_views.ts";
 * const d = (s: string) => new Date(s);
 * const periods = pl.DataFrame({ test_start: [d("2020-01-02"), d("2020-02-03")],
 *   test_end: [d("2020-01-31"), d("2020-02-28")], selection: ["chosen", "no selection"],
 *   short_delta: [0.12, null] });
 * assert.ok(chosenValuesChart(periods, ["short_delta"]).html.includes("short_delta"));
 * ```
 */
export function chosenValuesChart(
  periods: pl.DataFrame,
  keys: string[],
  labels: Record<string, string> = {},
): Displayable {
  const rows = recordsOf(periods);
  const none = noSelectionSpans(rows);
  const x = timeAxis(rows[0].test_start as Date, rows[rows.length - 1].test_end as Date);
  const panels = keys.map((k, i) => {
    const chosen = rows.filter((p) => p[k] !== null).map((p) => ({ date: p.test_start, v: p[k] }));
    const numeric = chosen.every((c) => typeof c.v === "number");
    const domain = [...new Set(chosen.map((c) => c.v))].sort((a, b) =>
      numeric ? (a as number) - (b as number) : String(a).localeCompare(String(b))
    );
    return plotSvg({
      ...(i === 0
        ? {
          title: "The chosen values over time",
          subtitle: "one dot per period with a selection; shaded: test windows without one",
        }
        : {}),
      height: i === keys.length - 1 ? 40 + 26 * domain.length + 30 : 30 + 26 * domain.length,
      marginBottom: i === keys.length - 1 ? 30 : 6,
      marginLeft: 110,
      x: { ...x, axis: i === keys.length - 1 ? "bottom" : null },
      y: {
        type: "point",
        domain: domain.map(String),
        reverse: numeric,
        label: labels[k] ?? k,
        grid: true,
      },
      marks: [
        Plot.rectX(none, { x1: "x1", x2: "x2", fill: "#868e96", fillOpacity: 0.18, clip: true }),
        Plot.dot(chosen, { x: "date", y: (d: Row) => String(d.v), fill: "#1c7ed6", r: 3 }),
      ],
    }).html;
  });
  return html(panels.join(""));
}

/**
 * Parameter stability as a table: changes between consecutive selections, the change rate as
 * a percentage, the value chosen most often, and each value's count.
 *
 * @param stability the stability frame of walkForwardFrames
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { stabilityTable } from "./walk_forward_views.ts";
 * const s = pl.DataFrame({ parameter: ["short_delta"], changes: [12], change_rate: [0.2857],
 *   mode: ["0.18"], distribution: ["0.18 ×30, 0.15 ×12"] });
 * const t = stabilityTable(s).html;
 * assert.ok(t.includes("28.6%") && t.includes("0.18 ×30"));
 * ```
 */
export function stabilityTable(stability: pl.DataFrame): Displayable {
  return table(stability, {
    caption: "Parameter stability between consecutive selections (periods without one skipped)",
    formats: { changes: "int", change_rate: "pct" },
    labels: {
      change_rate: "change rate",
      mode: "most chosen",
      distribution: "chosen values (times chosen)",
    },
  });
}

/**
 * Test Sharpe by period with its least-squares line (alpha decay), the fit in the subtitle.
 *
 * @param periods the periods frame of walkForwardFrames
 * @param decay the walk-forward's alpha decay (aggregate.alpha_decay)
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { decayChart } from "./walk_forward_views.ts";
 * const periods = pl.DataFrame({ period: [0, 1, 2], test_sharpe: [1, null, 0] });
 * const svg = decayChart(periods, { slope: -0.5, intercept: 1, r_squared: 1, half_life: 1 }).html;
 * assert.ok(svg.includes("dashed: the fit, slope -0.50"));
 * ```
 */
export function decayChart(
  periods: pl.DataFrame,
  decay: {
    slope: number | null;
    intercept: number | null;
    r_squared: number | null;
    half_life: number | null;
  },
): Displayable {
  const rows = recordsOf(periods).filter((r) => r.test_sharpe !== null);
  const all = recordsOf(periods).map((r) => r.period as number);
  const last = Math.max(...all);
  const first = Math.min(...all);
  const line = decay.slope === null || decay.intercept === null ? [] : [
    [first, decay.intercept + decay.slope * first],
    [last, decay.intercept + decay.slope * last],
  ];
  return plotSvg({
    title: "Test Sharpe by period, with its least-squares line",
    subtitle:
      `dashed: the fit, slope ${two(decay.slope)} a period, R² ${
        two(decay.r_squared)
      }, half-life ` +
      `${
        decay.half_life === null
          ? "none (the fit does not decay to half)"
          : `${two(decay.half_life)} periods`
      }; ` +
      `${rows.length} of ${all.length} periods have a test Sharpe`,
    height: 300,
    x: { label: "period", nice: true },
    y: { grid: true, label: "test Sharpe", nice: true, inset: 8 },
    marks: [
      Plot.ruleY([0]),
      Plot.dot(rows, { x: "period", y: "test_sharpe", fill: WINDOW_COLORS.test, r: 3 }),
      Plot.line(line, { stroke: "#e8590c", strokeWidth: 2, strokeDasharray: "6,4" }),
    ],
  });
}

/**
 * The PBO logits as a histogram whose bins meet at 0 (so no bin straddles it): red at or below
 * 0 (the in-sample winner at or below the out-of-sample median), green above; the title states
 * PBO, the trial set and the tie rule.
 *
 * @param wf the walk-forward (its pbo and trials)
 * @returns the figure, or a sentence when there is no PBO
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pboChart } from "./walk_forward_views.ts";
 * const wf = { pbo: { pbo: 0.5, logits: [-1, -0.2, 0.3, 1.1], splits: 4, blocks: 4, strategies: 3,
 *   tiedSplits: 0, pboTiesLow: 0.5, pboTiesHigh: 0.5 } };
 * assert.ok(pboChart(wf as never).html.includes("PBO 50.0%"));
 * ```
 */
export function pboChart(wf: Pick<WalkForwardResult, "pbo">): Displayable {
  const pbo = wf.pbo;
  if (!pbo) return html("<p>No PBO: fewer than two trading combinations, or too few days.</p>");
  const lo = Math.min(...pbo.logits), hi = Math.max(...pbo.logits);
  const width = Math.max((hi - lo) / 40, 1e-9);
  const thresholds: number[] = [];
  for (let t = -Math.ceil(-lo / width) * width; t <= hi + width; t += width) thresholds.push(t);
  const ties = pbo.pboTiesLow === pbo.pboTiesHigh
    ? ""
    : `; ties ranked low ${formatPct(pbo.pboTiesLow)}, high ${formatPct(pbo.pboTiesHigh)}`;
  return plotSvg({
    title: `PBO ${formatPct(pbo.pbo)}: the in-sample winner's out-of-sample rank, as a logit`,
    subtitle: `${formatNumber(pbo.splits)} splits of ${pbo.blocks} blocks over ` +
      `${pbo.strategies} distinct trading combinations; ${formatNumber(pbo.tiedSplits)} splits ` +
      `with a tie, ranked at the middle of the tied columns${ties}. Red: the winner at or ` +
      `below the median out of sample; green: above`,
    height: 260,
    x: { label: "logit λ (≤ 0: the winner at or below the median out of sample)" },
    y: { grid: true, label: "splits", nice: true },
    marks: [
      Plot.rectY(
        pbo.logits.filter((x) => x <= 0),
        { ...Plot.binX({ y: "count" }, { x: (d: number) => d, thresholds }), fill: "#d6336c" },
      ),
      Plot.rectY(
        pbo.logits.filter((x) => x > 0),
        { ...Plot.binX({ y: "count" }, { x: (d: number) => d, thresholds }), fill: "#2f9e44" },
      ),
      Plot.ruleX([0]),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * The walk-forward efficiency of every period (test Sharpe over the chosen combination's
 * training Sharpe) as a table, with why it is undefined where it is.
 *
 * @param wfe the frame of walkForwardEfficiencyFrame
 * @returns the table (scrolls past 360 px)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { wfeTable } from "./walk_forward_views.ts";
 * const f = pl.DataFrame({ period: [0], test_start: [new Date("2020-01-02")], train_sharpe: [2],
 *   test_sharpe: [1], wfe: [0.5], wfe_undefined: [null], test_trades: [3] });
 * assert.ok(wfeTable(f).html.includes("0.50"));
 * ```
 */
export function wfeTable(wfe: pl.DataFrame): Displayable {
  const why: Record<string, string> = {
    train_sharpe_not_positive: "training Sharpe ≤ 0",
    no_test_sharpe: "no test Sharpe",
    no_selection: "no selection",
  };
  return table(wfe, {
    caption: "Walk-forward efficiency per period: test Sharpe / training Sharpe",
    formats: {
      test_start: "date",
      train_sharpe: 2,
      test_sharpe: 2,
      wfe: 2,
      wfe_undefined: (v) => (v === null ? "" : why[v as string] ?? String(v)),
      test_trades: "int",
    },
    labels: {
      test_start: "test month",
      train_sharpe: "training Sharpe",
      test_sharpe: "test Sharpe",
      wfe: "WFE",
      wfe_undefined: "no WFE because",
      test_trades: "test trades",
    },
    maxHeight: 360,
  });
}

/**
 * The verdict and its guards as a table (each guard's value against its threshold, and whether
 * it holds), with a sentence naming the verdict and the failing guards.
 *
 * @param verdict the frame of verdictFrame
 * @returns the sentence (Markdown) and the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { verdictTable } from "./walk_forward_views.ts";
 * const f = pl.DataFrame({ guard: ["wfe", "win_rate", "verdict"], value: [0.2, 0.7, null],
 *   rule: [">", ">", null], threshold: [0.5, 0.5, null], passed: [false, true, false] });
 * const [text, t] = verdictTable(f);
 * assert.ok(text.includes("**reject**") && text.includes("wfe"));
 * assert.ok(t.html.includes("fails") && t.html.includes("70.0%"));
 * ```
 */
export function verdictTable(verdict: pl.DataFrame): [string, Displayable] {
  const rows = recordsOf(verdict);
  const guards = rows.filter((r) => r.guard !== "verdict");
  const final = rows.find((r) => r.guard === "verdict");
  const failed = guards.filter((g) => !g.passed).map((g) => `\`${g.guard}\``);
  const pct = new Set(["win_rate", "max_drawdown"]);
  const value = (g: Row, key: "value" | "threshold") => {
    const v = g[key] as number | null;
    if (v === null) return "none";
    return pct.has(g.guard as string) ? formatPct(v) : formatNumber(v, 2);
  };
  const text = `The walk-forward's verdict: **${final?.passed ? "pass" : "reject"}**` +
    (failed.length ? `; failing guards: ${failed.join(", ")}.` : ": every guard holds.");
  return [
    text,
    table(
      guards.map((g) => ({
        guard: g.guard,
        value: value(g, "value"),
        rule: `${g.rule} ${value(g, "threshold")}`,
        result: g.passed ? "holds" : "fails",
      })),
      { caption: "Each guard of [walk_forward.guards]: the value must satisfy the rule" },
    ),
  ];
}

/**
 * The worker pool's runs as a table and a sentence: the same walk-forward on each worker count,
 * its time, and whether every decision is bit-identical.
 *
 * @param runs the frame of workerRunsFrame
 * @returns the sentence (Markdown) and the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { workerRunsTable } from "./walk_forward_views.ts";
 * const f = pl.DataFrame({ workers: [1, 2], seconds: [20.5, 11.2], digest: ["ab", "ab"],
 *   identical: [true, true] });
 * const [text] = workerRunsTable(f);
 * assert.ok(text.includes("identical") && text.includes("20.5 s") && text.includes("11.2 s"));
 * ```
 */
export function workerRunsTable(runs: pl.DataFrame): [string, Displayable] {
  const rows = recordsOf(runs);
  const same = rows.every((r) => r.identical);
  const times = rows.map((r) =>
    `${formatNumber(r.seconds as number, 1)} s on ${r.workers} ` +
    `worker${r.workers === 1 ? "" : "s"}`
  );
  return [
    `The same walk-forward took ${times.join(" and ")}; the results are ` +
    `**${same ? "identical" : "different"}** (the digest covers walk-forward.json's content, ` +
    `the stitched metrics and every training Sharpe to the bit).`,
    table(runs, {
      formats: { seconds: 1, identical: (v) => (v ? "yes" : "no") },
      labels: { digest: "SHA-256 (first 16 hex digits)", identical: "identical to the first" },
    }),
  ];
}

/**
 * The test windows in which nothing traded (no selection, or the chosen combination found no
 * entry), as stretches to shade on the stitched run's equity, which is flat there. Consecutive
 * such windows make one stretch, so that the shading has no seams between them.
 *
 * @param periods the periods frame of walkForwardFrames
 * @param options from: leave out windows ending before this day (YYYY-MM-DD; e.g. the stitched
 *   run's first day)
 * @returns the stretches (first day of the first such test window to the last day of the last)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { noTradeShade } from "./walk_forward_views.ts";
 * const periods = pl.DataFrame({
 *   test_start: ["2020-01-02", "2020-02-03", "2020-03-02", "2020-04-01"].map((d) => new Date(d)),
 *   test_end: ["2020-01-31", "2020-02-28", "2020-03-31", "2020-04-30"].map((d) => new Date(d)),
 *   test_trades: [0, 4, 0, 0] });
 * assert.deepEqual(noTradeShade(periods), [{ start: "2020-01-02", end: "2020-01-31" },
 *   { start: "2020-03-02", end: "2020-04-30" }]);
 * assert.deepEqual(noTradeShade(periods, { from: "2020-02-03" }), [
 *   { start: "2020-03-02", end: "2020-04-30" }]);
 * ```
 */
export function noTradeShade(
  periods: pl.DataFrame,
  options: { from?: string | null } = {},
): Array<{ start: string; end: string }> {
  const iso = (d: unknown) => (d as Date).toISOString().slice(0, 10);
  const spans: Array<{ start: string; end: string }> = [];
  let previousFlat = false;
  for (const p of recordsOf(periods)) {
    const flat = p.test_trades === 0;
    if (flat) {
      const span = { start: iso(p.test_start), end: iso(p.test_end) };
      const last = spans[spans.length - 1];
      if (previousFlat && last && span.end > last.end) last.end = span.end;
      else if (!previousFlat) spans.push(span);
    }
    previousFlat = flat;
  }
  return spans.filter((s) => !options.from || s.end >= options.from);
}

/**
 * The walk-forward efficiency in a few sentences (Markdown): the ratio of means the guard checks
 * (with the rule for test windows without a trade, and the figure with them left out), then the
 * per-period ratios as information (median, interquartile range, mean, and why they are undefined
 * where they are), and the periods whose training Sharpe is too near zero for their ratio to mean
 * anything.
 *
 * @param wf the walk-forward (its efficiency and periods)
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wfeText } from "./walk_forward_views.ts";
 * const ratio = (wfe: number, periods: number) =>
 *   ({ wfe, periods, mean_train_sharpe: 1, mean_test_sharpe: wfe });
 * const wf = { periods: [1, 2, 3, 4], efficiency: { wfe: 0.2, wfe_ratio: ratio(0.2, 3),
 *   wfe_left_out: ratio(0.3, 2), wfe_no_test_sharpe: 1, wfe_defined: 2, wfe_mean: 25,
 *   wfe_median: 25, wfe_p25: 12.6, wfe_p75: 37.4, wfe_iqr: 24.8, wfe_undefined_no_selection: 1,
 *   wfe_undefined_train_sharpe: 0, wfe_undefined_test_sharpe: 1, near_zero_train_periods: [3],
 *   periods: [0, 1, 2, 3].map((period) => ({ period, train_sharpe: 0.02, test_sharpe: 1, wfe: 50 })) } };
 * const text = wfeText(wf as never);
 * assert.ok(text.includes("**0.20**") && text.includes("left out, 0.30"));
 * assert.ok(text.includes("median 25.00") && text.includes("period 3 (training 0.020"));
 * ```
 */
export function wfeText(wf: Pick<WalkForwardResult, "efficiency" | "periods">): string {
  const e = wf.efficiency;
  const r = e.wfe_ratio;
  const idle = e.wfe_no_test_sharpe;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const guard = `The walk-forward efficiency the guard checks is a ratio of means: the mean test ` +
    `Sharpe over the mean training Sharpe of the ${plural(r.periods, "period")} with a ` +
    `selection, **${two(e.wfe)}** (${two(r.mean_test_sharpe)} over ` +
    `${two(r.mean_train_sharpe)}; 0 when the mean training Sharpe is at or below 0). ` +
    (idle
      ? `${plural(idle, "test window")} without a trade ${idle === 1 ? "counts" : "count"} ` +
        `as a test Sharpe of 0; ` +
        `left out, ${two(e.wfe_left_out.wfe)} over ${plural(e.wfe_left_out.periods, "period")}. `
      : "");
  const perPeriod = `Each period's own ratio (test Sharpe / training Sharpe, information only) ` +
    `has a value in ${e.wfe_defined} of ${wf.periods.length} periods: median ` +
    `${two(e.wfe_median)}, interquartile range ${two(e.wfe_p25)} to ${two(e.wfe_p75)}, mean ` +
    `${two(e.wfe_mean)}. It has none in ${plural(e.wfe_undefined_no_selection, "period")} ` +
    `without a selection, ${e.wfe_undefined_train_sharpe} with a training Sharpe at or below 0 and ` +
    `${e.wfe_undefined_test_sharpe} without a test Sharpe.`;
  const near = e.near_zero_train_periods.map((i) => {
    const p = e.periods[i];
    return `period ${p.period} (training ${p.train_sharpe!.toFixed(3)}, ratio ${two(p.wfe)})`;
  });
  const noise = near.length
    ? ` A training Sharpe below ${two(NEAR_ZERO_TRAIN_SHARPE)} makes the ratio noise: ${
      near.join(", ")
    }.`
    : "";
  return guard + perPeriod + noise;
}

/**
 * The combinations that never trade in a training window, in a sentence (Markdown), with the
 * values of one key they have (e.g. their short deltas).
 *
 * @param grid the grid frame of walkForwardFrames
 * @param key the key whose values to list (default "short_delta")
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { neverTradedText } from "./walk_forward_views.ts";
 * const grid = pl.DataFrame({ short_delta: [0.08, 0.08, 0.18], trained_periods: [0, 0, 5] });
 * assert.equal(neverTradedText(grid),
 *   "**2** of 3 combinations never trade in any training window (short_delta 0.08).");
 * ```
 */
export function neverTradedText(grid: pl.DataFrame, key = "short_delta"): string {
  const rows = recordsOf(grid).filter((r) => r.trained_periods === 0);
  const values = [...new Set(rows.map((r) => r[key]))].map(String).join(", ");
  return `**${rows.length}** of ${grid.height} combinations never trade in any training ` +
    `window${rows.length ? ` (${key} ${values})` : ""}.`;
}
