/**
 * Differential test of early assignment: the engine against the exact reference model
 * (reference_model.ts) on the seeded random scenarios of the differential test (scenarios.ts),
 * with cash dividends added (an ex-date every Wednesday, large enough against the options'
 * time value that in-the-money short calls are assigned on the eve), a risk-free rate that
 * assigns deep in-the-money short puts, and a stock commission: verticals, both sides and iron
 * condors. Every trade and every day's equity and cash must agree to a millionth of a dollar.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  buildChainStore,
  dividendSchedules,
  runBacktest,
  type StrategyConfig,
  validateConfig,
} from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";
import { referenceRun, type RefResult, ScenarioError } from "./reference_model.ts";
import { type Scenario, scenario, type ScenarioMode } from "./scenarios.ts";

const SEEDS = Number(Deno.env.get("MAHLER_DIFF_SEEDS") ?? 40);
const TOLERANCE = 1e-6;

/** A scenario with dividends every Wednesday, a rate and a stock commission (seeded). */
function withDividends(sc: Scenario): Scenario {
  const draw = (n: number) => [0, 0.05, 0.25][n % 3];
  const days = [...new Set(sc.market.rows.map((r) => r.day))];
  const wednesdays = days.filter((d) => (d + 4) % 7 === 3);
  const dividends = new Map<string, Map<number, number>>();
  for (const ticker of new Set(sc.market.rows.map((r) => r.ticker))) {
    dividends.set(
      ticker,
      new Map(wednesdays.map((d, i) => [d, [50, 120, 250, 400][(sc.seed + i) % 4]])),
    );
  }
  const config: StrategyConfig = validateConfig({
    ...sc.config,
    simulation: {
      ...sc.config.simulation,
      risk_free_rate: draw(sc.seed),
      stock_commission: sc.seed % 2 ? 0.5 : 0,
    },
  });
  return { ...sc, config, market: { ...sc.market, dividends } };
}

function engineRun(sc: Scenario) {
  const chains = chainFrame(sc.market.rows.map((r) => ({
    ticker: r.ticker,
    day: r.day,
    expiry: r.expiry,
    strike: r.strike,
    type: r.put ? "P" : "C",
    bid: r.bidCents / 100,
    ask: r.askCents / 100,
    stockPrice: r.stockCents / 100,
    delta: r.delta,
    iv: r.badGreeks ? NaN : 0.2,
    volume: r.volume,
    openInterest: r.openInterest,
  })));
  const bars = new Map(
    [...sc.market.bars].map(([ticker, closes]) => [
      ticker,
      barsFrame([...closes].sort((a, b) => a[0] - b[0]).map(([d, c]) => [d, c / 100])),
    ]),
  );
  const rows = [...sc.market.dividends!].flatMap(([ticker, byDay]) =>
    [...byDay].map(([day, cents]) => ({ ticker, day, amount: cents / 100 }))
  );
  const table = pl.DataFrame({
    ticker: rows.map((r) => r.ticker),
    ex_date: pl.Series(Int32Array.from(rows, (r) => r.day)).cast(pl.Date),
    amount: rows.map((r) => r.amount),
  });
  const store = buildChainStore({ chains, bars, vix: null, dividends: dividendSchedules(table) });
  return runBacktest(store, sc.config).raw;
}

function compare(sc: Scenario, ref: RefResult): void {
  const where = `seed ${sc.seed}`;
  const raw = engineRun(sc);
  const key = (t: {
    ticker: string;
    kind: string;
    entryDay: number;
    expiry: number;
    shortStrike: number;
    longStrike: number;
    callShortStrike: number | null;
    callLongStrike: number | null;
    exitDay: number;
    contracts: number;
  }) =>
    `${t.ticker}|${t.kind}|${t.entryDay}|${t.expiry}|${t.shortStrike}|${t.longStrike}|${
      t.callShortStrike ?? ""
    }|${t.callLongStrike ?? ""}|${t.exitDay}|${t.contracts}`;
  const engine = [...raw.trades].map((t) => ({
    ...t,
    ticker: t.underlying,
    kind: t.spreadType,
    callShortStrike: Number.isNaN(t.callShortStrike) ? null : t.callShortStrike,
    callLongStrike: Number.isNaN(t.callLongStrike) ? null : t.callLongStrike,
  })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const reference = [...ref.trades].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  assert.deepEqual(
    engine.map((t) => `${key(t)}|${t.exitReason}`),
    reference.map((t) => `${key(t)}|${t.exitReason}`),
    `${where}: trades`,
  );
  reference.forEach((r, i) => {
    const t = engine[i];
    const near = (x: number, q: { toNumber(): number }, what: string) =>
      assert.ok(Math.abs(x - q.toNumber()) < TOLERANCE, `${where}: ${what} ${x} vs ${q}`);
    near(t.exitDebit, r.exitDebit, "exit debit");
    near(t.commissionsUsd, r.commission, "commission");
    near(t.pnlUsd, r.pnl, "P&L");
  });
  assert.equal(raw.daily.length, ref.equity.length, `${where}: days`);
  ref.equity.forEach((r, i) => {
    assert.ok(Math.abs(raw.daily[i].equity - r.equity.toNumber()) < TOLERANCE, `${where}: equity`);
    assert.ok(Math.abs(raw.daily[i].cash - r.cash.toNumber()) < TOLERANCE, `${where}: cash`);
  });
}

/** Runs the seeds of a mode; returns the assignments of calls and of puts. */
function differential(mode: ScenarioMode, seeds: number): { calls: number; puts: number } {
  let calls = 0, puts = 0, trades = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    let done = false;
    for (let attempt = 0; attempt < 10 && !done; attempt++) {
      let sc: Scenario;
      let ref: RefResult;
      try {
        sc = withDividends(scenario(seed + 100_000 * attempt, mode));
        ref = referenceRun(sc.market, sc.config);
      } catch (err) {
        if (err instanceof ScenarioError && mode !== "vertical") continue;
        throw err;
      }
      compare(sc, ref);
      done = true;
      trades += ref.trades.length;
      for (const t of ref.trades) {
        if (t.exitReason !== "assignment") continue;
        // Which leg: a bear call is short a call; a bull put a put; a condor either (counted
        // as a call: its assigned leg is not in the trade record).
        if (t.kind === "bull_put") puts++;
        else calls++;
      }
    }
    assert.ok(done, `No scenario of seed ${seed} (${mode}) without a tied ranking`);
  }
  console.log(mode, { trades, callAssignments: calls, putAssignments: puts });
  return { calls, puts };
}

Deno.test(`assignment: engine agrees with the exact reference on ${SEEDS} vertical scenarios with dividends`, () => {
  const { calls } = differential("vertical", SEEDS);
  assert.ok(calls > 0, "short calls assigned on the eve of an ex-date");
});

Deno.test(`assignment: engine agrees with the exact reference on ${Math.ceil(SEEDS / 2)} both-sides and condor scenarios with dividends`, () => {
  const both = differential("both", Math.ceil(SEEDS / 2));
  const condor = differential("condor", Math.ceil(SEEDS / 2));
  assert.ok(both.calls > 0 && both.puts > 0, "bear calls and bull puts of both sides assigned");
  assert.ok(condor.calls + condor.puts > 0, "assignments of iron condors");
});
