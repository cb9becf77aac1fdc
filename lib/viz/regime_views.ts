/**
 * The regimes notebook's tables, figures and sentences: results by VIX regime (trades entered
 * in it, days spent in it), P&L as a share of maximum loss by regime and by underlying, the
 * regime × exit-reason cross-table and its stacked bars in one order, the Sharpe of the days in
 * each regime with bootstrap intervals, and the trend + VIX market regimes.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type Displayable, html, table } from "./display.ts";
import { formatMoney, formatNumber, formatPct } from "./format.ts";
import { EXIT_REASON_COLORS, REGIME_COLORS } from "./palette.ts";
import { Plot, plotSvg, timeAxis } from "./plot.ts";

type Row = Record<string, unknown>;

/** Records of a frame. */
function recordsOf(frame: pl.DataFrame): Row[] {
  return frame.toRecords() as Row[];
}

/** The formats of a regime-statistics table's columns. */
const REGIME_FORMATS = {
  trades: "int",
  trade_count: "int",
  days: "int",
  win_rate: "pct",
  total_pnl: "money",
  average_pnl: "money",
  average_win: "money",
  average_loss: "money",
  day_share: "pct",
  sharpe: 2,
  sortino: 2,
  profit_factor: 2,
  average_days_held: 1,
  cagr: "pct",
  max_drawdown: "pct",
} as const;

/** The labels of a regime-statistics table's columns. */
const REGIME_LABELS: Record<string, string> = {
  trades: "trades entered",
  trade_count: "trades entered",
  win_rate: "win rate",
  total_pnl: "total P&L",
  average_pnl: "mean P&L",
  average_win: "mean win",
  average_loss: "mean loss",
  days: "days spent",
  day_share: "share of days",
  sharpe: "Sharpe (days)",
  sortino: "Sortino (days)",
  profit_factor: "profit factor",
  average_days_held: "mean days held",
  cagr: "CAGR (days)",
  max_drawdown: "max drawdown (days)",
};

/**
 * A regime breakdown as a table: the trades entered in each regime (count, win rate, P&L to the
 * cent) and the days spent in it (count, share, Sharpe, CAGR, drawdown), regimes in order; a
 * regime with neither trades nor days is left out.
 *
 * @param stats regimeStatsFrame's or regimeBreakdownFrame's frame
 * @param caption the caption
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeStatsTable } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15", "unknown"], trades: [12, 0], win_rate: [0.75, null],
 *   total_pnl: [-1234.5, 0], days: [40, 0] });
 * const t = regimeStatsTable(f, "By VIX").html;
 * assert.ok(!t.includes("unknown"));
 * assert.ok(t.includes("75.0%") && t.includes("-$1,234.50") && t.includes("trades entered"));
 * ```
 */
export function regimeStatsTable(stats: pl.DataFrame, caption: string): Displayable {
  const rows = recordsOf(stats).filter((r) =>
    ((r.trades ?? r.trade_count ?? 0) as number) > 0 || ((r.days ?? 0) as number) > 0
  );
  return table(rows, { caption, formats: { ...REGIME_FORMATS }, labels: REGIME_LABELS });
}

/**
 * Which regime the trades came from and where the money went, in Markdown, from a regime
 * table: the regime with most trades, the best and worst by total P&L, and the regime the most
 * days were spent in.
 *
 * @param stats regimeStatsFrame's or regimeBreakdownFrame's frame (regime, trades or
 *   trade_count, total_pnl, days)
 * @param options name: how a regime reads in a sentence (default "with VIX <regime>")
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeText } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15", "15-25"], trades: [10, 30], total_pnl: [500, -2000],
 *   days: [300, 200] });
 * const text = regimeText(f);
 * assert.ok(text.includes("entered with VIX 15-25: **30** of 40"));
 * assert.ok(text.includes("lost the most there (-$2,000.00)"));
 * assert.ok(text.includes("did best with VIX <15 ($500.00)"));
 * const losses = pl.DataFrame({ regime: ["<15", "15-25"], trades: [10, 30],
 *   total_pnl: [-500, -2000], days: [300, 200] });
 * assert.ok(regimeText(losses).includes("lost the least with VIX <15 (-$500.00)"));
 * ```
 */
