/**
 * Reproducers of three engine defects, each computed by hand:
 * - inclusive thresholds that must hold on exact ties (stop, target, minimum credit) although
 *   binary floating point puts the two sides a few units in the last place apart;
 * - a duplicated row of a held leg that the leg lookup must never land on;
 * - settlement from the bars' close on an expiry date that the chain files lack.
 *
 * Common settings: bull put spreads 100/95 on SPY, DTE 20-40, short |delta| 0.10-0.30, width
 * $5, liquidity filters off, 2% risk per trade, $1 per contract per leg, two-leg slippage 0.66,
 * starting equity $100,000. Fills: sell = ask - 0.66·(ask - bid), buy = bid + 0.66·(ask - bid).
 */
import assert from "node:assert/strict";
import { buildChainStore, isoToDay, runBacktest, validateConfig } from "../../lib/mod.ts";
import { barsFrame, chainFrame, type ChainRow } from "../helpers/chains.ts";

const B = isoToDay("2024-01-02");
const E = B + 30;

function config(
  exit: { profit_target_pct: number; stop_loss_pct: number; dte_exit?: number },
  minCredit = 0.1,
) {
  return validateConfig({
    strategy: { underlying: "SPY", strategy_type: "bull_put_spread" },
    entry: {
      dte_min: 20,
      dte_max: 40,
      short_delta_min: 0.1,
      short_delta_max: 0.3,
      spread_width_min: 5,
      spread_width_max: 5,
      min_credit_pct: minCredit,
      iv_percentile_min: 0,
      min_open_interest: 0,
      min_volume: 0,
      max_bid_ask_pct: 10,
    },
    exit: { dte_exit: 5, ...exit },
    position_sizing: {
      max_risk_per_trade_pct: 0.02,
      max_portfolio_heat_pct: 1,
      max_positions: 1,
      max_correlated_exposure_pct: 1,
    },
  });
}

/** A put row of SPY expiring at E (stock 110 unless given). */
function put(
  day: number,
  strike: number,
  bid: number,
  ask: number,
  delta: number,
  stock = 110,
): ChainRow {
  return { ticker: "SPY", day, expiry: E, strike, type: "P", bid, ask, delta, stockPrice: stock };
}

function run(rows: ChainRow[], cfg: ReturnType<typeof config>) {
  const store = buildChainStore({ chains: chainFrame(rows), bars: new Map(), vix: null });
  return runBacktest(store, cfg).trades.toRecords();
}

Deno.test("a mark exactly at the stop level stops out (1.67 vs 0.668 × 2.5)", () => {
  // Entry B: credit = (1.10 - 0.066) - (0.30 + 0.066) = 0.668; 4 contracts
  //   (floor(2000 / ((5 - 0.668)·100 + 2)) = floor(2000 / 435.20)).
  // B+1: mark = 1.92 - 0.25 = 1.67 = 0.668 × (1 + 1.5) on paper; in binary the mark is 1.67 and
  //   the level 1.6700000000000002. Close cost = (1.87 + 0.066) - (0.30 - 0.066) = 1.702;
  //   P&L = (0.668 - 1.702)·400 - 8 - 8 = -$429.60.
  // A missed stop would close on B+2, the last day, at (1.066 - 0.334) = 0.732 (end_of_period,
  //   -$41.60).
  const trades = run([
    put(B, 95, 0.30, 0.40, -0.10),
    put(B, 100, 1.00, 1.10, -0.20),
    put(B + 1, 95, 0.20, 0.30, -0.15),
    put(B + 1, 100, 1.87, 1.97, -0.45),
    put(B + 2, 95, 0.30, 0.40, -0.10),
    put(B + 2, 100, 1.00, 1.10, -0.35),
  ], config({ profit_target_pct: 0.5, stop_loss_pct: 1.5 }));
  assert.equal(trades.length, 1);
  assert.equal(trades[0].exit_reason, "stop_loss");
  assert.equal(trades[0].pnl, -429.6);
});

