/**
 * The strategies notebook's figures, tables and sentences, drawn from lib/output's comparison
 * frames (strategy_comparison.ts): equity and drawdown of each strategy on one time axis, each
 * Sharpe ratio with its bootstrap interval, P&L by VIX regime at entry, the worst trades, and
 * the findings: which did best and whether its lead is more than noise. Every number in the
 * sentences is read from the frames.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { StrategyRun } from "../output/strategy_comparison.ts";
import { type Displayable, md, table } from "./display.ts";
import { formatDate, formatMoney, formatNumber, formatPct } from "./format.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";

type Row = Record<string, unknown>;

/** One colour per strategy of the default comparison (others: grey). */
export const STRATEGY_COLORS: Readonly<Record<string, string>> = {
  "put spread": "#1c7ed6",
  "call spread": "#e8590c",
  "both sides": "#7048e8",
  "iron condor": "#2f9e44",
};

/** The strategies of a frame in the order they first appear, with their colours. */
function strategyScale(records: Row[]) {
  const domain = [...new Set(records.map((r) => r.strategy as string))];
  return {
    legend: true,
    label: null,
    domain,
    range: domain.map((s) => STRATEGY_COLORS[s] ?? "#868e96"),
  };
}

/** The time axis of a frame's dates. */
function axisOf(records: Row[]): Plot.ScaleOptions {
  if (!records.length) return { type: "utc", label: null };
  const dates = records.map((r) => (r.date as Date).getTime());
  return timeAxis(new Date(Math.min(...dates)), new Date(Math.max(...dates)));
}

/**
 * The comparison in one line: its span and each strategy's trade count.
 *
 * @param runs the comparison's runs (compareStrategies)
 * @returns Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strategyRunsText } from "./strategy_views.ts";
 * const run = (name: string, trades: number) => ({ name, result: { tradableFrom: "2020-01-02",
 *   metrics: { trade_count: trades, last_date: "2024-12-31" } } });
 * const text = strategyRunsText([run("put spread", 370), run("iron condor", 309)] as never).html;
 * assert.ok(text.includes("2020-01-02 to 2024-12-31") && text.includes("iron condor 309 trades"));
 * ```
 */
export function strategyRunsText(runs: readonly StrategyRun[]): Displayable {
  const from = runs.map((r) => r.result.tradableFrom).sort().at(-1);
  const to = runs.map((r) => r.result.metrics.last_date).sort().at(-1);
  const counts = runs.map((r) =>
    `${r.name} ${formatNumber(r.result.metrics.trade_count)} trade${
      r.result.metrics.trade_count === 1 ? "" : "s"
    }`
  );
  return md(`${runs.length} backtests from ${from} to ${to}: ${counts.join(", ")}.`);
}

/**
 * Each strategy's equity over the common tradable span, one line each.
 *
 * @param equity strategyEquityFrame's frame (date, strategy, equity, drawdown)
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyEquityChart } from "./strategy_views.ts";
 * const f = pl.DataFrame([pl.Series("date", [19724, 19725, 19724, 19725]).cast(pl.Date),
 *   pl.Series("strategy", ["put spread", "put spread", "iron condor", "iron condor"]),
 *   pl.Series("equity", [100000, 100500, 100000, 99800]), pl.Series("drawdown", [0, 0, 0, -0.002])]);
 * const svg = strategyEquityChart(f).html;
 * assert.ok(svg.includes("iron condor") && svg.includes("Equity of each strategy"));
 * ```
 */
export function strategyEquityChart(equity: pl.DataFrame): Displayable {
  const records = equity.toRecords() as Row[];
  return plotSvg({
    title: "Equity of each strategy",
    subtitle: "one configuration, its strategy_type changed; the same starting equity and span",
    height: 340,
    x: axisOf(records),
    y: { grid: true, label: "equity ($)", tickFormat: "$,.0f", nice: true, inset: 6 },
    color: strategyScale(records),
    marks: [
      Plot.lineY(records, { x: "date", y: "equity", stroke: "strategy", strokeWidth: 1.4 }),
    ],
  });
}

/**
 * Each strategy's drawdown (equity below its running peak), one line each, with each one's
 * deepest point marked.
 *
 * @param equity strategyEquityFrame's frame
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyDrawdownChart } from "./strategy_views.ts";
 * const f = pl.DataFrame([pl.Series("date", [19724, 19725]).cast(pl.Date),
 *   pl.Series("strategy", ["put spread", "put spread"]), pl.Series("equity", [100000, 95000]),
 *   pl.Series("drawdown", [0, -0.05])]);
 * assert.ok(strategyDrawdownChart(f).html.includes("-5.0%"));
 * ```
 */
