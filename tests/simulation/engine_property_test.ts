import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  qualityReport,
  runBacktest,
  runOutputFiles,
  type StrategyConfig,
  validateConfig,
  writeRunFiles,
} from "../../lib/mod.ts";

const dataDir = join(mkdtempSync(join(tmpdir(), "mahler-sim-")), "sample");
generateSample({ outDir: dataDir, start: "2020-01-02", end: "2020-06-30", seed: 11 });
const market = loadMarketData(dataDir);
const store = buildChainStore(market);
const base = loadConfig("config/test_config.toml");

const STRATEGY_TYPES = {
  bull_put: "bull_put_spread",
  bear_call: "bear_call_spread",
  both: ["bull_put_spread", "bear_call_spread"],
  iron_condor: "iron_condor",
};

const configArb = fc.record({
  strategy: fc.constantFrom(...Object.values(STRATEGY_TYPES)),
  callDeltaMax: fc.constantFrom(null, 0.12, 0.3),
  dteMin: fc.integer({ min: 7, max: 30 }),
  dteSpan: fc.integer({ min: 5, max: 30 }),
  deltaMin: fc.constantFrom(0.05, 0.1, 0.15),
  deltaSpan: fc.constantFrom(0.05, 0.1, 0.2),
  widthMax: fc.constantFrom(2, 5, 10),
  pt: fc.constantFrom(0.25, 0.5, 0.75),
  sl: fc.constantFrom(0.5, 1, 2),
  dteExit: fc.integer({ min: 0, max: 10 }),
  risk: fc.constantFrom(0.01, 0.02, 0.05),
  heat: fc.constantFrom(0.05, 0.1, 0.3),
  positions: fc.integer({ min: 1, max: 6 }),
  corr: fc.constantFrom(0.3, 0.6, 1),
  entries: fc.integer({ min: 1, max: 3 }),
  exitOnFill: fc.boolean(),
}).map((r): StrategyConfig =>
  validateConfig({
    ...base,
    strategy: {
      underlying: ["SPY", "QQQ", "IWM"],
      strategy_type: r.strategy,
    },
    entry: {
      ...base.entry,
      dte_min: r.dteMin,
      dte_max: r.dteMin + r.dteSpan,
      short_delta_min: r.deltaMin,
      short_delta_max: r.deltaMin + r.deltaSpan,
      spread_width_min: 1,
      spread_width_max: r.widthMax,
      min_credit_pct: 0.05,
      iv_percentile_min: 0,
      ...(r.callDeltaMax === null
        ? {}
        : { call: { short_delta_min: 0.05, short_delta_max: r.callDeltaMax } }),
    },
    exit: { profit_target_pct: r.pt, stop_loss_pct: r.sl, dte_exit: r.dteExit },
    position_sizing: {
      ...base.position_sizing,
      max_risk_per_trade_pct: r.risk,
      max_portfolio_heat_pct: r.heat,
      max_positions: r.positions,
      max_correlated_exposure_pct: r.corr,
    },
    simulation: {
      ...base.simulation,
      max_entries_per_day: r.entries,
      exit_trigger: r.exitOnFill ? "fill" : "mid",
    },
  })
);

