/**
 * The iron condor's expected value at expiry against numerical integration of its payoff
 * zone by zone under the lognormal density (Simpson's rule in log price, each zone's bounds at
 * the strikes so that the integrand is smooth within it), independent of the closed form and
 * of the normal CDF.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { condorExpectedValue, probItm, sideExpectedLoss } from "../../lib/mod.ts";

/** The lognormal of S_T: ln S_T ~ N(mu, s²). */
function lognormal(spot: number, years: number, rate: number, vol: number) {
  const s = vol * Math.sqrt(years);
  return { mu: Math.log(spot) + (rate - 0.5 * vol * vol) * years, s };
}

/** ∫ f(S) dP(S) over S in [lo, hi] (0 and Infinity allowed), Simpson's rule in x = ln S. */
function integrate(
  f: (price: number) => number,
  lo: number,
  hi: number,
  law: { mu: number; s: number },
  steps = 4000,
): number {
  const a = Math.max(lo > 0 ? Math.log(lo) : -Infinity, law.mu - 12 * law.s);
  const b = Math.min(hi < Infinity ? Math.log(hi) : Infinity, law.mu + 12 * law.s);
  if (!(b > a)) return 0;
  const h = (b - a) / steps;
  const g = (x: number) => {
    const z = (x - law.mu) / law.s;
    return f(Math.exp(x)) * Math.exp(-0.5 * z * z) / (law.s * Math.sqrt(2 * Math.PI));
  };
  let sum = g(a) + g(b);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * g(a + i * h);
  return sum * h / 3;
}

interface Case {
  spot: number;
  years: number;
  rate: number;
  credit: number;
  put: { shortStrike: number; longStrike: number; vol: number };
  call: { shortStrike: number; longStrike: number; vol: number };
}

/** The formula, zone by zone: each side's zones under its short strike's lognormal. */
function zoneIntegral(c: Case): number {
  const { put, call, credit } = c;
  const lawPut = lognormal(c.spot, c.years, c.rate, put.vol);
  const lawCall = lognormal(c.spot, c.years, c.rate, call.vol);
  const one = () => 1;
  const lossPut = put.shortStrike - put.longStrike - credit;
  const lossCall = call.longStrike - call.shortStrike - credit;
  const pBelowPutShort = integrate(one, 0, put.shortStrike, lawPut);
  const pAboveCallShort = integrate(one, call.shortStrike, Infinity, lawCall);
  return credit * (1 - pBelowPutShort - pAboveCallShort) -
    lossPut * integrate(one, 0, put.longStrike, lawPut) -
    lossCall * integrate(one, call.longStrike, Infinity, lawCall) +
    integrate((s) => credit - (put.shortStrike - s), put.longStrike, put.shortStrike, lawPut) +
    integrate((s) => credit - (s - call.shortStrike), call.shortStrike, call.longStrike, lawCall);
}

/** The condor's payoff at expiry per share, for one density over all prices. */
function payoff(c: Case, s: number): number {
  return c.credit - Math.max(c.put.shortStrike - s, 0) + Math.max(c.put.longStrike - s, 0) -
    Math.max(s - c.call.shortStrike, 0) + Math.max(s - c.call.longStrike, 0);
}

const closedForm = (c: Case) =>
  condorExpectedValue(c.credit, c.spot, c.years, c.rate, c.put, c.call);

Deno.test("condor EV equals the zone-by-zone integral of the issue's formula (skewed IVs)", () => {
  const c: Case = {
    spot: 450,
    years: 35 / 365,
    rate: 0.04,
    credit: 1.85,
    put: { shortStrike: 420, longStrike: 410, vol: 0.24 },
    call: { shortStrike: 470, longStrike: 475, vol: 0.15 },
  };
  const ev = closedForm(c);
  const integral = zoneIntegral(c);
  assert.ok(Math.abs(ev - integral) < 1e-8, `${ev} vs ${integral}`);
  assert.ok(ev > c.credit - 10 && ev < c.credit);
});

