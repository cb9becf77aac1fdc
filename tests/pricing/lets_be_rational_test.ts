import assert from "node:assert/strict";
import fc from "fast-check";
import {
  blackImpliedVolatility,
  blackPrice,
  bsGreeks,
  bsPrice,
  bsPriceArray,
  impliedVol,
  impliedVolArray,
  type OptionType,
  TYPE_CALL,
  TYPE_PUT,
} from "../../lib/mod.ts";
import { normalisedImpliedVolatility } from "../../lib/pricing/lets_be_rational.ts";
import {
  lastVega,
  normalisedBlack,
  normalisedVega,
  otmCallAndVega,
} from "../../lib/pricing/normalised_black.ts";
import { DBL_MIN } from "../../lib/pricing/constants.ts";
import { readCsvFixture, relErr } from "../helpers/fixtures.ts";

const LBR = readCsvFixture("lets_be_rational_black_iv.csv").map((row) => ({
  F: Number(row.F),
  K: Number(row.K),
  sigma: Number(row.sigma),
  T: Number(row.T),
  theta: Number(row.q),
  x: Number(row.x),
  s: Number(row.s),
  black: Number(row.black),
  iv: Number(row.implied_volatility_from_a_transformed_rational_guess),
  normalisedBlack: Number(row.normalised_black),
  normalisedVega: Number(row.normalised_vega),
}));

Deno.test("otmCallAndVega() is as accurate as its inputs allow in all four regions (40-digit values)", () => {
  // b(x, s) carries the factor e^{-(h²+t²)/2}, h = x/s, t = s/2, whose exponent alone loses
  // about (h² + t²)/2 ulp when x/s is rounded: the bound scales with it. Both the value and the
  // vega left in lastVega are checked; b_max is passed as the solver passes it.
  let worstB = 0;
  let worstV = 0;
  const regions = new Set<string>();
  for (const row of readCsvFixture("mpmath_normalised_black.csv")) {
    const x = Number(row.x);
    const s = Number(row.s);
    const h = x / s;
    const t = s / 2;
    const scale = (1 + h * h + t * t) * Number.EPSILON;
    const b = otmCallAndVega(x, s, Math.exp(0.5 * x));
    worstB = Math.max(worstB, relErr(b, Number(row.b)) / scale);
    if (Number(row.vega) > 1e-300) {
      worstV = Math.max(worstV, relErr(lastVega[0], Number(row.vega)) / scale);
    }
    regions.add(
      x < -10 * s && 0.5 * s * s + x < s * (0.21 - 10)
        ? "asymptotic"
        : t < 0.21
        ? "small t"
        : h + t > 0
        ? "b_max form"
        : "erfcx",
    );
  }
  assert.equal(regions.size, 4, `regions covered: ${[...regions]}`);
  assert.ok(worstB <= 6, `b: worst ${worstB} x (1 + h² + t²) ulp`);
  assert.ok(worstV <= 2, `vega: worst ${worstV} x (1 + h² + t²) ulp`);
});

Deno.test("normalisedBlack() and normalisedVega() match Jaeckel's reference code", () => {
  let worstB = 0;
  let worstV = 0;
  for (const c of LBR) {
    if (c.T === 0 || c.normalisedBlack === 0) continue;
    worstB = Math.max(worstB, relErr(normalisedBlack(c.x, c.s, c.theta), c.normalisedBlack));
    if (c.normalisedVega > 1e-300) {
      worstV = Math.max(worstV, relErr(normalisedVega(c.x, c.s), c.normalisedVega));
    }
  }
  assert.ok(worstB < 1e-13, `normalised Black worst relative error ${worstB}`);
  assert.ok(worstV < 1e-13, `normalised vega worst relative error ${worstV}`);
});

Deno.test("blackPrice() matches Jaeckel's reference Black prices", () => {
  let worst = 0;
  for (const c of LBR) {
    if (c.T === 0) continue;
    worst = Math.max(worst, relErr(blackPrice(c.F, c.K, c.sigma, c.T, c.theta), c.black));
  }
  assert.ok(worst < 1e-13, `worst ${worst}`);
});