Deno.test("engine: cash rebuilt from the trade log matches every day, and P&L sums to the equity change", () => {
  let totalTrades = 0;
  let runs = 0;
  fc.assert(
    fc.property(configArb, (config) => {
      const { raw, params } = runBacktest(store, config);
      totalTrades += raw.trades.length;
      runs++;
      const flows = new Map<number, number>();
      const add = (day: number, x: number) => flows.set(day, (flows.get(day) ?? 0) + x);
      for (const t of raw.trades) {
        const entryCommission = t.legs.length * params.commission * t.contracts;
        add(t.entryDay, t.entryCredit * 100 * t.contracts - entryCommission);
        add(t.exitDay, -t.exitDebit * 100 * t.contracts - (t.commissionsUsd - entryCommission));
      }
      let cash = params.startingEquity;
      for (const e of raw.daily) {
        cash += flows.get(e.day) ?? 0;
        assert.ok(Math.abs(e.cash - cash) < 1e-6, `cash on ${e.day}`);
        assert.ok(Math.abs(e.equity - (e.cash + e.openValue)) < 1e-9, "equity = cash + open value");
        if (e.openRisk === 0) assert.equal(e.openValue, 0);
      }
      const last = raw.daily[raw.daily.length - 1];
      assert.equal(last.openRisk, 0, "everything closed on the last day");
      const pnl = raw.trades.reduce((a, t) => a + t.pnlUsd, 0);
      assert.ok(Math.abs(pnl - (last.equity - params.startingEquity)) < 1e-6);
      // Each trade's legs: its type's, its credit, debit and commissions leg by leg.
      for (const t of raw.trades) {
        const legs = { bull_put: 2, bear_call: 2, iron_condor: 4 }[t.spreadType];
        assert.equal(t.legs.length, legs);
        const signed = (f: (l: (typeof t.legs)[number]) => number) =>
          t.legs.reduce((a, l) => a - Math.sign(l.quantity) * f(l), 0);
        assert.ok(Math.abs(signed((l) => l.entryFill) - t.entryCredit) < 1e-9, "entry fills");
        assert.ok(Math.abs(signed((l) => l.exitFill) - t.exitDebit) < 1e-9, "exit fills");
        const commissions = t.legs.reduce((a, l) => a + l.commissionUsd, 0);
        assert.ok(Math.abs(commissions - t.commissionsUsd) < 1e-9, "commissions");
        assert.ok(t.legs.every((l) => Math.abs(l.quantity) === t.contracts));
      }
    }),
    { numRuns: 25 },
  );
  assert.ok(totalTrades > runs * 5, `random configs traded: ${totalTrades} trades in ${runs} runs`);
});

Deno.test("engine: position count, heat and correlated exposure never exceed their limits", () => {
  fc.assert(
    fc.property(configArb, (config) => {
      const { raw, params } = runBacktest(store, config);
      for (const e of raw.daily) {
        const open = raw.trades.filter((t) => t.entryDay <= e.day && t.exitDay > e.day);
        assert.equal(e.openPositions, open.length, "open positions");
        assert.ok(open.length <= params.maxPositions, "max positions");
        const risk = open.reduce((a, t) => a + t.maxLossUsd, 0);
        assert.ok(Math.abs(risk - e.openRisk) < 1e-6, "open risk bookkeeping");
        // Limits bind at entry, against the equity after that day's exits; the close differs
        // from it only by the day's entry costs (slippage and commissions), so check entry
        // days with 2% slack. (Later, equity may fall while open risk stays: that is allowed.)
        const enteredToday = raw.trades.some((t) => t.entryDay === e.day);
        if (enteredToday) {
          assert.ok(
            risk <= params.maxHeatPct * e.equity * 1.02 + 1e-6,
            `heat ${risk} vs ${e.equity}`,
          );
          assert.ok(
            risk <= params.maxCorrelatedPct * params.maxHeatPct * e.equity * 1.02 + 1e-6,
            "correlated",
          );
        }
        const entries = raw.trades.filter((t) => t.entryDay === e.day).length;
        assert.ok(entries <= params.maxEntriesPerDay);
      }
      for (const t of raw.trades) {
        assert.ok(t.contracts >= 1);
        assert.ok(
          t.maxLossUsd <= params.maxRiskPerTradePct * 1.1 * params.startingEquity * 2,
          "sized by risk",
        );
      }
    }),
    { numRuns: 25 },
  );
});

