/**
 * The scanner notebook's tables, figures and sentences: a day's best candidates, the
 * delta/credit frontier (one symbol per underlying, the project's map), the candidates on
 * sampled days beside the VIX, and the entry funnel with the filter that stops a run.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { VIX_REGIMES } from "../output/metrics.ts";
import { median } from "../stats/median.ts";
import { type Displayable, html, table } from "./display.ts";
import { formatNumber, formatPct } from "./format.ts";
import { REGIME_COLORS, underlyingSymbol } from "./palette.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";

/** The candidate columns a reader checks first, in order. */
const CANDIDATE_COLUMNS = [
  "underlying",
  "expiration",
  "dte",
  "short_strike",
  "long_strike",
  "width",
  "short_delta",
  "credit",
  "credit_pct_width",
  "p_itm",
  "expected_value",
  "iv_percentile",
  "net_theta",
  "net_vega",
  "score",
];

/**
 * A day's best candidates as a table: money to the cent, shares as percentages.
 *
 * @param candidates the scanner's frame (scan), best first
 * @param options rows: how many (default 12)
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { candidateTable } from "./scan_views.ts";
 * const c = pl.DataFrame({ underlying: ["SPY"], credit: [0.4166], credit_pct_width: [0.0833],
 *   short_delta: [-0.1523], p_itm: [0.141], score: [0.51234] });
 * const t = candidateTable(c).html;
 * assert.ok(t.includes("$0.42") && t.includes("8.3%") && t.includes("-0.152"));
 * ```
 */
export function candidateTable(
  candidates: pl.DataFrame,
  options: { rows?: number } = {},
): Displayable {
  const present = CANDIDATE_COLUMNS.filter((c) => candidates.columns.includes(c));
  return table(candidates.select(...present).head(options.rows ?? 12), {
    digits: 3,
    formats: {
      expiration: "date",
      short_strike: "money0",
      long_strike: "money0",
      width: "money0",
      credit: "money",
      credit_pct_width: "pct",
      p_itm: "pct",
      expected_value: "money",
      iv_percentile: 0,
      net_theta: 4,
      net_vega: 4,
    },
    labels: {
      credit_pct_width: "credit / width",
      p_itm: "P(ITM)",
      expected_value: "EV",
      iv_percentile: "IV pct",
    },
  });
}

/**
 * The delta/credit frontier: each candidate's credit as a share of its width against its short
 * leg's |delta|, coloured by score, one symbol per underlying (the project's map: SPY circle,
 * QQQ diamond, IWM square).
 *
 * @param candidates the scanner's frame (scan)
 * @param options title
 * @returns the figure
 *
 * @example The symbol legend follows the project's map
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { frontierChart } from "./scan_views.ts";
 * const c = pl.DataFrame({ underlying: ["SPY", "QQQ"], short_delta: [-0.1, 0.2],
 *   credit_pct_width: [0.1, 0.2], score: [0.3, 0.6] });
 * const svg = frontierChart(c).html;
 * assert.ok(svg.includes("SPY") && svg.includes("QQQ") && svg.includes("score"));
 * ```
 */
export function frontierChart(
  candidates: pl.DataFrame,
  options: { title?: string } = {},
): Displayable {
  const rows = (candidates.toRecords() as Record<string, unknown>[]).map((r) => ({
    ...r,
    abs_delta: Math.abs(r.short_delta as number),
  }));
  const tickers = [...new Set(candidates.getColumn("underlying").toArray() as string[])].sort();
  return plotSvg({
    title: options.title ?? "Credit / width against the short leg's |delta|",
    height: 380,
    marginTop: 30,
    x: { label: "short leg |delta|", grid: true },
    y: { label: "credit / width", grid: true, tickFormat: ".0%" },
    color: {
      type: "quantize",
      n: 6,
      scheme: "viridis",
      legend: true,
      label: "score",
      tickFormat: ".2f",
    },
    symbol: { domain: tickers, range: tickers.map(underlyingSymbol), legend: true },
    marks: [
      Plot.dot(rows, {
        x: "abs_delta",
        y: "credit_pct_width",
        stroke: "score",
        symbol: "underlying",
        r: 3.5,
        strokeWidth: 1.4,
      }),
    ],
  });
}

