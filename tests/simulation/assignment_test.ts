/**
 * Early assignment, by hand to the cent: a bear call spread assigned on the eve of an
 * ex-dividend date, the same entry avoided by `avoid_ex_dividend_days`, and a bull put spread
 * assigned at a positive risk-free rate but not at zero.
 *
 * Common settings (as the golden tests): one position at a time, width $5, DTE 20-40, short
 * |delta| 0.10-0.30, credit >= 10% of width, profit target 50%, time exit at DTE <= 5, 2% risk
 * per trade, $1 per contract per leg, 2-leg slippage 0.66 (1-leg 0.75), equity $100,000.
 * Entry template (short 1.00/1.20, long 0.40/0.50): credit 1.068 - 0.466 = 0.602 per share;
 * max loss per contract (5 - 0.602)·100 + 2 = $441.80; floor(2,000 / 441.80) = 4 contracts;
 * cash on entry +0.602·400 - 8 = +$232.80.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  buildChainStore,
  dividendSchedules,
  isoToDay,
  runBacktest,
  validateConfig,
} from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";

const B = isoToDay("2024-01-02");
const E1 = B + 30;
/** The ex-dividend date: B+10, $1.50 a share. */
const EX = B + 10;

type Quote = [day: number, strike: number, bid: number, ask: number, delta: number];

function config(
  strategyType: "bull_put_spread" | "bear_call_spread",
  extra: { avoid?: number; rate?: number; stockCommission?: number } = {},
) {
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
      ...(extra.avoid === undefined ? {} : { avoid_ex_dividend_days: extra.avoid }),
    },
    // A wide stop: the in-the-money marks below stay short of it.
    exit: { profit_target_pct: 0.5, stop_loss_pct: 9, dte_exit: 5 },
    position_sizing: {
      max_risk_per_trade_pct: 0.02,
      max_portfolio_heat_pct: 1,
      max_positions: 1,
      max_correlated_exposure_pct: 1,
    },
    simulation: {
      risk_free_rate: extra.rate ?? 0,
      ...(extra.stockCommission === undefined ? {} : { stock_commission: extra.stockCommission }),
    },
  });
}

/** A store of quotes on expiry E1, with the snapshot's stock price and bars' closes per day. */
function store(
  type: "P" | "C",
  stock: Record<number, number>,
  closes: Record<number, number>,
  quotes: Quote[],
  dividends = true,
) {
  const chains = chainFrame(quotes.map(([day, strike, bid, ask, delta]) => ({
    ticker: "SPY",
    day,
    expiry: E1,
    strike,
    type,
    bid,
    ask,
    delta,
    stockPrice: stock[day],
  })));
  const bars = new Map([[
    "SPY",
    barsFrame(Object.entries(closes).map(([d, c]) => [Number(d), c])),
  ]]);
  const table = pl.DataFrame({ ticker: ["SPY"], ex_date: [EX], amount: [1.5] })
    .withColumns(pl.col("ex_date").cast(pl.Date));
  return buildChainStore({
    chains,
    bars,
    vix: null,
    dividends: dividends ? dividendSchedules(table) : null,
  });
}

/**
 * The bear call spread's market: entry on B, held on B+1, the eve of the ex-date on B+9
 * (DTE 21) with the stock at 112.00 in the snapshot and a 112.40 close, and the ex-date B+10
 * with the close 1.50 lower. Deltas outside the band after the entry: no other candidate.
 */
function bearCallMarket(dividends = true) {
  const stock = { [B]: 100, [B + 1]: 101, [B + 9]: 112, [EX]: 110.9 };
  const closes = { [B]: 100, [B + 1]: 101, [B + 9]: 112.4, [EX]: 110.9 };
  const quotes: Quote[] = [
    [B, 110, 1.0, 1.2, 0.2],
    [B, 115, 0.4, 0.5, 0.1],
    // B+1: mark 1.10 - 0.45 = 0.65: no target (0.301), no stop (0.602·10 = 6.02).
    [B + 1, 110, 1.0, 1.2, 0.35],
    [B + 1, 115, 0.4, 0.5, 0.32],
    // B+9: 110C mid 3.00, intrinsic at the close 2.40: time value 0.60 < the $1.50 dividend.
    //   Mark 3.00 - 0.90 = 2.10: no stop; DTE 21 > 5: no time exit.
    [B + 9, 110, 2.9, 3.1, 0.75],
    [B + 9, 115, 0.8, 1.0, 0.35],
    [EX, 110, 1.9, 2.1, 0.7],
    [EX, 115, 0.5, 0.7, 0.33],
  ];
  return store("C", stock, closes, quotes, dividends);
}

Deno.test("assignment: a bear call spread is assigned at the close before an ex-date", () => {
  const result = runBacktest(
    bearCallMarket(),
    config("bear_call_spread", { stockCommission: 0.5 }),
  );
  const t = result.trades.toRecords();
  assert.equal(t.length, 1);
  // The short 110 call closes at its intrinsic value at the 112.40 close: 2.40. The long 115
  //   call sells alone, a one-leg order at 75%: 1.00 - 0.75·0.20 = 0.85. Debit 2.40 - 0.85 = 1.55.
  // Commission: entry $8; exit: the assigned leg (1 + 0.50)·4 = $6, the long leg $4: $18.
  // P&L = (0.602 - 1.55)·400 - 18 = -379.20 - 18 = -$397.20.
  assert.equal(t[0].exit_reason, "assignment");
  assert.equal(t[0].exit_date?.toString(), new Date((B + 9) * 86400000).toString());
  assert.equal(t[0].days_held, 9);
  assert.equal(t[0].exit_debit, 1.55);
  assert.equal(t[0].commission, 18);
  assert.equal(t[0].pnl, -397.2);
  assert.equal(t[0].underlying_price_exit, 112.4);
  assert.equal(result.metrics.final_equity.toFixed(2), "99602.80");
  // The legs: the assigned call at 2.40 (commission 8/2 + 6 = $10), the long call at 0.85 ($8).
  const legs = result.legs.toRecords();
  assert.deepEqual(legs.map((l) => l.exit_fill), [2.4, 0.85]);
  assert.deepEqual(legs.map((l) => l.commission), [10, 8]);
  // metrics.json's breakdown by exit reason (the data holds dividends).
  assert.equal(result.metrics.by_exit_reason?.assignment.trade_count, 1);
  assert.equal(result.metrics.by_exit_reason?.assignment.total_pnl.toFixed(2), "-397.20");
});

