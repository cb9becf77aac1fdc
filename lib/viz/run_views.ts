/**
 * Views of one run for the reports: its trade log as a readable table, the slippage sweep as a
 * figure, and the sentences that say where its equity went (from lib/output's
 * equityLandmarks).
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { EquityLandmarks } from "../output/findings.ts";
import type { SlippageSweep } from "../simulation/sweep.ts";
import { type Displayable, table } from "./display.ts";
import type { ColumnFormat } from "./format.ts";
import { formatMoney, formatPct } from "./format.ts";
import { Plot, plotSvg } from "./plot.ts";

/** Formats of the trade log's columns. */
const TRADE_FORMATS: Record<string, ColumnFormat> = {
  entry_date: "date",
  exit_date: "date",
  expiration: "date",
  entry_credit: 2,
  exit_debit: 2,
  commission: "money",
  pnl: "money",
  pnl_pct: "pct",
  delta_at_entry: 3,
  theta_at_entry: 4,
  iv_rank_at_entry: 1,
  vix_at_entry: 2,
  underlying_price_entry: 2,
  underlying_price_exit: 2,
  width: 2,
  max_loss: "money",
  short_delta_at_entry: 3,
  gamma_at_entry: 4,
  vega_at_entry: 4,
  p_itm: "pct",
  expected_value: 4,
  score: 3,
};

/** The trade log's columns a reader checks first. */
export const TRADE_TABLE_COLUMNS = [
  "trade_id",
  "underlying",
  "entry_date",
  "exit_date",
  "days_held",
  "short_strike",
  "long_strike",
  "expiration",
  "contracts",
  "entry_credit",
  "exit_debit",
  "commission",
  "pnl",
  "pnl_pct",
  "exit_reason",
  "delta_at_entry",
  "iv_rank_at_entry",
  "vix_at_entry",
] as const;

/**
 * A trade log as a table: dates as dates, money to the cent, pnl_pct as a percentage, prices
 * per share with two decimals; the first rows only, in a box that scrolls sideways.
 *
 * @param trades a trade log (tradesFrame)
 * @param options rows (default 10), columns (default TRADE_TABLE_COLUMNS; "all" for every one)
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { tradeTable } from "./run_views.ts";
 * const trades = pl.DataFrame({ trade_id: ["T000001"], pnl: [-164.12], pnl_pct: [-0.0868], extra: [1] });
 * const t = tradeTable(trades).html;
 * assert.ok(t.includes("-$164.12") && t.includes("-8.7%") && !t.includes("extra"));
 * ```
 */
export function tradeTable(
  trades: pl.DataFrame,
  options: { rows?: number; columns?: readonly string[] | "all" } = {},
): Displayable {
  const wanted = options.columns === "all"
    ? trades.columns
    : (options.columns ?? TRADE_TABLE_COLUMNS).filter((c) => trades.columns.includes(c));
  const head = trades.select(...wanted).head(options.rows ?? 10);
  return table(head, {
    formats: TRADE_FORMATS,
    caption:
      `The first ${head.height} of ${trades.height} trades (${wanted.length} of ${trades.columns.length} columns; scroll sideways)`,
  });
}

/**
 * The slippage sweep: total P&L at each two-leg slippage fraction of the bid-ask, the
 * configured fraction as a labelled dashed line, and where P&L crosses zero.
 *
 * @param sweep the sweep (slippageSweep)
 * @param options configured: the configuration's two-leg fraction (e.g. 0.66)
 * @returns the SVG figure
 *
 * @example The configured fraction is labelled
 * ```ts
 * import assert from "node:assert/strict";
 * import { slippageChart } from "./run_views.ts";
 * const sweep = { points: [{ slippage: 0, trades: 10, total_pnl: 500, sharpe: 1 },
 *   { slippage: 1, trades: 10, total_pnl: -500, sharpe: -1 }], pnl_break_even: 0.5, sharpe_break_even: 0.5 };
 * const svg = slippageChart(sweep, { configured: 0.66 }).html;
 * assert.ok(svg.includes("configured: 66%") && svg.includes("P&amp;L crosses zero at 50%"));
 * ```
 */
export function slippageChart(
  sweep: SlippageSweep,
  options: { configured?: number } = {},
): Displayable {
  const be = sweep.pnl_break_even;
  const crossing = be === null
    ? "P&L stays positive at every fraction tested"
    : be <= sweep.points[0]?.slippage
    ? "P&L is negative even at the lowest fraction tested"
    : `P&L crosses zero at ${formatPct(be, 0)} of the bid-ask`;
  const configured = options.configured;
  return plotSvg({
    title: "Total P&L against the slippage paid on each two-leg fill",
    subtitle: crossing,
    height: 300,
    x: { label: "two-leg slippage (fraction of the bid-ask given up)", tickFormat: ".0%" },
    y: { grid: true, nice: true, label: "total P&L ($)", tickFormat: "$,.0f" },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(sweep.points, { x: "slippage", y: "total_pnl", marker: "dot" }),
      ...(configured === undefined ? [] : [
        Plot.ruleX([configured], { stroke: "#868e96", strokeDasharray: "4,3" }),
        Plot.text([configured], {
          x: (d: number) => d,
          frameAnchor: "top",
          text: (d: number) => `configured: ${formatPct(d, 0)}`,
          dx: 6,
          dy: 4,
          textAnchor: "start",
          fontSize: 11,
        }),
      ]),
      ...(be === null || be <= sweep.points[0]?.slippage ? [] : [
        Plot.dot([be], { x: (d: number) => d, y: 0, r: 5, stroke: "#d6336c", strokeWidth: 2 }),
      ]),
    ],
  });
}