/**
 * The candidates on sampled days (one dot per day scanned, not a continuous area) over the
 * day's VIX with its regime thresholds labelled, on one time axis.
 *
 * @param counts the frame of candidateCountsFrame
 * @param options every: the sampling step, for the title (default 5)
 * @returns the two figures, one above the other
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { candidateCountsChart } from "./scan_views.ts";
 * const counts = pl.DataFrame({ date: [new Date("2020-03-02"), new Date("2020-03-09")],
 *   candidates: [0, 14], vix: [14, 41], regime: ["<15", ">35"] });
 * const fig = candidateCountsChart(counts).html;
 * assert.ok(fig.includes("every 5th trading day") && fig.includes("VIX 35"));
 * ```
 */
export function candidateCountsChart(
  counts: pl.DataFrame,
  options: { every?: number } = {},
): Displayable {
  const rows = counts.toRecords() as Record<string, unknown>[];
  const x = timeAxis(rows[0].date as Date, rows[rows.length - 1].date as Date);
  const vix = rows.filter((r) => r.vix !== null);
  const top = Math.max(40, ...vix.map((r) => r.vix as number)) * 1.05;
  const upper = plotSvg({
    title: `Candidates found on every ${options.every ?? 5}th trading day`,
    subtitle: "each dot is one scanned day, coloured by that day's VIX regime",
    height: 240,
    x,
    y: { grid: true, label: "candidates", nice: true },
    color: {
      domain: VIX_REGIMES.slice(0, 4),
      range: VIX_REGIMES.slice(0, 4).map((r) => REGIME_COLORS[r]),
      legend: true,
      label: "VIX regime",
    },
    marks: [
      Plot.ruleY([0]),
      Plot.dot(rows, { x: "date", y: "candidates", fill: "regime", r: 2.5 }),
    ],
  });
  const lower = plotSvg({
    title: "VIX on the same days",
    height: 220,
    x,
    y: { grid: true, label: "VIX", domain: [0, top] },
    marks: [
      Plot.ruleY([15, 25, 35], { stroke: "#adb5bd", strokeDasharray: "4,3" }),
      Plot.text([15, 25, 35], {
        y: (d: number) => d,
        text: (d: number) => `VIX ${d}`,
        frameAnchor: "right",
        dy: -6,
        fontSize: 11,
        fill: "#495057",
      }),
      Plot.lineY(vix, { x: "date", y: "vix", stroke: "#343a40", strokeWidth: 1.2 }),
    ],
  });
  return html(upper.html + lower.html);
}

/**
 * What the sampled days show, in Markdown: per VIX regime, the days scanned, the share with no
 * candidate, and the median candidates; whether the count rises with the VIX is stated from
 * those medians, not assumed.
 *
 * @param counts the frame of candidateCountsFrame
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { candidateCountsText } from "./scan_views.ts";
 * const counts = pl.DataFrame({ date: [new Date("2020-03-02"), new Date("2020-03-09"),
 *   new Date("2020-03-16")], candidates: [0, 0, 14], vix: [14, 13, 41], regime: ["<15", "<15", ">35"] });
 * const text = candidateCountsText(counts);
 * assert.ok(text.includes("VIX <15: 2 days scanned, 100.0% with none, median 0"));
 * assert.ok(text.includes("rises with the VIX"));
 * ```
 */
export function candidateCountsText(counts: pl.DataFrame): string {
  const rows = counts.toRecords() as Array<{ regime: string; candidates: number }>;
  const medians: number[] = [];
  const parts: string[] = [];
  for (const regime of VIX_REGIMES) {
    const n = rows.filter((r) => r.regime === regime).map((r) => r.candidates);
    if (!n.length) continue;
    const m = median(n)!;
    if (regime !== "unknown") medians.push(m);
    const none = n.filter((c) => c === 0).length / n.length;
    parts.push(
      `VIX ${regime}: ${formatNumber(n.length)} days scanned, ${formatPct(none)} with none, ` +
        `median ${formatNumber(m)}`,
    );
  }
  const rising = medians.every((m, i) => i === 0 || m >= medians[i - 1]);
  const direction = medians.length < 2
    ? "only one VIX regime occurs"
    : rising && medians[medians.length - 1] > medians[0]
    ? "the median count rises with the VIX: the scanner finds premium when premium is rich"
    : "the median count does not rise steadily with the VIX";
  return `${parts.join("; ")}. By regime, ${direction}.`;
}

