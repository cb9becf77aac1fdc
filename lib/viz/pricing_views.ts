/**
 * The pricing notebook's tables, figures and sentences: the implied-volatility round trip with
 * each price's condition number, a chain's smile on two days (each panel on its own scale), the
 * at-the-money term structure, and Mahler's IV from the quotes' mids against the data's IV.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { median } from "../stats/median.ts";
import { type Displayable, html, table } from "./display.ts";
import { formatMoney, formatNumber, formatPct, formatSci } from "./format.ts";
import { Plot, plotSvg } from "./plot.ts";
import { plotly } from "./plotly.ts";

/** Records of a frame. */
function recordsOf(frame: pl.DataFrame): Record<string, unknown>[] {
  return frame.toRecords() as Record<string, unknown>[];
}

/**
 * The IV round trip as a table: errors and condition numbers in exponent notation (they span
 * sixteen orders of magnitude), vols as percentages, prices to the cent.
 *
 * @param roundTrip the frame of ivRoundTripFrame
 * @returns the table
 *
 * @example Tiny errors print in exponent notation, not as 0.000
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { roundTripTable } from "./pricing_views.ts";
 * const frame = pl.DataFrame({ type: ["put"], strike: [450], vol: [0.2], price: [9.51],
 *   iv: [0.2], relative_error: [1.4e-16], kappa: [0.98], error_over_floor: [0.6] });
 * const t = roundTripTable(frame).html;
 * assert.ok(t.includes("1.4e-16") && t.includes("20%") && t.includes("$9.51"));
 * ```
 */
export function roundTripTable(roundTrip: pl.DataFrame): Displayable {
  return table(roundTrip.drop("iv"), {
    caption: "Each option priced, its volatility recovered from that price, and the error",
    formats: {
      strike: "money0",
      vol: (v) => formatPct(v as number, 0),
      price: (v) => ((v as number) >= 0.01 ? formatMoney(v as number) : formatSci(v as number, 3)),
      relative_error: (v) => (v === 0 ? "0" : formatSci(v as number)),
      kappa: (v) => formatSci(v as number),
      error_over_floor: 2,
    },
    labels: {
      vol: "σ",
      relative_error: "|IV − σ| / σ",
      kappa: "κ = P / (σ ∂P/∂σ)",
      error_over_floor: "error / (κ·ε)",
    },
    maxHeight: 420,
  });
}

/**
 * What the round trip shows, in Markdown: the largest error over the options at or out of the
 * money (puts with K ≤ S, calls with K ≥ S) and overall, how
 * many errors exceed 1e-12, and whether those are exactly the options with the largest
 * condition numbers κ (computed, not assumed).
 *
 * @param roundTrip the frame of ivRoundTripFrame
 * @param spot the spot the frame was priced at (default 450)
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { roundTripText } from "./pricing_views.ts";
 * const frame = pl.DataFrame({ type: ["put", "call"], strike: [450, 300], vol: [0.2, 0.05],
 *   price: [9.5, 150], iv: [0.2, 0.05], relative_error: [1e-16, 3e-9], kappa: [1, 1e7],
 *   error_over_floor: [0.45, 1.35] });
 * const text = roundTripText(frame);
 * assert.ok(text.includes("1.0e-16") && text.includes("3.0e-9"));
 * assert.ok(text.includes("every one of them has a larger κ"));
 * ```
 */