export function regimeText(
  stats: pl.DataFrame,
  options: { name?: (regime: string) => string } = {},
): string {
  const name = options.name ?? ((r: string) => `with VIX ${r}`);
  const rows = recordsOf(stats).map((r) => ({
    regime: String(r.regime),
    trades: (r.trades ?? r.trade_count) as number,
    total_pnl: r.total_pnl as number,
    days: r.days as number,
  }));
  const total = rows.reduce((a, r) => a + r.trades, 0);
  const most = rows.reduce((a, b) => (b.trades > a.trades ? b : a));
  const traded = rows.filter((r) => r.trades > 0);
  const longest = rows.reduce((a, b) => (b.days > a.days ? b : a));
  const days = `Most days were spent ${name(longest.regime)} (${formatNumber(longest.days)} days).`;
  if (!traded.length) return `No trade was entered. ${days}`;
  const worst = traded.reduce((a, b) => (b.total_pnl < a.total_pnl ? b : a));
  const best = traded.reduce((a, b) => (b.total_pnl > a.total_pnl ? b : a));
  const where = worst.regime === most.regime ? "there" : name(worst.regime);
  return `Most trades were entered ${name(most.regime)}: **${formatNumber(most.trades)}** of ` +
    `${formatNumber(total)}. The strategy ${worst.total_pnl < 0 ? "lost" : "made"} the ` +
    `${worst.total_pnl < 0 ? "most" : "least"} ${where} (${formatMoney(worst.total_pnl)}) and ` +
    `${best.total_pnl < 0 ? "lost the least" : "did best"} ${name(best.regime)} ` +
    `(${formatMoney(best.total_pnl)}). ${days}`;
}

/**
 * Mean P&L as a share of maximum loss (pnl_pct) by a group (regime or underlying), as bars: a
 * scale on which trades of 1 and of 11 contracts compare; each bar labelled with its trades and
 * total P&L in dollars.
 *
 * @param groups regimeExitFrame's or pnlByGroupFrame's frame (mean_pnl_pct, trades, total_pnl)
 * @param key the group column ("regime" or "underlying")
 * @param title the title
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { pnlPctChart } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15", ">35"], trades: [10, 2], mean_pnl_pct: [0.05, -0.4],
 *   total_pnl: [520.5, -3000] });
 * const svg = pnlPctChart(f, "regime", "By regime").html;
 * assert.ok(svg.includes("10 trades, $520.50") && svg.includes("2 trades, -$3,000.00"));
 * ```
 */
