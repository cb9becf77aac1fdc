/**
 * Golden scenarios of the four-leg strategies: hand-built chains where every credit, fill,
 * commission, size and P&L of an iron condor (and of both verticals entered on one day) is
 * computed by hand below; the engine must match to the cent.
 *
 * Common settings: SPY only, one position at a time unless said otherwise, DTE 20-40, short
 * |delta| 0.10-0.30 on both sides, widths 5-10, credit >= 10% of the (wider) width, the
 * IV-percentile and liquidity filters off, profit target 50%, stop loss 100%, time exit at
 * DTE <= 5, 2% risk per trade, $1 per contract per leg, starting equity $100,000.
 *
 * Iron condor entry template (short 95P 1.00/1.20, long 90P 0.40/0.50, short 105C 0.90/1.10,
 * long 110C 0.30/0.40), one 4-leg order at s = 0.53:
 *   sell 95P = 1.20 - 0.53·0.20 = 1.094, buy 90P = 0.40 + 0.53·0.10 = 0.453: put side 0.641
 *   sell 105C = 1.10 - 0.106 = 0.994, buy 110C = 0.30 + 0.053 = 0.353: call side 0.641
 *   total credit 1.282 >= 10% × 5 = 0.50
 *   max loss (Reg-T margin) per contract = (5 - 1.282)·100 + 4 legs · $1 = $375.80
 *   contracts = floor(100,000 · 0.02 / 375.80) = floor(5.32) = 5; entry commission 4·5 = $20
 *   cash on entry += 1.282·100·5 - 20 = +$621.00
 * Only the 95 put and the 105 call have |delta| in the band (-0.20 and 0.20; the long legs
 * -0.08 and 0.08), so each day has at most one candidate. Greeks: theta = -0.1·|delta| a day,
 * vega = |delta| per point, so the condor's theta per share is 0.02 - 0.008 + 0.02 - 0.008 =
 * 0.024 and its delta 0.20 - 0.08 - 0.20 + 0.08 = 0.
 */
import assert from "node:assert/strict";
import { buildChainStore, isoToDay, runBacktest, validateConfig } from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";

const B = isoToDay("2024-01-02");
const E = B + 30;

/** [day, strike, type, bid, ask, delta], on expiry E unless a fifth field says otherwise. */
type Quote = [
  day: number,
  strike: number,
  type: "P" | "C",
  bid: number,
  ask: number,
  delta: number,
  expiry?: number,
];

/**
 * A store of SPY quotes with the stock price of each day, and bars' closes when given.
 */
function store(stock: Record<number, number>, quotes: Quote[], bars: Array<[number, number]> = []) {
  const rows = quotes.map(([day, strike, type, bid, ask, delta, expiry]) => ({
    ticker: "SPY",
    day,
    expiry: expiry ?? E,
    strike,
    type,
    bid,
    ask,
    delta,
    stockPrice: stock[day],
    theta: -0.1 * Math.abs(delta),
    vega: Math.abs(delta),
  }));
  return buildChainStore({
    chains: chainFrame(rows),
    bars: new Map(bars.length ? [["SPY", barsFrame(bars)]] : []),
    vix: null,
  });
}

function config(strategyType: unknown, overrides: Record<string, Record<string, unknown>> = {}) {
  return validateConfig({
    strategy: { underlying: "SPY", strategy_type: strategyType },
    entry: {
      dte_min: 20,
      dte_max: 40,
      short_delta_min: 0.1,
      short_delta_max: 0.3,
      spread_width_min: 5,
      spread_width_max: 10,
      min_credit_pct: 0.1,
      iv_percentile_min: 0,
      min_open_interest: 0,
      min_volume: 0,
      max_bid_ask_pct: 10,
      ...overrides.entry,
    },
    exit: { profit_target_pct: 0.5, stop_loss_pct: 1.0, dte_exit: 5 },
    position_sizing: {
      max_risk_per_trade_pct: 0.02,
      max_portfolio_heat_pct: 1,
      max_positions: 1,
      max_correlated_exposure_pct: 1,
      ...overrides.position_sizing,
    },
    simulation: { ...overrides.simulation },
    scoring: { ...overrides.scoring },
  });
}

/** The entry day's four legs (the template above). */
const ENTRY: Quote[] = [
  [B, 90, "P", 0.40, 0.50, -0.08],
  [B, 95, "P", 1.00, 1.20, -0.20],
  [B, 105, "C", 0.90, 1.10, 0.20],
  [B, 110, "C", 0.30, 0.40, 0.08],
];

