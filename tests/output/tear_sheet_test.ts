import assert from "node:assert/strict";
import fc from "fast-check";
import pl from "nodejs-polars";
import {
  annualReturnsFrame,
  benchmarkFrame,
  buildChainStore,
  drawdownsFrame,
  exitReasonFrame,
  exposureFrame,
  generateSample,
  isoToDay,
  loadConfig,
  loadMarketData,
  maxDrawdown,
  monthlyReturnsFrame,
  nyseTradingDays,
  optimizeWalkForward,
  pnlByBucketFrame,
  returnHistogramFrame,
  rollingSharpeFrame,
  runBacktest,
  sharpeRatio,
  tearSheet,
  tearSheetFigures,
  validateConfig,
  walkForwardRun,
} from "../../lib/mod.ts";

/** A daily-state frame from ISO dates and equity values (the columns the tear sheet reads). */
function frameOf(dates: string[], equity: number[], extra: Record<string, number[]> = {}) {
  return pl.DataFrame([
    pl.Series("date", dates.map(isoToDay)).cast(pl.Int32).cast(pl.Date),
    pl.Series("equity", equity),
    ...Object.entries(extra).map(([k, v]) => pl.Series(k, v)),
  ]);
}

const near = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

Deno.test("monthly and annual returns of a hand-made series, the first month from the starting equity", () => {
  // Starting equity 100,000; December 2023 ends at 102,000, January 2024 at 99,960, February at
  // 101,959.2, March at 101,959.2.
  const dates = [
    "2023-12-28",
    "2023-12-29",
    "2024-01-02",
    "2024-01-31",
    "2024-02-29",
    "2024-03-01",
  ];
  const equity = [101000, 102000, 100000, 99960, 101959.2, 101959.2];
  const frame = frameOf(dates, equity);
  const m = monthlyReturnsFrame(frame, { startingEquity: 100000 }).toRecords();
  assert.deepEqual(m.map((r) => [r.year, r.month, r.trading_days]), [
    [2023, 12, 2],
    [2024, 1, 2],
    [2024, 2, 1],
    [2024, 3, 1],
  ]);
  near(m[0].return as number, 0.02); // 102000 / 100000 - 1
  near(m[1].return as number, -0.02); // 99960 / 102000 - 1
  near(m[2].return as number, 0.02); // 101959.2 / 99960 - 1
  near(m[3].return as number, 0);
  const a = annualReturnsFrame(frame, { startingEquity: 100000 }).toRecords();
  assert.deepEqual(a.map((r) => r.year), [2023, 2024]);
  near(a[0].return as number, 0.02);
  near(a[1].return as number, 101959.2 / 102000 - 1);
});

Deno.test("the warm-up before the tradable span is left out: its last equity is the base", () => {
  const dates = ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"];
  const frame = frameOf(dates, [100000, 100000, 101000, 100495], {
    open_risk: [0, 0, 1500, 1500],
    heat: [0, 0, 0.015, 0.0149],
    open_positions: [0, 0, 1, 1],
  });
  const m = monthlyReturnsFrame(frame, { from: "2024-02-01" }).toRecords();
  assert.equal(m.length, 1, "January was warm-up");
  near(m[0].return as number, 100495 / 100000 - 1);
  assert.equal(exposureFrame(frame, { from: "2024-02-01" }).height, 2);
  const none = monthlyReturnsFrame(frame, { from: null });
  assert.equal(none.height, 0, "no tradable day");
});

Deno.test("drawdowns: every episode's start, trough, recovery, depth and days, deepest first", () => {
  const dates = [...nyseTradingDays(isoToDay("2024-01-02"), isoToDay("2024-01-16"))].map((d) =>
    new Date(d * 864e5).toISOString().slice(0, 10)
  );
  // 10 days: dip of -3% (days 1-2, recovered day 3), new peak 104,000 on day 4, dip to -10%
  // (days 5-7), recovered day 8 at 104,000, then -1% at day 9 (open).
  const equity = [100000, 97000, 99000, 100500, 104000, 95000, 93600, 99000, 104000, 102960];
  assert.equal(dates.length, 10);
  const d = drawdownsFrame(frameOf(dates, equity), { startingEquity: 100000 }).toRecords();
  const iso = (x: unknown) => (x instanceof Date ? x.toISOString().slice(0, 10) : x);
  assert.deepEqual(
    d.map((r) => [r.rank, iso(r.start), iso(r.trough), iso(r.recovery), r.days]),
    [
      [1, dates[5], dates[6], dates[8], 3],
      [2, dates[1], dates[1], dates[3], 2],
      [3, dates[9], dates[9], null, 1],
    ],
  );
  near(d[0].depth as number, 93600 / 104000 - 1);
  near(d[1].depth as number, -0.03);
  near(d[2].depth as number, 102960 / 104000 - 1);
  assert.equal(drawdownsFrame(frameOf(dates, equity), { top: 1 }).height, 1);
});

