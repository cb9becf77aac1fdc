/**
 * The risk rules' exits and limits, one hand-computed scenario each, to the cent.
 *
 * Common settings (tests/helpers/put_spreads.ts): SPY bull put spreads of width $5, DTE 20-40,
 * short |delta| 0.10-0.30, credit >= 10% of width, profit target 50%, stop loss 500%, time exit
 * at DTE <= 5, one position, $1 a contract a leg, two-leg slippage 0.66, $100,000, 50% risk per
 * trade; stock price 110.
 *
 * Entry template (short 100P 1.00/1.20 delta -0.20, long 95P 0.40/0.50 delta -0.10): credit
 * 1.068 - 0.466 = 0.602; max loss per contract (5 - 0.602)·100 + 2 = $441.80; contracts
 * floor(50,000 / 441.80) = 113; cash 100,000 + 0.602·11,300 - 226 = 106,576.60; mark 0.65,
 * close cost 1.132 - 0.434 = 0.698. Position delta per share: +0.20 - 0.10 = +0.10.
 */
import assert from "node:assert/strict";
import type pl from "nodejs-polars";
import {
  buildChainStore,
  findingsFrame,
  findingsText,
  runBacktest,
  runDiagnostics,
  type StrategyConfig,
  validateConfig,
} from "../../lib/mod.ts";
import { chainFrame } from "../helpers/chains.ts";
import { B, config, E1, E2, pair, type Quote, template } from "../helpers/put_spreads.ts";

const column = (frame: pl.DataFrame, name: string) => frame.getColumn(name).toArray();
const iso = (d: unknown) => (d as Date).toISOString().slice(0, 10);

/** The store of put quotes at stock price 110, with each leg's theta and volume by strike. */
function store(
  quotes: Quote[],
  legs: { theta?: Record<number, number>; volume?: Record<number, number> } = {},
) {
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
      theta: legs.theta?.[strike],
      volume: legs.volume?.[strike],
      stockPrice: 110,
    }))),
    bars: new Map(),
    vix: null,
  });
}

/** The scenario configuration with [exit] and [position_sizing] keys added. */
function rules(
  exit: Record<string, unknown>,
  sizing: Record<string, unknown> = {},
): StrategyConfig {
  const base = config({}, sizing);
  return validateConfig({ ...base, exit: { ...base.exit, ...exit } });
}

Deno.test("dte_exit_first: the time exit is checked before the profit target", () => {
  // B+1 (DTE 29 <= dte_exit 29): short 0.30/0.50, long 0.10/0.20: mark 0.40 - 0.15 = 0.25 <=
  //   0.602·0.5 = 0.301, the profit target; close cost 0.30 + 0.132 - (0.20 - 0.066) = 0.298;
  //   P&L (0.602 - 0.298)·11,300 - 452 = 2,983.20. B+2 quotes nothing usable (the last day).
  const quotes = [...template(B, E1), ...pair(B + 1, E1, 0.3, 0.1), ...pair(B + 2, E1, 0.3, 0.1)];
  const plain = runBacktest(store(quotes), rules({ dte_exit: 29 }));
  assert.deepEqual(column(plain.trades, "exit_reason"), ["profit_target"]);
  const first = runBacktest(store(quotes), rules({ dte_exit: 29, dte_exit_first: true }));
  assert.deepEqual(column(first.trades, "exit_reason"), ["time_exit"]);
  assert.deepEqual(column(first.trades, "exit_date").map(iso), ["2024-01-03"]);
  assert.deepEqual(column(first.trades, "exit_debit"), [0.298]);
  assert.deepEqual(column(first.trades, "pnl"), [2983.2]);
  // Before the stop too: short 3.00/3.20, long 0.10/0.20: mark 3.10 - 0.15 = 2.95 >= 0.602·(1
  //   + 3) = 2.408 with stop_loss_pct 3; close cost 3.132 - 0.134 = 2.998; P&L
  //   (0.602 - 2.998)·11,300 - 452 = -27,526.80.
  const stopQuotes = [...template(B, E1), ...pair(B + 1, E1, 3, 0.1), ...pair(B + 2, E1, 3, 0.1)];
  const stop = runBacktest(store(stopQuotes), rules({ dte_exit: 29, stop_loss_pct: 3 }));
  assert.deepEqual(column(stop.trades, "exit_reason"), ["stop_loss"]);
  const gamma = runBacktest(
    store(stopQuotes),
    rules({ dte_exit: 29, stop_loss_pct: 3, dte_exit_first: true }),
  );
  assert.deepEqual(column(gamma.trades, "exit_reason"), ["time_exit"]);
  assert.deepEqual(column(gamma.trades, "pnl"), [-27526.8]);
});