/** A day's quotes at the entry's prices: the mark is (1.10 - 0.45) + (1.00 - 0.35) = 1.30. */
const unchanged = (day: number): Quote[] => ENTRY.map(([, ...rest]) => [day, ...rest]);

const near = (a: unknown, b: number) => Math.abs((a as number) - b) < 1e-9;

Deno.test("golden iron condor: both sides expire worthless", () => {
  // B+1: mark 1.30, between the target 1.282·0.5 = 0.641 and the stop 1.282·2 = 2.564: held.
  // E (DTE 0): the stock at 101; every leg has a zero bid (unusable), so no target or stop is
  //   checked and the condor settles at expiration: all four legs worthless, debit 0, no
  //   commission. P&L = 1.282·500 - 20 = +$621.00.
  const result = runBacktest(
    store({ [B]: 100, [B + 1]: 100, [E]: 101 }, [
      ...ENTRY,
      ...unchanged(B + 1),
      [E, 90, "P", 0, 0.05, -0.01],
      [E, 95, "P", 0, 0.05, -0.01],
      [E, 105, "C", 0, 0.05, 0.01],
      [E, 110, "C", 0, 0.05, 0.01],
    ]),
    config("iron_condor"),
  );
  const [t] = result.trades.toRecords();
  assert.equal(result.trades.height, 1);
  assert.equal(t.spread_type, "iron_condor");
  assert.deepEqual(
    [t.short_strike, t.long_strike, t.call_short_strike, t.call_long_strike, t.width],
    [95, 90, 105, 110, 5],
  );
  assert.deepEqual([t.entry_credit, t.exit_debit, t.contracts], [1.282, 0, 5]);
  assert.deepEqual([t.commission, t.pnl, t.max_loss, t.exit_reason], [20, 621, 1879, "expiration"]);
  assert.equal(t.underlying_price_exit, 101);
  assert.ok(near(t.delta_at_entry, 0) && near(t.theta_at_entry, 0.024));
  assert.ok(near(t.vega_at_entry, -0.24));
  assert.equal(result.metrics.final_equity.toFixed(2), "100621.00");
  // Day B: cash 100,621.00 less the condor at mid, 1.30·500 = 650; net greeks over the four
  // legs × 100 × 5: theta 0.024·500 = $12.00 a day, vega -0.24·500 = -$120 a point.
  const day = result.equity.toRecords()[0];
  assert.deepEqual([day.equity, day.cash, day.open_risk], [99971, 100621, 1879]);
  assert.ok(near(day.net_theta, 12) && near(day.net_vega, -120) && near(day.net_delta, 0));
  // The legs: sell fills at entry, worthless at expiry, $5 of commission each (entry only).
  const legs = result.legs.toRecords();
  assert.deepEqual(legs.map((l) => [l.leg, l.option_type, l.strike, l.quantity]), [
    ["short_put", "put", 95, -5],
    ["long_put", "put", 90, 5],
    ["short_call", "call", 105, -5],
    ["long_call", "call", 110, 5],
  ]);
  assert.deepEqual(legs.map((l) => l.entry_fill), [1.094, 0.453, 0.994, 0.353]);
  assert.deepEqual(legs.map((l) => l.exit_fill), [0, 0, 0, 0]);
  assert.deepEqual(legs.map((l) => l.commission), [5, 5, 5, 5]);
  assert.deepEqual(legs.map((l) => l.entry_delta), [-0.2, -0.08, 0.2, 0.08]);
});

