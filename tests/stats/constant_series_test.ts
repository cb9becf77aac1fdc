/**
 * A series that does not vary has no Sharpe ratio, whatever the risk-free rate: a window without
 * a trade has excess returns all equal to −rate/252, whose computed deviation is a rounding
 * residue (about 1e-20), not zero. Every ratio to a deviation (Sharpe, Sortino, PSR, DSR, the
 * rolling Sharpe, the metrics) is null there; a series that does vary keeps its exact ratio.
 * PBO ranks excess returns.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  computeMetrics,
  excessReturns,
  hasDeviation,
  isoToDay,
  moments,
  nyseTradingDays,
  probabilityOfOverfitting,
  returnDiagnostics,
  rollingSharpeFrame,
  sharpeInference,
  sharpeRatio,
  sortinoRatio,
  windowSharpe,
} from "../../lib/mod.ts";
import { pl } from "../../lib/viz/frames.ts";

const RATE = 0.03;

Deno.test("a flat window's excess returns have a residual deviation, which the old test let through", () => {
  // The defect: 126 equal excess returns, a computed deviation of ~1e-19, a Sharpe of -9.9e15.
  const m = moments(excessReturns(new Array(126).fill(0), 252, RATE));
  assert.ok(m.std > 0 && m.std < 1e-18, `std ${m.std}`);
  assert.ok(Math.abs(m.mean / m.std * Math.sqrt(252)) > 1e15);
  assert.equal(hasDeviation(m.mean, m.std), false);
  assert.equal(windowSharpe(new Array(126).fill(100000), 100000, RATE), null);
});

Deno.test("sharpeRatio(), sortinoRatio() and PSR/DSR of any constant series are null at any rate", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      fc.integer({ min: 2, max: 3000 }),
      fc.double({ min: 0, max: 0.2, noNaN: true }),
      (value, n, rate) => {
        const series = new Array(n).fill(value);
        assert.equal(sharpeRatio(series, 252, rate), null);
        assert.equal(sharpeRatio(series, 12, rate), null);
        assert.equal(sortinoRatio(series, 252, rate), null);
        const inference = sharpeInference(excessReturns(series, 252, rate), 50, 0.001);
        assert.equal(inference.psr, null);
        assert.equal(inference.dsr, null);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("a series that varies keeps its Sharpe ratio exactly", () => {
  // Returns in whole basis points, at least two distinct: a real deviation.
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 2, maxLength: 400 })
        .filter((xs) => new Set(xs).size > 1),
      fc.double({ min: 0, max: 0.2, noNaN: true }),
      (bps, rate) => {
        const returns = bps.map((b) => b / 10000);
        const excess = returns.map((r) => r - rate / 252);
        const n = excess.length;
        const mean = excess.reduce((a, b) => a + b, 0) / n;
        const std = Math.sqrt(excess.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        const expected = mean / std * Math.sqrt(252);
        const got = sharpeRatio(returns, 252, rate);
        assert.ok(got !== null);
        assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("a run without a trade at 3%: no Sharpe, Sortino, PSR or rolling Sharpe anywhere", () => {
  const days = Array.from(nyseTradingDays(isoToDay("2023-01-03"), isoToDay("2023-12-29")));
  const daily = days.map((day) => ({ day, equity: 100000, vix: 18 }));
  const m = computeMetrics({ trades: [], daily } as never, {
    startingEquity: 100000,
    riskFreeRate: RATE,
  });
  assert.equal(m.sharpe, null);
  assert.equal(m.sortino, null);
  assert.equal(m.sharpe_daily, null);
  assert.equal(m.sortino_daily, null);
  for (const regime of Object.values(m.by_vix_regime)) {
    const r = regime as unknown as { sharpe: number | null; sortino: number | null };
    assert.equal(r.sharpe, null);
    assert.equal(r.sortino, null);
  }
  const returns = new Array(days.length).fill(0);
  const d = returnDiagnostics(returns, { riskFreeRate: RATE, bootstrap: { resamples: 50 } });
  assert.equal(d.sharpe_inference.psr, null);
  assert.equal(d.sharpe_inference.dsr, null);
  assert.equal(d.bootstrap.sharpe.estimate, null);
  const frame = pl.DataFrame([
    pl.Series("date", days).cast(pl.Date),
    pl.Series("equity", daily.map((e) => e.equity)),
  ]);
  const rolling = rollingSharpeFrame(frame, { startingEquity: 100000, riskFreeRate: RATE });
  for (const column of ["sharpe_6m", "sharpe_12m"]) {
    assert.ok(rolling.getColumn(column).toArray().every((x) => x === null), column);
  }
});

/**
 * PBO by CSCV written out plainly: two-pass Sharpe ratios of the excess returns, mid-rank ties;
 * null when two columns' Sharpe ratios nearly tie (the two computations could order them apart).
 */