Deno.test("max_days_held: closes after that many calendar days, at the day's fills", () => {
  // Entered on B (Tuesday); B+1 and B+2 at the template (mark 0.65: no target, no stop). On
  //   B+2 the position is 2 days old: closes at the close cost 0.698; P&L (0.602 - 0.698)·11,300
  //   - 452 = -1,536.80; cash 106,576.60 - 0.698·11,300 - 226 = 98,463.20. The same spread is
  //   entered again that day: floor(49,231.60 / 441.80) = 111 contracts, equity 98,463.20 +
  //   0.602·11,100 - 222 - 0.65·11,100 = 97,708.40.
  const quotes = [...template(B, E1), ...template(B + 1, E1), ...template(B + 2, E1)];
  quotes.push(...template(B + 3, E2));
  const held = runBacktest(store(quotes), rules({ max_days_held: 2 }));
  const t = held.trades;
  assert.deepEqual(column(t, "exit_reason").slice(0, 1), ["max_days_held"]);
  assert.deepEqual(column(t, "exit_date").map(iso).slice(0, 1), ["2024-01-04"]);
  assert.deepEqual(column(t, "days_held").slice(0, 1), [2]);
  assert.deepEqual(column(t, "pnl").slice(0, 1), [-1536.8]);
  assert.equal(column(held.equity, "equity")[2], 97708.4);
  // Without it, the position is held to the last day.
  const plain = runBacktest(store(quotes), rules({}));
  assert.deepEqual(column(plain.trades, "exit_reason"), ["end_of_period"]);
  // A day without quotes never closes it: B+2 lacks the long leg, so B+3 does (3 days held).
  const gap = [...template(B, E1), ...template(B + 1, E1), template(B + 2, E1)[1]];
  gap.push(...template(B + 3, E1), ...template(B + 4, E1));
  const late = runBacktest(store(gap), rules({ max_days_held: 2 }));
  assert.deepEqual(column(late.trades, "exit_reason").slice(0, 1), ["max_days_held"]);
  assert.deepEqual(column(late.trades, "days_held").slice(0, 1), [3]);
});

Deno.test("trailing stop: activates at 50% of the credit, closes when half the peak is given back", () => {
  // Profit = 0.602 - mark. B+1: short 0.30/0.50, long 0.10/0.20: mark 0.25, profit 0.352 >=
  //   0.5·0.602 = 0.301: active, peak 0.352 (profit target 90% is out of the way: 0.0602).
  // B+2: short 0.50/0.70, long 0.15/0.25: mark 0.60 - 0.20 = 0.40, profit 0.202 > 0.176 (half
  //   the peak): held.
  // B+3: short 0.55/0.75, long 0.15/0.25: mark 0.45, profit 0.152 <= 0.176: trailing stop at the
  //   close cost 0.55 + 0.132 - (0.25 - 0.066) = 0.498; P&L (0.602 - 0.498)·11,300 - 452 =
  //   723.20. (Those pairs' short delta, -0.45, is out of the band: no new entry.)
  const quotes = [
    ...template(B, E1),
    ...pair(B + 1, E1, 0.3, 0.1),
    ...pair(B + 2, E1, 0.5, 0.15),
    ...pair(B + 3, E1, 0.55, 0.15),
    ...pair(B + 4, E1, 0.55, 0.15),
  ];
  const trailing = { profit_target_pct: 0.9, trailing_activation_pct: 0.5 };
  const result = runBacktest(store(quotes), rules({ ...trailing, trailing_giveback_pct: 0.5 }));
  assert.deepEqual(column(result.trades, "exit_reason"), ["trailing_stop"]);
  assert.deepEqual(column(result.trades, "exit_date").map(iso), ["2024-01-05"]);
  assert.deepEqual(column(result.trades, "exit_debit"), [0.498]);
  assert.deepEqual(column(result.trades, "pnl"), [723.2]);
  // Giving back 30% instead: B+2's profit 0.202 <= 0.7·0.352 = 0.2464 closes a day earlier at
  //   0.50 + 0.132 - (0.25 - 0.066) = 0.448: P&L (0.602 - 0.448)·11,300 - 452 = 1,288.20.
  const tight = runBacktest(store(quotes), rules({ ...trailing, trailing_giveback_pct: 0.3 }));
  assert.deepEqual(column(tight.trades, "exit_date").map(iso), ["2024-01-04"]);
  assert.deepEqual(column(tight.trades, "pnl"), [1288.2]);
  // Never active when the activation is above the peak (0.352 < 0.6·0.602 = 0.3612).
  const never = runBacktest(
    store(quotes),
    rules({ profit_target_pct: 0.9, trailing_activation_pct: 0.6, trailing_giveback_pct: 0.3 }),
  );
  assert.deepEqual(column(never.trades, "exit_reason"), ["end_of_period"]);
  // A trailing stop needs both keys.
  assert.throws(() => rules({ trailing_activation_pct: 0.5 }), /trailing_giveback_pct/);
});