/**
 * The credit a spread can fetch against its short delta, as a table: per band of the short
 * leg's |delta|, the candidates, the best credit / width and the range of P(ITM).
 *
 * @param bounds the frame of creditBoundFrame
 * @param options caption
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { creditBoundTable } from "./scan_views.ts";
 * const b = pl.DataFrame({ band: ["0.10-0.15"], candidates: [100], max_credit_width: [0.12],
 *   min_p_itm: [0.122], max_p_itm: [0.173] });
 * const t = creditBoundTable(b).html;
 * assert.ok(t.includes("12.0%") && t.includes("12.2% to 17.3%"));
 * ```
 */
export function creditBoundTable(
  bounds: pl.DataFrame,
  options: { caption?: string } = {},
): Displayable {
  const rows = (bounds.toRecords() as Array<Record<string, number | string | null>>).map((r) => ({
    "short |delta|": r.band,
    candidates: r.candidates,
    "best credit / width": r.max_credit_width === null
      ? "—"
      : formatPct(r.max_credit_width as number),
    "P(ITM) of the short strike": r.min_p_itm === null
      ? "—"
      : `${formatPct(r.min_p_itm as number)} to ${formatPct(r.max_p_itm as number)}`,
  }));
  return table(rows, {
    caption: options.caption ?? "The best credit / width against the short delta",
    formats: { candidates: "int" },
    align: { "best credit / width": "right", "P(ITM) of the short strike": "right" },
  });
}

/**
 * Whether credit floors are within reach for a band of short deltas, in Markdown, from
 * creditBoundFrame: the band's best credit / width, whether every candidate's credit / width
 * stays below its short strike's P(ITM), which bounds it, and each floor met or out of reach.
 *
 * @param bounds the frame of creditBoundFrame
 * @param options band: the short-delta band's lower edge (a row of the frame); floors: each
 *   floor (a share of the width) by name, e.g. the configuration it comes from
 * @returns the Markdown
 *
 * @example One floor out of reach, one met
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { creditBoundText } from "./scan_views.ts";
 * const b = pl.DataFrame({ band: ["0.10-0.15"], lower: [0.1], upper: [0.15], candidates: [100],
 *   max_credit_width: [0.12], min_p_itm: [0.122], max_p_itm: [0.173], over_p_itm: [0] });
 * const text = creditBoundText(b, { band: 0.1, floors: { "a.toml": 0.25, "b.toml": 0.1 } });
 * assert.ok(text.includes("the best credit is **12.0%** of the width"));
 * assert.ok(text.includes("each one's credit / width is below its short strike's P(ITM)"));
 * assert.ok(text.includes("a floor of 25% (a.toml) is out of reach"));
 * assert.ok(text.includes("a floor of 10% (b.toml) is met by some"));
 * ```
 */
export function creditBoundText(
  bounds: pl.DataFrame,
  options: { band: number; floors: Record<string, number> },
): string {
  const rows = bounds.toRecords() as Array<Record<string, number | string | null>>;
  const row = rows.find((r) => Math.abs((r.lower as number) - options.band) < 1e-9);
  if (!row) throw new Error(`No short-delta band starts at ${options.band}`);
  const n = row.candidates as number;
  if (!n) return `No candidate has a short delta of ${row.band}.`;
  const best = row.max_credit_width as number;
  const over = row.over_p_itm as number;
  const itm = `${formatPct(row.min_p_itm as number)} to ${formatPct(row.max_p_itm as number)}`;
  const bound = over === 0
    ? `and each one's credit / width is below its short strike's P(ITM) (${itm}), the bound`
    : `and ${formatNumber(n - over)} of them have a credit / width below their short ` +
      `strike's P(ITM) (${itm}), ${formatNumber(over)} above it`;
  const verdicts = Object.entries(options.floors).map(([name, floor]) =>
    `a floor of ${formatPct(floor, 0)} (${name}) ${
      best >= floor ? "is met by some of them" : "is out of reach"
    }`
  );
  return `Among the ${formatNumber(n)} candidates with a short delta of ${row.band}, the best ` +
    `credit is **${formatPct(best)}** of the width, ${bound}: ${verdicts.join("; ")}.`;
}
