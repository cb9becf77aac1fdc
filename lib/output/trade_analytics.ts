/**
 * Trade analytics of a trade log (a `runBacktest(...).trades` frame, or a walk-forward's stitched
 * run): P&L by exit reason, and P&L against an entry variable (the position's delta, VIX, IV
 * rank, DTE) with bucketed means. `pnl_pct` is a trade's P&L over its max loss, so trades of any
 * size compare on one scale; dollars are given beside it.
 *
 * @module
 */
import pl from "nodejs-polars";
import { floats, texts } from "./_columns.ts";
import { VIX_REGIMES, vixRegime } from "./metrics.ts";

/** The exit reasons in the order they are checked (and shown). */
export const EXIT_REASONS = [
  "profit_target",
  "stop_loss",
  "trailing_stop",
  "time_exit",
  "max_days_held",
  "expiration",
  "assignment",
  "end_of_period",
] as const;

/**
 * P&L by exit reason, in the order exits are checked (reasons no trade had are left out).
 *
 * @param trades a trade log (exit_reason, pnl, pnl_pct)
 * @returns exit_reason, trades, share (of all trades), total_pnl (dollars), mean_pnl,
 *   mean_pnl_pct, total_pnl_pct (the sum of the trades' pnl_pct), win_rate
 *
 * @example Two profit targets and a stop loss
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { exitReasonFrame } from "./trade_analytics.ts";
 * const trades = pl.DataFrame({ exit_reason: ["stop_loss", "profit_target", "profit_target"],
 *   pnl: [-300, 100, 120], pnl_pct: [-0.6, 0.2, 0.3] });
 * const rows = exitReasonFrame(trades).toRecords();
 * assert.deepEqual(rows.map((r) => [r.exit_reason, r.trades, r.total_pnl]),
 *   [["profit_target", 2, 220], ["stop_loss", 1, -300]]);
 * assert.ok(Math.abs((rows[0].mean_pnl_pct as number) - 0.25) < 1e-15);
 * ```
 */
export function exitReasonFrame(trades: pl.DataFrame): pl.DataFrame {
  const reasons = texts(trades, "exit_reason");
  const pnl = floats(trades, "pnl");
  const pct = floats(trades, "pnl_pct");
  const order = [
    ...EXIT_REASONS,
    ...new Set(reasons.filter((r) => !(EXIT_REASONS as readonly string[]).includes(r))),
  ];
  const rows = order.map((reason) => {
    let n = 0, total = 0, totalPct = 0, wins = 0;
    for (let i = 0; i < reasons.length; i++) {
      if (reasons[i] !== reason) continue;
      n++;
      total += pnl[i];
      totalPct += pct[i];
      if (pnl[i] > 0) wins++;
    }
    return { reason, n, total, totalPct, wins };
  }).filter((r) => r.n > 0);
  return pl.DataFrame([
    pl.Series("exit_reason", rows.map((r) => r.reason), pl.Utf8),
    pl.Series("trades", Int32Array.from(rows, (r) => r.n)),
    pl.Series("share", Float64Array.from(rows, (r) => r.n / reasons.length)),
    pl.Series("total_pnl", Float64Array.from(rows, (r) => r.total)),
    pl.Series("mean_pnl", Float64Array.from(rows, (r) => r.total / r.n)),
    pl.Series("mean_pnl_pct", Float64Array.from(rows, (r) => r.totalPct / r.n)),
    pl.Series("total_pnl_pct", Float64Array.from(rows, (r) => r.totalPct)),
    pl.Series("win_rate", Float64Array.from(rows, (r) => r.wins / r.n)),
  ]);
}

/** Options of {@link pnlByBucketFrame}. */
export interface BucketOptions {
  /**
   * Bucket edges, ascending: buckets are (-∞, e₁), [e₁, e₂), ..., [eₖ, ∞). Default: the VIX
   * regimes for vix_at_entry (< 15, 15-25, 25-35, > 35), 20, 40, 60, 80 for iv_rank_at_entry,
   * and the quintiles of the trades' values for any other column.
   */
  edges?: number[];
}

/** Quintile edges of the finite values, distinct, ascending. */
function quintiles(values: Float64Array): number[] {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const edges = [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.floor(q * sorted.length)]);
  return [...new Set(edges)].filter((e) => e > sorted[0]);
}

/** A number for a bucket label. */
function label(x: number): string {
  return String(+x.toPrecision(4));
}