export function strategyDrawdownChart(equity: pl.DataFrame): Displayable {
  const records = equity.toRecords() as Row[];
  const troughs = [...Map.groupBy(records, (r) => r.strategy as string).values()].map((rows) =>
    rows.reduce((w, r) => ((r.drawdown as number) < (w.drawdown as number) ? r : w))
  ).filter((r) => (r.drawdown as number) < 0);
  return plotSvg({
    title: "Drawdown of each strategy: equity below its running peak",
    subtitle: `deepest (dots): ${
      troughs.map((r) =>
        `${r.strategy} ${formatPct(r.drawdown as number)} on ${formatDate(r.date as Date)}`
      ).join(", ")
    }`,
    height: 260,
    x: axisOf(records),
    y: { grid: true, label: "drawdown", tickFormat: ".0%", nice: true },
    color: strategyScale(records),
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(records, { x: "date", y: "drawdown", stroke: "strategy", strokeWidth: 1.2 }),
      Plot.dot(troughs, { x: "date", y: "drawdown", fill: "strategy", r: 4, stroke: "#212529" }),
    ],
  });
}

/**
 * Each strategy's Sharpe ratio (daily returns, annualized) with its stationary-bootstrap
 * interval.
 *
 * @param findings strategyFindingsFrame's frame
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategySharpeChart } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["put spread"], trades: [10], sharpe: [0.4],
 *   sharpe_lower: [-0.5], sharpe_upper: [1.3], level: [0.9] });
 * assert.ok(strategySharpeChart(f).html.includes("90% bootstrap intervals"));
 * ```
 */
export function strategySharpeChart(findings: pl.DataFrame): Displayable {
  const rows = (findings.toRecords() as Row[]).filter((r) => r.sharpe !== null);
  const level = rows.length ? formatPct(rows[0].level as number, 0) : "90%";
  return plotSvg({
    title: `Sharpe ratio of each strategy, with ${level} bootstrap intervals`,
    subtitle: "daily returns over the common span, annualized (× √252); stationary bootstrap " +
      "of blocks of days",
    height: 70 + 46 * rows.length,
    marginLeft: 100,
    marginRight: 90,
    x: { grid: true, label: "Sharpe (annualized)", nice: true },
    y: { label: null, domain: rows.map((r) => String(r.strategy)) },
    marks: [
      Plot.ruleX([0]),
      Plot.link(rows, {
        x1: "sharpe_lower",
        x2: "sharpe_upper",
        y1: "strategy",
        y2: "strategy",
        stroke: "#495057",
        strokeWidth: 2,
      }),
      Plot.dot(rows, {
        x: "sharpe",
        y: "strategy",
        fill: (d: Row) => STRATEGY_COLORS[d.strategy as string] ?? "#868e96",
        stroke: "#212529",
        r: 6,
      }),
      Plot.text(rows, {
        x: "sharpe_upper",
        y: "strategy",
        text: (d: Row) => `${formatNumber(d.trades as number)} trades`,
        dx: 8,
        textAnchor: "start",
        fontSize: 11,
      }),
    ],
  });
}

/**
 * Each strategy's total P&L by the VIX regime of the entry day, bars grouped by regime.
 *
 * @param regimes strategyRegimeFrame's frame
 * @returns the SVG figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyRegimeChart } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["put spread", "iron condor"], regime: ["<15", "<15"],
 *   trades: [3, 2], win_rate: [1, 0.5], mean_pnl_pct: [0.1, -0.2], total_pnl: [300, -150] });
 * const svg = strategyRegimeChart(f).html;
 * assert.ok(svg.includes("VIX") && svg.includes("-$150"));
 * ```
 */
