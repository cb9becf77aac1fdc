import assert from "node:assert/strict";
import {
  expectedMaxSharpe,
  moments,
  probabilisticSharpe,
  probabilityOfOverfitting,
  Random,
  sharpeInference,
  stationaryBootstrap,
} from "../../lib/mod.ts";

Deno.test("DSR reproduces Bailey & López de Prado's (2014) numerical example", () => {
  // Annualized SR 2.5 over T = 1250 daily returns, skewness -3, kurtosis 10, N = 100 trials whose
  // annualized Sharpe ratios have variance 0.5 (per day: 0.5/250): E[max SR] = 0.1132 per day,
  // DSR = 0.9004.
  const benchmark = expectedMaxSharpe(100, 0.5 / 250);
  assert.ok(Math.abs(benchmark - 0.1132) < 5e-5, `E[max SR] ${benchmark}`);
  const dsr = probabilisticSharpe(2.5 / Math.sqrt(250), 1250, -3, 10, benchmark);
  assert.ok(Math.abs(dsr - 0.9004) < 5e-4, `DSR ${dsr}`);
});

Deno.test("expectedMaxSharpe() approximates the mean maximum of N standard normals", () => {
  const rng = new Random(3);
  for (const n of [100, 1000]) {
    let total = 0;
    const reps = 2000;
    for (let r = 0; r < reps; r++) {
      let best = -Infinity;
      for (let i = 0; i < n; i++) best = Math.max(best, rng.normal());
      total += best;
    }
    const simulated = total / reps;
    const formula = expectedMaxSharpe(n, 1);
    // The closed form is asymptotic: about 5% high at N = 100, under 1% at N = 1000.
    assert.ok(
      Math.abs(formula - simulated) / simulated < (n === 100 ? 0.07 : 0.015),
      `N=${n}: ${formula} vs ${simulated}`,
    );
  }
});

Deno.test("PSR is calibrated: with the true Sharpe as benchmark it exceeds 0.95 about 5% of the time", () => {
  const rng = new Random(11);
  const trueSr = 0.1;
  const n = 250;
  let exceed = 0;
  const reps = 2000;
  const r = new Float64Array(n);
  for (let k = 0; k < reps; k++) {
    for (let i = 0; i < n; i++) r[i] = trueSr + rng.normal(); // std 1: per-period SR = 0.1
    const m = moments(r);
    if (probabilisticSharpe(m.mean / m.std, n, m.skewness, m.kurtosis, trueSr) > 0.95) exceed++;
  }
  const rate = exceed / reps;
  assert.ok(rate > 0.03 && rate < 0.07, `rate ${rate}`);
});

Deno.test("sharpeInference() with one trial has DSR equal to PSR(0)", () => {
  const rng = new Random(5);
  const r = Array.from({ length: 500 }, () => 0.001 + 0.01 * rng.normal());
  const s = sharpeInference(r, 1, 0);
  assert.equal(s.benchmark, 0);
  assert.equal(s.dsr, s.psr);
  const many = sharpeInference(r, 240, 0.002);
  assert.ok(many.dsr! < s.psr!, "deflation lowers the probability");
});

function matrix(t: number, n: number, fill: (row: number, col: number) => number): Float64Array {
  const m = new Float64Array(t * n);
  for (let i = 0; i < t; i++) for (let j = 0; j < n; j++) m[i * n + j] = fill(i, j);
  return m;
}