Deno.test("assignment: without dividends the same spread is held to the end of the data", () => {
  const result = runBacktest(bearCallMarket(false), config("bear_call_spread"));
  const t = result.trades.toRecords();
  // EX is the last day: closed there at the two-leg fills.
  //   Debit = (1.90 + 0.66·0.20) - (0.70 - 0.66·0.20) = 2.032 - 0.568 = 1.464.
  //   P&L = (0.602 - 1.464)·400 - 16 = -344.80 - 16 = -$360.80.
  assert.deepEqual(t.map((r) => r.exit_reason), ["end_of_period"]);
  assert.equal(t[0].pnl, -360.8);
  assert.equal(result.metrics.by_exit_reason, undefined);
});

Deno.test("assignment: avoid_ex_dividend_days skips the call side that spans the ex-date", () => {
  // On B the ex-date is 10 days out (before the expiry E1): skipped at 14 days, every day.
  const avoided = runBacktest(bearCallMarket(), config("bear_call_spread", { avoid: 14 }));
  assert.equal(avoided.trades.height, 0);
  assert.equal(avoided.metrics.final_equity, 100000);
  // The funnel counts the call expiries skipped: on B, B+1 and B+9 (EX, the last day, takes
  //   no entries and is not scanned).
  assert.equal(avoided.raw.funnel.ex_dividend, 3);
  assert.equal(avoided.raw.funnel.dte, 3);
  // At 9 days the ex-date on B is too far to skip: the entry and its assignment happen.
  const entered = runBacktest(bearCallMarket(), config("bear_call_spread", { avoid: 9 }));
  assert.deepEqual(entered.trades.toRecords().map((r) => r.exit_reason), ["assignment"]);
  // B+1 is not scanned (the one position allowed is open); B+9, after the assignment, skips
  //   the expiry: the ex-date is a day away.
  assert.equal(entered.raw.funnel.ex_dividend, 1);
  // Off by default: the funnel has no ex_dividend count.
  const off = runBacktest(bearCallMarket(), config("bear_call_spread"));
  assert.equal(off.raw.funnel.ex_dividend, undefined);
});

/**
 * The bull put spread's market: entry on B (stock 100), held on B+1, and B+9 (DTE 21) with the
 * stock at 90: the 100 put's mid 10.10 has 0.10 of time value, the 95 put's mid 5.20. B+9 is
 * the last day.
 */
function bullPutMarket() {
  const stock = { [B]: 100, [B + 1]: 100, [B + 9]: 90 };
  const quotes: Quote[] = [
    [B, 95, 0.4, 0.5, -0.1],
    [B, 100, 1.0, 1.2, -0.2],
    [B + 1, 95, 0.4, 0.5, -0.32],
    [B + 1, 100, 1.0, 1.2, -0.35],
    // Mark 10.10 - 5.20 = 4.90: no stop (6.02).
    [B + 9, 95, 5.1, 5.3, -0.6],
    [B + 9, 100, 10.0, 10.2, -0.95],
  ];
  return store("P", stock, stock, quotes);
}

Deno.test("assignment: a short put is assigned when its time value is below K·r·DTE/365", () => {
  // At r = 5%: interest 100 · 0.05 · 21 / 365 = 0.2877 > the 0.10 time value: assigned.
  // The short 100 put at intrinsic 10.00; the long 95 put sells alone: 5.30 - 0.75·0.20 = 5.15.
  // Debit 4.85; commission 8 + 4 + 4 = $16; P&L = (0.602 - 4.85)·400 - 16 = -$1,715.20.
  const r5 = runBacktest(bullPutMarket(), config("bull_put_spread", { rate: 0.05 }));
  const t = r5.trades.toRecords();
  assert.deepEqual(t.map((r) => r.exit_reason), ["assignment"]);
  assert.equal(t[0].exit_debit, 4.85);
  assert.equal(t[0].commission, 16);
  assert.equal(t[0].pnl, -1715.2);
  // At r = 0 no put is assigned: the last day closes it at the two-leg fills.
  //   Debit (10.00 + 0.132) - (5.30 - 0.132) = 4.964; P&L = (0.602 - 4.964)·400 - 16 = -$1,760.80.
  const r0 = runBacktest(bullPutMarket(), config("bull_put_spread", { rate: 0 }));
  const t0 = r0.trades.toRecords();
  assert.deepEqual(t0.map((r) => r.exit_reason), ["end_of_period"]);
  assert.equal(t0[0].pnl, -1760.8);
  // At r = 0.17%: interest 100 · 0.0017 · 21 / 365 = 0.00978 < 0.10: not assigned either.
  const low = runBacktest(bullPutMarket(), config("bull_put_spread", { rate: 0.0017 }));
  assert.deepEqual(low.trades.toRecords().map((r) => r.exit_reason), ["end_of_period"]);
});