export function strategyRegimeChart(regimes: pl.DataFrame): Displayable {
  const records = regimes.toRecords() as Row[];
  const order = ["<15", "15-25", "25-35", ">35", "unknown"].filter((r) =>
    records.some((x) => x.regime === r)
  );
  return plotSvg({
    title: "Total P&L by the VIX regime of the entry day",
    subtitle: "labels: total P&L and trades entered",
    height: 320,
    marginBottom: 50,
    fx: { domain: order, label: "VIX at entry", padding: 0.12 },
    x: { axis: null, domain: strategyScale(records).domain },
    y: { grid: true, label: "total P&L ($)", tickFormat: "$,.0f", nice: true, inset: 14 },
    color: strategyScale(records),
    marks: [
      Plot.ruleY([0]),
      Plot.barY(records, { fx: "regime", x: "strategy", y: "total_pnl", fill: "strategy" }),
      ...[1, -1].map((sign) =>
        Plot.text(records.filter((d) => sign * (d.total_pnl as number) >= 0), {
          fx: "regime",
          x: "strategy",
          y: "total_pnl",
          text: (d: Row) =>
            `${formatMoney(d.total_pnl as number, 0)}\n${formatNumber(d.trades as number)}`,
          dy: -14 * sign,
          fontSize: 9,
          lineHeight: 1.1,
        })
      ),
    ],
  });
}

/**
 * Each strategy's trades by VIX regime at entry, as a table.
 *
 * @param regimes strategyRegimeFrame's frame
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyRegimeTable } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["put spread"], regime: ["<15"], trades: [3],
 *   win_rate: [2 / 3], mean_pnl_pct: [0.05], total_pnl: [300] });
 * const t = strategyRegimeTable(f).html;
 * assert.ok(t.includes("66.7%") && t.includes("$300.00") && t.includes("mean P&amp;L / max loss"));
 * ```
 */
export function strategyRegimeTable(regimes: pl.DataFrame): Displayable {
  return table(regimes, {
    caption: "By VIX regime at entry",
    formats: { trades: "int", win_rate: "pct", mean_pnl_pct: "pct", total_pnl: "money" },
    labels: {
      regime: "VIX at entry",
      win_rate: "win rate",
      mean_pnl_pct: "mean P&L / max loss",
      total_pnl: "total P&L",
    },
    maxHeight: 420,
  });
}

/**
 * The worst trades of each strategy as a table.
 *
 * @param worst worstTradesFrame's frame
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { worstTradesTable } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["iron condor"], trade_id: ["T000007"], pnl: [-1873.96],
 *   pnl_pct: [-1.0119] });
 * const t = worstTradesTable(f).html;
 * assert.ok(t.includes("-$1,873.96") && t.includes("-101.2%"));
 * ```
 */
export function worstTradesTable(worst: pl.DataFrame): Displayable {
  return table(worst, {
    caption: "The worst trades of each strategy by P&L (strikes: sold/bought; p puts, c calls)",
    formats: {
      pnl: "money",
      pnl_pct: "pct",
      vix_at_entry: 1,
      contracts: "int",
      entry_date: "date",
      exit_date: "date",
    },
    labels: {
      trade_id: "trade",
      spread_type: "type",
      entry_date: "entry",
      exit_date: "exit",
      exit_reason: "exit reason",
      vix_at_entry: "VIX at entry",
      pnl: "P&L",
      pnl_pct: "P&L / max loss",
    },
    maxHeight: 520,
  });
}

/**
 * The findings as a table: each strategy's trades, P&L, win rate, drawdown, Sharpe with its
 * interval, and its gap to the best with the paired interval and the verdict.
 *
 * @param findings strategyFindingsFrame's frame
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyFindingsTable } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["a", "b"], trades: [10, 12], total_pnl: [500, -200],
 *   win_rate: [0.7, 0.6], max_drawdown: [-0.05, -0.08], sharpe: [0.9, 0.1],
 *   sharpe_lower: [0.1, -0.7], sharpe_upper: [1.7, 0.9], gap_to_best: [0, 0.8],
 *   gap_lower: [null, 0.2], gap_upper: [null, 1.4], verdict: ["best", "behind, beyond noise"],
 *   level: [0.9, 0.9] });
 * const t = strategyFindingsTable(f).html;
 * assert.ok(t.includes("0.10 to 1.70") && t.includes("0.20 to 1.40") && t.includes("behind, beyond noise"));
 * ```
 */
