/**
 * Golden scenario: a hand-built chain over three months where every entry credit, fill,
 * commission, exit reason and P&L is computed by hand below; the engine must match to the cent.
 *
 * Common settings: one spread at a time (max_positions = 1), width exactly $5, DTE 20-40, short
 * |delta| 0.10-0.30, credit >= 10% of width ($0.50), IV-percentile filter off, liquidity
 * filters off, profit target 50%, stop loss 100%, time exit at DTE <= 5, 2% risk per trade,
 * $1 per contract per leg, 2-leg slippage s = 0.66, starting equity $100,000.
 *
 * Fills: sell = ask - 0.66·(ask - bid), buy = bid + 0.66·(ask - bid).
 * Entry template (short 1.00/1.20, long 0.40/0.50):
 *   credit = (1.20 - 0.66·0.20) - (0.40 + 0.66·0.10) = 1.068 - 0.466 = 0.602 per share
 *   max loss per contract = (5 - 0.602)·100 + 2·$1 = $441.80
 *   contracts = floor(equity·0.02 / 441.80) = 4 for every entry below (equity 99.7k-100.1k)
 *   cash on entry += 0.602·100·4 - 8 = +$232.80
 */
import assert from "node:assert/strict";
import { buildChainStore, isoToDay, runBacktest, validateConfig } from "../../lib/mod.ts";
import { chainFrame } from "../helpers/chains.ts";

const B = isoToDay("2024-01-02");
const E1 = B + 30;
const E2 = B + 60;
const E3 = B + 90;

type Quote = [day: number, expiry: number, strike: number, bid: number, ask: number, delta: number];

/**
 * The chain of the quotes. Greeks: gamma 0.01, theta = -0.1·|delta| per day, vega = |delta|
 * per point, so a spread short the larger |delta| has position theta = 0.1·(|δs| - |δl|) > 0
 * and position vega = |δl| - |δs| < 0.
 */
function chain(ticker: string, type: "P" | "C", stock: Record<number, number>, quotes: Quote[]) {
  return chainFrame(quotes.map(([day, expiry, strike, bid, ask, delta]) => ({
    ticker,
    day,
    expiry,
    strike,
    type,
    bid,
    ask,
    delta,
    stockPrice: stock[day],
    theta: -0.1 * Math.abs(delta),
    vega: Math.abs(delta),
  })));
}

function config(strategyType: "bull_put_spread" | "bear_call_spread") {
  return validateConfig({
    strategy: { underlying: "SPY", strategy_type: strategyType },
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
    exit: { profit_target_pct: 0.5, stop_loss_pct: 1.0, dte_exit: 5 },
    position_sizing: {
      max_risk_per_trade_pct: 0.02,
      max_portfolio_heat_pct: 1,
      max_positions: 1,
      max_correlated_exposure_pct: 1,
    },
  });
}