Deno.test("runs are byte-identical when repeated (manifest aside)", () => {
  const config = validateConfig(base);
  const quality = qualityReport(store);
  const dirs = [0, 1].map(() => {
    const out = join(mkdtempSync(join(tmpdir(), "mahler-run-")), "run");
    const result = runBacktest(store, config);
    writeRunFiles(
      out,
      runOutputFiles(result, config, quality, { command: "run", inputFiles: [], timings: {} }),
    );
    return out;
  });
  for (
    const f of [
      "trades.parquet",
      "metrics.json",
      "equity_curve.csv",
      "params.toml",
      "data_quality.json",
    ]
  ) {
    assert.ok(readFileSync(join(dirs[0], f)).equals(readFileSync(join(dirs[1], f))), f);
  }
});

Deno.test("the daily state: P&L sums to the equity change, net greeks are the positions' sum", () => {
  let positionDays = 0;
  fc.assert(
    fc.property(configArb, (config) => {
      const { raw, params } = runBacktest(store, config, { recordPositions: true });
      let previous = params.startingEquity;
      let sum = 0;
      const byDay = Map.groupBy(raw.positions, (p) => p.day);
      for (const e of raw.daily) {
        assert.ok(Math.abs(e.dailyPnl - (e.equity - previous)) < 1e-9, "daily P&L");
        sum += e.dailyPnl;
        assert.ok(Math.abs(e.cumulativePnl - sum) < 1e-6, "cumulative P&L = sum of daily P&L");
        previous = e.equity;
        const open = byDay.get(e.day) ?? [];
        positionDays += open.length;
        assert.equal(open.length, e.openPositions);
        const total = (k: "delta" | "gamma" | "theta" | "vega" | "valueUsd") =>
          open.reduce((a, p) => a + p[k], 0);
        const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));
        assert.ok(near(e.netDelta, total("delta")), `net delta on ${e.day}`);
        assert.ok(near(e.netGamma, total("gamma")), "net gamma");
        assert.ok(near(e.netTheta, total("theta")), "net theta");
        assert.ok(near(e.netVega, total("vega")), "net vega");
        assert.ok(near(e.openValue, total("valueUsd")), "open value");
        assert.ok(e.openPositions === 0 || near(e.heat, e.openRisk / e.equity), "heat");
      }
      assert.ok(
        Math.abs(sum - (previous - params.startingEquity)) < 1e-6,
        "P&L sums to the change",
      );
    }),
    { numRuns: 15 },
  );
  assert.ok(positionDays > 100, `positions were held: ${positionDays} position-days`);
});

Deno.test("an iron condor's greeks and value in the daily log sum over its four legs' quotes", () => {
  const config = validateConfig({
    ...base,
    strategy: { ...base.strategy, strategy_type: "iron_condor" },
  });
  const { raw } = runBacktest(store, config, { recordPositions: true });
  const c = store.columns;
  let checked = 0;
  for (const p of raw.positions) {
    const t = raw.trades.find((x) => x.id === p.id)!;
    const rows = t.legs.map((leg) => {
      const chain = store.getChain(p.day, t.underlying, t.expiry, leg.isPut ? "put" : "call");
      for (let i = chain.start; i < chain.end; i++) if (c.strike[i] === leg.strike) return i;
      return -1;
    });
    if (rows.some((i) => i < 0 || c.flags[i])) continue; // kept its last complete set
    const size = 100 * t.contracts;
    const sum = (f: (i: number) => number) =>
      rows.reduce((a, i, k) => a + Math.sign(t.legs[k].quantity) * f(i), 0) * size;
    assert.ok(Math.abs(p.delta - sum((i) => c.delta[i])) < 1e-9);
    assert.ok(Math.abs(p.theta - sum((i) => c.theta[i])) < 1e-9);
    assert.ok(Math.abs(p.vega - sum((i) => c.vega[i])) < 1e-9);
    assert.ok(Math.abs(p.valueUsd - sum((i) => (c.bid[i] + c.ask[i]) / 2)) < 1e-6);
    checked++;
  }
  assert.ok(checked > 50, `checked ${checked} position-days`);
});