/**
 * P&L against an entry variable, in buckets: how many trades, their mean pnl_pct and P&L, the
 * total, and the win rate. Trades without a value (no IV history, no VIX) form the bucket
 * "unknown", last.
 *
 * @param trades a trade log (pnl, pnl_pct and the column)
 * @param column delta_at_entry, vix_at_entry, iv_rank_at_entry, dte_at_entry or any numeric
 *   column of the log
 * @param options bucket edges (defaults by column, see {@link BucketOptions})
 * @returns bucket (a label), lower, upper (null for the open ends and "unknown"), trades,
 *   mean_pnl_pct, mean_pnl, total_pnl, win_rate; buckets without trades are left out
 *
 * @example VIX at entry in its regimes
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { pnlByBucketFrame } from "./trade_analytics.ts";
 * const trades = pl.DataFrame({ vix_at_entry: [12, 14, 30, null], pnl: [50, 70, -200, 10],
 *   pnl_pct: [0.1, 0.2, -0.5, 0.02] });
 * const rows = pnlByBucketFrame(trades, "vix_at_entry").toRecords();
 * assert.deepEqual(rows.map((r) => [r.bucket, r.trades]), [["<15", 2], ["25-35", 1], ["unknown", 1]]);
 * assert.ok(Math.abs((rows[0].mean_pnl_pct as number) - 0.15) < 1e-15);
 * ```
 *
 * @example Edges of your own: DTE under 30 days, and from 30 on
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "../viz/frames.ts";
 * import { pnlByBucketFrame } from "./trade_analytics.ts";
 * const trades = pl.DataFrame({ dte_at_entry: [25, 29, 30, 44], pnl: [10, 20, 30, 40],
 *   pnl_pct: [0.1, 0.2, 0.3, 0.4] });
 * const rows = pnlByBucketFrame(trades, "dte_at_entry", { edges: [30] }).toRecords();
 * assert.deepEqual(rows.map((r) => [r.bucket, r.trades, r.total_pnl]), [["<30", 2, 30], [">=30", 2, 70]]);
 * ```
 */
export function pnlByBucketFrame(
  trades: pl.DataFrame,
  column: string,
  options: BucketOptions = {},
): pl.DataFrame {
  const values = floats(trades, column);
  const pnl = floats(trades, "pnl");
  const pct = floats(trades, "pnl_pct");
  type Bucket = { name: string; lower: number | null; upper: number | null; rows: number[] };
  let buckets: Bucket[];
  let bucketOf: (x: number) => number;
  if (column === "vix_at_entry" && options.edges === undefined) {
    const edges: Array<[number | null, number | null]> = [[null, 15], [15, 25], [25, 35], [
      35,
      null,
    ], [null, null]];
    buckets = VIX_REGIMES.map((name, i) => ({
      name,
      lower: edges[i][0],
      upper: edges[i][1],
      rows: [],
    }));
    bucketOf = (x) => VIX_REGIMES.indexOf(vixRegime(x) as (typeof VIX_REGIMES)[number]);
  } else {
    const edges = options.edges ??
      (column === "iv_rank_at_entry" ? [20, 40, 60, 80] : quintiles(values));
    buckets = [];
    for (let k = 0; k <= edges.length; k++) {
      const lower = k === 0 ? null : edges[k - 1];
      const upper = k === edges.length ? null : edges[k];
      const name = lower === null && upper === null
        ? "all"
        : lower === null
        ? `<${label(upper!)}`
        : upper === null
        ? `>=${label(lower)}`
        : `${label(lower)}-${label(upper)}`;
      buckets.push({ name, lower, upper, rows: [] });
    }
    buckets.push({ name: "unknown", lower: null, upper: null, rows: [] });
    bucketOf = (x) => {
      if (!Number.isFinite(x)) return edges.length + 1;
      let k = 0;
      while (k < edges.length && x >= edges[k]) k++;
      return k;
    };
  }
  for (let i = 0; i < values.length; i++) buckets[bucketOf(values[i])].rows.push(i);
  const kept = buckets.filter((b) => b.rows.length > 0);
  const mean = (b: Bucket, x: Float64Array) => b.rows.reduce((a, i) => a + x[i], 0) / b.rows.length;
  return pl.DataFrame([
    pl.Series("bucket", kept.map((b) => b.name), pl.Utf8),
    pl.Series("lower", kept.map((b) => b.lower), pl.Float64),
    pl.Series("upper", kept.map((b) => b.upper), pl.Float64),
    pl.Series("trades", Int32Array.from(kept, (b) => b.rows.length)),
    pl.Series("mean_pnl_pct", Float64Array.from(kept, (b) => mean(b, pct))),
    pl.Series("mean_pnl", Float64Array.from(kept, (b) => mean(b, pnl))),
    pl.Series("total_pnl", Float64Array.from(kept, (b) => b.rows.reduce((a, i) => a + pnl[i], 0))),
    pl.Series(
      "win_rate",
      Float64Array.from(kept, (b) => b.rows.filter((i) => pnl[i] > 0).length / b.rows.length),
    ),
  ]);
}
