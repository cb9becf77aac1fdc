import assert from "node:assert/strict";
import fc from "fast-check";
import { bsGreeks, bsPrice, type OptionType, probItm, spreadGreeks } from "../../lib/mod.ts";
import { readCsvFixture, relErr } from "../helpers/fixtures.ts";

const typeOf = (code: string): OptionType => (code === "C" || code === "call" ? "call" : "put");

Deno.test("bsPrice() reproduces Hull's textbook example 15.6 (c = 4.76, p = 0.81)", () => {
  assert.ok(Math.abs(bsPrice("call", 42, 40, 0.5, 0.1, 0.2) - 4.76) < 0.005);
  assert.ok(Math.abs(bsPrice("put", 42, 40, 0.5, 0.1, 0.2) - 0.81) < 0.005);
});

Deno.test("bsPrice() matches Haug's published values (QuantLib's table)", () => {
  for (const row of readCsvFixture("haug_quantlib_european_values.csv")) {
    const got = bsPrice(
      typeOf(row.type),
      Number(row.spot),
      Number(row.strike),
      Number(row.t),
      Number(row.r),
      Number(row.vol),
      Number(row.q),
    );
    assert.ok(Math.abs(got - Number(row.expected_value)) <= Number(row.tol), JSON.stringify(row));
  }
});

Deno.test("bsGreeks() matches Haug's published greeks (per-year units converted)", () => {
  for (const row of readCsvFixture("haug_quantlib_european_greeks.csv")) {
    const g = bsGreeks(
      typeOf(row.type),
      Number(row.spot),
      Number(row.strike),
      Number(row.t),
      Number(row.r),
      Number(row.vol),
      Number(row.q),
    );
    // The table's theta is per year and vega/rho per 1.00: convert to ours.
    const scale: Record<string, number> = { theta: 365, vega: 100, rho: 100 };
    const key = row.greek as keyof typeof g;
    if (!(key in g)) continue;
    const got = g[key] * (scale[key] ?? 1);
    const want = Number(row.expected_value);
    assert.ok(
      Math.abs(got - want) <= Number(row.tol) * Math.max(1, Math.abs(want)),
      `${row.greek}: got ${got}, want ${want} (${JSON.stringify(row)})`,
    );
  }
});

Deno.test("bsPrice() and bsGreeks() match py_vollib's 101 reference cases", () => {
  for (const row of readCsvFixture("py_vollib_bs_greeks.csv")) {
    const [S, K, r, t, v] = [row.S, row.K, row.R, row.t, row.v].map(Number);
    const c = bsPrice("call", S, K, t, r, v);
    const p = bsPrice("put", S, K, t, r, v);
    assert.ok(Math.abs(c - Number(row.bs_call)) <= 1e-6 * Math.max(1, c), `call ${S} ${K}`);
    assert.ok(Math.abs(p - Number(row.bs_put)) <= 1e-6 * Math.max(1, p), `put ${S} ${K}`);
    const gc = bsGreeks("call", S, K, t, r, v);
    const gp = bsGreeks("put", S, K, t, r, v);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
    assert.ok(close(gc.delta, Number(row.CD)) && close(gp.delta, Number(row.PD)), "delta");
    assert.ok(close(gc.gamma, Number(row.CG)) && close(gp.gamma, Number(row.PG)), "gamma");
    assert.ok(close(gc.theta * 365, Number(row.CT)) && close(gp.theta * 365, Number(row.PT)));
    assert.ok(close(gc.vega * 100, Number(row.CV)) && close(gp.vega * 100, Number(row.PV)));
    assert.ok(close(gc.rho * 100, Number(row.CR)) && close(gp.rho * 100, Number(row.PR)));
  }
});