Deno.test("a position's greeks in the daily log come from the day's quotes of its legs", () => {
  const config = validateConfig(base);
  const { raw } = runBacktest(store, config, { recordPositions: true });
  const c = store.columns;
  let checked = 0;
  for (const p of raw.positions) {
    const t = raw.trades.find((x) => x.id === p.id)!;
    const short = store.getChain(p.day, t.underlying, t.expiry, "put");
    const rowOf = (strike: number) => {
      for (let i = short.start; i < short.end; i++) if (c.strike[i] === strike) return i;
      return -1;
    };
    const s = rowOf(t.shortStrike), l = rowOf(t.longStrike);
    if (s < 0 || l < 0 || c.flags[s] || c.flags[l]) continue; // kept its last complete pair
    const size = 100 * t.contracts;
    assert.ok(Math.abs(p.delta - (c.delta[l] - c.delta[s]) * size) < 1e-9);
    assert.ok(Math.abs(p.theta - (c.theta[l] - c.theta[s]) * size) < 1e-9);
    const mark = (c.bid[s] + c.ask[s]) / 2 - (c.bid[l] + c.ask[l]) / 2;
    assert.ok(Math.abs(p.valueUsd + mark * size) < 1e-6);
    checked++;
  }
  assert.ok(checked > 50, `checked ${checked} position-days`);
});

Deno.test("trades.parquet reads back in DuckDB with the spec's 22 fields first, in order and typed", async () => {
  const result = runBacktest(store, validateConfig(base));
  assert.ok(result.trades.height > 5);
  const out = join(mkdtempSync(join(tmpdir(), "mahler-duck-")), "run");
  writeRunFiles(out, [{ name: "trades.parquet", parquet: result.trades }]);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const file = join(out, "trades.parquet");
  const reader = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  const schema = reader.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]);
  assert.deepEqual(schema.slice(0, 22), [
    ["trade_id", "VARCHAR"],
    ["underlying", "VARCHAR"],
    ["spread_type", "VARCHAR"],
    ["entry_date", "DATE"],
    ["exit_date", "DATE"],
    ["days_held", "INTEGER"],
    ["short_strike", "DOUBLE"],
    ["long_strike", "DOUBLE"],
    ["expiration", "DATE"],
    ["entry_credit", "DOUBLE"],
    ["exit_debit", "DOUBLE"],
    ["commission", "DOUBLE"],
    ["pnl", "DOUBLE"],
    ["pnl_pct", "DOUBLE"],
    ["exit_reason", "VARCHAR"],
    ["delta_at_entry", "DOUBLE"],
    ["theta_at_entry", "DOUBLE"],
    ["iv_rank_at_entry", "DOUBLE"],
    ["vix_at_entry", "DOUBLE"],
    ["underlying_price_entry", "DOUBLE"],
    ["underlying_price_exit", "DOUBLE"],
    ["contracts", "INTEGER"],
  ]);
  assert.deepEqual(schema.slice(22).map(([name]) => name), [
    "width",
    "max_loss",
    "dte_at_entry",
    "short_delta_at_entry",
    "gamma_at_entry",
    "vega_at_entry",
    "p_itm",
    "expected_value",
    "score",
    "score_expected_value",
    "score_iv_percentile",
    "score_delta_distance",
    "score_credit_width",
    "entry_rationale",
  ]);
  const rows = await conn.runAndReadAll(
    `SELECT count(*) AS n, round(sum(pnl), 2) AS pnl, min(trade_id) AS first,
       bool_and(spread_type = 'bull_put') AS puts, bool_and(theta_at_entry > 0) AS theta,
       bool_and(delta_at_entry > 0) AS delta, bool_and(days_held = exit_date - entry_date) AS held,
       bool_and(entry_rationale LIKE '%min_credit_pct%') AS rationale
     FROM read_parquet('${file}')`,
  );
  const row = rows.getRowObjects()[0];
  assert.equal(Number(row.n), result.trades.height);
  assert.equal(Number(row.pnl), Math.round(result.metrics.total_pnl * 100) / 100);
  assert.equal(row.first, "T000001");
  assert.deepEqual([row.puts, row.theta, row.delta, row.held, row.rationale], [
    true,
    true,
    true,
    true,
    true,
  ]);
  // trade_id follows entry order.
  const order = await conn.runAndReadAll(
    `SELECT bool_and(entry_date >= prev) AS ordered FROM (SELECT entry_date,
       lag(entry_date, 1, entry_date) OVER (ORDER BY trade_id) AS prev FROM read_parquet('${file}'))`,
  );
  assert.equal(order.getRowObjects()[0].ordered, true);
  conn.closeSync();
});