Deno.test("golden iron condor: the put side settles in the money; margin is the wider side's", () => {
  // The call side is 105/115 here (width 10), the put side 95/90 (width 5): the credit is the
  //   same 1.282 (the 115C quotes as the 110C did), tested against 10% of the wider width (1.00).
  //   Max loss per contract = (10 - 1.282)·100 + 4 = $875.80; contracts = floor(2000 / 875.80)
  //   = 2; entry commission $8; cash += 1.282·200 - 8 = +$248.40.
  // E has no snapshot at all; the bars close at 93 on E. The next trading day E+1 (DTE -1)
  //   settles at 93: short 95P worth 2.00, long 90P and the calls worthless: debit 2.00, and a
  //   commission for the one leg in the money: $1·2 = $2.
  //   P&L = (1.282 - 2)·200 - 8 - 2 = -143.60 - 10 = -$153.60.
  const wide = ENTRY.map((q): Quote => (q[1] === 110 ? [B, 115, "C", 0.30, 0.40, 0.05] : q));
  const later = E + 1;
  const result = runBacktest(
    store(
      { [B]: 100, [B + 1]: 99, [later]: 93 },
      [
        ...wide,
        ...wide.map(([, ...rest]): Quote => [B + 1, ...rest]),
        // E+1 lists a later expiry only, so that it is a trading day of the data.
        [later, 95, "P", 2.00, 2.10, -0.5, later + 60],
      ],
      [[B, 100], [B + 1, 99], [E, 93], [later, 93]],
    ),
    config("iron_condor"),
  );
  const [t] = result.trades.toRecords();
  assert.equal(result.trades.height, 1);
  assert.deepEqual(
    [t.short_strike, t.long_strike, t.call_short_strike, t.call_long_strike, t.width],
    [95, 90, 105, 115, 10],
  );
  assert.deepEqual([t.entry_credit, t.exit_debit, t.contracts], [1.282, 2, 2]);
  assert.deepEqual([t.commission, t.pnl, t.max_loss, t.exit_reason], [
    10,
    -153.6,
    1751.6,
    "expiration",
  ]);
  assert.equal(t.underlying_price_exit, 93);
  assert.equal(t.pnl_pct, Math.round(-153.6 / 1751.6 * 1e6) / 1e6);
  const legs = result.legs.toRecords();
  assert.deepEqual(legs.map((l) => l.exit_fill), [2, 0, 0, 0]);
  assert.deepEqual(legs.map((l) => l.commission), [4, 2, 2, 2]);
  assert.equal(result.metrics.final_equity.toFixed(2), "99846.40");
});

Deno.test("golden iron condor: profit target closes all four legs as one order at 53%", () => {
  // B+1 (the last day): mark (0.55 - 0.25) + (0.50 - 0.20) = 0.60 <= 0.641 -> profit target.
  //   Closing fills at s = 0.53: buy 95P 0.50 + 0.053 = 0.553, sell 90P 0.30 - 0.053 = 0.247,
  //   buy 105C 0.45 + 0.053 = 0.503, sell 110C 0.25 - 0.053 = 0.197:
  //   debit = 0.553 - 0.247 + 0.503 - 0.197 = 0.612 (at two-leg slippage it would be 0.664).
  //   Exit commission 4·5 = $20. P&L = (1.282 - 0.612)·500 - 20 - 20 = 335 - 40 = +$295.00.
  const result = runBacktest(
    store({ [B]: 100, [B + 1]: 100 }, [
      ...ENTRY,
      [B + 1, 90, "P", 0.20, 0.30, -0.05],
      [B + 1, 95, "P", 0.50, 0.60, -0.12],
      [B + 1, 105, "C", 0.45, 0.55, 0.12],
      [B + 1, 110, "C", 0.15, 0.25, 0.05],
    ]),
    config("iron_condor"),
  );
  const [t] = result.trades.toRecords();
  assert.equal(t.exit_reason, "profit_target");
  assert.deepEqual([t.entry_credit, t.exit_debit, t.commission, t.pnl], [1.282, 0.612, 40, 295]);
  const legs = result.legs.toRecords();
  assert.deepEqual(legs.map((l) => l.exit_fill), [0.553, 0.247, 0.503, 0.197]);
  assert.deepEqual(legs.map((l) => l.commission), [10, 10, 10, 10]);
  assert.equal(result.metrics.final_equity.toFixed(2), "100295.00");
});

Deno.test("golden iron condor: a stop loss on the whole condor's value", () => {
  // B+1 (the last day), the stock at 96: mark (3.50 - 1.00) + (0.25 - 0.075) = 2.675 >= 2.564
  //   (1.282·2: the stop compares the whole condor's value with its total credit) -> stop loss.
  //   Fills at 0.53: buy 95P 3.40 + 0.106 = 3.506, sell 90P 1.10 - 0.106 = 0.994,
  //   buy 105C 0.20 + 0.053 = 0.253, sell 110C 0.10 - 0.53·0.05 = 0.0735:
  //   debit = 3.506 - 0.994 + 0.253 - 0.0735 = 2.6915.
  //   P&L = (1.282 - 2.6915)·500 - 40 = -704.75 - 40 = -$744.75.
  const result = runBacktest(
    store({ [B]: 100, [B + 1]: 96 }, [
      ...ENTRY,
      [B + 1, 90, "P", 0.90, 1.10, -0.15],
      [B + 1, 95, "P", 3.40, 3.60, -0.45],
      [B + 1, 105, "C", 0.20, 0.30, 0.06],
      [B + 1, 110, "C", 0.05, 0.10, 0.02],
    ]),
    config("iron_condor"),
  );
  const [t] = result.trades.toRecords();
  assert.equal(t.exit_reason, "stop_loss");
  assert.deepEqual([t.exit_debit, t.commission, t.pnl], [2.6915, 40, -744.75]);
  assert.equal(t.underlying_price_exit, 96);
  assert.equal(result.metrics.final_equity.toFixed(2), "99255.25");
});

