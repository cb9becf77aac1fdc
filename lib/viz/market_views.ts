/**
 * Views of the market for the data notebook: a chain as a readable table and what its quotes
 * say, the data-quality report and the flagged rows' profile as tables and sentences, the
 * greeks check, the underlyings' closes and VIX with its regimes. Each sentence's numbers come
 * from the frames of lib/output's market_frames.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { GreeksCheck } from "../pricing/greeks_check.ts";
import { type Displayable, table } from "./display.ts";
import { formatMoney, formatNumber, formatPct, formatSci } from "./format.ts";
import { REGIME_COLORS, UNDERLYING_COLORS } from "./palette.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";

/** Records of a frame. */
function rows(frame: pl.DataFrame): Record<string, unknown>[] {
  return frame.toRecords() as Record<string, unknown>[];
}

/**
 * A chain (snapshotFrame) as a table: strikes and prices to the cent, the bid-ask in dollars
 * and as a share of the mid, delta to three decimals, IV as a percentage, open interest and
 * volume with thousands separators.
 *
 * @param snapshot a snapshot frame (snapshotFrame)
 * @param options caption
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { chainTable } from "./market_views.ts";
 * const chain = pl.DataFrame({ strike: [305], bid: [3.2], ask: [3.3], mid: [3.25], spread: [0.1],
 *   spread_pct: [0.030769], delta: [-0.292446], iv: [0.155903], open_interest: [87442], volume: [5400] });
 * const t = chainTable(chain).html;
 * assert.ok(t.includes("-0.292") && t.includes("15.6%") && t.includes("87,442") && t.includes("3.1%"));
 * ```
 */
export function chainTable(
  snapshot: pl.DataFrame,
  options: { caption?: string } = {},
): Displayable {
  const wanted = ["expiration", "dte", "type", "strike", "bid", "ask", "mid", "spread"]
    .concat(["spread_pct", "delta", "iv", "open_interest", "volume"])
    .filter((c) => snapshot.columns.includes(c));
  return table(snapshot.select(...wanted), {
    caption: options.caption,
    formats: {
      expiration: "date",
      bid: 2,
      ask: 2,
      mid: 2,
      spread: 2,
      spread_pct: "pct",
      delta: 3,
      iv: "pct",
      open_interest: "int",
      volume: "int",
    },
    labels: {
      spread: "bid-ask ($)",
      spread_pct: "bid-ask / mid",
      iv: "IV",
      open_interest: "open interest",
    },
  });
}

/**
 * What a chain's quotes do between its nearest-the-money and farthest contracts (by |delta|),
 * in one sentence: the bid-ask in dollars and as a share of the mid, and the open interest.
 *
 * @param snapshot a snapshot frame of one expiry and type (snapshotFrame)
 * @returns the sentence (Markdown)
 *
 * @example Wider in share of the mid, less open interest, further out
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { chainQuoteText } from "./market_views.ts";
 * const chain = pl.DataFrame({ strike: [294, 305], delta: [-0.13, -0.29], mid: [1.2, 3.25],
 *   spread: [0.1, 0.1], spread_pct: [0.0833, 0.0308], open_interest: [79769, 87442] });
 * assert.equal(chainQuoteText(chain), "From the 0.29-delta contract (strike 305) to the " +
 *   "0.13-delta one (strike 294), the bid-ask goes from $0.10 (3.1% of the mid) to $0.10 " +
 *   "(8.3%): the same in dollars, wider as a share of the mid; open interest goes from 87,442 " +
 *   "to 79,769 (lower).");
 * ```
 */
export function chainQuoteText(snapshot: pl.DataFrame): string {
  const r = rows(snapshot).filter((x) => Number.isFinite(x.delta as number));
  if (r.length < 2) return "The chain holds fewer than two usable contracts.";
  r.sort((a, b) => Math.abs(b.delta as number) - Math.abs(a.delta as number));
  const [near, far] = [r[0], r[r.length - 1]];
  const compare = (a: number, b: number, up: string, down: string, same: string) =>
    Math.abs(b - a) < 1e-9 ? same : b > a ? up : down;
  const n = (x: unknown) => formatNumber(x as number, 0);
  const dollars = compare(
    near.spread as number,
    far.spread as number,
    "wider",
    "narrower",
    "the same",
  );
  const share = compare(
    near.spread_pct as number,
    far.spread_pct as number,
    "wider",
    "narrower",
    "the same",
  );
  const oi = compare(
    near.open_interest as number,
    far.open_interest as number,
    "higher",
    "lower",
    "unchanged",
  );
  return `From the ${Math.abs(near.delta as number).toFixed(2)}-delta contract (strike ${
    formatNumber(near.strike as number)
  }) to the ${Math.abs(far.delta as number).toFixed(2)}-delta one (strike ${
    formatNumber(far.strike as number)
  }), the bid-ask goes from ${formatMoney(near.spread as number)} (${
    formatPct(near.spread_pct as number)
  } of the mid) to ${formatMoney(far.spread as number)} (${formatPct(far.spread_pct as number)}): ${
    dollars === "the same" ? "the same in dollars" : `${dollars} in dollars`
  }, ${share} as a share of the mid; open interest goes from ${n(near.open_interest)} to ${
    n(far.open_interest)
  } (${oi}).`;
}

