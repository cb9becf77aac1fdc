/**
 * The trade log, its legs and the daily state as polars frames.
 *
 * The trade log (trades.parquet) is the contract with the downstream trading system, which
 * reads columns by name: first the spec's 22 fields with the spec's names, order and types
 * ({@link TRADE_FIELDS}), then, when the log holds an iron condor, its call side
 * ({@link CONDOR_FIELDS}), then extra columns ({@link TRADE_EXTRA_FIELDS}). A vertical's row is
 * the same whatever the strategy. Money is rounded to cents, per-share prices to 1/100 cent,
 * pnl_pct to 1e-6; greeks, probabilities and scores are as computed. The IV rank, VIX and
 * underlying prices are null where unknown (no IV history, no VIX data).
 *
 * The legs table (trade_legs.parquet, {@link LEG_FIELDS}) has one row per leg per trade, for
 * every strategy.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { DailyState, Trade, TradeLeg } from "../simulation/portfolio.ts";
import { entryRationale, rationaleText } from "../strategy/_rationale.ts";

/** The spec's 22 trade-log fields, in order, with their polars types. */
export const TRADE_FIELDS = [
  ["trade_id", "Utf8"],
  ["underlying", "Utf8"],
  ["spread_type", "Utf8"],
  ["entry_date", "Date"],
  ["exit_date", "Date"],
  ["days_held", "Int32"],
  ["short_strike", "Float64"],
  ["long_strike", "Float64"],
  ["expiration", "Date"],
  ["entry_credit", "Float64"],
  ["exit_debit", "Float64"],
  ["commission", "Float64"],
  ["pnl", "Float64"],
  ["pnl_pct", "Float64"],
  ["exit_reason", "Utf8"],
  ["delta_at_entry", "Float64"],
  ["theta_at_entry", "Float64"],
  ["iv_rank_at_entry", "Float64"],
  ["vix_at_entry", "Float64"],
  ["underlying_price_entry", "Float64"],
  ["underlying_price_exit", "Float64"],
  ["contracts", "Int32"],
] as const;

/**
 * An iron condor's call side, after the 22 fields when the log holds an iron condor (null on a
 * vertical's row): the strikes sold and bought.
 */
export const CONDOR_FIELDS = ["call_short_strike", "call_long_strike"] as const;

/** The extra columns after the 22 (and the condor's), in order. */
export const TRADE_EXTRA_FIELDS = [
  "width",
  "max_loss",
  "dte_at_entry",
  "short_delta_at_entry",
  "gamma_at_entry",
  "vega_at_entry",
  "p_itm",
  "expected_value",
  "score",
  "score_expected_value",
  "score_iv_percentile",
  "score_delta_distance",
  "score_credit_width",
  "entry_rationale",
] as const;