export function roundTripText(roundTrip: pl.DataFrame, spot = 450): string {
  const rows = recordsOf(roundTrip) as Array<{
    type: string;
    strike: number;
    vol: number;
    relative_error: number;
    kappa: number;
  }>;
  const near = rows.filter((r) => (r.type === "put" ? r.strike <= spot : r.strike >= spot));
  const worst = rows.reduce((a, b) => (b.relative_error > a.relative_error ? b : a));
  const nearWorst = Math.max(...near.map((r) => r.relative_error));
  const bad = rows.filter((r) => r.relative_error > 1e-12);
  const good = rows.filter((r) => r.relative_error <= 1e-12);
  const badKappa = Math.min(...bad.map((r) => r.kappa));
  const goodKappa = Math.max(...good.map((r) => r.kappa));
  const separation = bad.length === 0
    ? "No error exceeds 1e-12."
    : `${bad.length} of ${rows.length} errors exceed 1e-12; ` +
      (badKappa > goodKappa
        ? `every one of them has a larger κ (at least ${formatSci(badKappa)}) than any ` +
          `accurate option (at most ${formatSci(goodKappa)}): where digits are lost, the ` +
          `price had already lost them.`
        : `their smallest κ is ${formatSci(badKappa)}, below the largest κ of an accurate ` +
          `option (${formatSci(goodKappa)}), so κ alone does not explain them.`);
  return `Over the options at or out of the money (${near.length} of ${rows.length}: their ` +
    `price is all time value) the largest ` +
    `relative IV error is **${formatSci(nearWorst)}**. The largest anywhere is ` +
    `**${formatSci(worst.relative_error)}**, for the ${worst.type} struck at ` +
    `${formatNumber(worst.strike)} at σ = ${formatPct(worst.vol, 0)} (κ = ` +
    `${formatSci(worst.kappa)}). ${separation}`;
}

/** One smile panel. */
function smilePanel(smile: pl.DataFrame, title: string): string {
  const rows = recordsOf(smile).map((r) => ({
    ...r,
    expiry: `${(r.expiration as Date).toISOString().slice(0, 10)} (${r.dte} DTE)`,
  }));
  return plotSvg({
    title,
    width: 500,
    height: 320,
    marginLeft: 48,
    x: { label: "strike / stock price (K / S)", tickFormat: ".2f" },
    y: { grid: true, label: "IV", tickFormat: ".0%", nice: true },
    color: { type: "ordinal", scheme: "tableau10", legend: true, label: "expiry" },
    marks: [
      Plot.ruleX([1], { stroke: "#adb5bd", strokeDasharray: "3,3" }),
      Plot.lineY(rows, { x: "moneyness", y: "iv", stroke: "expiry" }),
      Plot.dot(rows, { x: "moneyness", y: "iv", fill: "expiry", r: 1.5 }),
    ],
  }).html;
}

/**
 * A chain's smile on two days, side by side, each on its own IV scale (a crash day's smile
 * would flatten a calm day's on a shared one), coloured by expiry (legend: expiration and DTE).
 *
 * @param calm the smile (smileFrame) of a calm day
 * @param stressed the smile of a stressed day
 * @param underlying the ticker, for the titles
 * @returns the two figures side by side
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { smileCharts } from "./pricing_views.ts";
 * const smile = (date: string, iv: number) => pl.DataFrame({ date: [new Date(date), new Date(date)],
 *   expiration: [new Date("2020-04-17"), new Date("2020-04-17")], dte: [30, 30],
 *   type: ["put", "call"], strike: [90, 110], moneyness: [0.9, 1.1], iv: [iv, iv / 2] });
 * const fig = smileCharts(smile("2019-06-14", 0.2), smile("2020-03-16", 0.9), "SPY").html;
 * assert.ok(fig.includes("SPY on 2019-06-14") && fig.includes("SPY on 2020-03-16"));
 * assert.ok(fig.includes("2020-04-17 (30 DTE)"));
 * ```
 */
export function smileCharts(
  calm: pl.DataFrame,
  stressed: pl.DataFrame,
  underlying: string,
): Displayable {
  const day = (f: pl.DataFrame) =>
    (f.getColumn("date").toArray()[0] as unknown as Date).toISOString().slice(0, 10);
  return html(
    `<div style="display:flex;flex-wrap:wrap;gap:16px">` +
      `<div style="flex:1 1 480px;min-width:0">${
        smilePanel(calm, `${underlying} on ${day(calm)}`)
      }</div>` +
      `<div style="flex:1 1 480px;min-width:0">${
        smilePanel(stressed, `${underlying} on ${day(stressed)}`)
      }</div></div>`,
  );
}