Deno.test("bsPrice() and bsGreeks() match 40-digit mpmath values, far out of the money included", () => {
  let worstPrice = 0;
  for (const row of readCsvFixture("mpmath_bs_reference.csv")) {
    const [S, K, T, r, sigma, q] = [row.S, row.K, row.T, row.r, row.sigma, row.q].map(Number);
    const type = row.type as OptionType;
    const want = Number(row.price);
    if (want < 1e-300) continue; // below binary64's normal range
    const got = bsPrice(type, S, K, T, r, sigma, q);
    // Relative accuracy holds even for prices of 1e-35: the normalised Black function does not
    // cancel. Deep in the money the time value is lost to intrinsic only at the ε·price level.
    const g = bsGreeks(type, S, K, T, r, sigma, q);
    // Rounding the forward S·e^{(r-q)T} by an ulp moves the price by its elasticity |Δ|·S/P ulps,
    // so the attainable relative accuracy is a few ε times (1 + elasticity).
    const elasticity = Math.abs(g.delta) * S / want;
    const err = Math.abs(got - want) / want / (1 + elasticity);
    worstPrice = Math.max(worstPrice, err);
    for (const k of ["delta", "gamma", "theta", "vega", "rho"] as const) {
      const w = Number(row[k]);
      assert.ok(
        Math.abs(g[k] - w) <= 1e-12 * Math.max(Math.abs(w), 1e-6),
        `${k} ${JSON.stringify(row)}: ${g[k]}`,
      );
    }
  }
  assert.ok(worstPrice < 1e-14, `worst relative price error per unit elasticity ${worstPrice}`);
});

const marketArb = fc.record({
  S: fc.double({ min: 5, max: 1000, noNaN: true }),
  moneyness: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  T: fc.double({ min: 1 / 365, max: 3, noNaN: true }),
  r: fc.double({ min: -0.01, max: 0.1, noNaN: true }),
  q: fc.double({ min: 0, max: 0.05, noNaN: true }),
  sigma: fc.double({ min: 0.01, max: 3, noNaN: true }),
});

Deno.test("bsPrice() satisfies put-call parity C - P = S·e^{-qT} - K·e^{-rT}", () => {
  fc.assert(
    fc.property(marketArb, ({ S, moneyness, T, r, q, sigma }) => {
      const K = S * Math.exp(moneyness);
      const lhs = bsPrice("call", S, K, T, r, sigma, q) - bsPrice("put", S, K, T, r, sigma, q);
      const rhs = S * Math.exp(-q * T) - K * Math.exp(-r * T);
      assert.ok(Math.abs(lhs - rhs) <= 1e-12 * Math.max(S, K), `${lhs} vs ${rhs}`);
    }),
  );
});

Deno.test("bsGreeks() agree with central finite differences of bsPrice()", () => {
  fc.assert(
    fc.property(
      marketArb,
      fc.constantFrom<OptionType>("call", "put"),
      ({ S, moneyness, T, r, q, sigma }, type) => {
        const K = S * Math.exp(moneyness * sigma * Math.sqrt(T));
        const g = bsGreeks(type, S, K, T, r, sigma, q);
        const P = (s = S, t = T, rr = r, v = sigma) => bsPrice(type, s, K, t, rr, v, q);
        const sd = S * sigma * Math.sqrt(T); // the price distribution's width sets the step
        const hS = 1e-3 * sd;
        const fdDelta = (P(S + hS) - P(S - hS)) / (2 * hS);
        const fdGamma = (P(S + hS) - 2 * P() + P(S - hS)) / (hS * hS);
        const hv = 1e-5;
        const fdVega = (P(S, T, r, sigma + hv) - P(S, T, r, sigma - hv)) / (2 * hv) / 100;
        const fdRho = (P(S, T, r + hv) - P(S, T, r - hv)) / (2 * hv) / 100;
        const hT = Math.min(1e-5, T / 4);
        const fdTheta = -(P(S, T + hT) - P(S, T - hT)) / (2 * hT) / 365;
        const tol = (x: number, scale: number) => 1e-5 * scale + 1e-4 * Math.abs(x);
        assert.ok(Math.abs(g.delta - fdDelta) <= tol(fdDelta, 1), "delta");
        // Truncation O(h²) plus round-off of about ε·P/h² in the second difference.
        assert.ok(Math.abs(g.gamma - fdGamma) <= 1e-4 * g.gamma + 1e-13 * S / (hS * hS), "gamma");
        assert.ok(Math.abs(g.vega - fdVega) <= tol(fdVega, S / 100), "vega");
        assert.ok(Math.abs(g.rho - fdRho) <= tol(fdRho, S / 100), "rho");
        assert.ok(Math.abs(g.theta - fdTheta) <= tol(fdTheta, S / 365), "theta");
      },
    ),
  );
});

