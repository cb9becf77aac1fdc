/**
 * The trade log and equity curve as polars frames: the 22 trade fields in order, typed (dates
 * as Date, counts as Int32), money rounded to cents and per-share prices to 1/100 cent.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { EquityPoint, Trade } from "../simulation/engine.ts";

/** The 22 trade-log fields, in order. */
export const TRADE_FIELDS = [
  "trade_id",
  "underlying",
  "strategy_type",
  "entry_date",
  "exit_date",
  "expiration",
  "short_strike",
  "long_strike",
  "width",
  "contracts",
  "entry_credit",
  "exit_debit",
  "max_loss",
  "commissions",
  "pnl",
  "pnl_pct",
  "exit_reason",
  "days_held",
  "dte_at_entry",
  "short_delta_at_entry",
  "iv_rank_at_entry",
  "vix_at_entry",
] as const;

const cents = (x: number) => Math.round(x * 100) / 100;
const perShare = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Trades as a frame with the 22 fields.
 *
 * @param trades completed trades, in order
 * @param tickers ticker names by index
 * @param strategyType "bull_put_spread" or "bear_call_spread"
 */
export function tradesFrame(
  trades: Trade[],
  tickers: string[],
  strategyType: string,
): pl.DataFrame {
  const col = <T>(f: (t: Trade, i: number) => T) => trades.map(f);
  const nan = (x: number) => (Number.isNaN(x) ? null : x);
  return pl.DataFrame({
    trade_id: pl.Series("trade_id", Int32Array.from(trades, (_, i) => i + 1)),
    underlying: pl.Series("underlying", col((t) => tickers[t.tickerIndex]), pl.Utf8),
    strategy_type: pl.Series("strategy_type", col(() => strategyType), pl.Utf8),
    entry_date: pl.Series("entry_date", Int32Array.from(trades, (t) => t.entryDay)).cast(pl.Date),
    exit_date: pl.Series("exit_date", Int32Array.from(trades, (t) => t.exitDay)).cast(pl.Date),
    expiration: pl.Series("expiration", Int32Array.from(trades, (t) => t.expiry)).cast(pl.Date),
    short_strike: pl.Series("short_strike", Float64Array.from(trades, (t) => t.shortStrike)),
    long_strike: pl.Series("long_strike", Float64Array.from(trades, (t) => t.longStrike)),
    width: pl.Series(
      "width",
      Float64Array.from(trades, (t) => Math.abs(t.shortStrike - t.longStrike)),
    ),
    contracts: pl.Series("contracts", Int32Array.from(trades, (t) => t.contracts)),
    entry_credit: pl.Series(
      "entry_credit",
      Float64Array.from(trades, (t) => perShare(t.entryCredit)),
    ),
    exit_debit: pl.Series("exit_debit", Float64Array.from(trades, (t) => perShare(t.exitDebit))),
    max_loss: pl.Series("max_loss", Float64Array.from(trades, (t) => cents(t.maxLossUsd))),
    commissions: pl.Series(
      "commissions",
      Float64Array.from(trades, (t) => cents(t.commissionsUsd)),
    ),
    pnl: pl.Series("pnl", Float64Array.from(trades, (t) => cents(t.pnlUsd))),
    pnl_pct: pl.Series(
      "pnl_pct",
      Float64Array.from(trades, (t) => Math.round(t.pnlUsd / t.maxLossUsd * 1e6) / 1e6),
    ),
    exit_reason: pl.Series("exit_reason", col((t) => t.exitReason), pl.Utf8),
    days_held: pl.Series("days_held", Int32Array.from(trades, (t) => t.exitDay - t.entryDay)),
    dte_at_entry: pl.Series("dte_at_entry", Int32Array.from(trades, (t) => t.dteAtEntry)),
    short_delta_at_entry: pl.Series(
      "short_delta_at_entry",
      col((t) => nan(t.shortDeltaAtEntry)),
      pl.Float64,
    ),
    iv_rank_at_entry: pl.Series("iv_rank_at_entry", col((t) => nan(t.ivRankAtEntry)), pl.Float64),
    vix_at_entry: pl.Series("vix_at_entry", col((t) => nan(t.vixAtEntry)), pl.Float64),
  }).select(...TRADE_FIELDS);
}

/** The equity curve as a frame: date, equity, cash, open_risk, drawdown. */
export function equityFrame(equity: EquityPoint[]): pl.DataFrame {
  return pl.DataFrame({
    date: pl.Series("date", Int32Array.from(equity, (e) => e.day)).cast(pl.Date),
    equity: pl.Series("equity", Float64Array.from(equity, (e) => cents(e.equity))),
    cash: pl.Series("cash", Float64Array.from(equity, (e) => cents(e.cash))),
    open_risk: pl.Series("open_risk", Float64Array.from(equity, (e) => cents(e.openRisk))),
    drawdown: pl.Series(
      "drawdown",
      Float64Array.from(equity, (e) => Math.round(e.drawdown * 1e8) / 1e8),
    ),
  });
}
