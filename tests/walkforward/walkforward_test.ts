import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  alphaDecay,
  applyCombination,
  blockingFilter,
  buildChainStore,
  buildPeriods,
  combinationCount,
  combinationValues,
  generateSample,
  gridBlocks,
  isoToDay,
  ivPercentileTable,
  loadConfig,
  loadMarketData,
  nyseTradingDays,
  optimizeWalkForward,
  parameterStability,
  paramsFromConfig,
  probabilityOfOverfitting,
  qualityReport,
  simulate,
  validateConfig,
  walkForwardFiles,
  walkForwardSettings,
  writeRunFiles,
} from "../../lib/mod.ts";

const days = (from: string, to: string) =>
  Int32Array.from(nyseTradingDays(isoToDay(from), isoToDay(to)));
const MONTHS = { train: 6, validate: 1, test: 1, roll: 1 };

Deno.test("periods: data starting mid-month counts that month as the first", () => {
  const periods = buildPeriods(days("2020-03-16", "2021-03-31"), MONTHS);
  // Months 2020-03 .. 2021-03 = 13 months; 6 + 1 + 1 = 8 -> 6 periods.
  assert.equal(periods.length, 6);
  assert.equal(periods[0].train.start, "2020-03-01");
  assert.equal(periods[0].train.end, "2020-08-31");
  assert.equal(periods[0].validate.start, "2020-09-01");
  assert.equal(periods[0].test.start, "2020-10-01");
  assert.equal(periods[5].test.end, "2021-03-31");
  // The first trading day of the first window is the data's first day.
  assert.equal(periods[0].train.fromIndex, 0);
});

Deno.test("periods: a missing month drops the periods that would validate or test on it", () => {
  const all = days("2020-01-02", "2020-12-31");
  const withoutJune = all.filter((d) => {
    const iso = new Date(d * 864e5).toISOString();
    return !iso.startsWith("2020-06");
  });
  const periods = buildPeriods(withoutJune, { train: 3, validate: 1, test: 1, roll: 1 });
  // Starts Jan..Aug (8 candidates); June as validate (start Mar) or test (start Feb) is dropped.
  assert.deepEqual(periods.map((p) => p.train.start), [
    "2020-01-01",
    "2020-04-01",
    "2020-05-01",
    "2020-06-01",
    "2020-07-01",
    "2020-08-01",
  ]);
  // June inside a training window is fine: that window simply has fewer days.
  const june = periods.find((p) => p.train.start === "2020-04-01")!;
  assert.ok(june.train.toIndex - june.train.fromIndex + 1 < 63);
});

Deno.test("grid: the default grid has 240 combinations, last key fastest, delta bands ±0.025", () => {
  const config = loadConfig("config/default.toml");
  const s = walkForwardSettings(config);
  assert.equal(combinationCount(s), 240);
  assert.deepEqual(combinationValues(s, 0), {
    short_delta: 0.08,
    profit_target_pct: 0.4,
    stop_loss_pct: 1,
    dte_range: [25, 35],
  });
  assert.deepEqual(combinationValues(s, 1), {
    short_delta: 0.08,
    profit_target_pct: 0.4,
    stop_loss_pct: 1,
    dte_range: [30, 45],
  });
  assert.deepEqual(combinationValues(s, 239), {
    short_delta: 0.18,
    profit_target_pct: 0.75,
    stop_loss_pct: 2,
    dte_range: [35, 50],
  });
});

Deno.test("grid: unknown grid keys and bad values are errors naming the key", () => {
  const config = loadConfig("config/default.toml");
  assert.throws(
    () => walkForwardSettings({ ...config, walk_forward: { grid: { short_dleta: [0.1] } } }),
    /walk_forward\.grid\.short_dleta: Unknown grid key/,
  );
  assert.throws(
    () => walkForwardSettings({ ...config, walk_forward: { grid: { dte_range: [[40, 30]] } } }),
    /walk_forward\.grid\.dte_range/,
  );
  assert.throws(
    () => walkForwardSettings({ ...config, walk_forward: { trian_months: 3 } }),
    /walk_forward\.trian_months: unknown key, did you mean train_months\?/,
  );
});

Deno.test("stats: alpha decay is OLS with half-life -a/(2b); stability counts changes", () => {
  const fit = alphaDecay([0, 1, 2, 3, 4], [1.2, 0.9, 1.0, 0.6, 0.5]);
  // Hand OLS: x̄ = 2, ȳ = 0.84; Sxy = -1.7, Sxx = 10 -> slope -0.17, intercept 1.18.
  assert.ok(Math.abs(fit.slope! + 0.17) < 1e-12);
  assert.ok(Math.abs(fit.intercept! - 1.18) < 1e-12);
  assert.ok(Math.abs(fit.half_life! - 1.18 / 0.34) < 1e-9);
  // R² = Sxy² / (Sxx·Syy), Syy = 0.332.
  assert.ok(Math.abs(fit.r_squared! - (1.7 * 1.7) / (10 * 0.332)) < 1e-12);
  assert.equal(alphaDecay([0, 1], [0.1, 0.5]).half_life, null, "rising Sharpe: no half-life");
  const s = parameterStability([{ d: 0.1 }, { d: 0.1 }, { d: 0.15 }, { d: 0.1 }], ["d"]);
  assert.equal(s.d.changes, 2);
  assert.ok(Math.abs(s.d.change_rate! - 2 / 3) < 1e-15);
  assert.deepEqual(s.d.distribution, { "0.1": 3, "0.15": 1 });
  assert.equal(s.d.mode, "0.1");
});