export function strategyFindingsTable(findings: pl.DataFrame): Displayable {
  const rows = findings.toRecords() as Row[];
  const level = rows.length ? formatPct(rows[0].level as number, 0) : "90%";
  const span = (lo: unknown, hi: unknown) =>
    lo === null || hi === null
      ? "—"
      : `${(lo as number).toFixed(2)} to ${(hi as number).toFixed(2)}`;
  const two = (x: unknown) => (x === null ? "—" : (x as number).toFixed(2));
  return table(
    rows.map((r) => ({
      strategy: r.strategy,
      trades: formatNumber(r.trades as number),
      "total P&L": formatMoney(r.total_pnl as number),
      "win rate": r.win_rate === null ? "—" : formatPct(r.win_rate as number),
      "max drawdown": formatPct(r.max_drawdown as number),
      Sharpe: two(r.sharpe),
      [`Sharpe ${level} interval`]: span(r.sharpe_lower, r.sharpe_upper),
      "gap to the best": r.verdict === "best" ? "—" : two(r.gap_to_best),
      [`gap ${level} interval`]: span(r.gap_lower, r.gap_upper),
      verdict: r.verdict,
    })),
    {
      caption:
        `Side by side: Sharpe of daily returns (annualized) with ${level} stationary-bootstrap ` +
        "intervals; the gap is the best's Sharpe minus each one's, paired (the same days resampled " +
        "for both)",
      align: { verdict: "left", strategy: "left" },
    },
  );
}

/**
 * The findings in words: which strategy did best, by how much, and which of its leads are more
 * than noise.
 *
 * @param findings strategyFindingsFrame's frame
 * @returns Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyFindingsText } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["a", "b", "c"], trades: [10, 12, 9], total_pnl: [500, -200, 10],
 *   win_rate: [0.7, 0.6, 0.5], max_drawdown: [-0.05, -0.08, -0.02], sharpe: [0.9, 0.1, 0.5],
 *   sharpe_lower: [0.1, -0.7, -0.3], sharpe_upper: [1.7, 0.9, 1.2], gap_to_best: [0, 0.8, 0.4],
 *   gap_lower: [null, 0.2, -0.3], gap_upper: [null, 1.4, 1.1],
 *   verdict: ["best", "behind, beyond noise", "not distinguishable"], level: [0.9, 0.9, 0.9] });
 * const text = strategyFindingsText(f).html;
 * assert.ok(text.includes("<strong>a</strong> did best"));
 * assert.ok(text.includes("Its lead over b (gap 0.80) is more than noise"));
 * assert.ok(text.includes("Its lead over c (gap 0.40) is not"));
 * ```
 */
export function strategyFindingsText(findings: pl.DataFrame): Displayable {
  const rows = findings.toRecords() as Row[];
  const best = rows.find((r) => r.verdict === "best");
  if (!best) return md("No strategy traded over the span: there is nothing to compare.");
  const level = formatPct(best.level as number, 0);
  const beyond = rows.filter((r) => r.verdict === "behind, beyond noise");
  const close = rows.filter((r) => r.verdict === "not distinguishable");
  const none = rows.filter((r) => r.verdict === "no trades");
  const names = (rs: Row[]) =>
    rs.map((r) => `${r.strategy} (gap ${(r.gap_to_best as number).toFixed(2)})`);
  const list = (xs: string[]) =>
    xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
  const parts = [
    `**${best.strategy}** did best: Sharpe ${(best.sharpe as number).toFixed(2)} (${level} ` +
    `interval ${(best.sharpe_lower as number).toFixed(2)} to ${
      (best.sharpe_upper as number).toFixed(2)
    }), total P&L ${formatMoney(best.total_pnl as number)} over ${
      formatNumber(best.trades as number)
    } trades, max drawdown ${formatPct(best.max_drawdown as number)}.`,
  ];
  const lead = (rs: Row[]) => `Its lead${rs.length > 1 ? "s" : ""} over ${list(names(rs))}`;
  if (beyond.length) {
    parts.push(
      `${lead(beyond)} ${beyond.length > 1 ? "are" : "is"} more than noise: the ${level} ` +
        `interval of the paired difference lies above 0.`,
    );
  }
  if (close.length) {
    parts.push(
      `${lead(close)} ${close.length > 1 ? "are" : "is"} not: ${
        close.length > 1 ? "those intervals contain" : "that interval contains"
      } 0, so on this sample they are not told apart from it.`,
    );
  }
  if ((best.sharpe_upper as number) < 0) {
    parts.push(
      `Even the best one's interval lies below 0: every strategy here lost money for its risk.`,
    );
  } else if ((best.sharpe_lower as number) <= 0) {
    parts.push(
      `Even the best one's own interval contains 0: no strategy here shows a Sharpe ratio ` +
        `distinguishable from zero.`,
    );
  }
  if (none.length) parts.push(`${list(none.map((r) => String(r.strategy)))} entered no trade.`);
  return md(parts.join(" "));
}