Deno.test("with one IV for both sides, condor EV is the payoff's integral over one density", () => {
  const c: Case = {
    spot: 100,
    years: 30 / 365,
    rate: 0,
    credit: 1.282,
    put: { shortStrike: 95, longStrike: 90, vol: 0.2 },
    call: { shortStrike: 105, longStrike: 110, vol: 0.2 },
  };
  const law = lognormal(c.spot, c.years, c.rate, 0.2);
  // Split at the strikes: the payoff is linear in S between them.
  const bounds = [0, 90, 95, 105, 110, Infinity];
  let integral = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    integral += integrate((s) => payoff(c, s), bounds[i], bounds[i + 1], law);
  }
  assert.ok(Math.abs(closedForm(c) - integral) < 1e-9, `${closedForm(c)} vs ${integral}`);
});

Deno.test("condor EV agrees with the zone integral on random condors (property)", () => {
  fc.assert(
    fc.property(
      fc.record({
        spot: fc.double({ min: 20, max: 600, noNaN: true }),
        dte: fc.integer({ min: 1, max: 90 }),
        rate: fc.double({ min: 0, max: 0.06, noNaN: true }),
        putVol: fc.double({ min: 0.08, max: 0.9, noNaN: true }),
        callVol: fc.double({ min: 0.08, max: 0.9, noNaN: true }),
        putOtm: fc.double({ min: 0, max: 0.25, noNaN: true }),
        callOtm: fc.double({ min: 0, max: 0.25, noNaN: true }),
        putWidth: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        callWidth: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        creditShare: fc.double({ min: 0.01, max: 0.9, noNaN: true }),
      }),
      (r) => {
        const put = {
          shortStrike: r.spot * (1 - r.putOtm),
          longStrike: r.spot * (1 - r.putOtm - r.putWidth),
          vol: r.putVol,
        };
        const call = {
          shortStrike: r.spot * (1 + r.callOtm),
          longStrike: r.spot * (1 + r.callOtm + r.callWidth),
          vol: r.callVol,
        };
        const wider = Math.max(
          put.shortStrike - put.longStrike,
          call.longStrike - call.shortStrike,
        );
        const c: Case = {
          spot: r.spot,
          years: r.dte / 365,
          rate: r.rate,
          credit: r.creditShare * wider,
          put,
          call,
        };
        const ev = closedForm(c);
        const integral = zoneIntegral(c);
        // EV is at most the credit, and each side loses at most its width (the sides' zones
        // lie under two lognormals, so both tails together may exceed the wider width).
        const widths = put.shortStrike - put.longStrike + call.longStrike - call.shortStrike;
        assert.ok(ev <= c.credit + 1e-12 && ev >= c.credit - widths - 1e-12, `${ev}`);
        assert.ok(
          Math.abs(ev - integral) < 1e-7 * Math.max(1, r.spot / 100),
          `${ev} vs ${integral}`,
        );
      },
    ),
    { numRuns: 200, seed: 19 },
  );
});

Deno.test("a side's expected loss: bounds, expiry and the put side's P(ITM) limit", () => {
  // At T = 0 it is the intrinsic difference at the spot.
  assert.equal(sideExpectedLoss(true, 93, 95, 90, 0, 0, 0.3), 2);
  assert.equal(sideExpectedLoss(false, 112, 110, 115, 0, 0, 0.3), 2);
  // A very narrow spread loses width × P(ITM): (E[(K-S)+] - E[(K-w-S)+]) / w -> P(S < K).
  const w = 1e-4;
  const loss = sideExpectedLoss(true, 100, 95, 95 - w, 30 / 365, 0.02, 0.25);
  const pItm = probItm("put", 100, 95, 30 / 365, 0.02, 0.25);
  assert.ok(Math.abs(loss / w - pItm) < 1e-4, `${loss / w} vs ${pItm}`);
  assert.ok(Number.isNaN(sideExpectedLoss(true, 100, 95, 90, 0.1, 0, NaN)));
});