function referencePbo(r: number[][], blocks: number, rate: number): number | null {
  const t = r.length, n = r[0].length;
  const blockOf = (row: number) => Math.min(blocks - 1, Math.floor(row * blocks / t));
  const sharpe = (rows: number[], j: number) => {
    const x = rows.map((row) => r[row][j] - rate / 252);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
    return mean / std;
  };
  let overfit = 0, splits = 0, nearTie = false;
  const close = (xs: number[]) =>
    xs.some((a, i) => xs.some((b, j) => i !== j && Math.abs(a - b) < 1e-9 * Math.abs(a)));
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === blocks / 2) {
      const inSample = Array.from({ length: t }, (_, row) => row)
        .filter((row) => picked.includes(blockOf(row)));
      const outSample = Array.from({ length: t }, (_, row) => row)
        .filter((row) => !picked.includes(blockOf(row)));
      const is = Array.from({ length: n }, (_, j) => sharpe(inSample, j));
      const best = is.indexOf(Math.max(...is));
      const os = Array.from({ length: n }, (_, j) => sharpe(outSample, j));
      if (close(is) || close(os)) nearTie = true;
      const below = os.filter((v) => v < os[best]).length;
      const equal = os.filter((v, j) => v === os[best] && j !== best).length;
      const omega = (below + 1 + equal / 2) / (n + 1);
      if (Math.log(omega / (1 - omega)) <= 0) overfit++;
      splits++;
      return;
    }
    for (let b = start; b < blocks; b++) choose(b + 1, [...picked, b]);
  };
  choose(0, []);
  return nearTie ? null : overfit / splits;
}

Deno.test("PBO ranks the Sharpe ratios of excess returns, as a plain CSCV of them does", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: -200, max: 260 }), { minLength: 5, maxLength: 5 }), {
        minLength: 24,
        maxLength: 48,
      }),
      fc.constantFrom(0, 0.03, 0.1),
      (bps, rate) => {
        const r = bps.map((row) => row.map((b, j) => (b + 7 * j) / 10000));
        const t = r.length, n = 5;
        const flat = Float64Array.from(r.flat());
        const pbo = probabilityOfOverfitting(flat, t, n, 4, { riskFreeRate: rate });
        const reference = referencePbo(r, 4, rate);
        if (reference === null) return;
        assert.equal(pbo.tiedSplits, 0);
        assert.equal(pbo.pbo, reference);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("PBO at a positive rate: a trial idle in a half ranks last there, with no rounding residue", () => {
  // Column 0 never trades in the second half (returns exactly 0); columns 1 and 2 always vary.
  const t = 8;
  const rows = Array.from({ length: t }, (_, d) => {
    const sign = d % 2 ? -1 : 1;
    return [d < 4 ? 0.003 + sign * 0.001 : 0, 0.0002 + sign * 0.001, -0.0001 + sign * 0.001];
  });
  const r = Float64Array.from(rows.flat());
  const at0 = probabilityOfOverfitting(r, t, 3, 2);
  const at3 = probabilityOfOverfitting(r, t, 3, 2, { riskFreeRate: RATE });
  // Split 1 (first half in sample): column 0 wins (per-day Sharpe 2.6), then is idle out of
  // sample. At 0 its Sharpe there is 0, between column 1 (0.17) and column 2 (−0.09): rank 2 of
  // 3, λ = 0, overfit. At 3% its mean excess return is −0.03/252 with no deviation: −∞, rank 1.
  // Split 2: column 0 is idle in sample (0 at rate 0, −∞ at 3%), column 1 wins (0.17; 0.07 at
  // 3%) and ranks 2 of 3 out of sample, below column 0: λ = 0 both ways.
  assert.deepEqual(at0.logits.map((x) => Math.sign(x)), [0, 0]);
  assert.equal(at3.logits[0], Math.log((1 / 4) / (3 / 4)));
  assert.equal(at3.pbo, 1);
  assert.equal(at3.tiedSplits, 0);
});