Deno.test("rolling Sharpe: a hand-computed window with a risk-free rate, and null before it fills", () => {
  // 21 returns alternating +0.4% and -0.2%, a month of 21 trading days.
  const returns = Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? 0.004 : -0.002));
  let v = 100000;
  const equity = returns.map((r) => (v *= 1 + r));
  const dates = [...nyseTradingDays(isoToDay("2024-03-01"), isoToDay("2024-04-30"))]
    .slice(0, 25).map((d) => new Date(d * 864e5).toISOString().slice(0, 10));
  const frame = frameOf(dates, equity);
  const rf = 0.0252; // 0.0001 a day
  const s = rollingSharpeFrame(frame, { months: [1], riskFreeRate: rf, startingEquity: 100000 })
    .getColumn("sharpe_1m").toArray() as (number | null)[];
  assert.equal(s[19], null);
  // Window of days 0..20: 11 × 0.004 and 10 × -0.002 less 0.0001 each.
  const window = returns.slice(0, 21).map((r) => r - 0.0001);
  const mean = window.reduce((a, b) => a + b) / 21;
  const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / 20);
  near(s[20]!, (mean / sd) * Math.sqrt(252), 1e-9);
  // The next window starts with -0.002: mean and deviation change.
  near(s[21]!, sharpeRatio(returns.slice(1, 22), 252, rf)!, 1e-9);
});