Deno.test("max_net_delta_pct: a candidate whose dollar delta leaves the band is skipped", () => {
  // 113 contracts of +0.10 delta at 110: 0.10·100·113·110 = $124,300 of net delta, against
  //   1.0 × $100,000: skipped (and named in the funnel); 1.25 × $100,000 = $125,000 admits it.
  const quotes = [...template(B, E1), ...template(B + 1, E1)];
  const skipped = runBacktest(store(quotes), rules({}, { max_net_delta_pct: 1 }));
  assert.equal(skipped.trades.height, 0);
  assert.equal(skipped.raw.funnel.net_delta_skips, 1);
  assert.equal(skipped.raw.funnel.entries, 0);
  const entered = runBacktest(store(quotes), rules({}, { max_net_delta_pct: 1.25 }));
  assert.deepEqual(column(entered.trades, "contracts"), [113]);
  assert.equal(entered.raw.funnel.net_delta_skips, 0);
  // Off: the funnel has no such count.
  assert.equal(runBacktest(store(quotes), rules({})).raw.funnel.net_delta_skips, undefined);
});

Deno.test("min_net_theta: a candidate that leaves the net theta below the floor is skipped", () => {
  // Short 100P theta -0.05, long 95P -0.03: +0.02 a share, ×100×113 = $226 a day.
  const legs = { theta: { 100: -0.05, 95: -0.03 } };
  const quotes = [...template(B, E1), ...template(B + 1, E1)];
  const skipped = runBacktest(store(quotes, legs), rules({}, { min_net_theta: 227 }));
  assert.equal(skipped.trades.height, 0);
  assert.equal(skipped.raw.funnel.net_theta_skips, 1);
  const entered = runBacktest(store(quotes, legs), rules({}, { min_net_theta: 226 }));
  assert.deepEqual(column(entered.trades, "contracts"), [113]);
  assert.equal(column(entered.equity, "net_theta")[0], 226);
});

Deno.test("max_risk_per_underlying_pct: caps the underlying's open max loss, skips when full", () => {
  // Two positions allowed, 20% risk per trade: B enters floor(20,000 / 441.80) = 45 in E1 (max
  //   loss 19,881); cash 100,000 + 0.602·4,500 - 90 = 102,619; B+1's equity at mark 0.65 is
  //   102,619 - 2,925 = 99,694.
  const quotes = [
    ...template(B, E1),
    ...template(B + 1, E1),
    ...template(B + 1, E2),
    ...template(B + 2, E1),
    ...template(B + 2, E2),
  ];
  const sizing = { max_positions: 2, max_risk_per_trade_pct: 0.2 };
  // 20%: B+1's E2 candidate has 0.2·99,694 - 19,881 = $57.80 of room: skipped.
  const full = runBacktest(
    store(quotes),
    rules({}, { ...sizing, max_risk_per_underlying_pct: 0.2 }),
  );
  assert.deepEqual(column(full.trades, "contracts"), [45]);
  assert.equal(full.raw.funnel.underlying_risk_skips, 1);
  // 30%: floor((29,908.20 - 19,881) / 441.80) = floor(22.70) = 22 contracts in E2, not 45.
  const capped = runBacktest(
    store(quotes),
    rules({}, { ...sizing, max_risk_per_underlying_pct: 0.3 }),
  );
  assert.deepEqual(column(capped.trades, "contracts"), [45, 22]);
  assert.deepEqual(column(capped.trades, "expiration").map(iso), ["2024-02-01", "2024-02-08"]);
  // Both close on B+2 at 0.698: P&L (0.602 - 0.698)·2,200 - 88 = -299.20 for the second.
  assert.deepEqual(column(capped.trades, "pnl"), [-612, -299.2]);
  assert.equal(capped.raw.funnel.underlying_risk_skips, 0);
});

