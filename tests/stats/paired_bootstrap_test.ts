import assert from "node:assert/strict";
import { pairedSharpeDifference, sharpeRatio, stationaryBootstrap } from "../../lib/mod.ts";

const noise = (seed: number, n = 750) =>
  Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i * 2.3 + seed) * Math.cos(i * 0.7 * seed));

Deno.test("pairedSharpeDifference resamples the same days for both series", () => {
  const a = noise(1).map((x) => x + 0.0004);
  // b = 2a has the same Sharpe ratio on any resample of the same days: every paired
  // difference is 0 (up to rounding), though each series alone varies widely.
  const d = pairedSharpeDifference(a, a.map((x) => 2 * x), { resamples: 400 });
  assert.ok(Math.abs(d.estimate!) < 1e-12);
  assert.ok(Math.abs(d.lower!) < 1e-9 && Math.abs(d.upper!) < 1e-9, `${d.lower} ${d.upper}`);
  const alone = stationaryBootstrap(a, { resamples: 400 }).sharpe;
  assert.ok(alone.upper! - alone.lower! > 0.5, "one series alone is uncertain");
});

Deno.test("pairedSharpeDifference: the estimate, its interval and the share above zero", () => {
  const a = noise(1), b = noise(2);
  const d = pairedSharpeDifference(a, b, { resamples: 500, level: 0.8, seed: 3 });
  assert.equal(d.estimate, sharpeRatio(a, 252)! - sharpeRatio(b, 252)!);
  assert.ok(d.lower! < d.upper! && d.share_above_zero! > 0 && d.share_above_zero! < 1);
  assert.equal(d.level, 0.8);
  // A wider level gives a wider interval, from the same resamples.
  const wide = pairedSharpeDifference(a, b, { resamples: 500, level: 0.95, seed: 3 });
  assert.ok(wide.lower! <= d.lower! && wide.upper! >= d.upper!);
  assert.throws(() => pairedSharpeDifference(a, b.slice(1)), /differ in length: 750 and 749/);
});
