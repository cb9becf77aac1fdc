/**
 * Differential test: the engine against an independent reference simulator in exact rational
 * arithmetic (reference_model.ts), on seeded random scenarios (scenarios.ts) that plant exact
 * threshold ties, duplicate and missing leg rows, chain-less expiry dates and sizing caps:
 * verticals, both sides ranked together, and iron condors. Every trade and every day's equity
 * and cash must agree to a millionth of a dollar.
 *
 * `MAHLER_DIFF_SEEDS=N` runs N vertical scenarios (and N / 2 of each other mode) instead of the
 * default.
 */
import assert from "node:assert/strict";
import { buildChainStore, runBacktest } from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";
import { referenceRun, type RefResult, ScenarioError } from "./reference_model.ts";
import { type Scenario, scenario, type ScenarioMode } from "./scenarios.ts";

const SEEDS = Number(Deno.env.get("MAHLER_DIFF_SEEDS") ?? 80);
const TOLERANCE = 1e-6;

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
    [...sc.market.bars].map((
      [ticker, closes],
    ) => [
      ticker,
      barsFrame([...closes].sort((a, b) => a[0] - b[0]).map(([d, c]) => [d, c / 100])),
    ]),
  );
  const store = buildChainStore({ chains, bars, vix: null });
  return runBacktest(store, sc.config).raw;
}

function compare(sc: Scenario, ref: RefResult): void {
  const where = `seed ${sc.seed}`;
  const raw = engineRun(sc);
  const key = (
    t: {
      entryDay: number;
      underlying?: string;
      ticker?: string;
      spreadType?: string;
      kind?: string;
      shortStrike: number;
      longStrike: number;
      callShortStrike: number | null;
      callLongStrike: number | null;
    },
  ) => {
    const call = (x: number | null) => (x === null || Number.isNaN(x) ? "" : x);
    return `${t.entryDay}|${t.underlying ?? t.ticker}|${
      t.spreadType ?? t.kind
    }|${t.shortStrike}|${t.longStrike}|${call(t.callShortStrike)}|${call(t.callLongStrike)}`;
  };
  const engineTrades = [...raw.trades].sort((a, b) => key(a) < key(b) ? -1 : 1);
  const refTrades = [...ref.trades].sort((a, b) => key(a) < key(b) ? -1 : 1);
  assert.deepEqual(
    engineTrades.map((t) => `${key(t)}|${t.exitDay}|${t.exitReason}|${t.contracts}`),
    refTrades.map((t) => `${key(t)}|${t.exitDay}|${t.exitReason}|${t.contracts}`),
    `${where}: trades`,
  );
  refTrades.forEach((r, i) => {
    const t = engineTrades[i];
    const near = (x: number, q: { toNumber(): number }, what: string) =>
      assert.ok(
        Math.abs(x - q.toNumber()) < TOLERANCE,
        `${where}, trade ${key(t)}: ${what} ${x} vs ${q}`,
      );
    near(t.entryCredit, r.entryCredit, "entry credit");
    near(t.exitDebit, r.exitDebit, "exit debit");
    near(t.commissionsUsd, r.commission, "commission");
    near(t.pnlUsd, r.pnl, "P&L");
    assert.equal(t.longStrike, r.longStrike);
    assert.equal(t.expiry, r.expiry);
    if (r.callLongStrike !== null) assert.equal(t.callLongStrike, r.callLongStrike);
    // The trade's legs: their fills sum to its credit and debit, their commissions to its own.
    const signed = (f: (l: (typeof t.legs)[number]) => number) =>
      t.legs.reduce((a, l) => a - Math.sign(l.quantity) * f(l), 0);
    near(signed((l) => l.entryFill), r.entryCredit, "legs' entry fills");
    near(signed((l) => l.exitFill), r.exitDebit, "legs' exit fills");
    near(t.legs.reduce((a, l) => a + l.commissionUsd, 0), r.commission, "legs' commissions");
  });
  assert.equal(raw.daily.length, ref.equity.length, `${where}: days`);
  ref.equity.forEach((r, i) => {
    const e = raw.daily[i];
    assert.equal(e.day, r.day);
    assert.ok(
      Math.abs(e.equity - r.equity.toNumber()) < TOLERANCE,
      `${where}, day ${r.day}: equity ${e.equity} vs ${r.equity}`,
    );
    assert.ok(Math.abs(e.cash - r.cash.toNumber()) < TOLERANCE, `${where}, day ${r.day}: cash`);
  });
  assert.equal(raw.missingQuotes, ref.missingQuotes, `${where}: missing quotes`);
}