/**
 * How each strategy's trades ended, as a table, with a sentence on the one that ran to
 * expiration most often and on its position-days without a complete set of quotes.
 *
 * @param exits strategyExitFrame's frame
 * @returns the sentence and the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { strategyExitView } from "./strategy_views.ts";
 * const f = pl.DataFrame({ strategy: ["put spread", "call spread", "both sides", "iron condor"],
 *   trades: [10, 9, 9, 8], spread_types: ["bull_put 10", "bear_call 9",
 *   "bear_call 8, bull_put 1", "iron_condor 8"], profit_target: [6, 5, 5, 3],
 *   expiration: [0, 0, 0, 4], expiration_share: [0, 0, 0, 0.5], missing_quote_days: [2, 3, 3, 90],
 *   itm_per_delta: [1.1, 0.9, 0.92, 1.05] });
 * const [text, t] = strategyExitView(f);
 * assert.ok(text.html.includes("<strong>iron condor</strong> ran to expiration") && text.html.includes("50.0%"));
 * assert.ok(text.html.includes("entered bear_call 8, bull_put 1") && text.html.includes("1.10× its |delta|"));
 * assert.ok(t.html.includes("profit target"));
 * ```
 */
export function strategyExitView(exits: pl.DataFrame): [Displayable, Displayable] {
  const rows = exits.toRecords() as Row[];
  const most = rows.filter((r) => r.expiration_share !== null).reduce<Row | null>(
    (
      m,
      r,
    ) => (m === null || (r.expiration_share as number) > (m.expiration_share as number) ? r : m),
    null,
  );
  const fewest = rows.reduce<Row | null>(
    (m, r) =>
      m === null || (r.missing_quote_days as number) < (m.missing_quote_days as number) ? r : m,
    null,
  );
  const text: string[] = [];
  if (most === null || (most.expiration_share as number) === 0) {
    text.push("No trade of any strategy ran to expiration.");
  } else {
    text.push(
      `The **${most.strategy}** ran to expiration most often: ${
        formatNumber(most.expiration as number)
      } of its ${formatNumber(most.trades as number)} trades (${
        formatPct(most.expiration_share as number)
      }). A position is closed only on a day that quotes every one of its legs; its positions ` +
        `went without a complete set of quotes on ${
          formatNumber(most.missing_quote_days as number)
        } position-days${
          fewest && fewest !== most
            ? `, against ${
              formatNumber(fewest.missing_quote_days as number)
            } for the ${fewest.strategy}`
            : ""
        }, days on which a profit target, a stop or a time exit cannot fire.`,
    );
  }
  // A strategy that entered both verticals (ranked together): its mix, and the P(ITM) per unit
  // of |delta| of the one-sided strategies' trades, which the score's EV term reads.
  const one = (type: string) =>
    rows.find((r) => String(r.spread_types ?? "").match(new RegExp(`^${type} \\d+$`)));
  const puts = one("bull_put"), calls = one("bear_call");
  for (const r of rows.filter((r) => String(r.spread_types).includes(","))) {
    text.push(
      `Ranked together, **${r.strategy}** entered ${r.spread_types} (of ${
        formatNumber(r.trades as number)
      } trades).` + (puts && calls
        ? ` At entry a short leg's risk-neutral chance of finishing in the money averaged ${
          (puts.itm_per_delta as number).toFixed(2)
        }× its |delta| on the ${puts.strategy}'s trades and ${
          (calls.itm_per_delta as number).toFixed(2)
        }× on the ${calls.strategy}'s: the expected-value term of the score reads that chance.`
        : ""),
    );
  }
  const labels: Record<string, string> = {
    spread_types: "spread types",
    profit_target: "profit target",
    stop_loss: "stop loss",
    trailing_stop: "trailing stop",
    time_exit: "time exit",
    assignment: "early assignment",
    max_days_held: "max days held",
    end_of_period: "end of period",
    expiration_share: "share expired",
    missing_quote_days: "days without all quotes",
    itm_per_delta: "P(ITM) / |delta| at entry",
  };
  return [
    md(text.join("\n\n")),
    table(exits, {
      caption: "How the trades ended, and the position-days without a complete set of quotes",
      formats: { expiration_share: "pct", itm_per_delta: 2 },
      labels,
    }),
  ];
}