Deno.test("max_contracts and max_volume_share: cap the size, skip below one contract", () => {
  const quotes = [...template(B, E1), ...template(B + 1, E1)];
  // 10 contracts: cash 100,000 + 602 - 20 = 100,582; closed at 0.698 on B+1: P&L
  //   (0.602 - 0.698)·1,000 - 40 = -136.
  const ten = runBacktest(store(quotes), rules({}, { max_contracts: 10 }));
  assert.deepEqual(column(ten.trades, "contracts"), [10]);
  assert.deepEqual(column(ten.trades, "pnl"), [-136]);
  assert.equal(ten.raw.funnel.max_contracts_caps, 1);
  // Volumes 80 (short) and 60 (long): 25% of each is 20 and 15 contracts: 15.
  const volume = { volume: { 100: 80, 95: 60 } };
  const share = runBacktest(store(quotes, volume), rules({}, { max_volume_share: 0.25 }));
  assert.deepEqual(column(share.trades, "contracts"), [15]);
  assert.equal(share.raw.funnel.volume_share_skips, 0);
  // 1% of 60 is 0.6: no contract, skipped.
  const none = runBacktest(store(quotes, volume), rules({}, { max_volume_share: 0.01 }));
  assert.equal(none.trades.height, 0);
  assert.equal(none.raw.funnel.volume_share_skips, 1);
});

Deno.test("risk rules off: the configuration, params and funnel are as before", () => {
  const quotes = [...template(B, E1), ...template(B + 1, E1)];
  const result = runBacktest(store(quotes), rules({}));
  assert.deepEqual(Object.keys(result.raw.funnel), [
    "scans",
    "iv_percentile",
    "dte",
    "short_delta",
    "short_liquidity",
    "width",
    "min_credit",
    "long_liquidity",
    "entries",
  ]);
  const c = rules({});
  assert.equal("dte_exit_first" in c.exit, false);
  assert.equal("targets" in c, false);
});

Deno.test("max_net_delta_pct on an iron condor: the four legs' delta, as held", () => {
  // The put side is the template; the call side short 120C 1.00/1.20 delta 0.20, long 125C
  //   0.40/0.50 delta 0.12. Four-leg slippage 0.53: each side's credit 1.094 - 0.453 = 0.641,
  //   total 1.282; max loss per contract (5 - 1.282)·100 + 4 = $375.80; floor(50,000 / 375.80)
  //   = 133 contracts. Delta per share +0.10 (puts) - 0.20 + 0.12 (calls) = +0.02: the net is
  //   0.02·100·133·110 = $29,260: within 30% of $100,000, not within 29%.
  const calls = (day: number) => [
    { day, strike: 120, bid: 1, ask: 1.2, delta: 0.2 },
    { day, strike: 125, bid: 0.4, ask: 0.5, delta: 0.12 },
  ];
  const condorStore = (days: number[]) =>
    buildChainStore({
      chains: chainFrame([
        ...days.flatMap((day) => template(day, E1)).map((
          [day, expiry, strike, bid, ask, delta],
        ) => ({
          ticker: "SPY",
          day,
          expiry,
          strike,
          type: "P" as const,
          bid,
          ask,
          delta,
          stockPrice: 110,
        })),
        ...days.flatMap(calls).map((r) => ({
          ...r,
          ticker: "SPY",
          expiry: E1,
          type: "C" as const,
          stockPrice: 110,
        })),
      ]),
      bars: new Map(),
      vix: null,
    });
  const condor = (pct: number) => {
    const base = rules({}, { max_net_delta_pct: pct });
    return validateConfig({
      ...base,
      strategy: { underlying: "SPY", strategy_type: "iron_condor" },
    });
  };
  const entered = runBacktest(condorStore([B, B + 1]), condor(0.3));
  assert.deepEqual(column(entered.trades, "spread_type"), ["iron_condor"]);
  assert.deepEqual(column(entered.trades, "contracts"), [133]);
  assert.deepEqual(column(entered.trades, "entry_credit"), [1.282]);
  const skipped = runBacktest(condorStore([B, B + 1]), condor(0.29));
  assert.equal(skipped.trades.height, 0);
  assert.equal(skipped.raw.funnel.net_delta_skips, 1);
});

Deno.test("the findings table and text say which targets were met", () => {
  const quotes = [...template(B, E1), ...pair(B + 1, E1, 0.3, 0.1), ...pair(B + 2, E1, 0.3, 0.1)];
  const config = rules({});
  const run = runBacktest(store(quotes), config);
  const diagnostics = runDiagnostics(run.raw.daily, config, { from: run.tradableFrom });
  const findings = findingsFrame({ metrics: run.metrics, diagnostics });
  const row = findings.toRecords().find((r) => r.key === "targets")!;
  const met = Object.values(run.metrics.targets).filter((c) => c.met).length;
  assert.equal(row.value, met);
  // One winning trade held 1 day: win rate 100% met, average days held 1 missed.
  assert.equal(run.metrics.targets.win_rate.met, true);
  assert.equal(run.metrics.targets.average_days_held.met, false);
  assert.match(String(row.note), /missed: .*average days held 1\.00 \(target 15-30\)/);
  assert.match(findingsText(findings), /\*\*Does it meet its targets\?\*\* \d of 7 targets met/);
});
