/**
 * Differential test: the engine against an independent reference simulator in exact rational
 * arithmetic (reference_model.ts), on seeded random scenarios (scenarios.ts) that plant exact
 * threshold ties, duplicate and missing leg rows, chain-less expiry dates and sizing caps.
 * Every trade and every day's equity and cash must agree to a millionth of a dollar.
 *
 * `MAHLER_DIFF_SEEDS=N` runs N scenarios instead of the default.
 */
import assert from "node:assert/strict";
import { buildChainStore, runBacktest } from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";
import { referenceRun, type RefResult } from "./reference_model.ts";
import { type Scenario, scenario } from "./scenarios.ts";

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
    t: { entryDay: number; underlying?: string; ticker?: string; shortStrike: number },
  ) => `${t.entryDay}|${t.underlying ?? t.ticker}|${t.shortStrike}`;
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

Deno.test(`engine agrees with the exact reference model on ${SEEDS} random scenarios`, () => {
  const totals = { trades: 0, minCredit: 0, profitTarget: 0, stopLoss: 0, sizing: 0, missing: 0 };
  const reasons = new Map<string, number>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const sc = scenario(seed);
    const ref = referenceRun(sc.market, sc.config);
    compare(sc, ref);
    totals.trades += ref.trades.length;
    totals.minCredit += ref.ties.minCredit;
    totals.profitTarget += ref.ties.profitTarget;
    totals.stopLoss += ref.ties.stopLoss;
    totals.sizing += ref.ties.sizing;
    totals.missing += ref.missingQuotes;
    for (const t of ref.trades) reasons.set(t.exitReason, (reasons.get(t.exitReason) ?? 0) + 1);
  }
  console.log(totals, Object.fromEntries(reasons));
  // The scenarios must exercise what they are for.
  assert.ok(totals.trades > SEEDS * 3, `trades: ${totals.trades}`);
  for (const reason of ["profit_target", "stop_loss", "time_exit", "expiration", "end_of_period"]) {
    assert.ok((reasons.get(reason) ?? 0) > 0, `no ${reason} exit`);
  }
  assert.ok(totals.minCredit > 0 && totals.profitTarget > 0 && totals.stopLoss > 0, "exact ties");
  assert.ok(totals.missing > 0, "missing quotes");
});