/**
 * At-the-money IV by days to expiry, one line per day (legend: the day).
 *
 * @param frames the term structures (termStructureFrame), one per day
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { termStructureChart } from "./pricing_views.ts";
 * const ts = pl.DataFrame({ date: [new Date("2019-06-14"), new Date("2019-06-14")],
 *   expiration: [new Date("2019-07-19"), new Date("2019-08-16")], dte: [35, 63],
 *   strike: [290, 290], atm_iv: [0.12, 0.13] });
 * assert.ok(termStructureChart([ts]).html.includes("2019-06-14"));
 * ```
 */
export function termStructureChart(frames: pl.DataFrame[]): Displayable {
  const rows = frames.flatMap((f) =>
    recordsOf(f).map((r) => ({ ...r, day: (r.date as Date).toISOString().slice(0, 10) }))
  );
  return plotSvg({
    title: "At-the-money IV by days to expiry",
    height: 300,
    x: { label: "days to expiry" },
    y: { grid: true, label: "ATM IV", tickFormat: ".0%", nice: true },
    color: { type: "ordinal", scheme: "tableau10", legend: true, label: "day" },
    marks: [
      Plot.lineY(rows, { x: "dte", y: "atm_iv", stroke: "day" }),
      Plot.dot(rows, { x: "dte", y: "atm_iv", fill: "day", r: 3 }),
    ],
  });
}

/** The contracts of an IV check whose two IVs differ by more than `threshold`. */
function offDiagonal(check: pl.DataFrame, threshold: number) {
  const rows = recordsOf(check) as Array<
    { itm: boolean; difference: number; iv_per_cent: number; moneyness: number }
  >;
  const off = rows.filter((r) => Math.abs(r.difference) > threshold);
  const on = rows.filter((r) => Math.abs(r.difference) <= threshold);
  return { rows, off, on };
}

/**
 * Mahler's IV from the quotes' mids against the data's IV, interactive: in-the-money and
 * out-of-the-money contracts in two colours, hovers with the contract's date, expiry, strike,
 * mid and both IVs.
 *
 * @param check the frame of ivCheckFrame
 * @param options rate: the rate the mids were inverted at (for the title)
 * @returns the Plotly figure
 *
 * @example Hovers carry ISO dates
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { ivCheckChart } from "./pricing_views.ts";
 * const check = pl.DataFrame({ date: [new Date("2022-07-15")], expiration: [new Date("2022-08-19")],
 *   dte: [35], strike: [380], stock_price: [385], moneyness: [0.987], itm: [false], mid: [9.1],
 *   file_iv: [0.25], mahler_iv: [0.251], difference: [0.001], iv_per_cent: [0.0003] });
 * const fig = ivCheckChart(check, { rate: 0.02 }).html;
 * assert.ok(fig.includes("2022-07-15") && !fig.includes("GMT"));
 * ```
 */
export function ivCheckChart(check: pl.DataFrame, options: { rate?: number } = {}): Displayable {
  const rows = recordsOf(check);
  const trace = (itm: boolean, color: string) => {
    const part = rows.filter((r) => r.itm === itm);
    return {
      type: "scatter",
      mode: "markers",
      name: itm ? "in the money (K > S)" : "out of the money (K < S)",
      x: part.map((r) => r.file_iv),
      y: part.map((r) => r.mahler_iv),
      customdata: part.map((r) => [
        (r.date as Date).toISOString().slice(0, 10),
        (r.expiration as Date).toISOString().slice(0, 10),
        r.strike,
        r.stock_price,
        r.mid,
      ]),
      hovertemplate: "%{customdata[0]}, expiring %{customdata[1]}<br>" +
        "strike $%{customdata[2]:,.2f}, stock $%{customdata[3]:,.2f}, mid $%{customdata[4]:,.2f}" +
        "<br>file IV %{x:.2%}, Mahler IV %{y:.2%}<extra></extra>",
      marker: { size: 5, opacity: 0.6, color },
    };
  };
  const rate = options.rate === undefined ? "" : ` (r = ${formatPct(options.rate, 0)})`;
  // The axes end just past the file's IVs and the 99th percentile of ours; the few IVs beyond
  // (in-the-money quotes whose mid carries little IV) are counted in the title, not hidden.
  const ours = rows.map((r) => r.mahler_iv as number).sort((a, b) => a - b);
  const p99 = ours.length ? ours[Math.min(ours.length - 1, Math.floor(0.99 * ours.length))] : 0;
  const top = 1.08 * Math.max(0.1, p99, ...rows.map((r) => r.file_iv as number));
  const beyond = ours.filter((x) => x > top);
  const note = beyond.length
    ? `<br><sub>${beyond.length} above the top of the chart (up to ${
      formatPct(beyond[beyond.length - 1], 0)
    }): zoom out to see them</sub>`
    : "";
  return plotly([
    trace(false, "#1c7ed6"),
    trace(true, "#e8590c"),
    {
      type: "scatter",
      mode: "lines",
      x: [0, top],
      y: [0, top],
      line: { dash: "dot", color: "#868e96" },
      name: "equal",
      hoverinfo: "skip",
    },
  ], {
    title: { text: `IV from the mid${rate} against the file's IV${note}` },
    xaxis: { title: { text: "file IV" }, tickformat: ".0%", range: [0, top] },
    yaxis: { title: { text: "Mahler IV from the mid" }, tickformat: ".0%", range: [0, top] },
    height: 480,
    legend: { orientation: "h", y: -0.18 },
  });
}