/**
 * Where the equity went, in two sentences (Markdown): start and end, the peak, the worst
 * drawdown with its dates and whether it recovered, and the benchmark over the same span.
 *
 * @param l the landmarks (equityLandmarks)
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equityStoryText } from "./run_views.ts";
 * const text = equityStoryText({ first_date: "2019-12-31", last_date: "2024-12-31",
 *   starting_equity: 100000, final_equity: 86127.16, total_return: -0.1387, peak_equity: 100212.14,
 *   peak_date: "2020-02-04", worst_drawdown: -0.1734, drawdown_start: "2020-02-05",
 *   drawdown_trough: "2023-12-19", drawdown_recovery: null, benchmark_name: "SPY", benchmark_return: 0.82 });
 * assert.ok(text.includes("peaked at $100,212.14 on 2020-02-04"));
 * assert.ok(text.includes("had not recovered by 2024-12-31"));
 * // An equity that never closed above its start has no peak to speak of.
 * const down = equityStoryText({ first_date: "2020-03-02", last_date: "2024-12-31",
 *   starting_equity: 100000, final_equity: 92873.78, total_return: -0.0713, peak_equity: 99985.6,
 *   peak_date: "2020-03-02", worst_drawdown: -0.0713, drawdown_start: "2020-03-02",
 *   drawdown_trough: "2023-11-28", drawdown_recovery: null, benchmark_name: null, benchmark_return: null });
 * assert.ok(down.includes("never closed above its start and ended at $92,873.78"));
 * ```
 */
export function equityStoryText(l: EquityLandmarks): string {
  const recovery = l.drawdown_recovery === null
    ? `had not recovered by ${l.last_date}`
    : `recovered on ${l.drawdown_recovery}`;
  const direction = l.total_return > 0 ? "up" : l.total_return < 0 ? "down" : "flat";
  const bench = l.benchmark_name && l.benchmark_return !== null
    ? ` Over the same span ${l.benchmark_name} bought and held returned ${
      formatPct(l.benchmark_return, 1, { sign: true })
    }.`
    : "";
  const drawdown = l.drawdown_start === null
    ? "It never fell below a previous peak."
    : `Its worst drawdown, ${formatPct(l.worst_drawdown)}, began on ${l.drawdown_start}, ` +
      `bottomed on ${l.drawdown_trough} and ${recovery}.`;
  const peak = l.peak_equity > l.starting_equity
    ? `peaked at ${formatMoney(l.peak_equity)} on ${l.peak_date}`
    : "never closed above its start";
  return `From ${
    formatMoney(l.starting_equity)
  } on ${l.first_date}, the equity ${peak} and ended ` +
    `at ${formatMoney(l.final_equity)} on ${l.last_date}, ${direction} ${
      formatPct(Math.abs(l.total_return))
    }. ${drawdown}${bench}`;
}

/** How each exit reason reads in a sentence. */
const EXIT_WORDS: Record<string, string> = {
  profit_target: "profit targets",
  stop_loss: "stop losses",
  trailing_stop: "trailing stops",
  time_exit: "time exits",
  max_days_held: "holding-period limits",
  expiration: "expirations",
  assignment: "early assignments",
  end_of_period: "the end of the data",
};

/**
 * What each exit reason did, in one sentence (Markdown): its trades, their total P&L in
 * dollars and their mean pnl_pct, in the order exits are checked.
 *
 * @param exitReasons an exit-reason frame (exitReasonFrame: exit_reason, trades, total_pnl,
 *   mean_pnl_pct)
 * @returns the sentence
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { exitReasonText } from "./run_views.ts";
 * const f = pl.DataFrame({ exit_reason: ["profit_target", "stop_loss"], trades: [224, 74],
 *   total_pnl: [25843.62, -35037.02], mean_pnl_pct: [0.0787, -0.3228] });
 * assert.equal(exitReasonText(f), "Profit targets closed 224 trades for $25,843.62 " +
 *   "(mean +7.9% of max loss); stop losses closed 74 for -$35,037.02 (mean -32.3%).");
 * ```
 */
export function exitReasonText(exitReasons: pl.DataFrame): string {
  const parts = exitReasons.toRecords().map((r, i) => {
    const reason = EXIT_WORDS[r.exit_reason as string] ?? String(r.exit_reason);
    const mean = formatPct(r.mean_pnl_pct as number, 1, { sign: true });
    return `${reason} closed ${r.trades}${
      i === 0 ? ` trade${r.trades === 1 ? "" : "s"}` : ""
    } for ${formatMoney(r.total_pnl as number)} (mean ${mean}${i === 0 ? " of max loss" : ""})`;
  });
  const text = parts.join("; ");
  return text ? `${text[0].toUpperCase()}${text.slice(1)}.` : "No trade closed.";
}