Deno.test("an iron condor's trades.parquet and trade_legs.parquet read back in DuckDB", async () => {
  const config = validateConfig({
    ...base,
    strategy: { ...base.strategy, strategy_type: "iron_condor" },
  });
  const result = runBacktest(store, config);
  assert.ok(result.trades.height > 5);
  const out = join(mkdtempSync(join(tmpdir(), "mahler-duck-")), "run");
  writeRunFiles(out, [
    { name: "trades.parquet", parquet: result.trades },
    { name: "trade_legs.parquet", parquet: result.legs },
  ]);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const trades = join(out, "trades.parquet");
  const legs = join(out, "trade_legs.parquet");
  const describe = async (file: string) =>
    (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjects()
      .map((r) => [String(r.column_name), String(r.column_type)]);
  const schema = await describe(trades);
  assert.deepEqual(schema.slice(22, 25), [
    ["call_short_strike", "DOUBLE"],
    ["call_long_strike", "DOUBLE"],
    ["width", "DOUBLE"],
  ]);
  assert.deepEqual(await describe(legs), [
    ["trade_id", "VARCHAR"],
    ["leg", "VARCHAR"],
    ["option_type", "VARCHAR"],
    ["strike", "DOUBLE"],
    ["expiration", "DATE"],
    ["quantity", "INTEGER"],
    ["entry_fill", "DOUBLE"],
    ["exit_fill", "DOUBLE"],
    ["commission", "DOUBLE"],
    ["entry_delta", "DOUBLE"],
    ["entry_theta", "DOUBLE"],
    ["entry_vega", "DOUBLE"],
    ["entry_iv", "DOUBLE"],
  ]);
  // Every condor: four legs on its expiry, the put side in short/long_strike, the call side in
  // its own columns, width the wider side's, theta earned; the legs' commissions its own.
  const check = await conn.runAndReadAll(
    `WITH l AS (SELECT trade_id, count(*) AS n, sum(commission) AS commission,
         max(strike) FILTER (WHERE leg = 'short_call') AS sc,
         max(strike) FILTER (WHERE leg = 'long_call') AS lc,
         max(strike) FILTER (WHERE leg = 'short_put') AS sp,
         count(DISTINCT expiration) AS expiries
       FROM read_parquet('${legs}') GROUP BY trade_id)
     SELECT count(*) AS n, bool_and(l.n = 4 AND l.expiries = 1) AS four,
       bool_and(t.spread_type = 'iron_condor') AS ic,
       bool_and(l.sc = t.call_short_strike AND l.lc = t.call_long_strike AND l.sp = t.short_strike)
         AS strikes,
       bool_and(t.width = greatest(t.short_strike - t.long_strike,
         t.call_long_strike - t.call_short_strike)) AS width,
       bool_and(abs(l.commission - t.commission) < 0.015) AS commission,
       bool_and(t.theta_at_entry > 0) AS theta
     FROM read_parquet('${trades}') t JOIN l USING (trade_id)`,
  );
  const row = check.getRowObjects()[0];
  assert.equal(Number(row.n), result.trades.height);
  assert.deepEqual(
    [row.four, row.ic, row.strikes, row.width, row.commission, row.theta],
    [true, true, true, true, true, true],
  );
  conn.closeSync();
});