Deno.test("golden: bull put spreads through profit target, stop loss, time exit and both expirations", () => {
  const stock = {
    [B]: 110,
    [B + 1]: 111,
    [B + 2]: 110,
    [B + 3]: 105,
    [B + 6]: 110,
    [B + 26]: 108,
    [B + 30]: 110,
    [B + 60]: 110,
    [B + 90]: 97,
  };
  const quotes: Quote[] = [
    // Trade 1 — entry day B (DTE 30): credit 0.602, 4 contracts; cash 100,000 -> 100,232.80.
    [B, E1, 95, 0.40, 0.50, -0.10],
    [B, E1, 100, 1.00, 1.20, -0.20],
    // B+1: mark = 0.55 - 0.25 = 0.30 <= 0.602·0.5 = 0.301 -> profit target.
    //   debit = (0.50 + 0.66·0.10) - (0.30 - 0.66·0.10) = 0.566 - 0.234 = 0.332
    //   P&L = (0.602 - 0.332)·400 - 8 - 8 = 108 - 16 = +$92.00; cash -> 100,092.00.
    //   (Re-entry that day: credit 0.534 - 0.266 = 0.268 < 0.50, no candidate.)
    [B + 1, E1, 95, 0.20, 0.30, -0.08],
    [B + 1, E1, 100, 0.50, 0.60, -0.15],
    // Trade 2 — entry B+2 (DTE 28): same template, 4 contracts; cash -> 100,324.80.
    [B + 2, E1, 95, 0.40, 0.50, -0.10],
    [B + 2, E1, 100, 1.00, 1.20, -0.20],
    // B+3: mark = 1.80 - 0.50 = 1.30 >= 0.602·2 = 1.204 -> stop loss.
    //   debit = (1.70 + 0.132) - (0.55 - 0.066) = 1.832 - 0.484 = 1.348
    //   P&L = (0.602 - 1.348)·400 - 16 = -298.40 - 16 = -$314.40; cash -> 99,777.60.
    //   (Short delta -0.35 is outside the band: no re-entry.)
    [B + 3, E1, 95, 0.45, 0.55, -0.15],
    [B + 3, E1, 100, 1.70, 1.90, -0.35],
    // Trade 3 — entry B+6 (DTE 24): 4 contracts (floor(1995.55 / 441.80)); cash -> 100,010.40.
    [B + 6, E1, 95, 0.40, 0.50, -0.10],
    [B + 6, E1, 100, 1.00, 1.20, -0.20],
    // B+26 (DTE 4 <= 5), mark 0.90 - 0.25 = 0.65: neither target nor stop -> time exit.
    //   debit = (0.80 + 0.132) - (0.30 - 0.066) = 0.932 - 0.234 = 0.698
    //   P&L = (0.602 - 0.698)·400 - 16 = -38.40 - 16 = -$54.40; cash -> 99,723.20.
    [B + 26, E1, 95, 0.20, 0.30, -0.05],
    [B + 26, E1, 100, 0.80, 1.00, -0.20],
    // Trade 4 — entry B+30 in the next expiry E2 (DTE 30): 4 contracts; cash -> 99,956.00.
    [B + 30, E2, 95, 0.40, 0.50, -0.10],
    [B + 30, E2, 100, 1.00, 1.20, -0.20],
    // B+60 = E2 (DTE 0), mark 0.50 - 0.10 = 0.40: no target, no stop, no time exit at DTE 0
    //   -> expiration at the close 110: both puts worthless, debit 0, no commission.
    //   P&L = 0.602·400 - 8 = +$232.80; cash stays 99,956.00.
    [B + 60, E2, 95, 0.05, 0.15, -0.02],
    [B + 60, E2, 100, 0.45, 0.55, -0.05],
    // Trade 5 — entry B+60 in E3 (DTE 30): 4 contracts (floor(1999.12 / 441.80)); cash -> 100,188.80.
    [B + 60, E3, 95, 0.40, 0.50, -0.10],
    [B + 60, E3, 100, 1.00, 1.20, -0.20],
    // B+90 = E3: zero bids (flagged, no usable quotes) -> expiration at the close 97:
    //   short 100P worth 3, long 95P worthless: debit 3.00; commission on the one ITM leg $4.
    //   P&L = (0.602 - 3)·400 - 8 - 4 = -959.20 - 12 = -$971.20; cash -> 98,984.80.
    [B + 90, E3, 95, 0, 0.05, -0.01],
    [B + 90, E3, 100, 0, 3.10, -0.90],
  ];
  const store = buildChainStore({
    chains: chain("SPY", "P", stock, quotes),
    bars: new Map(),
    vix: null,
  });
  const result = runBacktest(store, config("bull_put_spread"));
  const t = result.trades.toRecords();
  assert.deepEqual(t.map((r) => r.exit_reason), [
    "profit_target",
    "stop_loss",
    "time_exit",
    "expiration",
    "expiration",
  ]);
  assert.deepEqual(t.map((r) => r.pnl), [92.0, -314.4, -54.4, 232.8, -971.2]);
  assert.deepEqual(t.map((r) => r.entry_credit), [0.602, 0.602, 0.602, 0.602, 0.602]);
  assert.deepEqual(t.map((r) => r.exit_debit), [0.332, 1.348, 0.698, 0, 3]);
  assert.deepEqual(t.map((r) => r.commission), [16, 16, 16, 8, 12]);
  assert.deepEqual(t.map((r) => r.contracts), [4, 4, 4, 4, 4]);
  assert.deepEqual(t.map((r) => r.max_loss), [1767.2, 1767.2, 1767.2, 1767.2, 1767.2]);
  assert.deepEqual(t.map((r) => r.days_held), [1, 1, 20, 30, 30]);
  assert.deepEqual(t.map((r) => r.trade_id), [
    "T000001",
    "T000002",
    "T000003",
    "T000004",
    "T000005",
  ]);
  assert.ok(t.every((r) => r.spread_type === "bull_put"));
  // Every entry is short the -0.20 put and long the -0.10 put: the position's delta is
  //   -0.10 - (-0.20) = +0.10, its theta -0.01 - (-0.02) = +0.01 a day, its vega 0.10 - 0.20.
  for (const r of t) {
    assert.ok(Math.abs((r.delta_at_entry as number) - 0.1) < 1e-12);
    assert.ok(Math.abs((r.theta_at_entry as number) - 0.01) < 1e-12);
    assert.ok(Math.abs((r.vega_at_entry as number) + 0.1) < 1e-12);
    assert.equal(r.short_delta_at_entry, -0.2);
  }
  // Underlying prices: the entry and exit snapshots (110 -> 111, 110 -> 105, 110 -> 108), the
  //   settlement close at expiration (110 on B+60, 97 on B+90).
  assert.deepEqual(t.map((r) => r.underlying_price_entry), [110, 110, 110, 110, 110]);
  assert.deepEqual(t.map((r) => r.underlying_price_exit), [111, 105, 108, 110, 97]);
  assert.equal(result.metrics.final_equity.toFixed(2), "98984.80");
  // Day B's equity: cash 100,232.80 minus the open spread at mid (1.10 - 0.45)·400 = 260.
  assert.equal(result.equity.getColumn("equity").get(0), 99972.8);
});