Deno.test("golden both sides: a bear call and a bull put entered on one day, the second cut by the heat", () => {
  // strategy_type = ["bull_put_spread", "bear_call_spread"], two entries a day, heat 3%, the
  // score credit / width alone. Two-leg orders at s = 0.66:
  //   bear call 105/110 (quotes 1.20/1.40 and 0.40/0.50): 1.40 - 0.132 = 1.268, 0.40 + 0.066 =
  //     0.466: credit 0.802, score 0.802 / 5 = 0.1604; max loss (5 - 0.802)·100 + 2 = $421.80
  //   bull put 95/90 (the template): 1.068 - 0.466 = 0.602, score 0.1204; max loss $441.80
  // The call ranks first: contracts = min(floor(2000 / 421.80) = 4, floor(3000 / 421.80) = 7)
  //   = 4; open risk $1,687.20; cash += 0.802·400 - 8 = +$312.80.
  // The put: risk allows floor(2000 / 441.80) = 4, the heat floor((3000 - 1687.20) / 441.80) =
  //   floor(2.97) = 2: 2 contracts; cash += 0.602·200 - 4 = +$116.40.
  // B+1, the last day, same quotes: both close at end of period.
  //   call: buy 105C 1.20 + 0.132 = 1.332, sell 110C 0.50 - 0.066 = 0.434: debit 0.898;
  //     P&L = (0.802 - 0.898)·400 - 16 = -$54.40
  //   put: buy 95P 1.132, sell 90P 0.434: debit 0.698; P&L = (0.602 - 0.698)·200 - 8 = -$27.20
  const quotes = (day: number): Quote[] => [
    [day, 90, "P", 0.40, 0.50, -0.08],
    [day, 95, "P", 1.00, 1.20, -0.20],
    [day, 105, "C", 1.20, 1.40, 0.20],
    [day, 110, "C", 0.40, 0.50, 0.08],
  ];
  const result = runBacktest(
    store({ [B]: 100, [B + 1]: 100 }, [...quotes(B), ...quotes(B + 1)]),
    config(["bull_put_spread", "bear_call_spread"], {
      entry: { spread_width_max: 5 },
      position_sizing: { max_portfolio_heat_pct: 0.03, max_positions: 5 },
      simulation: { max_entries_per_day: 3 },
      scoring: { expected_value: 0, iv_percentile: 0, delta_distance: 0, credit_width: 1 },
    }),
  );
  const t = result.trades.toRecords();
  assert.deepEqual(t.map((r) => [r.trade_id, r.spread_type, r.short_strike, r.long_strike]), [
    ["T000001", "bear_call", 105, 110],
    ["T000002", "bull_put", 95, 90],
  ]);
  assert.ok(!result.trades.columns.includes("call_short_strike"), "no condor, no call columns");
  assert.deepEqual(t.map((r) => r.contracts), [4, 2]);
  assert.deepEqual(t.map((r) => r.entry_credit), [0.802, 0.602]);
  assert.deepEqual(t.map((r) => r.max_loss), [1687.2, 883.6]);
  assert.deepEqual(t.map((r) => r.exit_debit), [0.898, 0.698]);
  assert.deepEqual(t.map((r) => r.pnl), [-54.4, -27.2]);
  assert.deepEqual(t.map((r) => r.exit_reason), ["end_of_period", "end_of_period"]);
  // Day B: both open; cash 100,429.20 less the spreads at mid (0.85·400 + 0.65·200 = 470).
  const day = result.equity.toRecords()[0];
  assert.deepEqual([day.open_positions, day.cash, day.open_risk, day.equity], [
    2,
    100429.2,
    2570.8,
    99959.2,
  ]);
  assert.equal(result.metrics.final_equity.toFixed(2), "99918.40");
  assert.deepEqual(result.legs.toRecords().map((l) => [l.trade_id, l.leg, l.quantity]), [
    ["T000001", "short_call", -4],
    ["T000001", "long_call", 4],
    ["T000002", "short_put", -2],
    ["T000002", "long_put", 2],
  ]);
});