Deno.test("bsPrice() stays within its no-arbitrage bounds and rises with volatility", () => {
  fc.assert(
    fc.property(marketArb, ({ S, moneyness, T, r, q, sigma }) => {
      const K = S * Math.exp(moneyness);
      const c = bsPrice("call", S, K, T, r, sigma, q);
      const lower = Math.max(S * Math.exp(-q * T) - K * Math.exp(-r * T), 0);
      assert.ok(c >= lower * (1 - 1e-14) && c <= S * Math.exp(-q * T) * (1 + 1e-14));
      assert.ok(bsPrice("call", S, K, T, r, sigma * 1.01, q) >= c);
    }),
  );
});

Deno.test("bsPrice() handles expiry, zero volatility and invalid input as documented", () => {
  assert.equal(bsPrice("call", 105, 100, 0, 0.05, 0.2), 5);
  assert.equal(bsPrice("put", 105, 100, 0, 0.05, 0.2), 0);
  assert.ok(Math.abs(bsPrice("call", 105, 100, 1, 0, 0) - 5) < 1e-12);
  assert.ok(Number.isNaN(bsPrice("call", -1, 100, 1, 0, 0.2)));
  assert.ok(Number.isNaN(bsPrice("call", 100, 100, 1, 0, -0.2)));
  assert.ok(Number.isNaN(bsGreeks("put", 100, 0, 1, 0, 0.2).delta));
  assert.deepEqual(bsGreeks("put", 90, 100, 0, 0, 0.2), {
    delta: -1,
    gamma: 0,
    theta: 0,
    vega: 0,
    rho: 0,
  });
});

Deno.test("probItm() is N(d2) for calls and N(-d2) for puts, summing to one", () => {
  fc.assert(
    fc.property(marketArb, ({ S, moneyness, T, r, q, sigma }) => {
      const K = S * Math.exp(moneyness);
      const pc = probItm("call", S, K, T, r, sigma, q);
      const pp = probItm("put", S, K, T, r, sigma, q);
      assert.ok(Math.abs(pc + pp - 1) < 1e-15);
      // N(d2) = -e^{rT}·∂C/∂K: check against a finite difference in strike.
      const h = 1e-3 * S * sigma * Math.sqrt(T);
      const dCdK =
        (bsPrice("call", S, K + h, T, r, sigma, q) - bsPrice("call", S, K - h, T, r, sigma, q)) /
        (2 * h);
      assert.ok(Math.abs(-Math.exp(r * T) * dCdK - pc) < 1e-6);
    }),
  );
});

Deno.test("spreadGreeks() holds the position: long minus short, leg by leg", () => {
  const shortLeg = bsGreeks("call", 100, 105, 0.1, 0.01, 0.2);
  const longLeg = bsGreeks("call", 100, 110, 0.1, 0.01, 0.2);
  const g = spreadGreeks(shortLeg, longLeg);
  assert.ok(relErr(g.delta, longLeg.delta - shortLeg.delta) < 1e-15);
  assert.ok(g.delta < 0, "a bear call spread loses as the stock rises");
  assert.ok(g.theta > 0, "a credit spread earns time decay");
  assert.ok(g.vega < 0, "and loses when volatility rises");
  assert.equal(g.vega, longLeg.vega - shortLeg.vega);
  assert.equal(g.rho, longLeg.rho - shortLeg.rho);
  const put = spreadGreeks(
    bsGreeks("put", 100, 95, 0.1, 0, 0.2),
    bsGreeks("put", 100, 90, 0.1, 0, 0.2),
  );
  assert.ok(put.delta > 0 && put.theta > 0 && put.vega < 0, "a bull put spread: long delta");
});