Deno.test("blackImpliedVolatility() recovers Jaeckel's reference volatilities", () => {
  let checked = 0;
  let worst = 0;
  for (const c of LBR) {
    if (c.T === 0) continue;
    const intrinsic = Math.max(c.theta * (c.F - c.K), 0);
    // About 24 rows are so deep in the money that price == intrinsic in binary64: the volatility
    // is not recoverable from the price, so they only need to come back as 0, never NaN.
    const iv = blackImpliedVolatility(c.black, c.F, c.K, c.T, c.theta);
    if (c.black - intrinsic <= 1e-12 * c.black) {
      assert.ok(iv >= 0, `recoverable-or-zero: ${JSON.stringify(c)} -> ${iv}`);
      continue;
    }
    const err = relErr(iv, c.sigma);
    // Rounding the price by half an ulp moves σ by κ·ε/2 with κ = P/(σ·∂P/∂σ).
    // (The fixture's x and s columns are separate inputs for the normalised functions.)
    const x = Math.log(c.F / c.K);
    const vega = Math.sqrt(c.F * c.K) * normalisedVega(x, c.sigma * Math.sqrt(c.T)) *
      Math.sqrt(c.T);
    const kappa = c.black / (c.sigma * vega);
    assert.ok(err <= 4e-16 * (1 + kappa) + 1e-15, `${JSON.stringify(c)}: ${iv} (κ = ${kappa})`);
    worst = Math.max(worst, err / (1 + kappa));
    checked++;
  }
  assert.ok(checked > 900, `checked ${checked}`);
  assert.ok(worst < 2e-15, `worst ${worst}`);
});

/**
 * The precision region. The relative error of σ recovered from a price rounded to binary64 is at
 * least κ·ε with κ = P/(σ·∂P/∂σ), the price's condition number with respect to volatility: where
 * the price is mostly intrinsic value, or so far out of the money that it barely responds to σ,
 * the price does not carry σ to 12 digits. We require 1e-12 wherever κ <= 1e3.
 */
const KAPPA_LIMIT = 1e3;

function conditionNumber(
  type: OptionType,
  price: number,
  S: number,
  K: number,
  T: number,
  r: number,
  sigma: number,
  q: number,
) {
  const vegaPerUnit = bsGreeks(type, S, K, T, r, sigma, q).vega * 100;
  return price / (sigma * vegaPerUnit);
}

Deno.test("impliedVol() round trip on a dense grid: |Δσ|/σ <= 1e-12 wherever κ <= 1e3", () => {
  let worst = 0;
  let inRegion = 0;
  const T_DAYS = [1, 2, 3, 7, 14, 30, 45, 60, 91, 182, 365, 730, 1095];
  const VOLS = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3];
  for (const days of T_DAYS) {
    const T = days / 365;
    for (const sigma of VOLS) {
      const sd = sigma * Math.sqrt(T);
      // ln(F/K) from -6 to +6 standard deviations: well beyond 3σ√T on both sides.
      for (let z = -6; z <= 6; z += 0.125) {
        const S = 100;
        const r = 0.03;
        const q = 0.01;
        const K = S * Math.exp((r - q) * T) * Math.exp(-z * sd);
        for (const type of ["call", "put"] as const) {
          const price = bsPrice(type, S, K, T, r, sigma, q);
          const kappa = conditionNumber(type, price, S, K, T, r, sigma, q);
          const iv = impliedVol(type, price, S, K, T, r, q);
          if (kappa <= KAPPA_LIMIT) {
            const err = Math.abs(iv - sigma) / sigma;
            assert.ok(err <= 1e-12, `${type} T=${days}d σ=${sigma} z=${z}: ${iv} (κ=${kappa})`);
            worst = Math.max(worst, err);
            inRegion++;
          } else {
            // Outside the region the price no longer pins σ down, but it is a valid price.
            assert.ok(iv >= 0, `${type} T=${days}d σ=${sigma} z=${z}: ${iv}, not a volatility`);
          }
        }
      }
    }
  }
  assert.ok(inRegion > 20000, `cases in region: ${inRegion}`);
  assert.ok(worst <= 1e-12);
});

