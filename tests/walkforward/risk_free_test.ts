/**
 * The walk-forward at a risk-free rate of 3% on the sample's warm-up periods: a window without a
 * trade has no Sharpe ratio (not −1e16 from a rounding residue), so the periods whose training
 * windows fall in the IV-percentile warm-up record no selection, as they do at 0%; no window
 * Sharpe is beyond ±100 and walk_forward.json holds no figure beyond 1e6 in magnitude. PBO is
 * also given over the trials with at least `min_train_trades` trades.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
  qualityReport,
  type StrategyConfig,
  validateConfig,
  walkForwardFiles,
  type WalkForwardResult,
  writeRunFiles,
} from "../../lib/mod.ts";

// The sample market's first two years (seed 42, as `deno task sample`): its IV percentile needs
// 252 trading days of history, so nothing can enter before the last days of 2019 and the 6-month
// training windows of periods 0-6 (January-June to July-December 2019) cannot trade.
const dataDir = join(mkdtempSync(join(tmpdir(), "mahler-wf-rf-")), "sample");
generateSample({ outDir: dataDir, start: "2019-01-02", end: "2020-12-31", seed: 42 });
const store = buildChainStore(loadMarketData(dataDir));
const sample = loadConfig("config/sample.toml");

/** config/sample.toml at a risk-free rate, with a 3 × 2 grid. */
function configAt(rate: number, minTrainTrades = 0): StrategyConfig {
  return validateConfig({
    ...sample,
    simulation: { ...sample.simulation, risk_free_rate: rate },
    walk_forward: {
      ...sample.walk_forward,
      top_n: 2,
      min_train_trades: minTrainTrades,
      grid: { short_delta: [0.12, 0.15, 0.18], profit_target_pct: [0.5, 0.75] },
    },
    diagnostics: { ...sample.diagnostics, pbo_blocks: 4 },
  });
}

/** Every number in a JSON value, with its path. */
function numbersOf(value: unknown, path = ""): Array<[string, number]> {
  if (typeof value === "number") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersOf(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => numbersOf(v, `${path}.${k}`));
  }
  return [];
}

/** Every window Sharpe ratio of a walk-forward: train, validation and test. */
function windowSharpes(result: WalkForwardResult): number[] {
  return [
    ...result.trainSharpe,
    ...result.validateSharpe,
    ...result.periods.map((p) => p.test_sharpe ?? NaN),
  ].filter((x) => !Number.isNaN(x));
}

const atZero = await optimizeWalkForward(store, configAt(0), { workers: 1 });
const atThree = await optimizeWalkForward(store, configAt(0.03), { workers: 1 });

Deno.test("at 3%, the warm-up periods record no selection, as at 0%", () => {
  const noSelection = (r: WalkForwardResult) =>
    r.periods.flatMap((p) => (p.chosen === null ? [p.period.index] : []));
  assert.deepEqual(noSelection(atZero), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(noSelection(atThree), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(atThree.aggregate.no_selection_periods, 7);
  // They are the periods whose training window ends by the first day any combination can enter.
  const warmUp = atThree.periods.filter((p) => p.period.train.toIndex <= atThree.trials.from_index);
  assert.deepEqual(warmUp.map((p) => p.period.index), [0, 1, 2, 3, 4, 5, 6]);
  for (const p of atThree.periods.slice(0, 7)) {
    assert.equal(p.test_sharpe, null);
    assert.equal(p.test_trade_count, 0);
    assert.ok(p.top.length === 0);
  }
  // Later periods trade, and choose among the combinations that traded in training.
  assert.ok(atThree.periods.slice(7).some((p) => p.chosen !== null && p.test_trade_count > 0));
  // A training window without a trade has no Sharpe at either rate.
  for (let i = 0; i < atThree.trainSharpe.length; i++) {
    assert.equal(
      Number.isNaN(atThree.trainSharpe[i]),
      atThree.trainTrades[i] === 0,
      `train window ${i}`,
    );
  }
});

Deno.test("at 3%, no window Sharpe is beyond ±100 and the aggregates are ordinary numbers", () => {
  const sharpes = windowSharpes(atThree);
  assert.ok(sharpes.length > 20);
  const worst = Math.max(...sharpes.map(Math.abs));
  assert.ok(worst <= 100, `a window Sharpe of ${worst}`);
  const a = atThree.aggregate;
  assert.ok(Math.abs(a.mean_oos_sharpe!) <= 100);
  assert.ok(a.alpha_decay.slope === null || Math.abs(a.alpha_decay.slope) <= 100);
  assert.ok(atThree.efficiency.wfe !== null && Math.abs(atThree.efficiency.wfe) <= 100);
  // The rate lowers every window's Sharpe ratio (excess returns), never raises it.
  for (let i = 0; i < atZero.trainSharpe.length; i++) {
    if (!Number.isNaN(atZero.trainSharpe[i])) {
      assert.ok(atThree.trainSharpe[i] < atZero.trainSharpe[i], `train window ${i}`);
    }
  }
});

Deno.test("at 3%, walk_forward.json holds no figure beyond 1e6 in magnitude", () => {
  const config = configAt(0.03);
  const out = join(mkdtempSync(join(tmpdir(), "mahler-wf-rf-out-")), "run");
  writeRunFiles(
    out,
    walkForwardFiles(atThree, config, {
      calendar: store.calendar,
      quality: qualityReport(store),
      inputFiles: [],
      timings: {},
      workers: 1,
    }),
  );
  const json = JSON.parse(readFileSync(join(out, "walk_forward.json"), "utf8"));
  const numbers = numbersOf(json);
  assert.ok(numbers.length > 300, `${numbers.length} numbers`);
  const beyond = numbers.filter(([, x]) => !(Math.abs(x) <= 1e6));
  assert.deepEqual(beyond, []);
  // The guard's WFE, its rule and the per-period figures are there.
  assert.equal(json.aggregate.wfe.value, json.verdict.guards[0].value);
  assert.equal(json.aggregate.wfe.rule, "ratio_of_means_no_test_sharpe_as_zero");
  assert.deepEqual(json.periods.slice(0, 7).map((p: { chosen: unknown }) => p.chosen), [
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]);
});

Deno.test("PBO is also given over the trials with at least min_train_trades trades", async () => {
  const all = atThree;
  assert.ok(all.pbo !== null);
  assert.deepEqual(all.pboMinTrades.combinations, all.trials.kept);
  assert.equal(all.pboMinTrades.pbo?.pbo, all.pbo.pbo);
  const counts = all.trials.kept.map((c) => all.fullRuns.trades[c]).sort((a, b) => a - b);
  // A threshold between the fewest and the most trades leaves some trials out.
  const threshold = counts[Math.floor(counts.length / 2)];
  assert.ok(counts[0] < threshold);
  const some = await optimizeWalkForward(store, configAt(0.03, threshold), { workers: 1 });
  assert.equal(some.pbo?.pbo, all.pbo.pbo); // the full figure is unchanged
  assert.equal(some.pboMinTrades.min_train_trades, threshold);
  const kept = all.trials.kept.filter((c) => all.fullRuns.trades[c] >= threshold);
  assert.deepEqual(some.pboMinTrades.combinations, kept);
  assert.equal(some.pboMinTrades.pbo?.strategies ?? kept.length, kept.length);
});