// A small market and grid for the end-to-end checks: 14 months, 8 combinations.
const dataDir = join(mkdtempSync(join(tmpdir(), "mahler-wf-")), "sample");
generateSample({ outDir: dataDir, start: "2019-01-02", end: "2020-02-28", seed: 5 });
const market = loadMarketData(dataDir);
const store = buildChainStore(market);
const base = loadConfig("config/test_config.toml");
const config = validateConfig({
  ...base,
  entry: { ...base.entry, iv_percentile_min: 0, min_credit_pct: 0.05 },
  walk_forward: {
    train_months: 3,
    validate_months: 1,
    test_months: 1,
    roll_months: 1,
    top_n: 3,
    grid: { short_delta: [0.15, 0.2], profit_target_pct: [0.5, 0.75], stop_loss_pct: [1, 2] },
  },
});

function writeAll(workers: number) {
  return optimizeWalkForward(store, config, { workers }).then((result) => {
    const out = join(mkdtempSync(join(tmpdir(), "mahler-wf-out-")), "run");
    writeRunFiles(
      out,
      walkForwardFiles(result, config, {
        calendar: store.calendar,
        quality: qualityReport(store),
        inputFiles: [],
        timings: {},
        workers,
      }),
    );
    return { result, out };
  });
}

Deno.test("optimize: the selection rule holds on every period (top N by train among those that traded, best validation)", async () => {
  const { result } = await writeAll(2);
  assert.equal(result.periods.length, 14 - 5 + 1);
  const nc = result.combinations;
  assert.equal(nc, 8);
  for (const p of result.periods) {
    const i = p.period.index;
    const train = Array.from({ length: nc }, (_, c) => result.trainSharpe[i * nc + c]);
    const expectedTop: number[] = Array.from({ length: nc }, (_, c: number) => c)
      .filter((c) => !Number.isNaN(train[c]))
      .sort((a: number, b: number) => train[b] !== train[a] ? train[b] - train[a] : a - b)
      .slice(0, 3);
    assert.deepEqual(p.top.map((t) => t.combination), expectedTop, `period ${i} top`);
    const best = [...p.top].sort((a, b) => {
      const va = a.validate_sharpe ?? -Infinity;
      const vb = b.validate_sharpe ?? -Infinity;
      return vb !== va ? vb - va : a.combination - b.combination;
    })[0];
    assert.equal(p.chosen?.combination, best.combination, `period ${i} choice`);
  }
  assert.ok(result.oosTrades.length > 5, "the out-of-sample run traded");
  assert.ok(
    result.periods.every((p) => p.top.some((t) => t.train_trades > 0)),
    "every period trained on trades",
  );
  const stitchedPnl = result.oosTrades.reduce((a, t) => a + t.pnlUsd, 0);
  assert.ok(Number.isFinite(stitchedPnl));
});

Deno.test("optimize: output is byte-identical with 1 and 2 workers", async () => {
  const one = await writeAll(1);
  const two = await writeAll(2);
  for (
    const f of [
      "walk_forward.json",
      "grid_results.parquet",
      "params.toml",
      "trades.parquet",
      "metrics.json",
      "equity_curve.csv",
    ]
  ) {
    assert.ok(
      readFileSync(join(one.out, f)).equals(readFileSync(join(two.out, f))),
      `${f} differs`,
    );
  }
  const grid = pl.readParquet(join(one.out, "grid_results.parquet"));
  assert.equal(grid.height, one.result.periods.length * 8);
  assert.deepEqual(grid.columns.slice(0, 5), [
    "period",
    "combination",
    "short_delta",
    "profit_target_pct",
    "stop_loss_pct",
  ]);
  const wf = JSON.parse(readFileSync(join(one.out, "walk_forward.json"), "utf8"));
  assert.equal(wf.periods.length, one.result.periods.length);
  for (
    const key of [
      "mean_oos_sharpe",
      "median_oos_sharpe",
      "parameter_stability",
      "alpha_decay",
      "pbo",
      "oos_deflated_sharpe",
    ]
  ) assert.ok(key in wf.aggregate, key);
  assert.equal(wf.aggregate.pbo.splits, 12870); // C(16, 8), the default blocks
  assert.ok(wf.aggregate.pbo.pbo >= 0 && wf.aggregate.pbo.pbo <= 1);
  assert.equal(wf.aggregate.oos_deflated_sharpe.trials, 8);
  const metrics = JSON.parse(readFileSync(join(one.out, "metrics.json"), "utf8"));
  assert.ok(
    metrics.diagnostics.bootstrap.sharpe.lower <= metrics.diagnostics.bootstrap.sharpe.upper,
  );
  // The stitched out-of-sample run: its trade log numbers every test window's trades in entry
  // order, and its equity curve carries the daily state.
  const trades = pl.readParquet(join(one.out, "trades.parquet"));
  assert.equal(trades.height, one.result.oosTrades.length);
  assert.equal(
    trades.getColumn("trade_id").get(trades.height - 1),
    `T${String(trades.height).padStart(6, "0")}`,
  );
  assert.equal(metrics.entry_funnel.entries, trades.height);
  const equity = pl.readCSV(join(one.out, "equity_curve.csv"));
  assert.equal(equity.columns.length, 14);
  assert.equal(equity.height, one.result.oosDaily.length);
  const quality = JSON.parse(readFileSync(join(one.out, "data_quality.json"), "utf8"));
  assert.equal(quality.missing_leg_quotes, one.result.oosMissingQuotes);
});

