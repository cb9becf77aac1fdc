/**
 * Circuit breakers, one hand-computed scenario each, to the cent.
 *
 * Common settings (as the golden scenario): SPY bull put spreads of width $5, DTE 20-40, short
 * |delta| 0.10-0.30, credit >= 10% of width, filters off, profit target 50%, stop loss 500%
 * (out of the way), time exit at DTE <= 5, one position at a time, $1 a contract a leg, 2-leg
 * slippage 0.66, starting equity $100,000, and 50% risk per trade so that a mark move is a loss
 * of several percent of equity.
 *
 * Entry template (short 100P 1.00/1.20, long 95P 0.40/0.50): credit 1.068 - 0.466 = 0.602;
 * max loss per contract (5 - 0.602)·100 + 2 = $441.80; contracts floor(50,000 / 441.80) = 113;
 * cash 100,000 + 0.602·11,300 - 226 = 106,576.60; mark 1.10 - 0.45 = 0.65, so the entry day's
 * equity is 106,576.60 - 0.65·11,300 = 99,231.60.
 * A spread's equity at mark m is 106,576.60 - 11,300·m.
 */
import assert from "node:assert/strict";
import type pl from "nodejs-polars";
import { runBacktest } from "../../lib/mod.ts";
import { B, config, E1, E2, pair, type Quote, store, template } from "../helpers/put_spreads.ts";

const column = (frame: pl.DataFrame, name: string) => frame.getColumn(name).toArray();
const iso = (d: unknown) => (d as Date).toISOString().slice(0, 10);

Deno.test("breakers: off by default, the daily state keeps its columns", () => {
  const quotes = [...template(B, E1), ...pair(B + 1, E1, 2.0, 0.6), ...template(B + 2, E2)];
  const result = runBacktest(store(quotes), config({}));
  assert.equal(result.equity.columns.includes("halted"), false);
  // Without the breaker the 9% loss of B+1 closes nothing: the position runs to the end.
  assert.deepEqual(column(result.trades, "exit_reason"), ["end_of_period"]);
});

Deno.test("daily loss 2%: halts the day, closes everything at its fills, trades again the next day", () => {
  const quotes: Quote[] = [
    ...template(B, E1), // enter 113 contracts; equity 99,231.60
    // B+1: short 2.00/2.20, long 0.60/0.70: mark 2.10 - 0.65 = 1.45, equity 106,576.60 -
    //   16,385 = 90,191.60 <= 0.98 × 99,231.60 = 97,246.97: the breaker trips. Close: buy the
    //   short at 2.00 + 0.132 = 2.132, sell the long at 0.70 - 0.066 = 0.634: debit 1.498;
    //   cash 106,576.60 - 16,927.40 - 226 = 89,423.20; P&L (0.602 - 1.498)·11,300 - 452 =
    //   -10,576.80. The day's candidate in E2 is not entered (halted).
    ...pair(B + 1, E1, 2.0, 0.6),
    ...template(B + 1, E2),
    // B+2: trading resumes: floor(89,423.20 · 0.5 / 441.80) = 101 contracts in E2; cash
    //   89,423.20 + 0.602·10,100 - 202 = 95,301.40; equity 95,301.40 - 0.65·10,100 = 88,736.40
    //   (a 0.77% loss, no halt).
    ...template(B + 2, E2),
    // B+3, the last day: end_of_period at the template's close cost 1.132 - 0.434 = 0.698:
    //   P&L (0.602 - 0.698)·10,100 - 404 = -1,373.60; final equity 88,049.60.
    ...template(B + 3, E2),
  ];
  const result = runBacktest(store(quotes), config({ daily_loss_pct: 0.02 }));
  const t = result.trades;
  assert.deepEqual(column(t, "exit_reason"), ["circuit_breaker", "end_of_period"]);
  assert.deepEqual(column(t, "entry_date").map(iso), ["2024-01-02", "2024-01-04"]);
  assert.deepEqual(column(t, "exit_date").map(iso), ["2024-01-03", "2024-01-05"]);
  assert.deepEqual(column(t, "contracts"), [113, 101]);
  assert.deepEqual(column(t, "exit_debit"), [1.498, 0.698]);
  assert.deepEqual(column(t, "commission"), [452, 404]);
  assert.deepEqual(column(t, "pnl"), [-10576.8, -1373.6]);
  const e = result.equity;
  assert.deepEqual(column(e, "equity"), [99231.6, 89423.2, 88736.4, 88049.6]);
  assert.deepEqual(column(e, "halted"), [false, true, false, false]);
  assert.deepEqual(column(e, "halt_reason"), [null, "daily_loss", null, null]);
  assert.equal(
    column(e, "halt_trigger")[1],
    "daily_loss: equity 90191.60 <= 97246.97 (previous close 99231.60)",
  );
  assert.deepEqual(result.equity.columns.slice(-3), ["halted", "halt_reason", "halt_trigger"]);
});

