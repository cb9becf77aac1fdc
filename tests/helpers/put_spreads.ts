/**
 * A hand-built SPY put chain for scenario tests of the engine's risk rules (circuit breakers,
 * VIX-rank sizing): one template spread whose every fill is computed by hand, pairs of quotes at
 * chosen marks, VIX closes, and a configuration like the golden scenario's (width $5, DTE 20-40,
 * short |delta| 0.10-0.30, credit >= 10% of width, filters off, profit target 50%, stop loss
 * 500%, time exit at DTE <= 5, $1 a contract a leg, slippage 0.66, $100,000) with 50% risk per
 * trade and one position, unless overridden.
 *
 * Template (short 100P 1.00/1.20, long 95P 0.40/0.50): credit 1.068 - 0.466 = 0.602, max loss
 * per contract (5 - 0.602)·100 + 2 = $441.80, mark 0.65, close cost 1.132 - 0.434 = 0.698.
 *
 * @module
 */
import pl from "nodejs-polars";
import { buildChainStore, isoToDay, type StrategyConfig, validateConfig } from "../../lib/mod.ts";
import { chainFrame } from "./chains.ts";

/** 2024-01-02, a Tuesday. */
export const B = isoToDay("2024-01-02"); // a Tuesday
/** Expiries 30 and 37 days after B. */
export const E1 = B + 30;
export const E2 = B + 37;

/** A quote row: day, expiry, strike, bid, ask, delta. */
export type Quote = [
  day: number,
  expiry: number,
  strike: number,
  bid: number,
  ask: number,
  delta: number,
];

/** The template pair (short 100P 1.00/1.20, long 95P 0.40/0.50) of an expiry on a day. */
export const template = (day: number, expiry: number): Quote[] => [
  [day, expiry, 95, 0.40, 0.50, -0.10],
  [day, expiry, 100, 1.00, 1.20, -0.20],
];

/** A pair with the short leg at shortBid/shortBid + 0.20 and the long at longBid/+0.10. */
export const pair = (day: number, expiry: number, shortBid: number, longBid: number): Quote[] => [
  [day, expiry, 95, longBid, Math.round((longBid + 0.1) * 100) / 100, -0.05],
  [day, expiry, 100, shortBid, Math.round((shortBid + 0.2) * 100) / 100, -0.45],
];

/** The store of the quotes (stock price 110), with VIX closes when given. */
export function store(quotes: Quote[], vix?: Array<[number, number]>) {
  return buildChainStore({
    chains: chainFrame(quotes.map(([day, expiry, strike, bid, ask, delta]) => ({
      ticker: "SPY",
      day,
      expiry,
      strike,
      type: "P" as const,
      bid,
      ask,
      delta,
      stockPrice: 110,
    }))),
    bars: new Map(),
    vix: vix
      ? pl.DataFrame({
        date: pl.Series(Int32Array.from(vix, (v) => v[0])).cast(pl.Date),
        close: pl.Series(Float64Array.from(vix, (v) => v[1])),
      })
      : null,
  });
}

/** The scenario configuration with a [risk] section and position-sizing changes. */
export function config(
  risk: Record<string, unknown>,
  sizing: Record<string, unknown> = {},
): StrategyConfig {
  return validateConfig({
    strategy: { underlying: "SPY", strategy_type: "bull_put_spread" },
    entry: {
      dte_min: 20,
      dte_max: 40,
      short_delta_min: 0.1,
      short_delta_max: 0.3,
      spread_width_min: 5,
      spread_width_max: 5,
      min_credit_pct: 0.1,
      iv_percentile_min: 0,
      min_open_interest: 0,
      min_volume: 0,
      max_bid_ask_pct: 10,
    },
    exit: { profit_target_pct: 0.5, stop_loss_pct: 5, dte_exit: 5 },
    position_sizing: {
      max_risk_per_trade_pct: 0.5,
      max_portfolio_heat_pct: 1,
      max_positions: 1,
      max_correlated_exposure_pct: 1,
      ...sizing,
    },
    risk,
  });
}
