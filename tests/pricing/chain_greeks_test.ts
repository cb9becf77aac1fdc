import assert from "node:assert/strict";
import fc from "fast-check";
import { bsGreeks, bsPrice, chainGreeks, impliedVol, type OptionType } from "../../lib/mod.ts";
import { readCsvFixture, relErr } from "../helpers/fixtures.ts";

function outputs(n: number) {
  return {
    iv: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    theta: new Float64Array(n),
    vega: new Float64Array(n),
    rho: new Float64Array(n),
  };
}

Deno.test("chainGreeks() recovers 40-digit Black-Scholes-Merton greeks from the prices", () => {
  // mpmath reference (tests/fixtures/mpmath_bs_reference.csv): price and greeks at 40 digits.
  // Rows whose price does not pin σ down in double precision (condition number above 1000, the
  // implied-volatility precision region) are skipped.
  const rows = readCsvFixture("mpmath_bs_reference.csv").filter((r) => {
    const kappa = Number(r.price) / (Number(r.sigma) * Number(r.vega) * 100);
    return Number(r.T) > 0 && Number(r.price) > 0 && kappa <= 1000 && Number(r.vega) > 0;
  });
  assert.ok(rows.length > 100, `${rows.length} rows`);
  // One call per (r, q) pair: rate and yield are per-call options.
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = `${r.r}/${r.q}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  let compared = 0;
  for (const [key, index] of groups) {
    const [rate, q] = key.split("/").map(Number);
    const m = index.length;
    const o = outputs(m);
    const missed = chainGreeks(
      {
        types: Uint8Array.from(index, (i) => (rows[i].type === "put" ? 1 : 0)),
        spots: Float64Array.from(index, (i) => Number(rows[i].S)),
        strikes: Float64Array.from(index, (i) => Number(rows[i].K)),
        years: Float64Array.from(index, (i) => Number(rows[i].T)),
      },
      Float64Array.from(index, (i) => Number(rows[i].price)),
      o,
      { rate, dividendYield: q },
    );
    assert.equal(missed, 0);
    index.forEach((i, k) => {
      const r = rows[i];
      const kappa = Number(r.price) / (Number(r.sigma) * Number(r.vega) * 100);
      // The price carries ~1e-16 relative error, σ then κ·1e-16; greeks follow σ.
      const tol = Math.max(1e-12, kappa * 4e-16) * 50;
      assert.ok(relErr(o.iv[k], Number(r.sigma)) < tol, `iv ${JSON.stringify(r)}: ${o.iv[k]}`);
      for (const g of ["delta", "gamma", "theta", "vega", "rho"] as const) {
        const want = Number(r[g]);
        const got = o[g][k];
        assert.ok(
          Math.abs(got - want) <= tol * Math.max(Math.abs(want), 1e-300) + 1e-14,
          `${g} ${JSON.stringify(r)}: ${got} vs ${want}`,
        );
      }
      compared++;
    });
  }
  assert.equal(compared, rows.length);
});

Deno.test("chainGreeks() is bsGreeks at impliedVol, row by row, bit for bit", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          put: fc.boolean(),
          S: fc.double({ min: 20, max: 500, noNaN: true }),
          moneyness: fc.double({ min: 0.7, max: 1.3, noNaN: true }),
          days: fc.integer({ min: 1, max: 400 }),
          sigma: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
        }),
        { minLength: 1, maxLength: 40 },
      ),
      fc.constantFrom(0, 0.03),
      fc.constantFrom(0, 0.015),
      (opts, r, q) => {
        const n = opts.length;
        const type = (o: { put: boolean }): OptionType => (o.put ? "put" : "call");
        const prices = Float64Array.from(
          opts,
          (o) => bsPrice(type(o), o.S, o.S * o.moneyness, o.days / 365, r, o.sigma, q),
        );
        const out = outputs(n);
        chainGreeks(
          {
            types: Uint8Array.from(opts, (o) => (o.put ? 1 : 0)),
            spots: Float64Array.from(opts, (o) => o.S),
            strikes: Float64Array.from(opts, (o) => o.S * o.moneyness),
            years: Float64Array.from(opts, (o) => o.days / 365),
          },
          prices,
          out,
          { rate: r, dividendYield: q },
        );
        opts.forEach((o, i) => {
          const K = o.S * o.moneyness;
          const T = o.days / 365;
          const iv = impliedVol(type(o), prices[i], o.S, K, T, r, q);
          if (!(iv > 0)) {
            assert.ok(Number.isNaN(out.iv[i]));
            return;
          }
          assert.equal(out.iv[i], iv);
          const g = bsGreeks(type(o), o.S, K, T, r, iv, q);
          assert.deepEqual(
            [out.delta[i], out.gamma[i], out.theta[i], out.vega[i], out.rho[i]],
            [g.delta, g.gamma, g.theta, g.vega, g.rho],
          );
        });
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("chainGreeks() finds no IV without a price, below intrinsic or at expiry, and counts them", () => {
  const out = outputs(4);
  const missed = chainGreeks(
    {
      types: Uint8Array.of(0, 1, 0, 0),
      spots: Float64Array.of(100, 100, 100, 100),
      strikes: Float64Array.of(100, 120, 90, 100),
      years: Float64Array.of(0.1, 0.1, 0.1, 0),
    },
    Float64Array.of(NaN, 15, 9.5, 1),
    out,
  );
  assert.equal(missed, 4);
  for (const k of ["iv", "delta", "gamma", "theta", "vega", "rho"] as const) {
    assert.ok(out[k].every(Number.isNaN), k);
  }
});