Deno.test("daily loss with close_on_halt = false: the day is halted, the position stays open", () => {
  const quotes = [
    ...template(B, E1),
    ...pair(B + 1, E1, 2.0, 0.6),
    ...template(B + 1, E2),
    ...template(B + 2, E1),
  ];
  const result = runBacktest(store(quotes), config({ daily_loss_pct: 0.02, close_on_halt: false }));
  // No close on B+1; B+2 is the last day: end_of_period at 0.698, P&L -1,536.80.
  assert.deepEqual(column(result.trades, "exit_reason"), ["end_of_period"]);
  assert.deepEqual(column(result.trades, "pnl"), [-1536.8]);
  assert.deepEqual(column(result.equity, "halt_reason"), [null, "daily_loss", null]);
});

Deno.test("weekly loss 5%: measured from last Friday's close, halts the rest of the week", () => {
  const quotes: Quote[] = [
    ...template(B, E1), // Tue 2024-01-02: 113 contracts, equity 99,231.60
    // Fri 01-05 (B+3): mark 1.20 - 0.50 = 0.70, equity 98,666.60: next week's reference.
    ...pair(B + 3, E1, 1.1, 0.45),
    // Mon 01-08 (B+6): mark 1.40 - 0.50 = 0.90, equity 96,406.60: -2.3% on the week, no halt.
    ...pair(B + 6, E1, 1.3, 0.45),
    // Tue 01-09 (B+7): mark 1.70 - 0.50 = 1.20, equity 93,016.60 <= 0.95 × 98,666.60 =
    //   93,733.27: the weekly breaker trips. Close: buy 1.60 + 0.132 = 1.732, sell
    //   0.55 - 0.066 = 0.484, debit 1.248; P&L (0.602 - 1.248)·11,300 - 452 = -7,751.80;
    //   cash and equity 92,248.20.
    ...pair(B + 7, E1, 1.6, 0.45),
    // Wed 01-10 (B+8): a candidate, but the week is halted.
    ...template(B + 8, E2),
    // Tue 01-16 (B+14), the next week: floor(92,248.20 · 0.5 / 441.80) = 104 contracts.
    //   cash 92,248.20 + 0.602·10,400 - 208 = 98,301.00; equity 98,301.00 - 6,760 = 91,541.00.
    ...template(B + 14, E2),
    // Wed 01-17 (B+15), last day: end_of_period at 0.698: P&L -998.40 - 416 = -1,414.40.
    ...template(B + 15, E2),
  ];
  const result = runBacktest(store(quotes), config({ weekly_loss_pct: 0.05 }));
  const t = result.trades;
  assert.deepEqual(column(t, "exit_reason"), ["circuit_breaker", "end_of_period"]);
  assert.deepEqual(column(t, "exit_date").map(iso), ["2024-01-09", "2024-01-17"]);
  assert.deepEqual(column(t, "entry_date").map(iso), ["2024-01-02", "2024-01-16"]);
  assert.deepEqual(column(t, "contracts"), [113, 104]);
  assert.deepEqual(column(t, "pnl"), [-7751.8, -1414.4]);
  const e = result.equity;
  assert.deepEqual(column(e, "equity"), [
    99231.6,
    98666.6,
    96406.6,
    92248.2,
    92248.2,
    91541.0,
    90833.8,
  ]);
  assert.deepEqual(column(e, "halt_reason"), [
    null,
    null,
    null,
    "weekly_loss",
    "weekly_loss",
    null,
    null,
  ]);
  assert.match(String(column(e, "halt_trigger")[3]), /weekly_loss: equity 93016\.60 <= 93733\.27/);
  assert.equal(column(e, "halt_trigger")[4], null); // the halt continues; nothing new tripped
});

Deno.test("max drawdown 10%: halts entries for the rest of the run and closes nothing", () => {
  const quotes: Quote[] = [
    ...template(B, E1), // 113 contracts, equity 99,231.60, peak 100,000 (the starting equity)
    // B+1: mark 2.15 - 0.65 = 1.50, equity 106,576.60 - 16,950 = 89,626.60 <= 90,000: halt.
    //   The position stays open; E2's candidate is not entered.
    ...pair(B + 1, E1, 2.05, 0.6),
    ...template(B + 1, E2),
    // B+2: mark 0.55 - 0.25 = 0.30 <= 0.301: profit target, debit 0.566 - 0.234 = 0.332,
    //   P&L (0.602 - 0.332)·11,300 - 452 = 2,599.00; equity 102,599.00, a new peak, and still
    //   no entry: the halt lasts the run.
    [B + 2, E1, 95, 0.20, 0.30, -0.05],
    [B + 2, E1, 100, 0.50, 0.60, -0.15],
    ...template(B + 2, E2),
    ...template(B + 3, E2),
  ];
  const result = runBacktest(store(quotes), config({ max_drawdown_pct: 0.1 }));
  assert.deepEqual(column(result.trades, "exit_reason"), ["profit_target"]);
  assert.deepEqual(column(result.trades, "pnl"), [2599]);
  assert.deepEqual(column(result.equity, "equity"), [99231.6, 89626.6, 102599, 102599]);
  assert.deepEqual(column(result.equity, "halt_reason"), [
    null,
    "max_drawdown",
    "max_drawdown",
    "max_drawdown",
  ]);
  assert.match(
    String(column(result.equity, "halt_trigger")[1]),
    /max_drawdown: equity 89626\.60 <= 90000\.00 \(peak 100000\.00\)/,
  );
});