/**
 * What the IV check shows, in Markdown, computed: how many contracts agree within `threshold`,
 * how many of the others are in the money, and how much a one-cent change in the mid moves the
 * IV of each group (the median). The explanation follows the numbers: when the others' IV is
 * far more sensitive to a cent (at least 1.5 times), the cent's rounding explains them; when it
 * is not, the text says so and tells whether the differences lean one way (a systematic cause,
 * such as another rate than the file's).
 *
 * @param check the frame of ivCheckFrame
 * @param threshold the IV difference counted as off the diagonal (default 0.01, one vol point)
 * @returns the Markdown
 *
 * @example Rounding explains the gap; then it does not
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { ivCheckText } from "./pricing_views.ts";
 * const check = pl.DataFrame({ itm: [true, false, false], difference: [0.2, 0.001, -0.002],
 *   iv_per_cent: [0.05, 0.0004, 0.0002], moneyness: [1.2, 0.95, 0.9] });
 * const text = ivCheckText(check);
 * assert.ok(text.includes("**2** of 3") && text.includes("all 1 are in the money"));
 * assert.ok(text.includes("leaves little IV to recover"));
 * const same = ivCheckText(pl.DataFrame({ itm: [true, true, false], difference: [0.02, 0.015, 0],
 *   iv_per_cent: [0.0005, 0.0006, 0.0005], moneyness: [1.05, 1.04, 0.95] }));
 * assert.ok(same.includes("about as much as for the contracts that agree"));
 * assert.ok(same.includes("For 2 of the 2, Mahler's IV is higher than the file's"));
 * ```
 */
export function ivCheckText(check: pl.DataFrame, threshold = 0.01): string {
  const { rows, off, on } = offDiagonal(check, threshold);
  const offItm = off.filter((r) => r.itm).length;
  const share = off.length === 0
    ? "none is off the diagonal"
    : offItm === off.length
    ? `all ${off.length} are in the money`
    : `${offItm} are in the money`;
  const perCent = (xs: typeof rows) => median(xs.map((r) => r.iv_per_cent)) ?? NaN;
  const moneyness = off.length ? formatNumber(median(off.map((r) => r.moneyness)) ?? NaN, 2) : "—";
  const head = `**${on.length}** of ${rows.length} contracts agree with the file's IV to within ` +
    `${formatPct(threshold, 0)} of volatility. Of the **${off.length}** others, ${share}` +
    (off.length ? ` (median K / S ${moneyness})` : "") + ".";
  if (!off.length) return head;
  const offCent = perCent(off), onCent = perCent(on);
  if (!on.length || offCent >= 1.5 * onCent) {
    return `${head} There the price is mostly intrinsic value: a one-cent change in the mid ` +
      `moves the IV by a median ${formatPct(offCent, 2)}` +
      (on.length ? `, against ${formatPct(onCent, 2)} for the contracts that agree` : "") +
      `, so a quote rounded to the cent (and a rate that differs from the one the file used) ` +
      `leaves little IV to recover.`;
  }
  const higher = off.filter((r) => r.difference > 0).length;
  const lean = Math.max(higher, off.length - higher);
  const way = higher >= off.length - higher ? "higher" : "lower";
  const systematic = lean >= 0.8 * off.length
    ? `: a systematic difference, such as another rate than the file's, whose effect on the IV ` +
      `is largest where the price is mostly intrinsic value`
    : `, the other ${off.length - lean} ${way === "higher" ? "lower" : "higher"}`;
  return `${head} A one-cent change in the mid moves their IV by a median ` +
    `${formatPct(offCent, 2)}, about as much as for the contracts that agree ` +
    `(${formatPct(onCent, 2)}), so the cent's rounding does not explain them. For ${lean} of ` +
    `the ${off.length}, Mahler's IV is ${way} than the file's (median difference ${
      formatNumber(100 * (median(off.map((r) => r.difference)) ?? NaN), 2)
    } points)${systematic}.`;
}

