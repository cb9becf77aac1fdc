/**
 * The risk rules' entry filters on hand-built chains: each one keeps the days it should, and the
 * entry funnel counts the underlying-days that pass it.
 *
 * The spread is the template of tests/helpers/put_spreads.ts (short 100P 1.00/1.20, long 95P
 * 0.40/0.50; credit 0.602, 113 contracts at 50% risk of $100,000), at stock price 110.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  blockingFilter,
  buildChainStore,
  contangoTable,
  isoToDay,
  ivRank,
  realizedVol,
  runBacktest,
  validateConfig,
} from "../../lib/mod.ts";
import { barsFrame, chainFrame } from "../helpers/chains.ts";
import { B, config, E1, E2, type Quote, template } from "../helpers/put_spreads.ts";

const column = (frame: pl.DataFrame, name: string) => frame.getColumn(name).toArray();
const iso = (d: unknown) => (d as Date).toISOString().slice(0, 10);

/** The store of put quotes, each day's IV by (day, expiry), bars and VIX when given. */
function store(
  quotes: Quote[],
  options: {
    iv?: (day: number, expiry: number) => number;
    closes?: Array<[number, number]>;
    vix?: Array<[number, number]>;
  } = {},
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
      iv: options.iv?.(day, expiry),
      stockPrice: 110,
    }))),
    bars: options.closes ? new Map([["SPY", barsFrame(options.closes)]]) : new Map(),
    vix: options.vix
      ? pl.DataFrame({
        date: pl.Series(Int32Array.from(options.vix, (v) => v[0])).cast(pl.Date),
        close: pl.Series(Float64Array.from(options.vix, (v) => v[1])),
      })
      : null,
  });
}

/** The scenario configuration with [entry] keys added. */
function entry(keys: Record<string, unknown>) {
  const base = config({});
  return validateConfig({ ...base, entry: { ...base.entry, ...keys } });
}

Deno.test("vix_min and vix_max: entries only on days whose VIX close is in the band", () => {
  const quotes = [...template(B, E1), ...template(B + 1, E1), ...template(B + 2, E1)];
  const vix: Array<[number, number]> = [[B, 30], [B + 1, 20], [B + 2, 20]];
  const low = runBacktest(store(quotes, { vix }), entry({ vix_max: 25 }));
  assert.deepEqual(column(low.trades, "entry_date").map(iso), ["2024-01-03"]);
  assert.deepEqual([low.raw.funnel.scans, low.raw.funnel.vix], [2, 1]);
  const high = runBacktest(store(quotes, { vix }), entry({ vix_min: 25, vix_max: 30 }));
  assert.deepEqual(column(high.trades, "entry_date").map(iso), ["2024-01-02"]);
  // Without VIX data no day passes.
  const none = runBacktest(store(quotes), entry({ vix_min: 10 }));
  assert.equal(none.trades.height, 0);
  assert.equal(none.raw.funnel.vix, 0);
  assert.throws(() => entry({ vix_min: 30, vix_max: 20 }), /vix_min: must not exceed vix_max/);
});

Deno.test("require_contango: the front expiry's ATM IV at or below the next one's", () => {
  // Strikes 95 and 100 lie below the spot (110): each expiry's ATM IV is its 100 strike's.
  const quotes = [...template(B, E1), ...template(B, E2), ...template(B + 1, E1)];
  quotes.push(...template(B + 1, E2));
  const contango = store(quotes, { iv: (_, x) => (x === E1 ? 0.2 : 0.25) });
  const backwardation = store(quotes, { iv: (_, x) => (x === E1 ? 0.25 : 0.2) });
  assert.deepEqual([...contangoTable(contango)], [1, 1]);
  assert.deepEqual([...contangoTable(backwardation)], [0, 0]);
  const on = entry({ require_contango: true });
  assert.equal(runBacktest(contango, on).trades.height, 1);
  const off = runBacktest(backwardation, on);
  assert.equal(off.trades.height, 0);
  assert.deepEqual([off.raw.funnel.scans, off.raw.funnel.contango], [1, 0]);
  // Equal IVs are contango (at or below).
  assert.deepEqual([...contangoTable(store(quotes))], [1, 1]);
});

