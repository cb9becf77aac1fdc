import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  buildChainStore,
  marketRegime,
  marketRegimeBreakdown,
  marketRegimeTable,
  regimeOn,
} from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";

const D0 = 19000;

/** A store whose chains cover three days after 200 days of bars (closes 100, then 90, 100.5). */
function regimeStore(vix: number[]) {
  const closes: Array<[number, number]> = [];
  for (let i = 0; i < 200; i++) closes.push([D0 + i, 100]);
  closes.push([D0 + 200, 90], [D0 + 201, 100.5]);
  const days = [D0 + 199, D0 + 200, D0 + 201];
  const row = (ticker: string, day: number) => ({
    ticker,
    day,
    expiry: day + 30,
    strike: 95,
    type: "P" as const,
    bid: 1,
    ask: 1.1,
    delta: -0.2,
    stockPrice: 100,
  });
  return buildChainStore({
    chains: chainFrame([...days.map((d) => row("SPY", d)), ...days.map((d) => row("QQQ", d))]),
    bars: new Map([["SPY", barsFrame(closes)]]),
    vix: pl.DataFrame({
      date: pl.Series(Int32Array.from(days)).cast(pl.Date),
      close: pl.Series(Float64Array.from(vix)),
    }),
  });
}

Deno.test("marketRegime() follows the documented rule at its thresholds", () => {
  // Uptrend (P >= S200, S50 >= S200): calm strictly below 20.
  assert.equal(marketRegime(19.99, 100, 100, 100), "bull-calm");
  assert.equal(marketRegime(20, 100, 100, 100), "bull-uncertain");
  assert.equal(marketRegime(35, 100, 100, 100), "bull-uncertain");
  assert.equal(marketRegime(35.01, 100, 100, 100), "crisis");
  assert.equal(marketRegime(60, 80, 90, 100), "crisis");
  // S50 < S200 and P >= S50: recovery, whatever the VIX up to 35.
  assert.equal(marketRegime(12, 95, 95, 100), "recovery");
  assert.equal(marketRegime(33, 101, 95, 100), "recovery");
  // Price under the 200-day average with the 50-day still above it: a downtrend.
  assert.equal(marketRegime(18, 99, 102, 100), "bear-mild");
  assert.equal(marketRegime(25, 94, 95, 100), "bear-volatile");
  assert.equal(marketRegime(NaN, 100, 100, 100), "unknown");
  assert.equal(marketRegime(15, 100, NaN, NaN), "unknown");
});

Deno.test("marketRegimeTable(): averages from the bars at their own dates, hand-computed", () => {
  const store = regimeStore([15, 30, 30]);
  const table = marketRegimeTable(store);
  const spy = store.tickerIndex("SPY");
  const k = (d: number) => spy * store.nDays + d;
  // Day 200 of the bars (index 199): 200 closes of 100, an uptrend at VIX 15.
  assert.equal(table.sma200[k(0)], 100);
  assert.equal(regimeOn(table, "SPY", D0 + 199), "bull-calm");
  // Close 90: S200 = (199·100 + 90) / 200 = 99.95, S50 = (49·100 + 90) / 50 = 99.8; P < S50.
  assert.ok(Math.abs(table.sma200[k(1)] - 99.95) < 1e-12);
  assert.ok(Math.abs(table.sma50[k(1)] - 99.8) < 1e-12);
  assert.equal(regimeOn(table, "SPY", D0 + 200), "bear-volatile");
  // Close 100.5: S50 = (48·100 + 90 + 100.5) / 50 = 99.81 < S200 = 99.9525 <= P: recovery.
  assert.ok(Math.abs(table.sma50[k(2)] - 99.81) < 1e-12);
  assert.ok(Math.abs(table.sma200[k(2)] - 99.9525) < 1e-12);
  assert.equal(regimeOn(table, "SPY", D0 + 201), "recovery");
  // QQQ has no bars: its three chain prices are all the history there is, so it is unknown.
  assert.equal(regimeOn(table, "QQQ", D0 + 201), "unknown");
  assert.ok(Number.isNaN(table.sma50[store.tickerIndex("QQQ") * store.nDays + 2]));
  assert.equal(table.close[store.tickerIndex("QQQ") * store.nDays + 2], 100);
});

Deno.test("marketRegimeBreakdown(): trades by their own underlying, days by the market's", () => {
  const store = regimeStore([15, 24, 30]);
  const table = marketRegimeTable(store);
  const trade = (underlying: string, entryDay: number, pnlUsd: number) =>
    ({ underlying, entryDay, exitDay: entryDay + 1, pnlUsd, entry: { vix: 15 } }) as never;
  const day = (d: number, equity: number) => ({ day: d, equity, drawdown: 0 }) as never;
  const run = {
    trades: [trade("SPY", D0 + 199, 50), trade("SPY", D0 + 200, -20), trade("QQQ", D0 + 200, 5)],
    daily: [day(D0 + 199, 100100), day(D0 + 200, 99099), day(D0 + 201, 100090.98)],
  };
  const r = marketRegimeBreakdown(run, table, { underlying: "SPY", startingEquity: 100000 });
  assert.equal(r["bull-calm"].trade_count, 1);
  assert.equal(r["bear-mild"].trade_count, 1); // SPY on D0 + 200 at VIX 24
  assert.equal(r.unknown.trade_count, 1); // QQQ: no 200 closes
  // Days: +0.1% (bull-calm), -1% (bear-mild), +1.00...% (recovery at VIX 30).
  assert.deepEqual([r["bull-calm"].days, r["bear-mild"].days, r.recovery.days], [1, 1, 1]);
  assert.ok(Math.abs(r["bear-mild"].max_drawdown! + 0.01) < 1e-12);
  assert.ok(Math.abs(r["bull-calm"].cagr! - (1.001 ** 252 - 1)) < 1e-9);
});

Deno.test("marketRegimeBreakdown(): days out of date order (overlapping windows) keep their regimes", () => {
  const store = regimeStore([15, 24, 30]);
  const table = marketRegimeTable(store);
  const order = [D0 + 200, D0 + 201, D0 + 199, D0 + 200, D0 + 201, D0 + 199, D0 + 199];
  const daily = order.map((d, i) => ({ day: d, equity: 100000 + i, drawdown: 0 }) as never);
  const r = marketRegimeBreakdown({ trades: [], daily }, table, {
    underlying: "SPY",
    startingEquity: 100000,
  });
  // D0 + 199 bull-calm (3 times), D0 + 200 bear-mild (twice), D0 + 201 recovery (twice).
  assert.deepEqual([r["bull-calm"].days, r["bear-mild"].days, r.recovery.days], [3, 2, 2]);
  assert.equal(r.unknown.days, 0);
});
