/**
 * The portfolio's positions of N legs: entering and closing an iron condor leg by leg, each leg
 * with its own fill and commission (an assigned leg at intrinsic value beside an order of the
 * others, as an early assignment will close them), and the net greeks over its legs.
 */
import assert from "node:assert/strict";
import {
  addPositionGreeks,
  LEGS_OF,
  type Position,
  type PositionLeg,
  positionValue,
  TYPE_CALL,
  TYPE_PUT,
} from "../../lib/mod.ts";
import { Portfolio } from "../../lib/simulation/portfolio.ts";

function condor(): Position {
  const quotes = [[1.0, 1.2, -0.2], [0.4, 0.5, -0.08], [0.9, 1.1, 0.2], [0.3, 0.4, 0.08]];
  const strikes = [95, 90, 105, 110];
  const fills = [1.094, 0.453, 0.994, 0.353];
  const legs = LEGS_OF.iron_condor.map((role, i): PositionLeg => {
    const [bid, ask, delta] = quotes[i];
    const quote = { bid, ask, delta, gamma: 0.01, theta: -0.1 * Math.abs(delta), vega: 0.5 };
    return {
      role,
      isPut: i < 2,
      type: i < 2 ? TYPE_PUT : TYPE_CALL,
      strike: strikes[i],
      ratio: i % 2 === 0 ? -1 : 1,
      mark: { ...quote },
      entryFill: fills[i],
      entryQuote: quote,
      entryIv: 0.2,
    };
  });
  return {
    id: 0,
    t: 0,
    underlying: "SPY",
    spreadType: "iron_condor",
    expiry: 19754,
    legs,
    contracts: 5,
    entryDay: 19724,
    entryIndex: 0,
    entryCredit: 1.282,
    entryCommission: 20,
    maxLossUsd: 1879,
    spot: 100,
    quoted: true,
    exitReason: null,
    entry: {} as Position["entry"],
  };
}

Deno.test("a condor closed leg by leg: debit and commission are the legs' sums", () => {
  const book = new Portfolio(100000);
  const pos = book.enter(condor());
  assert.equal(book.cash, 100000 + 1.282 * 500 - 20);
  // Mark: (1.10 - 0.45) + (1.00 - 0.35) = 1.30 per share, -$650 for 5 condors.
  assert.ok(Math.abs(positionValue(pos) + 650) < 1e-9);
  // Net greeks: theta 0.02 - 0.008 + 0.02 - 0.008 = 0.024 a share, × 500; vega 0 (pairs cancel).
  const net = addPositionGreeks({ delta: 0, gamma: 0, theta: 0, vega: 0 }, pos);
  assert.ok(Math.abs(net.theta - 12) < 1e-9 && Math.abs(net.delta) < 1e-12);
  // The short call assigned at intrinsic 2.00 ($1 a contract, as an exercise); the other three
  // closed as one 3-leg order with their own fills and commissions.
  pos.exitReason = "stop_loss";
  const trade = book.close(0, {
    day: 19730,
    underlyingPrice: 107,
    fills: [0.2, 0.1, 2.0, 0.6],
    legCommissions: [5, 5, 5, 5],
  });
  // Debit = 0.2 - 0.1 + 2.0 - 0.6 = 1.50; P&L = (1.282 - 1.5)·500 - 20 - 20 = -149.
  assert.ok(Math.abs(trade.exitDebit - 1.5) < 1e-12);
  assert.equal(trade.commissionsUsd, 40);
  assert.ok(Math.abs(trade.pnlUsd + 149) < 1e-9);
  assert.ok(Math.abs(book.cash - (100000 + 641 - 20 - 750 - 20)) < 1e-9);
  assert.deepEqual(trade.legs.map((l) => [l.role, l.quantity, l.exitFill, l.commissionUsd]), [
    ["short_put", -5, 0.2, 10],
    ["long_put", 5, 0.1, 10],
    ["short_call", -5, 2.0, 10],
    ["long_call", 5, 0.6, 10],
  ]);
  assert.deepEqual([
    trade.shortStrike,
    trade.longStrike,
    trade.callShortStrike,
    trade.callLongStrike,
  ], [
    95,
    90,
    105,
    110,
  ]);
  assert.equal(book.open.length, 0);
});