Deno.test("tear-sheet frames agree with the statistics layer on random equity paths", () => {
  const days = [...nyseTradingDays(isoToDay("2021-01-04"), isoToDay("2023-12-29"))];
  const dates = days.map((d) => new Date(d * 864e5).toISOString().slice(0, 10));
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), {
        minLength: 30,
        maxLength: 400,
      }),
      (returns) => {
        let v = 100000;
        const equity = returns.map((r) => (v *= 1 + r));
        // The returns the equity holds (a return below the equity's precision vanishes).
        returns = equity.map((e, i) => e / (i ? equity[i - 1] : 100000) - 1);
        const frame = frameOf(dates.slice(0, returns.length), equity);
        const span = { startingEquity: 100000 };
        const total = equity[equity.length - 1] / 100000 - 1;
        const compound = (f: pl.DataFrame) =>
          (f.getColumn("return").toArray() as number[]).reduce((g, r) => g * (1 + r), 1) - 1;
        near(compound(monthlyReturnsFrame(frame, span)), total, 1e-9);
        near(compound(annualReturnsFrame(frame, span)), total, 1e-9);
        const worst = drawdownsFrame(frame, span).toRecords()[0];
        near((worst?.depth as number | undefined) ?? 0, maxDrawdown(returns), 1e-9);
        const h = returnHistogramFrame(frame, { ...span, bins: 7 });
        const counts = h.getColumn("count").toArray() as number[];
        assert.equal(counts.reduce((a, b) => a + b, 0), returns.length);
        const rolling = rollingSharpeFrame(frame, { ...span, months: [1] })
          .getColumn("sharpe_1m").toArray() as (number | null)[];
        const end = returns.length - 1;
        const expected = sharpeRatio(returns.slice(end - 20, end + 1), 252);
        if (expected === null) assert.equal(rolling[end], null);
        else near(rolling[end]!, expected, 1e-6 * Math.max(1, Math.abs(expected)));
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("trade analytics partition the trades: counts and P&L add up by exit reason and by bucket", () => {
  const trades = pl.DataFrame({
    exit_reason: ["profit_target", "stop_loss", "time_exit", "profit_target", "expiration"],
    pnl: [120, -480, -30, 95.5, 210],
    pnl_pct: [0.12, -0.48, -0.03, 0.1, 0.2],
    delta_at_entry: [0.02, 0.03, 0.05, 0.01, 0.04],
    vix_at_entry: [14, 36, 22, null, 25],
    iv_rank_at_entry: [10, 90, 50, null, 80],
    dte_at_entry: [30, 45, 38, 21, 44],
  });
  const reasons = exitReasonFrame(trades).toRecords();
  assert.deepEqual(reasons.map((r) => r.exit_reason), [
    "profit_target",
    "stop_loss",
    "time_exit",
    "expiration",
  ]);
  near(reasons[0].total_pnl as number, 215.5);
  near(reasons[0].total_pnl_pct as number, 0.22);
  near(reasons[0].share as number, 0.4);
  const vix = pnlByBucketFrame(trades, "vix_at_entry").toRecords();
  assert.deepEqual(vix.map((r) => [r.bucket, r.trades]), [
    ["<15", 1],
    ["15-25", 1],
    ["25-35", 1], // 25 belongs to 25-35
    [">35", 1],
    ["unknown", 1],
  ]);
  const iv = pnlByBucketFrame(trades, "iv_rank_at_entry").toRecords();
  assert.deepEqual(iv.map((r) => r.bucket), ["<20", "40-60", ">=80", "unknown"]);
  for (const column of ["delta_at_entry", "dte_at_entry"]) {
    const rows = pnlByBucketFrame(trades, column).toRecords();
    assert.equal(rows.reduce((a, r) => a + (r.trades as number), 0), 5, column);
    near(rows.reduce((a, r) => a + (r.total_pnl as number), 0), -84.5, 1e-9);
  }
});

// A small market for the end-to-end checks.
const dir = await Deno.makeTempDir({ prefix: "mahler-sheet-" });
generateSample({ outDir: dir, start: "2023-09-01", end: "2024-06-28", seed: 11 });
const store = buildChainStore(loadMarketData(dir));
const base = loadConfig("config/test_config.toml");

Deno.test("the benchmark is bought at the close before the tradable span and valued at each close", () => {
  // With a 60-day IV history and the filter on, the span starts after the warm-up.
  const config = validateConfig({ ...base, entry: { ...base.entry, iv_percentile_min: 10 } });
  const run = runBacktest(store, config);
  assert.ok(run.metrics.warmup_days >= 59, `warm-up ${run.metrics.warmup_days}`);
  const b = benchmarkFrame(store, run.equity, { underlying: "IWM", from: run.tradableFrom });
  assert.equal(b.height, run.metrics.trading_days);
  const first = store.calendar.indexOf(isoToDay(run.tradableFrom));
  const bought = store.close("IWM", store.calendar[first - 1]);
  const closes = b.getColumn("close").toArray() as number[];
  const equity = b.getColumn("equity").toArray() as number[];
  const start = run.equity.getColumn("equity").get(first - 1) as number;
  // IWM's dividends going ex in the span are reinvested at their ex-date's close.
  const t = store.tickerIndex("IWM");
  const exDays = store.data.dividendDays.subarray(
    store.data.dividendOffsets[t],
    store.data.dividendOffsets[t + 1],
  );
  const amounts = store.data.dividendAmounts.subarray(
    store.data.dividendOffsets[t],
    store.data.dividendOffsets[t + 1],
  );
  const days = b.getColumn("date").cast(pl.Int32).toArray() as number[];
  let shares = 1;
  let reinvested = 0;
  closes.forEach((c, i) => {
    exDays.forEach((x, k) => {
      if (x === days[i]) {
        shares *= (c + amounts[k]) / c;
        reinvested++;
      }
    });
    near(equity[i], (start * c) / bought * shares, 1e-6);
  });
  assert.ok(reinvested >= 2, "the span holds ex-dates");
  assert.throws(() => benchmarkFrame(store, run.equity, { underlying: "XYZ" }), /not in the data/);
});

Deno.test("the tear sheet of a backtest and of a walk-forward's stitched run reconcile with their metrics", async () => {
  const run = runBacktest(store, base);
  const wf = await optimizeWalkForward(store, base, { workers: 1 });
  const oos = walkForwardRun(wf, base);
  for (const [name, r] of [["backtest", run], ["stitched", oos]] as const) {
    const sheet = tearSheet(r, { store });
    const months = sheet.monthly.getColumn("return").toArray() as number[];
    const compounded = months.reduce((g, x) => g * (1 + x), 1) - 1;
    // Equity in the frames is rounded to the cent.
    near(compounded, r.metrics.final_equity / r.params.startingEquity - 1, 1e-7);
    const worst = sheet.drawdowns.toRecords()[0]?.depth as number | undefined;
    near(worst ?? 0, r.metrics.max_drawdown, 1e-6);
    const counted = sheet.exitReasons.getColumn("trades").toArray() as number[];
    assert.equal(counted.reduce((a, b) => a + b, 0), r.metrics.trade_count, name);
    assert.equal(sheet.returns.height, r.metrics.trading_days, name);
    const named = tearSheetFigures(sheet, r.trades);
    // Each name holds its own figure, whatever the order.
    assert.match(named.equity.html, /bought and held/, name);
    assert.match(named.drawdown.html, /Drawdown: equity below its running peak/, name);
    assert.match(named.monthlyReturns.html, /Monthly returns/, name);
    assert.match(named.annualReturns.html, /Annual returns/, name);
    assert.match(named.rollingSharpe.html, /Rolling Sharpe ratio/, name);
    assert.match(named.returnDistribution.html, /Daily returns/, name);
    assert.match(named.worstDrawdowns.html, /Worst drawdowns/, name);
    assert.match(named.worstDrawdowns.html, /<table/, name);
    assert.match(named.exposure.html, /Open positions/, name);
    assert.match(named.exitReasons.html, /P&amp;L by exit reason/, name);
    assert.match(named.pnlByDelta.html, /position delta at entry/, name);
    assert.match(named.pnlByVix.html, /VIX at entry/, name);
    assert.match(named.pnlByIvRank.html, /IV rank at entry/, name);
    assert.match(named.pnlByDte.html, /DTE at entry/, name);
    const figures = Object.values(named);
    assert.equal(figures.length, 13, name);
    assert.ok(figures.every((f) => f.html.includes("<svg") || f.html.includes("<table")), name);
    assert.ok(figures.every((f) => !/NaN|undefined|\[object Object\]/.test(f.html)), name);
  }
});
