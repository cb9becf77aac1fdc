/**
 * The walk-forward as practitioners run it: windows in months or trading days, rolling or
 * anchored, dropped periods counted; grids over bands and any numeric key; the minimum backtest
 * length; walk-forward efficiency, the guards and the verdict.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyCombination,
  buildChainStore,
  checkGuards,
  combinationCount,
  combinationValues,
  DEFAULT_GUARDS,
  generateSample,
  isoToDay,
  loadConfig,
  loadMarketData,
  maxIndependentTrials,
  minimumBacktestLength,
  nyseTradingDays,
  optimizeWalkForward,
  planPeriods,
  qualityReport,
  trialBudget,
  validateConfig,
  type WalkForwardEfficiency,
  walkForwardFiles,
  walkForwardSettings,
  type WindowSpec,
  writeRunFiles,
} from "../../lib/mod.ts";

const days = (from: string, to: string) =>
  Int32Array.from(nyseTradingDays(isoToDay(from), isoToDay(to)));
const SIX_YEARS = days("2019-01-02", "2024-12-31");
const months = (train: number, validate: number, test: number, roll = 1): WindowSpec => ({
  unit: "months",
  train,
  validate,
  test,
  roll,
  anchored: false,
});

Deno.test("windows: 24/3/3 months rolled monthly over six years, two periods past the end dropped", () => {
  const plan = planPeriods(SIX_YEARS, months(24, 3, 3));
  // Starts at months 0..42 fit (test ends at month 71, December 2024); starts 43 and 44 begin
  // their test within the data but would end in 2025: dropped and counted.
  assert.equal(plan.periods.length, 43);
  assert.equal(plan.pastEnd, 2);
  assert.equal(plan.emptyWindow, 0);
  const p = plan.periods[0];
  assert.deepEqual([p.train.start, p.train.end], ["2019-01-01", "2020-12-31"]);
  assert.deepEqual([p.validate.start, p.validate.end], ["2021-01-01", "2021-03-31"]);
  assert.deepEqual([p.test.start, p.test.end], ["2021-04-01", "2021-06-30"]);
  // The windows hold the calendar's trading days, back to back.
  assert.equal(p.validate.fromIndex, p.train.toIndex + 1);
  assert.equal(p.test.fromIndex, p.validate.toIndex + 1);
  assert.equal(SIX_YEARS[p.test.toIndex], isoToDay("2021-06-30"));
  // Rolled by 3 months: periods start every quarter.
  const quarterly = planPeriods(SIX_YEARS, months(24, 3, 3, 3));
  assert.equal(quarterly.periods.length, 15); // starts 0, 3, ..., 42
  assert.equal(quarterly.periods[1].train.start, "2019-04-01");
});

Deno.test("windows: a test month the data ends inside of is dropped, not truncated", () => {
  // Data to Friday 2024-12-13: December has NYSE sessions after it.
  const short = days("2019-01-02", "2024-12-13");
  const plan = planPeriods(short, months(6, 1, 1));
  assert.equal(plan.periods.length, 64);
  assert.equal(plan.pastEnd, 1);
  assert.equal(plan.periods[63].test.start, "2024-11-01");
  // Data to 2024-12-31, the month's last session: December is complete.
  assert.equal(planPeriods(SIX_YEARS, months(6, 1, 1)).periods.length, 65);
  assert.equal(planPeriods(SIX_YEARS, months(6, 1, 1)).pastEnd, 0);
});

Deno.test("windows: anchored months expand the training window from the first day", () => {
  const plan = planPeriods(SIX_YEARS, { ...months(24, 3, 3), anchored: true });
  const rolling = planPeriods(SIX_YEARS, months(24, 3, 3));
  assert.equal(plan.periods.length, rolling.periods.length);
  for (const [i, p] of plan.periods.entries()) {
    assert.equal(p.train.fromIndex, 0);
    assert.equal(p.train.start, "2019-01-01");
    assert.equal(p.train.toIndex, rolling.periods[i].train.toIndex);
    assert.deepEqual(p.test, rolling.periods[i].test);
  }
});

Deno.test("windows: trading days, rolling and anchored, with the remainder dropped and counted", () => {
  const year = days("2023-01-03", "2023-12-29"); // 250 sessions
  assert.equal(year.length, 250);
  const spec: WindowSpec = {
    unit: "days",
    train: 100,
    validate: 20,
    test: 30,
    roll: 30,
    anchored: false,
  };
  const plan = planPeriods(year, spec);
  // Test windows [120, 150), [150, 180), [180, 210), [210, 240); the next starts at 240 and
  // would need 30 days with 10 left: dropped.
  assert.deepEqual(plan.periods.map((p) => [p.test.fromIndex, p.test.toIndex]), [
    [120, 149],
    [150, 179],
    [180, 209],
    [210, 239],
  ]);
  assert.equal(plan.pastEnd, 1);
  assert.deepEqual(plan.periods.map((p) => p.train.fromIndex), [0, 30, 60, 90]);
  assert.ok(plan.periods.every((p) => p.train.toIndex - p.train.fromIndex + 1 === 100));
  assert.equal(plan.periods[0].test.start, "2023-06-27"); // the 121st session of 2023
  assert.equal(plan.periods[0].test.start, new Date(year[120] * 864e5).toISOString().slice(0, 10));
  const anchored = planPeriods(year, { ...spec, anchored: true });
  assert.deepEqual(anchored.periods.map((p) => [p.train.fromIndex, p.train.toIndex]), [
    [0, 99],
    [0, 129],
    [0, 159],
    [0, 189],
  ]);
  // A span: the same windows counted from the span's first day.
  const span = planPeriods(year, spec, { fromIndex: 50, toIndex: 249 });
  assert.deepEqual(span.periods.map((p) => p.train.fromIndex), [50, 80]); // tests 170-199, 200-229
  assert.equal(span.pastEnd, 1);
});

Deno.test("settings: windows in days, roll defaulting to the test; months and days not mixed", () => {
  const base = loadConfig("config/test_config.toml");
  const wf = (walk_forward: Record<string, unknown>) =>
    walkForwardSettings(validateConfig({ ...base, walk_forward }), "x.toml");
  const d = wf({ train_days: 120, validate_days: 20, test_days: 25, anchored: true });
  assert.deepEqual(d.windows, {
    unit: "days",
    train: 120,
    validate: 20,
    test: 25,
    roll: 25,
    anchored: true,
  });
  assert.ok(Number.isNaN(d.trainMonths));
  const m = wf({ train_months: 24, validate_months: 3, test_months: 3 });
  assert.deepEqual(m.windows, months(24, 3, 3));
  assert.equal(m.trainMonths, 24);
  assert.throws(
    () => wf({ train_months: 6, test_days: 20 }),
    /x\.toml: walk_forward: Give the window lengths in months .* or in days .*, not both/,
  );
  assert.throws(
    () => wf({ train_days: 100, test_days: 20 }),
    /x\.toml: walk_forward\.validate_days: Required key is missing/,
  );
  assert.throws(() => wf({ anchored: "yes" }), /walk_forward\.anchored: Expected boolean/);
});

Deno.test("grid: bands as [min, max] pairs and any numeric key, set or not in the file", () => {
  const base = loadConfig("config/test_config.toml");
  const config = validateConfig({
    ...base,
    walk_forward: {
      grid: {
        short_delta_band: [[0.15, 0.25], [0.2, 0.3]],
        spread_width_range: [[1, 2], [3, 5]],
        iv_percentile_min: [0, 25, 50],
        daily_loss_pct: [0.02, 0.03],
        commission_per_contract: [0.65],
      },
    },
  });
  const s = walkForwardSettings(config);
  assert.equal(combinationCount(s), 2 * 2 * 3 * 2 * 1);
  const last = combinationCount(s) - 1;
  assert.deepEqual(combinationValues(s, last), {
    short_delta_band: [0.2, 0.3],
    spread_width_range: [3, 5],
    iv_percentile_min: 50,
    daily_loss_pct: 0.03,
    commission_per_contract: 0.65,
  });
  const c = applyCombination(config, s, last);
  assert.deepEqual([c.entry.short_delta_min, c.entry.short_delta_max], [0.2, 0.3]);
  assert.deepEqual([c.entry.spread_width_min, c.entry.spread_width_max], [3, 5]);
  assert.equal(c.entry.iv_percentile_min, 50);
  assert.equal(c.risk?.daily_loss_pct, 0.03); // [risk] is absent from the file
  assert.equal(c.simulation.commission_per_contract, 0.65);
  assert.equal(config.risk, undefined, "the base configuration is unchanged");
  const bad = (grid: Record<string, unknown>) => () =>
    walkForwardSettings(validateConfig({ ...base, walk_forward: { grid } }), "x.toml");
  assert.throws(
    bad({ short_delta_band: [[0.3, 0.2]] }),
    /walk_forward\.grid\.short_delta_band: Each value must be \[short_delta_min, short_delta_max\]/,
  );
  assert.throws(bad({ spread_width_range: [5] }), /spread_width_range: Each value must be/);
  assert.throws(bad({ dte_range: [[30.5, 40]] }), /dte_range: Each value must be/);
  assert.throws(bad({ exit_trigger: ["mid", "fill"] }), /exit_trigger: Unknown grid key/);
  assert.throws(bad({ daily_loss_pct: ["2%"] }), /daily_loss_pct: Values must be numbers/);
  // A value out of the key's range is named when the combination is built.
  const over = validateConfig({ ...base, walk_forward: { grid: { daily_loss_pct: [2] } } });
  assert.throws(
    () => applyCombination(over, walkForwardSettings(over), 0),
    /risk\.daily_loss_pct: Number must be less than or equal to 1/,
  );
});

Deno.test("minimum backtest length: the paper's 45 trials in 5 years, and its bound", () => {
  // Bailey, Borwein, López de Prado & Zhu (2014), their example: with 5 years of data, no more
  // than 45 independent configurations (at an in-sample Sharpe of 1); MinBTL < 2·ln N.
  assert.equal(maxIndependentTrials(5), 45);
  assert.ok(minimumBacktestLength(45) <= 5 && minimumBacktestLength(46) > 5);
  for (const n of [2, 10, 100, 1000, 1e6]) {
    assert.ok(minimumBacktestLength(n) < 2 * Math.log(n), `bound at N = ${n}`);
  }
  // E[max_10] = 1.575 (the paper's value): MinBTL(10) = 1.575² years.
  assert.ok(Math.abs(Math.sqrt(minimumBacktestLength(10)) - 1.575) < 5e-4);
  // At an in-sample Sharpe of 2 the same trials need a quarter of the length.
  assert.ok(Math.abs(minimumBacktestLength(45, 2) - minimumBacktestLength(45) / 4) < 1e-12);
  assert.equal(maxIndependentTrials(0), 1);
  const base = loadConfig("config/default.toml");
  const b = trialBudget(walkForwardSettings(validateConfig({
    ...base,
    walk_forward: { ...base.walk_forward, train_months: 24, validate_months: 3, test_months: 3 },
  })));
  assert.deepEqual([b.combinations, b.training_years, b.supported, b.exceeded], [240, 2, 7, true]);
  const inDays = trialBudget(walkForwardSettings(validateConfig({
    ...base,
    walk_forward: { train_days: 1260, validate_days: 63, test_days: 63 },
  })));
  assert.equal(inDays.training_years, 5);
  assert.equal(inDays.supported, 45);
});

Deno.test("guards: inclusive and exclusive as written; an undefined value fails", () => {
  const at = (e: Partial<WalkForwardEfficiency>) =>
    checkGuards({
      wfe: 0.6,
      mean_oos_sharpe: 0.1,
      mean_trades_per_test_window: 25,
      oos_win_rate: 0.6,
      oos_max_drawdown: -0.2,
      ...e,
    } as WalkForwardEfficiency, DEFAULT_GUARDS);
  assert.equal(at({}).verdict, "pass");
  assert.deepEqual(at({ wfe: 0.5 }).failed, ["wfe"]); // WFE > 0.50
  assert.deepEqual(at({ mean_oos_sharpe: 0 }).failed, ["mean_oos_sharpe"]); // > 0
  assert.equal(at({ mean_trades_per_test_window: 20 }).verdict, "pass"); // at least 20
  assert.equal(at({ oos_win_rate: 0.3 }).verdict, "pass"); // >= 30%
  assert.deepEqual(at({ oos_max_drawdown: -0.5 }).failed, ["max_drawdown"]); // < 50%
  assert.deepEqual(at({ wfe: null, oos_win_rate: null }).failed, ["wfe", "win_rate"]);
  const v = at({ mean_trades_per_test_window: 4.3 });
  assert.equal(v.verdict, "reject");
  assert.deepEqual(v.guards.find((g) => g.guard === "trades_per_window"), {
    guard: "trades_per_window",
    value: 4.3,
    rule: ">=",
    threshold: 20,
    passed: false,
  });
});

// A small market for end-to-end runs: 14 months, 2 combinations.
const dataDir = join(mkdtempSync(join(tmpdir(), "mahler-wf-research-")), "sample");
generateSample({ outDir: dataDir, start: "2019-01-02", end: "2020-02-28", seed: 5 });
const store = buildChainStore(loadMarketData(dataDir));
const base = loadConfig("config/test_config.toml");

Deno.test("optimize: WFE per period is test / train Sharpe, and the JSON carries the verdict", async () => {
  const config = validateConfig({
    ...base,
    entry: { ...base.entry, min_credit_pct: 0.05 },
    walk_forward: {
      train_months: 3,
      validate_months: 1,
      test_months: 1,
      top_n: 2,
      grid: { short_delta: [0.15, 0.2] },
      guards: { min_trades_per_window: 1 },
    },
  });
  const result = await optimizeWalkForward(store, config, { workers: 1 });
  const e = result.efficiency;
  assert.equal(e.periods.length, result.periods.length);
  for (const [i, p] of result.periods.entries()) {
    const train = p.chosen?.train_sharpe ?? null;
    const wfe = e.periods[i].wfe;
    if (train !== null && train > 0 && p.test_sharpe !== null) {
      assert.equal(wfe, p.test_sharpe / train);
    } else assert.equal(wfe, null);
  }
  const defined = e.periods.filter((p) => p.wfe !== null).map((p) => p.wfe!);
  assert.equal(
    e.wfe_defined + e.wfe_undefined_no_selection + e.wfe_undefined_train_sharpe +
      e.wfe_undefined_test_sharpe,
    10,
  );
  assert.equal(e.wfe_undefined_no_selection, result.aggregate.no_selection_periods);
  assert.equal(e.wfe_mean, defined.reduce((a, b) => a + b, 0) / defined.length);
  // The guard's WFE: a ratio of means over the periods with a selection, no test Sharpe as 0.
  const selected = result.periods.filter((p) => p.chosen !== null);
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const train = meanOf(selected.map((p) => p.chosen!.train_sharpe!));
  const test = meanOf(selected.map((p) => p.test_sharpe ?? 0));
  assert.equal(e.wfe, train > 0 ? test / train : 0);
  assert.equal(result.verdict.guards.find((g) => g.guard === "wfe")!.value, e.wfe);
  assert.equal(e.mean_trades_per_test_window, result.oosTrades.length / result.periods.length);
  assert.equal(result.settings.guards.minTradesPerWindow, 1);
  const out = join(mkdtempSync(join(tmpdir(), "mahler-wf-research-out-")), "run");
  writeRunFiles(
    out,
    walkForwardFiles(result, config, {
      calendar: store.calendar,
      quality: qualityReport(store),
      inputFiles: [],
      timings: {},
      workers: 1,
    }),
  );
  const json = JSON.parse(readFileSync(join(out, "walk_forward.json"), "utf8"));
  assert.deepEqual(json.verdict, JSON.parse(JSON.stringify(result.verdict)));
  assert.deepEqual(
    json.periods.map((p: { wfe: number | null }) => p.wfe),
    e.periods.map((p) => p.wfe),
  );
  assert.equal(json.aggregate.wfe.value, json.verdict.guards[0].value);
  assert.equal(json.aggregate.wfe.rule, "ratio_of_means_no_test_sharpe_as_zero");
  assert.equal(json.aggregate.wfe.per_period.mean, e.wfe_mean);
  assert.equal(json.aggregate.wfe.per_period.median, e.wfe_median);
  assert.equal(json.aggregate.wfe.per_period.iqr, e.wfe_iqr);
  assert.equal(json.settings.min_train_trades, 0);
  assert.deepEqual(json.aggregate.pbo_min_train_trades.combinations, json.aggregate.trials.kept);
  assert.equal(json.aggregate.oos_win_rate, e.oos_win_rate);
  assert.equal(json.aggregate.oos_max_drawdown, e.oos_max_drawdown);
  assert.deepEqual(json.aggregate.dropped_periods, { past_end: 0, empty_window: 0 });
  assert.equal(json.settings.guards.min_trades_per_window, 1);
  assert.equal(json.settings.trial_budget.supported, maxIndependentTrials(0.25));
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.ok("by_market_regime" in metrics);
});

Deno.test("optimize: anchored windows in trading days over a --from/--to span", async () => {
  const config = validateConfig({
    ...base,
    walk_forward: {
      train_days: 60,
      validate_days: 20,
      test_days: 20,
      anchored: true,
      top_n: 1,
      grid: { profit_target_pct: [0.5, 0.75] },
    },
  });
  const from = "2019-03-01";
  const to = "2019-12-31";
  const result = await optimizeWalkForward(store, config, { workers: 1, from, to });
  const first = store.calendar.findIndex((d) => d >= isoToDay(from));
  let last = store.calendar.length - 1;
  while (store.calendar[last] > isoToDay(to)) last--;
  assert.deepEqual(result.span, { fromIndex: first, toIndex: last });
  const n = last - first + 1;
  // Periods: test windows [first + 80 + 20k, first + 100 + 20k) within the span.
  assert.equal(result.periods.length, Math.floor((n - 80) / 20));
  assert.equal(result.dropped.past_end, (n - 80) % 20 ? 1 : 0);
  for (const [k, p] of result.periods.entries()) {
    assert.equal(p.period.train.fromIndex, first);
    assert.equal(p.period.train.toIndex, first + 59 + 20 * k);
    assert.equal(p.period.test.fromIndex, first + 80 + 20 * k);
  }
  // The stitched run covers the test windows only, within the span.
  assert.equal(result.oosDaily.length, 20 * result.periods.length);
  assert.ok(result.oosDaily.every((e) => e.day >= isoToDay(from) && e.day <= isoToDay(to)));
});