Deno.test("PBO: about 0.5 on average for independent noise, near 1 when every variant has the same full-sample performance, near 0 with one real edge", () => {
  const rng = new Random(21);
  const t = 600, n = 40;
  // Independent noise: in- and out-of-sample halves are independent, so the in-sample winner's
  // out-of-sample rank is uniform and PBO averages 0.5 (any single data set scatters around it).
  let sum = 0;
  const datasets = 20;
  for (let k = 0; k < datasets; k++) {
    sum += probabilityOfOverfitting(matrix(t, n, () => 0.01 * rng.normal()), t, n, 8).pbo;
  }
  const mean = sum / datasets;
  assert.ok(mean > 0.35 && mean < 0.65, `mean noise PBO ${mean}`);
  // Pure noise with each column demeaned: every variant earns exactly the same over the full
  // sample, so whatever wins in-sample must lose out-of-sample — the overfit grid. PBO -> 1.
  const demeaned = matrix(t, n, () => 0.01 * rng.normal());
  for (let j = 0; j < n; j++) {
    let m = 0;
    for (let i = 0; i < t; i++) m += demeaned[i * n + j] / t;
    for (let i = 0; i < t; i++) demeaned[i * n + j] -= m;
  }
  const overfit = probabilityOfOverfitting(demeaned, t, n, 8);
  assert.equal(overfit.splits, 70); // C(8, 4)
  assert.ok(overfit.pbo > 0.9, `demeaned PBO ${overfit.pbo}`);
  // One strategy with a real edge wins in and out of sample.
  const edge = probabilityOfOverfitting(
    matrix(t, n, (_i, j) => (j === 7 ? 0.004 : 0) + 0.01 * rng.normal()),
    t,
    n,
    8,
  );
  assert.ok(edge.pbo < 0.05, `edge PBO ${edge.pbo}`);
  assert.ok(edge.logits.every((l) => Number.isFinite(l) && l > -5));
});

Deno.test("stationary bootstrap: 90% Sharpe intervals cover the truth about 90% of the time on i.i.d. data", () => {
  const rng = new Random(99);
  const n = 500;
  const dailyMean = 0.0005, dailyStd = 0.01;
  const trueSharpe = dailyMean / dailyStd * Math.sqrt(252);
  let covered = 0;
  const datasets = 150;
  const r = new Float64Array(n);
  for (let k = 0; k < datasets; k++) {
    for (let i = 0; i < n; i++) r[i] = dailyMean + dailyStd * rng.normal();
    const b = stationaryBootstrap(r, { resamples: 300, meanBlock: 5, level: 0.9, seed: k });
    if (b.sharpe.lower! <= trueSharpe && trueSharpe <= b.sharpe.upper!) covered++;
  }
  const coverage = covered / datasets;
  assert.ok(coverage > 0.82 && coverage < 0.97, `coverage ${coverage}`);
});

Deno.test("stationary bootstrap is deterministic for a seed and orders its bounds", () => {
  const rng = new Random(1);
  const r = Array.from({ length: 300 }, () => 0.0004 + 0.012 * rng.normal());
  const a = stationaryBootstrap(r, { seed: 42, resamples: 200 });
  const b = stationaryBootstrap(r, { seed: 42, resamples: 200 });
  assert.deepEqual(a, b);
  for (const s of [a.sharpe, a.cagr, a.max_drawdown]) assert.ok(s.lower! <= s.upper!);
  assert.ok(a.max_drawdown.upper! <= 0);
});

import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  slippageSweep,
  validateConfig,
} from "../../lib/mod.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

Deno.test("slippageSweep() runs every fraction in order and brackets the break-even", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "mahler-sweep-")), "sample");
  generateSample({ outDir: dir, start: "2019-01-02", end: "2019-09-30", seed: 8 });
  const store = buildChainStore(loadMarketData(dir));
  const base = loadConfig("config/test_config.toml");
  const config = validateConfig({ ...base, entry: { ...base.entry, min_credit_pct: 0.05 } });
  const sweep = slippageSweep(store, config, { fractions: [1, 0, 0.5, 0.25, 0.75] });
  assert.deepEqual(sweep.points.map((p) => p.slippage), [0, 0.25, 0.5, 0.75, 1]);
  assert.ok(sweep.points.every((p) => p.trades > 0));
  // Worse fills cannot help: P&L at the far side is below P&L at mid.
  assert.ok(sweep.points[4].total_pnl < sweep.points[0].total_pnl);
  const pnl = sweep.points.map((p) => p.total_pnl);
  if (sweep.pnl_break_even !== null && pnl[0] > 0) {
    const i = pnl.findIndex((x) => x <= 0);
    const s = sweep.points.map((p) => p.slippage);
    assert.ok(sweep.pnl_break_even > s[i - 1] && sweep.pnl_break_even <= s[i]);
  }
});