/**
 * A data-quality report's table (qualityFrame): counts with thousands separators.
 *
 * @param quality the quality frame
 * @param options caption
 * @returns the table
 */
export function qualityTable(
  quality: pl.DataFrame,
  options: { caption?: string } = {},
): Displayable {
  return table(quality, { caption: options.caption, digits: 0 });
}

/**
 * The flagged rows' profile (flagProfileFrame) as a table.
 *
 * @param profile the profile frame
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { flagProfileTable } from "./market_views.ts";
 * const p = pl.DataFrame({ flag: ["zero bid"], rows: [571995], share: [0.134], median_abs_delta: [0.000039],
 *   far_otm_share: [0.9988], median_ask: [0.03], median_dte: [10] });
 * const t = flagProfileTable(p).html;
 * assert.ok(t.includes("571,995") && t.includes("99.9%") && t.includes("3.9e-5"));
 * ```
 */
export function flagProfileTable(profile: pl.DataFrame): Displayable {
  return table(profile, {
    caption: "Where the flagged rows sit in the chain, beside all rows",
    formats: {
      rows: "int",
      share: "pct2",
      median_abs_delta: (v) =>
        typeof v === "number" ? (v < 0.001 && v > 0 ? formatSci(v) : v.toFixed(3)) : "—",
      far_otm_share: "pct",
      median_ask: "money",
      median_dte: 0,
    },
    labels: {
      share: "share of rows",
      median_abs_delta: "median |delta|",
      far_otm_share: "|delta| < 0.05",
      median_ask: "median ask",
      median_dte: "median DTE",
    },
  });
}

/**
 * What the flagged rows are (Markdown): where all rows sit, then one bullet per flag with rows:
 * how many, how far out of the money they sit, what they ask.
 *
 * @param profile the profile frame (flagProfileFrame)
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { flagProfileText } from "./market_views.ts";
 * const p = pl.DataFrame({ flag: ["all rows", "zero bid"], rows: [4269126, 571995], share: [1, 0.134],
 *   median_abs_delta: [0.5, 0.000039], far_otm_share: [0.2174, 0.9988], median_ask: [5.21, 0.03],
 *   median_dte: [25, 10] });
 * assert.equal(flagProfileText(p), "Of all 4,269,126 rows, 21.7% have |delta| < 0.05 (far out " +
 *   "of the money) and the median ask is $5.21. Of the flagged rows:\n\n" +
 *   "- **zero bid**: 571,995 rows (13.40%); 99.9% have |delta| < 0.05, median ask $0.03");
 * ```
 */
export function flagProfileText(profile: pl.DataFrame): string {
  const r = rows(profile);
  const all = r.find((x) => x.flag === "all rows");
  const bullets = r.filter((x) => x !== all && (x.rows as number) > 0).map((x) =>
    `- **${x.flag}**: ${formatNumber(x.rows as number)} rows (${
      formatPct(x.share as number, 2)
    }); ${formatPct(x.far_otm_share as number)} have |delta| < 0.05, median ask ${
      formatMoney(x.median_ask as number)
    }`
  );
  const head = all
    ? `Of all ${formatNumber(all.rows as number)} rows, ${
      formatPct(all.far_otm_share as number)
    } have |delta| < 0.05 (far out of the money) and the median ask is ${
      formatMoney(all.median_ask as number)
    }. `
    : "";
  return bullets.length
    ? `${head}Of the flagged rows:\n\n${bullets.join("\n")}`
    : `${head}No row is flagged.`;
}

/**
 * A greeks check's table (greeksCheckFrame): differences from 0.01 up with three decimals,
 * smaller ones in exponent notation.
 *
 * @param frame the greeks check frame
 * @param check the check itself, for the caption (rows compared, rate, mids outside bounds)
 * @returns the table
 */
export function greeksCheckTable(frame: pl.DataFrame, check: GreeksCheck): Displayable {
  const sci = (v: unknown) =>
    typeof v !== "number" ? "—" : Math.abs(v) >= 0.01 ? v.toFixed(3) : formatSci(v);
  return table(frame, {
    caption: `|data − Mahler| over ${
      formatNumber(check.rows_compared)
    } rows at r = ${+(100 * check.rate).toFixed(3)}%; ${
      formatNumber(check.mid_outside_bounds)
    } mids outside the no-arbitrage bounds (no IV)`,
    formats: { median: sci, p99: sci, max: sci },
    labels: { p99: "99th percentile" },
  });
}

/**
 * The underlyings' daily closes, one line per underlying, in the report's colours.
 *
 * @param closes a closes frame (closesFrame: date, underlying, close)
 * @param options title
 * @returns the SVG figure
 */