Deno.test("golden: bear call spreads (short call below a long call) to target and ITM expiration", () => {
  const stock = { [B]: 100, [B + 1]: 99, [B + 2]: 100, [B + 30]: 112 };
  const quotes: Quote[] = [
    // Entry B: short 110C 1.00/1.20, long 115C 0.40/0.50 -> credit 0.602, 4 contracts.
    [B, E1, 110, 1.00, 1.20, 0.20],
    [B, E1, 115, 0.40, 0.50, 0.10],
    // B+1: mark 0.55 - 0.25 = 0.30 -> profit target, debit 0.332, P&L +$92.00.
    [B + 1, E1, 110, 0.50, 0.60, 0.15],
    [B + 1, E1, 115, 0.20, 0.30, 0.08],
    // Entry B+2: 4 contracts; cash 100,092.00 -> 100,324.80.
    [B + 2, E1, 110, 1.00, 1.20, 0.20],
    [B + 2, E1, 115, 0.40, 0.50, 0.10],
    // B+30 = E1 with zero bids -> expiration at 112: short 110C worth 2, long 115C worthless.
    //   P&L = (0.602 - 2)·400 - 8 - 4 = -559.20 - 12 = -$571.20; final equity 99,520.80.
    [B + 30, E1, 110, 0, 2.10, 0.95],
    [B + 30, E1, 115, 0, 0.05, 0.02],
  ];
  const store = buildChainStore({
    chains: chain("SPY", "C", stock, quotes),
    bars: new Map(),
    vix: null,
  });
  const result = runBacktest(store, config("bear_call_spread"));
  const t = result.trades.toRecords();
  assert.deepEqual(t.map((r) => r.exit_reason), ["profit_target", "expiration"]);
  assert.deepEqual(t.map((r) => [r.short_strike, r.long_strike]), [[110, 115], [110, 115]]);
  assert.deepEqual(t.map((r) => r.pnl), [92.0, -571.2]);
  assert.deepEqual(t.map((r) => r.commission), [16, 12]);
  // Short the 0.20 call, long the 0.10 call: delta 0.10 - 0.20 = -0.10 (a bear call spread is
  //   short the market), theta -0.01 - (-0.02) = +0.01.
  assert.ok(t.every((r) => r.spread_type === "bear_call"));
  assert.ok(t.every((r) => Math.abs((r.delta_at_entry as number) + 0.1) < 1e-12));
  assert.ok(t.every((r) => Math.abs((r.theta_at_entry as number) - 0.01) < 1e-12));
  assert.deepEqual(t.map((r) => r.underlying_price_entry), [100, 100]);
  assert.deepEqual(t.map((r) => r.underlying_price_exit), [99, 112]);
  assert.equal(result.metrics.final_equity.toFixed(2), "99520.80");
});