export function pnlPctChart(groups: pl.DataFrame, key: string, title: string): Displayable {
  const rows = recordsOf(groups);
  const domain = rows.map((r) => String(r[key]));
  const values = rows.map((r) => r.mean_pnl_pct as number);
  const extent = Math.max(0.05, ...values.map(Math.abs)) * 3; // room for the labels
  return plotSvg({
    title,
    subtitle: "mean P&L per trade as a share of its maximum loss; labels: trades and total P&L",
    width: 520,
    height: 80 + 44 * rows.length,
    marginLeft: 64,
    x: { grid: true, label: "mean P&L / max loss", tickFormat: ".0%", domain: [-extent, extent] },
    y: { label: null, domain },
    marks: [
      Plot.barX(rows, {
        x: "mean_pnl_pct",
        y: (d: Row) => String(d[key]),
        fill: (d: Row) => ((d.mean_pnl_pct as number) >= 0 ? "#2f9e44" : "#d6336c"),
      }),
      ...[true, false].map((gain) =>
        Plot.text(rows.filter((d) => ((d.mean_pnl_pct as number) >= 0) === gain), {
          x: "mean_pnl_pct",
          y: (d: Row) => String(d[key]),
          text: (d: Row) =>
            `${formatNumber(d.trades as number)} trades, ${formatMoney(d.total_pnl as number)}`,
          textAnchor: gain ? "start" : "end",
          dx: gain ? 6 : -6,
          fontSize: 11,
        })
      ),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * The regime × exit-reason cross-table as a table: counts per exit reason, the stop-loss
 * share, mean pnl_pct and total P&L per regime.
 *
 * @param cross regimeExitFrame's frame
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeExitTable } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15"], stop_loss: [3], trades: [10], stop_loss_share: [0.3],
 *   mean_pnl_pct: [-0.05], total_pnl: [-250] });
 * const t = regimeExitTable(f).html;
 * assert.ok(t.includes("30.0%") && t.includes("-$250.00") && t.includes("stop loss"));
 * ```
 */
export function regimeExitTable(cross: pl.DataFrame): Displayable {
  const labels: Record<string, string> = {
    regime: "VIX at entry",
    stop_loss_share: "stop-loss share",
    mean_pnl_pct: "mean P&L / max loss",
    total_pnl: "total P&L",
  };
  for (const c of cross.columns) if (!labels[c]) labels[c] = c.replaceAll("_", " ");
  return table(cross, {
    caption: "Trades by VIX regime at entry and by how they exited",
    formats: { stop_loss_share: "pct", mean_pnl_pct: "pct", total_pnl: "money" },
    labels,
  });
}

/**
 * The regime × exit-reason cross-table as stacked bars, regimes in VIX order and exit reasons
 * stacked in the order exits are checked (the project's colours), each segment a share of the
 * regime's trades.
 *
 * @param cross regimeExitFrame's frame
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeExitChart } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15", ">35"], profit_target: [8, 1], stop_loss: [2, 3],
 *   trades: [10, 4], stop_loss_share: [0.2, 0.75], mean_pnl_pct: [0.1, -0.3], total_pnl: [100, -300] });
 * const svg = regimeExitChart(f).html;
 * assert.ok(svg.indexOf("profit_target") < svg.indexOf("stop_loss"));
 * ```
 */
export function regimeExitChart(cross: pl.DataFrame): Displayable {
  const skip = new Set(["regime", "trades", "stop_loss_share", "mean_pnl_pct", "total_pnl"]);
  const reasons = cross.columns.filter((c) => !skip.has(c));
  const rows = recordsOf(cross);
  const long = rows.flatMap((r) =>
    reasons.map((reason, order) => ({
      regime: r.regime,
      reason,
      order,
      share: (r[reason] as number) / (r.trades as number),
      count: r[reason] as number,
    }))
  );
  return plotSvg({
    title: "How trades exited, by VIX regime at entry",
    subtitle: "share of each regime's trades; labels: trades",
    height: 70 + 40 * rows.length,
    marginLeft: 80,
    x: { grid: true, label: "share of the regime's trades", tickFormat: ".0%", domain: [0, 1] },
    y: { label: null, domain: rows.map((r) => String(r.regime)) },
    color: {
      domain: reasons,
      range: reasons.map((r) => EXIT_REASON_COLORS[r] ?? "#495057"),
      legend: true,
      label: "exit reason",
    },
    marks: [
      Plot.barX(
        long,
        Plot.stackX({
          x: "share",
          y: "regime",
          fill: "reason",
          order: "order",
        } as Plot.BarXOptions),
      ),
      Plot.text(
        long.filter((d) => d.share >= 0.06),
        Plot.stackX({
          x: "share",
          y: "regime",
          order: "order",
          text: (d: Row) => formatNumber(d.count as number),
          fill: "white",
          fontSize: 11,
        } as Plot.TextOptions),
      ),
    ],
  });
}

/**
 * The Sharpe ratio of the days spent in each VIX regime with its bootstrap interval, regimes in
 * VIX order, each labelled with its days; the subtitle says it is the regime of the day, not of
 * the trade's entry.
 *
 * @param sharpe regimeSharpeFrame's frame
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeSharpeChart } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15"], days: [300], sharpe: [0.4], lower: [-0.5],
 *   upper: [1.3], level: [0.9] });
 * const svg = regimeSharpeChart(f).html;
 * assert.ok(svg.includes("300 days") && svg.includes("90%"));
 * ```
 */
export function regimeSharpeChart(sharpe: pl.DataFrame): Displayable {
  const rows = recordsOf(sharpe);
  const level = rows.length ? formatPct(rows[0].level as number, 0) : "90%";
  return plotSvg({
    title: `Sharpe of the days spent in each VIX regime, with ${level} bootstrap intervals`,
    subtitle: "each day's return grouped by that day's VIX close (not the regime at a trade's " +
      "entry: a trade entered calm can lose its money after the VIX rises)",
    height: 60 + 50 * rows.length,
    marginLeft: 80,
    marginRight: 90,
    x: { grid: true, label: "Sharpe (annualized)", nice: true },
    y: { label: null, domain: rows.map((r) => String(r.regime)) },
    marks: [
      Plot.ruleX([0]),
      Plot.link(rows, {
        x1: "lower",
        x2: "upper",
        y1: "regime",
        y2: "regime",
        stroke: "#495057",
        strokeWidth: 2,
      }),
      Plot.dot(rows, {
        x: "sharpe",
        y: "regime",
        fill: (d: Row) => REGIME_COLORS[d.regime as string] ?? "#495057",
        stroke: "#212529",
        r: 6,
      }),
      Plot.text(rows, {
        x: "upper",
        y: "regime",
        text: (d: Row) => `${formatNumber(d.days as number)} days`,
        dx: 8,
        textAnchor: "start",
        fontSize: 11,
      }),
    ],
  });
}

/**
 * Whether any regime's Sharpe interval excludes 0, in Markdown.
 *
 * @param sharpe regimeSharpeFrame's frame
 * @returns the Markdown
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { regimeSharpeText } from "./regime_views.ts";
 * const f = pl.DataFrame({ regime: ["<15", ">35"], days: [300, 40], sharpe: [0.4, -2],
 *   lower: [-0.5, -3.5], upper: [1.3, -0.2], level: [0.9, 0.9] });
 * assert.equal(regimeSharpeText(f), "The 90% interval excludes 0 only for VIX >35 (below 0); " +
 *   "it contains 0 for VIX <15.");
 * const three = pl.DataFrame({ regime: ["<15", "15-25", ">35"], days: [300, 200, 40],
 *   sharpe: [1, 0.1, -2], lower: [0.2, -0.5, -3.5], upper: [1.8, 0.7, -0.2], level: [0.9, 0.9, 0.9] });
 * assert.equal(regimeSharpeText(three), "The 90% interval excludes 0 for VIX <15 (above 0) " +
 *   "and VIX >35 (below 0); it contains 0 for VIX 15-25.");
 * ```
 */
export function regimeSharpeText(sharpe: pl.DataFrame): string {
  const rows = recordsOf(sharpe) as Array<
    { regime: string; lower: number | null; upper: number | null; level: number }
  >;
  const level = rows.length ? formatPct(rows[0].level, 0) : "90%";
  const excludes = (r: (typeof rows)[number]) =>
    r.lower !== null && r.upper !== null && (r.lower > 0 || r.upper < 0);
  const clear = rows.filter(excludes)
    .map((r) => `VIX ${r.regime} (${(r.upper as number) < 0 ? "below" : "above"} 0)`);
  const others = rows.filter((r) => !excludes(r)).map((r) => `VIX ${r.regime}`);
  const list = (xs: string[]) =>
    xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
  if (clear.length === 0) {
    return `Every regime's ${level} interval contains 0: no regime's Sharpe is distinguishable ` +
      `from zero on this sample.`;
  }
  if (others.length === 0) {
    return `The ${level} interval excludes 0 for every regime: ${list(clear)}.`;
  }
  return `The ${level} interval excludes 0 ${clear.length === 1 ? "only " : ""}for ` +
    `${list(clear)}; it contains 0 for ${list(others)}.`;
}

/**
 * Several displayables side by side (they wrap on a narrow page).
 *
 * @param items the displayables
 * @returns one displayable
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { html } from "./display.ts";
 * import { sideBySide } from "./regime_views.ts";
 * assert.ok(sideBySide(html("<p>a</p>"), html("<p>b</p>")).html.includes("display:flex"));
 * ```
 */
export function sideBySide(...items: Displayable[]): Displayable {
  return html(
    `<div style="display:flex;flex-wrap:wrap;gap:16px">${
      items.map((i) => `<div style="flex:1 1 480px;min-width:0">${i.html}</div>`).join("")
    }</div>`,
  );
}

/** A colour per market regime (calm greens to crisis red; unknown grey). */
const MARKET_REGIME_COLORS: Record<string, string> = {
  "bull-calm": "#2f9e44",
  "bull-uncertain": "#94d82d",
  recovery: "#74c0fc",
  "bear-mild": "#fab005",
  "bear-volatile": "#f76707",
  crisis: "#c92a2a",
  unknown: "#ced4da",
};

/**
 * One underlying's close with its 50- and 200-day averages over the market regime of each day
 * (a band of colour per day), the regimes in the order they are reported.
 *
 * @param regimes marketRegimesFrame's frame (date, underlying, close, sma50, sma200, regime)
 * @param underlying the ticker to draw (e.g. the market underlying, the first configured)
 * @returns the figure
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { marketRegimeChart } from "./regime_views.ts";
 * const f = pl.DataFrame({ date: [new Date("2020-01-02"), new Date("2020-01-03")],
 *   underlying: ["SPY", "SPY"], close: [320, 318], sma50: [310, 311], sma200: [300, 301],
 *   vix: [13, 14], regime: ["bull-calm", "bull-calm"] });
 * const svg = marketRegimeChart(f, "SPY").html;
 * assert.ok(svg.includes("SPY") && svg.includes("bull-calm"));
 * ```
 */
export function marketRegimeChart(regimes: pl.DataFrame, underlying: string): Displayable {
  const rows = recordsOf(regimes).filter((r) => r.underlying === underlying);
  const order = Object.keys(MARKET_REGIME_COLORS);
  const present = order.filter((r) => rows.some((d) => d.regime === r));
  const spans = rows.slice(0, -1).map((r, i) => ({
    x1: r.date,
    x2: rows[i + 1].date,
    regime: r.regime,
  }));
  const line = (key: string) => rows.filter((r) => r[key] !== null);
  return plotSvg({
    title: `${underlying}'s market regime, day by day`,
    subtitle: "black: the close; dashed: its 50-day (dark) and 200-day (grey) averages",
    height: 320,
    x: rows.length
      ? timeAxis(rows[0].date as Date, rows[rows.length - 1].date as Date)
      : { type: "utc", label: null },
    y: { grid: true, label: `${underlying} close ($)`, nice: true },
    color: {
      domain: present,
      range: present.map((r) => MARKET_REGIME_COLORS[r]),
      legend: true,
      label: "market regime",
    },
    marks: [
      Plot.rectX(spans, { x1: "x1", x2: "x2", fill: "regime", fillOpacity: 0.35 }),
      Plot.lineY(line("sma200"), {
        x: "date",
        y: "sma200",
        stroke: "#868e96",
        strokeDasharray: "5,3",
      }),
      Plot.lineY(line("sma50"), {
        x: "date",
        y: "sma50",
        stroke: "#495057",
        strokeDasharray: "2,2",
      }),
      Plot.lineY(rows, { x: "date", y: "close", stroke: "#212529", strokeWidth: 1.2 }),
    ],
  });
}