export function closesChart(closes: pl.DataFrame, options: { title?: string } = {}): Displayable {
  const data = rows(closes);
  const names = [...new Set(data.map((r) => r.underlying as string))];
  return plotSvg({
    title: options.title ?? "Underlying closes",
    height: 320,
    x: timeAxis(data[0].date as Date, data[data.length - 1].date as Date),
    y: { grid: true, label: "close ($)", tickFormat: "$,.0f", nice: true, inset: 6 },
    color: {
      legend: true,
      label: "underlying",
      domain: names,
      range: names.map((n) => UNDERLYING_COLORS[n] ?? "#495057"),
    },
    marks: [Plot.lineY(data, { x: "date", y: "close", stroke: "underlying", strokeWidth: 1.3 })],
  });
}

/** The VIX regimes' bands: lower and upper VIX level, drawn behind the line. */
const REGIME_BANDS = [
  { regime: "<15", y1: 0, y2: 15 },
  { regime: "15-25", y1: 15, y2: 25 },
  { regime: "25-35", y1: 25, y2: 35 },
  { regime: ">35", y1: 35, y2: Infinity },
];

/**
 * VIX over time on its regimes: the four regimes as coloured bands (< 15, 15-25, 25-35, > 35),
 * each named at the left edge, and the VIX close as a line.
 *
 * @param vix a VIX frame (vixFrame: date, vix)
 * @param options title
 * @returns the SVG figure
 *
 * @example The bands are named
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { vixChart } from "./market_views.ts";
 * const vix = pl.DataFrame([pl.Series("date", [19724, 19725]).cast(pl.Date), pl.Series("vix", [14, 40])]);
 * const svg = vixChart(vix).html;
 * assert.ok(svg.includes("VIX &lt; 15") && svg.includes("VIX &gt; 35"));
 * ```
 */
export function vixChart(vix: pl.DataFrame, options: { title?: string } = {}): Displayable {
  const data = rows(vix).filter((r) => r.vix !== null);
  const top = Math.max(40, ...data.map((r) => r.vix as number)) * 1.05;
  const bands = REGIME_BANDS.map((b) => ({ ...b, y2: Math.min(b.y2, top) }));
  const names: Record<string, string> = {
    "<15": "VIX < 15",
    "15-25": "15-25",
    "25-35": "25-35",
    ">35": "VIX > 35",
  };
  return plotSvg({
    title: options.title ?? "VIX and its regimes",
    subtitle: "bands: the regimes the metrics and the notebooks group by (thresholds 15, 25, 35)",
    height: 300,
    x: timeAxis(data[0].date as Date, data[data.length - 1].date as Date),
    y: { grid: true, label: "VIX", domain: [0, top] },
    marks: [
      Plot.rectY(bands, {
        y1: "y1",
        y2: "y2",
        fill: (d) => REGIME_COLORS[d.regime],
        fillOpacity: 0.12,
      }),
      Plot.text(bands, {
        y: (d) => (d.y1 + Math.min(d.y2, d.y1 + 12)) / 2,
        text: (d) => names[d.regime],
        frameAnchor: "left",
        dx: 6,
        fontSize: 11,
        fill: "#495057",
      }),
      Plot.lineY(data, { x: "date", y: "vix", stroke: "#343a40", strokeWidth: 1.2 }),
    ],
  });
}

/**
 * How the days divide between the VIX regimes (Markdown): each regime's trading days and share,
 * and the highest close with its date.
 *
 * @param regimeDays a regime-days frame (vixRegimeDaysFrame)
 * @returns the sentence
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { vixRegimeText } from "./market_views.ts";
 * const f = pl.DataFrame([pl.Series("regime", ["<15", ">35"]), pl.Series("days", [658, 46]),
 *   pl.Series("share", [0.4358, 0.0305]), pl.Series("max_vix", [14.99, 80.23]),
 *   pl.Series("max_date", [18212, 18339]).cast(pl.Date)]);
 * assert.equal(vixRegimeText(f), "VIX closed below 15 on 658 trading days (43.6%) and above 35 " +
 *   "on 46 (3.1%). Its highest close, 80.23, came on 2020-03-18.");
 * ```
 */
export function vixRegimeText(regimeDays: pl.DataFrame): string {
  const r = rows(regimeDays);
  const words: Record<string, string> = {
    "<15": "below 15",
    "15-25": "between 15 and 25",
    "25-35": "between 25 and 35",
    ">35": "above 35",
    unknown: "unknown",
  };
  const parts = r.map((x, i) =>
    `${words[x.regime as string] ?? x.regime} on ${formatNumber(x.days as number)}${
      i === 0 ? " trading days" : ""
    } (${formatPct(x.share as number)})`
  );
  const list = parts.length > 1
    ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`
    : parts[0] ?? "";
  const top = r.reduce<Record<string, unknown> | null>(
    (
      m,
      x,
    ) => (x.max_vix !== null && (m === null || (x.max_vix as number) > (m.max_vix as number))
      ? x
      : m),
    null,
  );
  const high = top
    ? ` Its highest close, ${(top.max_vix as number).toFixed(2)}, came on ${
      (top.max_date as Date).toISOString().slice(0, 10)
    }.`
    : "";
  return `VIX closed ${list}.${high}`;
}