Deno.test("impliedVol() property: random options in the precision region round-trip to 1e-12", () => {
  fc.assert(
    fc.property(
      fc.record({
        type: fc.constantFrom<OptionType>("call", "put"),
        S: fc.double({ min: 1, max: 5000, noNaN: true }),
        z: fc.double({ min: -8, max: 8, noNaN: true }),
        days: fc.integer({ min: 1, max: 1095 }),
        sigma: fc.double({ min: 0.01, max: 3, noNaN: true }),
        r: fc.double({ min: -0.01, max: 0.08, noNaN: true }),
        q: fc.double({ min: 0, max: 0.04, noNaN: true }),
      }),
      ({ type, S, z, days, sigma, r, q }) => {
        const T = days / 365;
        const K = S * Math.exp((r - q) * T - z * sigma * Math.sqrt(T));
        const price = bsPrice(type, S, K, T, r, sigma, q);
        fc.pre(conditionNumber(type, price, S, K, T, r, sigma, q) <= KAPPA_LIMIT);
        const iv = impliedVol(type, price, S, K, T, r, q);
        assert.ok(Math.abs(iv - sigma) / sigma <= 1e-12, `${iv} vs ${sigma}`);
      },
    ),
    { numRuns: 5000 },
  );
});

Deno.test("impliedVol() returns NaN outside the no-arbitrage bounds and never throws", () => {
  const S = 100, K = 90, T = 0.25, r = 0.02;
  const intrinsicCall = S - K * Math.exp(-r * T);
  assert.ok(Number.isNaN(impliedVol("call", intrinsicCall - 0.01, S, K, T, r)));
  assert.ok(Number.isNaN(impliedVol("call", S, S, K, T, r)), "at the upper bound S");
  assert.ok(Number.isNaN(impliedVol("put", K, S, K, T, r)), "a put worth K·e^{-rT} or more");
  assert.ok(Number.isNaN(impliedVol("put", -1, S, K, T, r)));
  assert.ok(Number.isNaN(impliedVol("put", NaN, S, K, T, r)));
  assert.ok(Number.isNaN(impliedVol("put", 1, S, K, 0, r)), "T = 0");
  assert.equal(impliedVol("put", 0, S, K, T, r), 0, "a worthless OTM put has zero volatility");
  // At the discounted intrinsic value σ is not identifiable (every small σ prices to intrinsic
  // within rounding); whatever comes back must reprice to it.
  const ivAtIntrinsic = impliedVol("call", intrinsicCall, S, K, T, r);
  assert.ok(ivAtIntrinsic >= 0);
  assert.ok(Math.abs(bsPrice("call", S, K, T, r, ivAtIntrinsic) - intrinsicCall) < 1e-12);
});

Deno.test("normalisedImpliedVolatility() converges in two iterations as well as in ten", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -5, max: 5, noNaN: true }),
      fc.double({ min: 0.001, max: 5, noNaN: true }),
      fc.constantFrom(1, -1),
      (x, s, theta) => {
        const beta = normalisedBlack(x, s, theta);
        const two = normalisedImpliedVolatility(beta, x, theta, 2);
        const ten = normalisedImpliedVolatility(beta, x, theta, 10);
        // A subnormal β (below DBL_MIN, e.g. 1e-323 at x = -3.3, s = 0.086) carries a few bits
        // at most: no volatility is identifiable from it, in two iterations or in ten.
        fc.pre(beta >= DBL_MIN && Number.isFinite(two));
        assert.ok(Math.abs(two - ten) <= 4e-15 * ten + 1e-300);
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("impliedVolArray() agrees with impliedVol() element by element", () => {
  const n = 500;
  const types = new Uint8Array(n);
  const spots = new Float64Array(n);
  const strikes = new Float64Array(n);
  const years = new Float64Array(n);
  const prices = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    types[i] = i % 2;
    spots[i] = 50 + i;
    strikes[i] = spots[i] * (0.7 + 0.6 * ((i * 37) % 100) / 100);
    years[i] = (1 + (i % 90)) / 365;
    const type = types[i] ? "put" : "call";
    prices[i] = bsPrice(type, spots[i], strikes[i], years[i], 0.01, 0.1 + (i % 7) * 0.1);
  }
  const out = impliedVolArray({ types, spots, strikes, years }, prices, { rate: 0.01 });
  for (let i = 0; i < n; i++) {
    const want = impliedVol(
      types[i] ? "put" : "call",
      prices[i],
      spots[i],
      strikes[i],
      years[i],
      0.01,
    );
    assert.ok(Object.is(out[i], want) || Math.abs(out[i] - want) === 0, `row ${i}`);
  }
});