/** A typed column of f over rows (a plain loop: `TypedArray.from(rows, f)` is many times slower). */
function column<T extends Float64Array | Int32Array>(
  Ctor: { new (n: number): T },
  rows: readonly unknown[],
  f: (row: never, i: number) => number,
): T {
  const out = new Ctor(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = f(rows[i] as never, i);
  return out;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const perShare = (x: number) => Math.round(x * 10000) / 10000;

/** Trade id of the i-th trade (entry order): T000001, T000002, ... */
function tradeId(i: number): string {
  return `T${String(i + 1).padStart(6, "0")}`;
}

/** A trade's width: |short - long|, an iron condor's the wider side's. */
function widthOf(t: Trade): number {
  const width = Math.abs(t.shortStrike - t.longStrike);
  return t.spreadType === "iron_condor"
    ? Math.max(width, Math.abs(t.callShortStrike - t.callLongStrike))
    : width;
}

/**
 * The trade log as a frame: the spec's 22 fields, then (when an iron condor is among the
 * trades) call_short_strike and call_long_strike, then width, max_loss (dollars),
 * dte_at_entry, short_delta_at_entry (the short leg's), gamma_at_entry and vega_at_entry (the
 * position's, per share), p_itm, expected_value (per share), the score and its four terms,
 * entry_rationale.
 *
 * - trade_id: T000001, T000002, ... in the order given (entry order).
 * - spread_type: bull_put, bear_call or iron_condor.
 * - short_strike, long_strike: the vertical's; an iron condor's put side (its call side in
 *   call_short_strike, call_long_strike).
 * - entry_credit, exit_debit: an iron condor's total over its four legs.
 * - width: an iron condor's is the wider side's; max_loss is the Reg-T margin plus the entry
 *   commissions: (width - credit) × 100 + commission, × contracts.
 * - delta_at_entry, theta_at_entry: the position's greeks per share (legs sold negative), so a
 *   credit spread shows positive theta.
 * - short_delta_at_entry, p_itm: the short leg's (an iron condor's short put; its p_itm the
 *   chance that either short strike finishes in the money).
 * - underlying_price_entry / _exit: the snapshot's price (at expiration, the settlement price).
 *
 * @param trades completed trades, in entry order
 * @returns the frame (empty with the same columns and types when there are no trades)
 *
 * @example A bull put spread's row
 * ```ts
 * import assert from "node:assert/strict";
 * import { tradesFrame, TRADE_FIELDS } from "./trade_log.ts";
 * const trade = { id: 1, underlying: "SPY", spreadType: "bull_put", entryDay: 19724,
 *   exitDay: 19754, expiry: 19754, shortStrike: 100, longStrike: 95, contracts: 4,
 *   entryCredit: 0.602, exitDebit: 0, maxLossUsd: 1767.2, commissionsUsd: 8, pnlUsd: 232.8,
 *   callShortStrike: NaN, callLongStrike: NaN, legs: [],
 *   exitReason: "expiration", underlyingPriceExit: 110,
 *   entry: { dte: 30, shortDelta: -0.2, greeks: { delta: 0.1, gamma: -0.01, theta: 0.02,
 *     vega: -0.05, rho: 0 }, ivRank: NaN, vix: 14.5, spot: 110, pItm: 0.2,
 *     expectedValue: -0.4, score: { expected_value: 0, iv_percentile: 0, delta_distance: 0,
 *     credit_width: 0, total: 0 }, quote: { kind: "bull_put", ivPercentile: NaN, dte: 30,
 *     shortAbsDelta: 0.2,
 *     width: 5, credit: 0.602, shortOpenInterest: 1000, shortVolume: 100, shortBidAskPct: 0.2,
 *     longOpenInterest: 1000, longVolume: 100, longBidAskPct: 0.2 },
 *     params: { ivPctMin: 0, dteMin: 20, dteMax: 40, put: { deltaMin: 0.1, deltaMax: 0.3,
 *       widthMin: 5, widthMax: 5, minCreditPct: 0.1, minOpenInterest: 0, minVolume: 0,
 *       maxBidAskPct: 10 }, call: {} } } } as const;
 * const [row] = tradesFrame([trade as never]).toRecords();
 * assert.deepEqual(Object.keys(row).slice(0, 22), TRADE_FIELDS.map(([name]) => name));
 * assert.equal(row.trade_id, "T000001");
 * assert.equal(row.spread_type, "bull_put");
 * assert.equal(row.days_held, 30);
 * assert.equal(row.iv_rank_at_entry, null);
 * assert.match(String(row.entry_rationale), /min_credit_pct 0\.602 >= 0\.1 × 5 = 0\.5 and < 5/);
 * ```
 */
export function tradesFrame(trades: Trade[]): pl.DataFrame {
  const f64 = (name: string, f: (t: Trade) => number) =>
    pl.Series(name, column(Float64Array, trades, f));
  const nullable = (name: string, f: (t: Trade) => number) =>
    pl.Series(
      name,
      trades.map((t) => {
        const x = f(t);
        return Number.isNaN(x) ? null : x;
      }),
      pl.Float64,
    );
  const i32 = (name: string, f: (t: Trade) => number) =>
    pl.Series(name, column(Int32Array, trades, f));
  const date = (name: string, f: (t: Trade) => number) => i32(name, f).cast(pl.Date);
  const text = (name: string, f: (t: Trade, i: number) => string) =>
    pl.Series(name, trades.map(f), pl.Utf8);
  const condor = trades.some((t) => t.spreadType === "iron_condor")
    ? [
      nullable("call_short_strike", (t) => t.callShortStrike),
      nullable("call_long_strike", (t) => t.callLongStrike),
    ]
    : [];
  return pl.DataFrame([
    text("trade_id", (_, i) => tradeId(i)),
    text("underlying", (t) => t.underlying),
    text("spread_type", (t) => t.spreadType),
    date("entry_date", (t) => t.entryDay),
    date("exit_date", (t) => t.exitDay),
    i32("days_held", (t) => t.exitDay - t.entryDay),
    f64("short_strike", (t) => t.shortStrike),
    f64("long_strike", (t) => t.longStrike),
    date("expiration", (t) => t.expiry),
    f64("entry_credit", (t) => perShare(t.entryCredit)),
    f64("exit_debit", (t) => perShare(t.exitDebit)),
    f64("commission", (t) => cents(t.commissionsUsd)),
    f64("pnl", (t) => cents(t.pnlUsd)),
    f64("pnl_pct", (t) => Math.round(t.pnlUsd / t.maxLossUsd * 1e6) / 1e6),
    text("exit_reason", (t) => t.exitReason),
    f64("delta_at_entry", (t) => t.entry.greeks.delta),
    f64("theta_at_entry", (t) => t.entry.greeks.theta),
    nullable("iv_rank_at_entry", (t) => t.entry.ivRank),
    nullable("vix_at_entry", (t) => t.entry.vix),
    nullable("underlying_price_entry", (t) => t.entry.spot),
    nullable("underlying_price_exit", (t) => t.underlyingPriceExit),
    i32("contracts", (t) => t.contracts),
    ...condor,
    f64("width", widthOf),
    f64("max_loss", (t) => cents(t.maxLossUsd)),
    i32("dte_at_entry", (t) => t.entry.dte),
    f64("short_delta_at_entry", (t) => t.entry.shortDelta),
    f64("gamma_at_entry", (t) => t.entry.greeks.gamma),
    f64("vega_at_entry", (t) => t.entry.greeks.vega),
    f64("p_itm", (t) => t.entry.pItm),
    f64("expected_value", (t) => t.entry.expectedValue),
    f64("score", (t) => t.entry.score.total),
    f64("score_expected_value", (t) => t.entry.score.expected_value),
    f64("score_iv_percentile", (t) => t.entry.score.iv_percentile),
    f64("score_delta_distance", (t) => t.entry.score.delta_distance),
    f64("score_credit_width", (t) => t.entry.score.credit_width),
    text(
      "entry_rationale",
      (t) => rationaleText(entryRationale(t.entry.quote, t.entry.score, t.entry.params)),
    ),
  ]);
}

/** The columns of trade_legs.parquet, in order, with their polars types. */
export const LEG_FIELDS = [
  ["trade_id", "Utf8"],
  ["leg", "Utf8"],
  ["option_type", "Utf8"],
  ["strike", "Float64"],
  ["expiration", "Date"],
  ["quantity", "Int32"],
  ["entry_fill", "Float64"],
  ["exit_fill", "Float64"],
  ["commission", "Float64"],
  ["entry_delta", "Float64"],
  ["entry_theta", "Float64"],
  ["entry_vega", "Float64"],
  ["entry_iv", "Float64"],
] as const;

/**
 * The legs of the trades as a frame (trade_legs.parquet): one row per leg per trade, in trade
 * order and each trade's legs in order (put side first, short before long).
 *
 * - trade_id: the trade log's; leg: short_put, long_put, short_call or long_call;
 *   option_type: put or call; strike; expiration.
 * - quantity: signed contracts, negative for a leg sold.
 * - entry_fill, exit_fill: the leg's fill after the order's slippage, dollars per share (the
 *   sell fill of a leg sold at entry, its buy-back at exit); at expiration exit_fill is the
 *   leg's settlement (intrinsic) value. Σ over a trade's legs of -sign(quantity) × fill is its
 *   entry credit and exit debit.
 * - commission: the leg's own, entry and exit, dollars (none at an expiration it finishes out
 *   of the money).
 * - entry_delta, entry_theta, entry_vega, entry_iv: the leg's at entry, market signs, per share.
 *
 * @param trades completed trades, in entry order (as given to tradesFrame)
 * @returns the frame (empty with the same columns and types when there are no trades)
 *
 * @example A bull put spread's two legs
 * ```ts
 * import assert from "node:assert/strict";
 * import { LEG_FIELDS, tradeLegsFrame } from "./trade_log.ts";
 * const leg = (role: string, isPut: boolean, strike: number, quantity: number, fill: number) => ({
 *   role, isPut, strike, quantity, entryFill: fill, exitFill: 0, commissionUsd: 4, entryIv: 0.2,
 *   entryQuote: { bid: 0, ask: 0, delta: -0.2, gamma: 0, theta: -0.05, vega: 0.1 } });
 * const trade = { expiry: 19754, legs: [leg("short_put", true, 100, -4, 1.068),
 *   leg("long_put", true, 95, 4, 0.466)] };
 * const rows = tradeLegsFrame([trade as never]).toRecords();
 * assert.deepEqual(Object.keys(rows[0]), LEG_FIELDS.map(([name]) => name));
 * assert.deepEqual(rows.map((r) => [r.trade_id, r.leg, r.quantity]),
 *   [["T000001", "short_put", -4], ["T000001", "long_put", 4]]);
 * ```
 */
export function tradeLegsFrame(trades: Trade[]): pl.DataFrame {
  const legs: TradeLeg[] = [];
  const ids: string[] = [];
  const expiries: number[] = [];
  trades.forEach((t, i) => {
    for (const leg of t.legs) {
      legs.push(leg);
      ids.push(tradeId(i));
      expiries.push(t.expiry);
    }
  });
  const f64 = (name: string, f: (l: TradeLeg) => number) =>
    pl.Series(name, column(Float64Array, legs, f));
  return pl.DataFrame([
    pl.Series("trade_id", ids, pl.Utf8),
    pl.Series("leg", legs.map((l) => l.role), pl.Utf8),
    pl.Series("option_type", legs.map((l) => (l.isPut ? "put" : "call")), pl.Utf8),
    f64("strike", (l) => l.strike),
    pl.Series("expiration", Int32Array.from(expiries)).cast(pl.Date),
    pl.Series("quantity", column(Int32Array, legs, (l: TradeLeg) => l.quantity)),
    f64("entry_fill", (l) => perShare(l.entryFill)),
    f64("exit_fill", (l) => perShare(l.exitFill)),
    f64("commission", (l) => cents(l.commissionUsd)),
    f64("entry_delta", (l) => l.entryQuote.delta),
    f64("entry_theta", (l) => l.entryQuote.theta),
    f64("entry_vega", (l) => l.entryQuote.vega),
    pl.Series(
      "entry_iv",
      legs.map((l) => (Number.isNaN(l.entryIv) ? null : l.entryIv)),
      pl.Float64,
    ),
  ]);
}

/** The daily-state columns of equity_curve.csv, in order. */
export const EQUITY_FIELDS = [
  "date",
  "equity",
  "cash",
  "open_risk",
  "drawdown",
  "open_positions",
  "open_value",
  "heat",
  "daily_pnl",
  "cumulative_pnl",
  "net_delta",
  "net_gamma",
  "net_theta",
  "net_vega",
] as const;

/** The columns appended to the daily state when circuit breakers are configured. */
export const HALT_FIELDS = ["halted", "halt_reason", "halt_trigger"] as const;

/**
 * The daily state as a frame (equity_curve.csv): date, equity, cash, open_risk, drawdown, then
 * open_positions, open_value (at mark), heat (open risk / equity), daily_pnl, cumulative_pnl
 * and the net greeks (net_delta in shares, net_gamma in shares per $1, net_theta in dollars a
 * day, net_vega in dollars per volatility point). Money in cents, ratios to 1e-8, greeks to
 * 1e-6. When the run had circuit breakers (`[risk]`), {@link HALT_FIELDS} follow: `halted`
 * (whether the day's entries were blocked), `halt_reason` (the halts in force, e.g.
 * "weekly_loss+vix") and `halt_trigger` (what tripped that day), null when none.
 *
 * @param daily the daily state, in date order
 * @returns the frame
 *
 * @example One day, rounded for the file
 * ```ts
 * import assert from "node:assert/strict";
 * import { EQUITY_FIELDS, equityFrame } from "./trade_log.ts";
 * const day = { day: 19724, equity: 100012.345, cash: 100232.8, openRisk: 1767.2,
 *   drawdown: 0, openValue: -220.455, openPositions: 1, heat: 0.017669, dailyPnl: 12.345,
 *   cumulativePnl: 12.345, netDelta: 40.1, netGamma: -1, netTheta: 8, netVega: -20, vix: 14 };
 * const frame = equityFrame([day]);
 * assert.deepEqual(frame.columns, [...EQUITY_FIELDS]);
 * assert.equal(frame.getColumn("equity").get(0), 100012.35);
 * ```
 */
export function equityFrame(daily: DailyState[]): pl.DataFrame {
  const f64 = (name: string, f: (e: DailyState) => number) =>
    pl.Series(name, column(Float64Array, daily, f));
  const round = (digits: number) => {
    const scale = 10 ** digits;
    return (x: number) => Math.round(x * scale) / scale;
  };
  const money = round(2);
  const ratio = round(8);
  const greek = round(6);
  const halts = daily.some((e) => e.halted !== undefined)
    ? [
      pl.Series("halted", daily.map((e) => e.halted ?? false), pl.Bool),
      pl.Series("halt_reason", daily.map((e) => e.haltReason ?? null), pl.Utf8),
      pl.Series("halt_trigger", daily.map((e) => e.haltTrigger ?? null), pl.Utf8),
    ]
    : [];
  return pl.DataFrame([
    pl.Series("date", column(Int32Array, daily, (e: DailyState) => e.day)).cast(pl.Date),
    f64("equity", (e) => money(e.equity)),
    f64("cash", (e) => money(e.cash)),
    f64("open_risk", (e) => money(e.openRisk)),
    f64("drawdown", (e) => ratio(e.drawdown)),
    pl.Series("open_positions", column(Int32Array, daily, (e: DailyState) => e.openPositions)),
    f64("open_value", (e) => money(e.openValue)),
    f64("heat", (e) => ratio(e.heat)),
    f64("daily_pnl", (e) => money(e.dailyPnl)),
    f64("cumulative_pnl", (e) => money(e.cumulativePnl)),
    f64("net_delta", (e) => greek(e.netDelta)),
    f64("net_gamma", (e) => greek(e.netGamma)),
    f64("net_theta", (e) => greek(e.netTheta)),
    f64("net_vega", (e) => greek(e.netVega)),
    ...halts,
  ]);
}