Deno.test("VIX halt above 30: no entry that day, nothing closed, entries the next day at 30", () => {
  const quotes: Quote[] = [
    ...template(B, E1), // VIX 25: entered
    ...template(B + 1, E1),
    ...template(B + 1, E2), // VIX 31: E2 is not entered
    ...template(B + 2, E1),
    ...template(B + 2, E2), // VIX 30 (not above): E2 entered
    ...template(B + 3, E1),
    ...template(B + 3, E2),
  ];
  const vix: Array<[number, number]> = [[B, 25], [B + 1, 31], [B + 2, 30], [B + 3, 29]];
  // 2% risk: floor(2,000 / 441.80) = 4 contracts (equity 99,972.80 on B+2: 1,999.46 / 441.80).
  const c = config({ vix_halt_level: 30 }, { max_risk_per_trade_pct: 0.02, max_positions: 2 });
  const result = runBacktest(store(quotes, vix), c);
  const t = result.trades;
  assert.deepEqual(column(t, "entry_date").map(iso), ["2024-01-02", "2024-01-04"]);
  assert.deepEqual(column(t, "contracts"), [4, 4]);
  assert.deepEqual(column(t, "vix_at_entry"), [25, 30]);
  // Both close on the last day at 0.698: P&L (0.602 - 0.698)·400 - 16 = -54.40 each.
  assert.deepEqual(column(t, "exit_reason"), ["end_of_period", "end_of_period"]);
  assert.deepEqual(column(t, "pnl"), [-54.4, -54.4]);
  assert.deepEqual(column(result.equity, "halt_reason"), [null, "vix", null, null]);
  assert.equal(column(result.equity, "halt_trigger")[1], "vix: 31 > 30");
  // Without VIX data the level never halts.
  const blind = runBacktest(store(quotes), c);
  assert.deepEqual(column(blind.trades, "entry_date").map(iso), ["2024-01-02", "2024-01-03"]);
});

Deno.test("a forced close of a spread missing a leg uses its last complete pair of quotes", () => {
  // 25% risk: B enters 56 contracts of E1 (floor(25,000 / 441.80)); cash 103,259.20, equity
  //   103,259.20 - 0.65·5,600 = 99,619.20. B+1 enters 56 of E2 (floor(24,904.80 / 441.80));
  //   cash 106,518.40, equity 106,518.40 - 2·3,640 = 99,238.40.
  // B+2: E1's short put is missing (E1 keeps B+1's pair, mark 0.65); E2 marks 1.45: equity
  //   106,518.40 - 3,640 - 8,120 = 94,758.40 <= 0.98 × 99,238.40 = 97,253.63: both close.
  //   E1 at its last pair's close cost 0.698: P&L (0.602 - 0.698)·5,600 - 224 = -761.60;
  //   E2 at 1.498: P&L (0.602 - 1.498)·5,600 - 224 = -5,241.60; equity 93,996.80.
  const quotes: Quote[] = [
    ...template(B, E1),
    ...template(B + 1, E1),
    ...template(B + 1, E2),
    [B + 2, E1, 95, 0.40, 0.50, -0.10],
    ...pair(B + 2, E2, 2.0, 0.6),
    ...template(B + 3, E2),
  ];
  const c = config({ daily_loss_pct: 0.02 }, { max_risk_per_trade_pct: 0.25, max_positions: 2 });
  const result = runBacktest(store(quotes), c);
  const t = result.trades;
  assert.deepEqual(column(t, "exit_reason"), ["circuit_breaker", "circuit_breaker"]);
  assert.deepEqual(column(t, "contracts"), [56, 56]);
  assert.deepEqual(column(t, "exit_debit"), [0.698, 1.498]);
  assert.deepEqual(column(t, "pnl"), [-761.6, -5241.6]);
  assert.deepEqual(column(result.equity, "equity"), [99619.2, 99238.4, 93996.8, 93996.8]);
  assert.equal(result.raw.missingQuotes, 1);
});