/**
 * A bull put spread's legs and position as a table, with a computed sentence: the credit, and
 * the signs of the position's theta and vega.
 *
 * @param spread the frame of putSpreadFrame
 * @returns the sentence (Markdown) and the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { putSpreadFrame } from "../output/pricing_frames.ts";
 * import { putSpreadTable } from "./pricing_views.ts";
 * const [text, t] = putSpreadTable(putSpreadFrame());
 * assert.ok(text.includes("theta is **positive") && text.includes("vega is **negative"));
 * assert.ok(t.html.includes("P(ITM)"));
 * ```
 */
export function putSpreadTable(spread: pl.DataFrame): [string, Displayable] {
  const rows = recordsOf(spread) as Array<Record<string, number | string | null>>;
  const position = rows[2] as Record<string, number>;
  const text = `The spread collects **${formatMoney(-position.price)}** a share. Its theta is ` +
    `**${position.theta > 0 ? "positive" : "negative"}** (${formatMoney(position.theta, 4)} a ` +
    `day: it ${position.theta > 0 ? "earns" : "loses"} as days pass) and its vega is ` +
    `**${position.vega < 0 ? "negative" : "positive"}** (${formatMoney(position.vega, 4)} a ` +
    `volatility point: it ${position.vega < 0 ? "loses" : "gains"} when IV rises).`;
  return [
    text,
    table(spread, {
      caption: "Each leg per share, and the position: the long leg minus the short leg",
      digits: 4,
      formats: {
        strike: "money0",
        vol: (v) => formatPct(v as number, 0),
        price: "money",
        p_itm: "pct",
      },
      labels: { vol: "σ", p_itm: "P(ITM)" },
    }),
  ];
}

/**
 * The term structures' slopes, in Markdown: each day's ATM IV at the nearest and farthest
 * expiry, and whether it rises (upward) or falls (inverted).
 *
 * @param frames the term structures (termStructureFrame), one per day
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { termStructureText } from "./pricing_views.ts";
 * const ts = pl.DataFrame({ date: [new Date("2020-03-16"), new Date("2020-03-16")],
 *   expiration: [new Date("2020-03-20"), new Date("2020-06-19")], dte: [4, 95],
 *   strike: [240, 240], atm_iv: [0.8, 0.45] });
 * assert.ok(termStructureText([ts]).includes("2020-03-16: 80.0% → 45.0%, inverted"));
 * ```
 */
export function termStructureText(frames: pl.DataFrame[]): string {
  const parts = frames.filter((f) => f.height > 0).map((f) => {
    const iv = f.getColumn("atm_iv").toArray() as number[];
    const day = (f.getColumn("date").toArray()[0] as unknown as Date).toISOString().slice(0, 10);
    const [first, last] = [iv[0], iv[iv.length - 1]];
    return `${day}: ${formatPct(first)} → ${formatPct(last)}, ` +
      `${last > first ? "upward" : last < first ? "inverted" : "flat"}`;
  });
  return `At-the-money IV from the nearest expiry to the farthest (${parts.join("; ")}).`;
}