Deno.test("iv_rank_min: min-max rank over iv_history_days, beside the IV percentile", () => {
  // The day's IV on every row (so the 30-day ATM IV is that IV): 0.20, 0.30, 0.25, 0.22.
  // With 3 days of history, on B+2: rank (0.25 - 0.20) / (0.30 - 0.20) = 50, percentile 2/3.
  const levels = [0.2, 0.3, 0.25, 0.22];
  const quotes = levels.flatMap((_, i) => template(B + i, E2));
  const s = store(quotes, { iv: (day) => levels[day - B] });
  const rank = ivRank(Float64Array.from(levels), 1, 4, 3);
  assert.deepEqual([...rank].slice(2), [50, 0]);
  const at = (keys: Record<string, unknown>) =>
    runBacktest(s, entry({ iv_history_days: 3, ...keys }));
  const ranked = at({ iv_rank_min: 50 });
  assert.deepEqual(column(ranked.trades, "entry_date").map(iso), ["2024-01-04"]);
  assert.equal(ranked.raw.funnel.iv_rank, 1);
  assert.equal(ranked.metrics.warmup_days, 2); // the IV rank's history, as the percentile's
  assert.equal(at({ iv_rank_min: 60 }).trades.height, 0);
  // The percentile (66.7 on B+2) passes 60 where the rank (50) does not.
  assert.equal(at({ iv_percentile_min: 60 }).trades.height, 1);
});

Deno.test("iv_hv_ratio_min: 30-day ATM IV over 20-day close-to-close realized volatility", () => {
  // 22 weekdays from B; closes alternate 100 and 100·e^0.01: every log return is ±0.01, the
  //   sample deviation 0.01·√(20/19), annualized 0.01·√(20/19)·√252 = 0.16287: with the IV at
  //   0.20 the ratio is 1.2280 from the 21st day (Jan 30) on. The spread expires B + 50.
  const days: number[] = [];
  for (let day = B; days.length < 22; day++) if ((day + 4) % 7 % 6 !== 0) days.push(day);
  const expiry = B + 50;
  const quotes = days.flatMap((day) => template(day, expiry));
  const closes = days.map((day, i): [number, number] => [day, 100 * Math.exp(i % 2 ? 0.01 : 0)]);
  const s = store(quotes, { closes });
  const hv = realizedVol(s.data.barClose, 1, s.nDays);
  const expected = 0.01 * Math.sqrt(20 / 19) * Math.sqrt(252);
  assert.ok(Number.isNaN(hv[19]));
  assert.ok(Math.abs(hv[20] - expected) < 1e-12, `${hv[20]}`);
  const passed = runBacktest(s, entry({ iv_hv_ratio_min: 1.2 }));
  assert.deepEqual(column(passed.trades, "entry_date").map(iso), ["2024-01-30"]);
  assert.equal(passed.raw.funnel.iv_hv_ratio, 1);
  assert.equal(days[20], isoToDay("2024-01-30"));
  assert.equal(runBacktest(s, entry({ iv_hv_ratio_min: 1.25 })).trades.height, 0);
});

Deno.test("the funnel lists a day filter only when it is on, and the blocking one by name", () => {
  const quotes = [...template(B, E1), ...template(B + 1, E1)];
  const run = runBacktest(store(quotes, { vix: [[B, 40], [B + 1, 40]] }), entry({ vix_max: 30 }));
  assert.deepEqual(Object.keys(run.raw.funnel).slice(0, 4), [
    "scans",
    "iv_percentile",
    "vix",
    "dte",
  ]);
  assert.equal(run.trades.height, 0);
  assert.equal(
    blockingFilter(run.raw.funnel, run.params),
    "vix_min/vix_max: the VIX close was never <= 30 (0 of 1 underlying-days)",
  );
});