Deno.test("optimize: a worker that throws rejects with a clear error, and nothing is written", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "mahler-wf-fail-")), "run");
  await assert.rejects(
    optimizeWalkForward(store, config, {
      workers: 2,
      workerUrl: new URL("./failing_worker.ts", import.meta.url),
    })
      .then((result) =>
        writeRunFiles(
          out,
          walkForwardFiles(result, config, {
            calendar: store.calendar,
            quality: qualityReport(store),
            inputFiles: [],
            timings: {},
            workers: 2,
          }),
        )
      ),
    /Walk-forward [\w-]+ task \d+ \((period \d+, )?combination \d+\): its worker died twice \(.*simulated failure in task \d+\)$/,
  );
  assert.equal(existsSync(out), false);
});

Deno.test("optimize: a grid that never trades selects nothing, gives flat windows, no PBO, and says which filter stopped it", async () => {
  const never = validateConfig({ ...config, entry: { ...config.entry, min_credit_pct: 0.95 } });
  const result = await optimizeWalkForward(store, never, { workers: 1 });
  assert.equal(result.oosTrades.length, 0);
  assert.equal(result.pbo, null, "flat combinations cannot be ranked");
  assert.equal(result.trials.never_trading, 8);
  assert.deepEqual(result.trials.kept, []);
  assert.ok(result.periods.every((p) => p.chosen === null && p.test_sharpe === null));
  assert.ok(result.periods.every((p) => p.chosenValues === null && p.top.length === 0));
  assert.equal(result.aggregate.no_selection_periods, result.periods.length);
  assert.equal(result.oosFrom, null);
  assert.equal(result.latestConfig, null);
  assert.ok(result.oosDaily.every((e) => e.equity === never.simulation.starting_equity));
  assert.equal(result.oosDaily.length, result.periods.reduce((a, p) => a + p.testDaily.length, 0));
  // No period selected, so no test window ran: the full-data runs explain the grid.
  assert.equal(result.oosFunnel.scans, 0);
  const blocks = gridBlocks(result.fullRuns, never, result.settings);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].filter, "min_credit_pct");
  assert.equal(blocks[0].combinations, 8);
  assert.ok(blocks[0].funnel.width > 0 && blocks[0].funnel.min_credit === 0);
  assert.match(blockingFilter(blocks[0].funnel, paramsFromConfig(never))!, /^min_credit_pct/);
});

Deno.test("optimize: PBO and the DSR count distinct trading combinations; never-trading and identical ones are left out", async () => {
  // min_credit_pct 0.95 never trades; stop-loss values 1 and 1 make identical twins.
  const grid = { short_delta: [0.15, 0.2], min_credit_pct: [0.05, 0.95], stop_loss_pct: [1, 1] };
  const cfg = validateConfig({
    ...config,
    walk_forward: { ...config.walk_forward, grid },
    diagnostics: { ...config.diagnostics, pbo_blocks: 4 },
  });
  const result = await optimizeWalkForward(store, cfg, { workers: 2 });
  assert.equal(result.combinations, 8);
  assert.equal(result.trials.never_trading, 4);
  assert.equal(result.trials.duplicates, 2);
  assert.deepEqual(result.trials.kept, [0, 4]);
  assert.equal(result.pbo?.strategies, 2);
  assert.equal(result.oosDiagnostics.sharpe_inference.trials, 2);
  // The same PBO from the two kept combinations' own backtests over the whole data.
  const matrix: number[] = [];
  const runs = [0, 4].map((c) =>
    simulate(store, paramsFromConfig(applyCombination(cfg, result.settings, c)), {
      ivPct: ivPercentileTable(store, cfg.entry.iv_history_days),
    }).equityValues
  );
  const from = result.trials.from_index;
  for (let d = from; d < store.nDays; d++) {
    for (const values of runs) {
      matrix.push(values[d] / (d > 0 ? values[d - 1] : cfg.simulation.starting_equity) - 1);
    }
  }
  const independent = probabilityOfOverfitting(Float64Array.from(matrix), store.nDays - from, 2, 4);
  assert.equal(result.pbo?.pbo, independent.pbo);
  assert.equal(result.pbo?.pboTiesLow, independent.pboTiesLow);
});
