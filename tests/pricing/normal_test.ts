import assert from "node:assert/strict";
import fc from "fast-check";
import { inverseNormCdf, normCdf, normCdfAbramowitzStegun, normPdf } from "../../lib/mod.ts";
import { erfc, erfcx, erfcxNonNegative } from "../../lib/pricing/erf_cody.ts";
import { readCsvFixture, relErr } from "../helpers/fixtures.ts";

// Φ(x) to 17 digits, evaluated with mpmath at 40 significant digits (ncdf): independent of
// Cody's rational approximations.
const REFERENCE: Array<[number, number]> = [
  [0, 0.5],
  [1, 0.84134474606854295],
  [-1, 0.15865525393145705],
  [-1.959963984540054, 0.025000000000000011],
  [-3, 0.0013498980316300946],
  [-5, 2.8665157187919391e-7],
  [-8, 6.2209605742717841e-16],
  [-10, 7.6198530241605260e-24],
  [-20, 2.7536241186062337e-89],
  [-30, 4.9067139271481871e-198],
  [-37, 5.7255712225245768e-300],
];

Deno.test("normCdf() matches published values to near machine precision, tails included", () => {
  for (const [x, expected] of REFERENCE) {
    assert.ok(relErr(normCdf(x), expected) < 2e-15, `Φ(${x}) = ${normCdf(x)}, want ${expected}`);
  }
});

Deno.test("normCdf() agrees with the Let's Be Rational reference column norm_cdf(z)", () => {
  const rows = readCsvFixture("lets_be_rational_black_iv.csv");
  let worst = 0;
  for (const row of rows) {
    const z = Number(row.z);
    const want = Number(row.norm_cdf);
    worst = Math.max(worst, relErr(normCdf(z), want));
  }
  assert.ok(worst < 1e-14, `worst relative error ${worst}`);
});

Deno.test("normCdf() satisfies Φ(x) + Φ(-x) = 1 and is monotone", () => {
  fc.assert(
    fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
      assert.ok(Math.abs(normCdf(x) + normCdf(-x) - 1) < 4e-16);
      assert.ok(normCdf(x + 1e-3) >= normCdf(x));
    }),
  );
});

Deno.test("normCdf() derivative is the normal density", () => {
  fc.assert(
    fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => {
      const h = 1e-5;
      const fd = (normCdf(x + h) - normCdf(x - h)) / (2 * h);
      assert.ok(Math.abs(fd - normPdf(x)) < 1e-9);
    }),
  );
});

Deno.test("inverseNormCdf() inverts normCdf() across the range", () => {
  fc.assert(
    fc.property(fc.double({ min: -37, max: 2, noNaN: true }), (x) => {
      const back = inverseNormCdf(normCdf(x));
      assert.ok(Math.abs(back - x) <= 1e-13 * Math.max(1, Math.abs(x)), `${x} -> ${back}`);
    }),
  );
  assert.equal(inverseNormCdf(0), -Infinity);
  assert.equal(inverseNormCdf(1), Infinity);
  assert.ok(Number.isNaN(inverseNormCdf(1.5)));
});

Deno.test("erfc() and erfcx() are consistent with each other and with known values", () => {
  assert.ok(relErr(erfc(1), 0.15729920705028513) < 1e-15);
  assert.ok(relErr(erfc(5), 1.5374597944280349e-12) < 1e-14);
  assert.ok(relErr(erfc(-1), 1.8427007929497148) < 1e-15);
  fc.assert(
    fc.property(fc.double({ min: -5, max: 25, noNaN: true }), (x) => {
      assert.ok(relErr(erfcx(x), Math.exp(x * x) * erfc(x)) < 1e-12);
    }),
  );
  // Large argument: erfcx(x) ~ 1/(x√π)·(1 - 1/(2x²) + 3/(4x⁴)).
  const x = 1e4;
  const asym = 1 / (x * Math.sqrt(Math.PI)) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4));
  assert.ok(relErr(erfcx(x), asym) < 1e-15);
});

Deno.test("normCdfAbramowitzStegun() stays within its published 7.5e-8 of normCdf()", () => {
  fc.assert(
    fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (x) => {
      assert.ok(Math.abs(normCdfAbramowitzStegun(x) - normCdf(x)) < 7.5e-8);
    }),
  );
});

Deno.test("erfc() and erfcx() are within 3 ulp of 40-digit values on every branch", () => {
  const ulps = (got: number, want: number) => relErr(got, want) / Number.EPSILON;
  let worstErfc = 0;
  let worstErfcx = 0;
  for (const row of readCsvFixture("mpmath_erf.csv")) {
    const x = Number(row.x);
    const erfcWant = Number(row.erfc);
    // erfc underflows binary64 near x = 26.5; compare only where the value is normal.
    if (erfcWant > 1e-300) worstErfc = Math.max(worstErfc, ulps(erfc(x), erfcWant));
    worstErfcx = Math.max(worstErfcx, ulps(erfcx(x), Number(row.erfcx)));
  }
  assert.ok(worstErfc <= 3, `erfc: worst ${worstErfc} ulp`);
  assert.ok(worstErfcx <= 3, `erfcx: worst ${worstErfcx} ulp`);
});

Deno.test("erfcxNonNegative() is erfcx() on [0, ∞)", () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (x) => {
      assert.equal(erfcxNonNegative(x), erfcx(x));
    }),
  );
});