Deno.test("impliedVolArray() on two threads gives every option the value one thread gives", () => {
  // Large enough to be split with the helper thread; mixed as the pricing bench's options.
  const n = 100_003;
  const types = new Uint8Array(n);
  const spots = new Float64Array(n);
  const strikes = new Float64Array(n);
  const years = new Float64Array(n);
  const vols = new Float64Array(n);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    types[i] = rand() < 0.5 ? TYPE_CALL : TYPE_PUT;
    spots[i] = 50 + 450 * rand();
    strikes[i] = spots[i] * (0.6 + 0.8 * rand());
    years[i] = (1 + Math.floor(730 * rand())) / 365;
    vols[i] = 0.05 + 1.45 * rand();
  }
  const options = { types, spots, strikes, years };
  const prices = bsPriceArray(options, vols, { rate: 0.02, dividendYield: 0.01 });
  prices[17] = NaN; // no IV
  years[99_999] = 0; // no time
  for (const dividendYield of [0, 0.01]) {
    const one = impliedVolArray(options, prices, { rate: 0.02, dividendYield, threads: 1 });
    const two = impliedVolArray(options, prices, { rate: 0.02, dividendYield, threads: 2 });
    for (let i = 0; i < n; i++) {
      if (!Object.is(one[i], two[i])) assert.fail(`option ${i}: ${one[i]} vs ${two[i]}`);
    }
    assert.ok(Number.isNaN(two[17]) && Number.isNaN(two[99_999]));
  }
});

Deno.test("normalisedImpliedVolatility() is exact to κ·ε across the segments, at and beyond the ends of the boundary table", () => {
  // The boundaries b_l, b_u come from a table over w = √|x| on [0.02, 4] and from b itself
  // outside it; either way only the initial guess depends on them. Each segment (s below s_l,
  // between s_l and s_c, s_c and s_u, above s_u) is reached by s relative to s_c = √(2|x|).
  let worst = 0;
  let checked = 0;
  for (const w of [0, 1e-3, 0.0199, 0.02, 0.0201, 0.3, 1, 3.9999, 4, 4.0001, 5, 8]) {
    const x = -w * w;
    const sC = Math.sqrt(2 * w * w);
    for (const m of [0.05, 0.3, 0.7, 0.9, 1, 1.1, 1.5, 2.5, 4]) {
      for (const sBase of sC > 0 ? [sC] : [0.01, 0.1, 1]) {
        const s = sBase * m;
        const b = otmCallAndVega(x, s);
        const vega = lastVega[0];
        const kappa = b / (s * vega);
        if (!(b > DBL_MIN) || kappa > 1e3) continue;
        const iv = normalisedImpliedVolatility(b, x, 1);
        const err = Math.abs(iv - s) / s;
        assert.ok(err <= 4e-16 * (1 + kappa) + 1e-15, `x=${x} s=${s}: ${iv} (κ = ${kappa})`);
        worst = Math.max(worst, err / (1 + kappa));
        checked++;
      }
    }
  }
  assert.ok(checked > 80, `checked ${checked}`);
  assert.ok(worst < 2e-15, `worst ${worst}`);
});
