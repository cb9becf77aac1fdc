/**
 * Properties of the dividend and early-assignment rules (fast-check), and the invariants of the
 * assignments a run on the sample makes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildChainStore,
  dividendSeries,
  dividendsPresentValue,
  exercisedEarly,
  generateSample,
  intrinsic,
  loadConfig,
  loadMarketData,
  NO_EX_DATE,
  runBacktest,
} from "../../lib/mod.ts";

const cents = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((c) => c / 100);

Deno.test("exercisedEarly(): only in the money, exactly when the time value is below the threshold", () => {
  fc.assert(fc.property(
    fc.boolean(),
    cents(5000, 15000),
    cents(5000, 15000),
    cents(0, 3000),
    cents(0, 500),
    (isPut, strike, close, mid, threshold) => {
      const value = intrinsic(isPut, strike, close);
      const exercised = exercisedEarly(isPut, strike, mid, close, threshold);
      if (value <= 0 || threshold <= 0) return !exercised;
      // Whole cents: the time value is below the threshold by a cent or not at all.
      return exercised === (Math.round((mid - value) * 100) < Math.round(threshold * 100));
    },
  ));
});

Deno.test("exercisedEarly(): a larger dividend never saves a call that a smaller one exercises", () => {
  fc.assert(fc.property(
    cents(5000, 15000),
    cents(5000, 15000),
    cents(0, 3000),
    cents(1, 500),
    cents(0, 500),
    (strike, close, mid, dividend, more) =>
      !exercisedEarly(false, strike, mid, close, dividend) ||
      exercisedEarly(false, strike, mid, close, dividend + more),
  ));
});

Deno.test("dividendSeries() is the first ex-date after each day, as a search finds it", () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }),
    fc.uniqueArray(fc.integer({ min: 0, max: 220 }), { maxLength: 12 }),
    (days, exDays) => {
      const calendar = Int32Array.from(days.sort((a, b) => a - b));
      const sorted = [...exDays].sort((a, b) => a - b);
      const schedule = {
        exDays: Int32Array.from(sorted),
        amounts: Float64Array.from(sorted, (x) => 1 + x / 100),
      };
      const s = dividendSeries(["SPY"], calendar, new Map([["SPY", schedule]]));
      return Array.from(calendar).every((day, d) => {
        const next = sorted.find((x) => x > day);
        return next === undefined
          ? s.exDividendDay[d] === NO_EX_DATE && s.exDividendAmount[d] === 0
          : s.exDividendDay[d] === next && s.exDividendAmount[d] === 1 + next / 100;
      });
    },
  ));
});

Deno.test("dividendsPresentValue() lies between the dividends discounted to expiry and their sum", () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }),
    fc.integer({ min: 1, max: 120 }),
    fc.double({ min: 0, max: 0.2, noNaN: true }),
    (exDays, expiry, rate) => {
      const sorted = [...exDays].sort((a, b) => a - b);
      const amounts = sorted.map((x) => 0.5 + x / 100);
      const pv = dividendsPresentValue(sorted, amounts, 0, expiry, rate);
      const within = amounts.filter((_, i) => sorted[i] <= expiry).reduce((a, x) => a + x, 0);
      return pv <= within + 1e-12 && pv >= within * Math.exp(-rate * expiry / 365) - 1e-12;
    },
  ));
});

Deno.test("every assignment on the sample is an in-the-money short call on the eve of an ex-date", () => {
  const dir = Deno.makeTempDirSync();
  generateSample({ outDir: dir, start: "2023-01-03", end: "2024-06-28", seed: 42 });
  const market = loadMarketData(dir);
  const store = buildChainStore(market);
  const result = runBacktest(store, loadConfig("config/bear_call.toml"));
  const trades = result.raw.trades;
  const assigned = trades.filter((t) => t.exitReason === "assignment");
  assert.ok(assigned.length > 0, "the configuration meets some assignments");
  for (const t of assigned) {
    // The exit day is the last trading day before one of the underlying's ex-dates.
    const d = store.dayIndex(t.exitDay);
    const ex = market.dividends!.get(t.underlying)!.exDays;
    assert.ok(ex.some((x) => x > t.exitDay && x <= store.calendar[d + 1]), `${t.id}: eve`);
    // The short call closed at its intrinsic value at the close, which is in the money.
    const short = t.legs.find((l) => l.role === "short_call")!;
    assert.ok(t.underlyingPriceExit > short.strike);
    assert.ok(Math.abs(short.exitFill - (t.underlyingPriceExit - short.strike)) < 1e-12);
  }
  // Cash reconciles: the trades' P&L is the equity's change (no position open at the end).
  const pnl = trades.reduce((a, t) => a + t.pnlUsd, 0);
  const last = result.raw.daily[result.raw.daily.length - 1];
  assert.ok(Math.abs(last.equity - 100000 - pnl) < 1e-6);
});