/** The scenario of a seed in a mode, and its reference run (a tied ranking draws again). */
function generated(seed: number, mode: ScenarioMode): { sc: Scenario; ref: RefResult } {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const sc = scenario(seed + 100_000 * attempt, mode);
      return { sc, ref: referenceRun(sc.market, sc.config) };
    } catch (err) {
      if (!(err instanceof ScenarioError) || mode === "vertical") throw err;
    }
  }
  throw new Error(`No scenario of seed ${seed} (${mode}) without a tied ranking`);
}

/** Runs the seeds of a mode against the reference; returns what they exercised. */
function differential(mode: ScenarioMode, seeds: number) {
  const totals = {
    trades: 0,
    minCredit: 0,
    profitTarget: 0,
    stopLoss: 0,
    sizing: 0,
    missing: 0,
    ranked: 0,
    unsized: 0,
    sameDay: 0,
    settledInTheMoney: 0,
    dteFirst: 0,
    trailingTies: 0,
  };
  const reasons = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (let seed = 1; seed <= seeds; seed++) {
    const { sc, ref } = generated(seed, mode);
    compare(sc, ref);
    totals.trades += ref.trades.length;
    totals.minCredit += ref.ties.minCredit;
    totals.profitTarget += ref.ties.profitTarget;
    totals.stopLoss += ref.ties.stopLoss;
    totals.sizing += ref.ties.sizing;
    totals.ranked += ref.ties.ranked;
    totals.unsized += ref.ties.unsized;
    totals.missing += ref.missingQuotes;
    totals.dteFirst += ref.ties.dteFirst;
    totals.trailingTies += ref.ties.trailing;
    const entryDays = ref.trades.map((t) => `${t.ticker}|${t.entryDay}`);
    totals.sameDay += entryDays.length - new Set(entryDays).size;
    for (const t of ref.trades) {
      reasons.set(t.exitReason, (reasons.get(t.exitReason) ?? 0) + 1);
      kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
      if (t.exitReason === "expiration" && t.exitDebit.toNumber() > 0) totals.settledInTheMoney++;
    }
  }
  console.log(mode, totals, Object.fromEntries(reasons), Object.fromEntries(kinds));
  // The scenarios must exercise what they are for.
  assert.ok(totals.trades > seeds * 3, `trades: ${totals.trades}`);
  for (const reason of ["profit_target", "stop_loss", "time_exit", "expiration", "end_of_period"]) {
    assert.ok((reasons.get(reason) ?? 0) > 0, `no ${reason} exit`);
  }
  assert.ok(totals.minCredit > 0 && totals.profitTarget > 0 && totals.stopLoss > 0, "exact ties");
  assert.ok(totals.missing > 0, "missing quotes");
  assert.ok(totals.settledInTheMoney > 0, "a settlement in the money");
  return { totals, kinds, reasons };
}

Deno.test(`engine agrees with the exact reference model on ${SEEDS} random vertical scenarios`, () => {
  const { kinds } = differential("vertical", SEEDS);
  assert.ok((kinds.get("bull_put") ?? 0) > 0 && (kinds.get("bear_call") ?? 0) > 0);
});

Deno.test(`engine agrees with the exact reference model on ${SEEDS} scenarios with the risk rules' exits`, () => {
  const { totals, reasons } = differential("rules", SEEDS);
  assert.ok((reasons.get("trailing_stop") ?? 0) > 0, "no trailing stop");
  assert.ok((reasons.get("max_days_held") ?? 0) > 0, "no max_days_held exit");
  assert.ok(totals.dteFirst > 0, "no time exit checked before a target or a stop that held");
});

Deno.test(`engine agrees with the exact reference model on ${Math.ceil(SEEDS / 2)} both-sides scenarios`, () => {
  const { totals, kinds } = differential("both", Math.ceil(SEEDS / 2));
  assert.ok((kinds.get("bull_put") ?? 0) > 0 && (kinds.get("bear_call") ?? 0) > 0);
  assert.ok(totals.ranked > 0 && totals.sameDay > 0 && totals.unsized > 0, "ranked entries");
});

Deno.test(`engine agrees with the exact reference model on ${Math.ceil(SEEDS / 2)} iron-condor scenarios`, () => {
  const { totals, kinds } = differential("condor", Math.ceil(SEEDS / 2));
  assert.deepEqual([...kinds.keys()], ["iron_condor"]);
  assert.ok(totals.ranked > 0, "ranked condors");
});