Deno.test("a mark exactly at the profit-target level takes profit (0.25 vs 0.625 × 0.4)", () => {
  // Entry B: credit = (1.00 - 0.132) - (0.21 + 0.033) = 0.625; 4 contracts (floor(2000 / 439.50)).
  // B+1: mark = 0.30 - 0.05 = 0.25 = 0.625 × (1 - 0.6) on paper (0.25000000000000006 against
  //   0.25 in binary). Close cost = (0.28 + 0.0264) - (0.09 - 0.0528) = 0.2692;
  //   P&L = (0.625 - 0.2692)·400 - 16 = +$126.32.
  const trades = run([
    put(B, 95, 0.21, 0.26, -0.10),
    put(B, 100, 0.80, 1.00, -0.20),
    put(B + 1, 95, 0.01, 0.09, -0.05),
    put(B + 1, 100, 0.28, 0.32, -0.08),
    put(B + 2, 95, 0.21, 0.26, -0.05),
    put(B + 2, 100, 0.80, 1.00, -0.08),
  ], config({ profit_target_pct: 0.6, stop_loss_pct: 1.5 }));
  assert.equal(trades.length, 1);
  assert.equal(trades[0].exit_reason, "profit_target");
  assert.equal(trades[0].pnl, 126.32);
});

Deno.test("a credit of exactly min_credit_pct × width passes (0.40 = 0.08 × 5)", () => {
  // Credit = (1.13 - 0.66·0.50) - (0.07 + 0.66·0.50) = 0.80 - 0.40 = 0.40 on paper,
  //   0.39999999999999997 in binary; 4 contracts (floor(2000 / 462)).
  const trades = run([
    put(B, 95, 0.07, 0.57, -0.10),
    put(B, 100, 0.63, 1.13, -0.20),
    put(B + 1, 95, 0.07, 0.57, -0.10),
    put(B + 1, 100, 0.63, 1.13, -0.20),
  ], config({ profit_target_pct: 0.5, stop_loss_pct: 1 }, 0.08));
  assert.equal(trades.length, 1);
  assert.equal(trades[0].entry_credit, 0.4);
  assert.equal(trades[0].contracts, 4);
});

Deno.test("a duplicated row of a held leg never hides the leg's quote", () => {
  // Entry B: credit 0.602 (the golden template), 4 contracts.
  // B+1 lists 95P, a duplicate 95P (flagged, nonsense quotes) and 100P: a binary search over
  //   these three rows lands on the duplicate first. The first row is the contract's quote:
  //   mark = 0.55 - 0.25 = 0.30 <= 0.301 -> profit target, debit 0.332, P&L +$92.00.
  const trades = run([
    put(B, 95, 0.40, 0.50, -0.10),
    put(B, 100, 1.00, 1.20, -0.20),
    put(B + 1, 95, 0.20, 0.30, -0.08),
    put(B + 1, 95, 0.01, 9.99, -0.08),
    put(B + 1, 100, 0.50, 0.60, -0.05),
    put(B + 2, 95, 0.40, 0.50, -0.05),
    put(B + 2, 100, 1.00, 1.20, -0.05),
  ], config({ profit_target_pct: 0.5, stop_loss_pct: 1 }));
  assert.equal(trades.length, 1);
  assert.equal(trades[0].exit_reason, "profit_target");
  assert.equal(trades[0].pnl, 92);
});

Deno.test("an expiry date without chains settles at that date's bar close", () => {
  // Entry B: credit 0.602, 4 contracts. B+29: mark 0.65, no exit (time exit off). The expiry
  //   date E = B+30 has no chain file but a bar closing at 95; B+31 is the next chain day.
  // Settlement on B+31 at 95: short 100P worth 5, long 95P worthless: debit 5.00, one leg in
  //   the money ($4 commission). P&L = (0.602 - 5)·400 - 8 - 4 = -$1,771.20. (The previous
  //   chain day's close of 110 would settle it worthless for +$232.80.)
  const E2 = B + 60;
  const rows: ChainRow[] = [
    put(B, 95, 0.40, 0.50, -0.10),
    put(B, 100, 1.00, 1.20, -0.20),
    put(B + 29, 95, 0.20, 0.30, -0.05),
    put(B + 29, 100, 0.80, 1.00, -0.06),
    { ...put(B + 31, 90, 0.40, 0.50, -0.60, 96), expiry: E2 },
  ];
  const bars = new Map([["SPY", barsFrame([[B, 110], [B + 29, 110], [E, 95], [B + 31, 96]])]]);
  const store = buildChainStore({ chains: chainFrame(rows), bars, vix: null });
  const trades = runBacktest(
    store,
    config({ profit_target_pct: 0.5, stop_loss_pct: 1, dte_exit: 0 }),
  ).trades.toRecords();
  assert.equal(trades.length, 1);
  assert.equal(trades[0].exit_reason, "expiration");
  assert.equal(trades[0].exit_debit, 5);
  assert.equal(trades[0].pnl, -1771.2);
});
