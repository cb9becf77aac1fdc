/**
 * The standard normal distribution: density, cumulative distribution to double precision
 * across the whole real line, its inverse, and the Abramowitz & Stegun 26.2.17 polynomial kept
 * only for comparison.
 *
 * @module
 */
import { DBL_EPSILON, ONE_OVER_SQRT_TWO, ONE_OVER_SQRT_TWO_PI } from "./constants.ts";
import { erfc, erfcxNonNegative } from "./erf_cody.ts";

/** Below this z, Φ(z) is summed from its asymptotic series A&S 26.2.12 instead of erfc. */
const ASYMPTOTIC_THRESHOLD = -10;
/** Below this z the series' first term alone is exact to machine precision: -1/sqrt(ε). */
const ASYMPTOTIC_FIRST_TERM_ONLY = -1 / Math.sqrt(DBL_EPSILON);

/**
 * Standard normal density φ(x) = exp(-x²/2)/sqrt(2π).
 *
 * @param x any real number
 * @returns φ(x) >= 0
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normPdf } from "./normal.ts";
 * assert.ok(Math.abs(normPdf(0) - 0.3989422804014327) < 1e-16);
 * ```
 */
export function normPdf(x: number): number {
  return ONE_OVER_SQRT_TWO_PI * expMinusHalfSquare(x);
}

/**
 * exp(-x²/2) without the rounding of x²: with x̃ = x truncated to a multiple of 1/16 (so x̃² is
 * exact), x² = x̃² + (x - x̃)(x + x̃) and exp(-x²/2) = exp(-x̃²/2)·exp(-(x - x̃)(x + x̃)/2). Forming
 * x² directly would cost a relative error of x²·ε/2 in the tails (4.5e-15 at x = -8).
 */
function expMinusHalfSquare(x: number): number {
  if (Math.abs(x) < 2) return Math.exp(-0.5 * x * x);
  const xh = Math.trunc(x * 16) / 16;
  return Math.exp(-0.5 * xh * xh) * Math.exp(-0.5 * (x - xh) * (x + xh));
}

/**
 * Standard normal cumulative distribution Φ(x), with relative accuracy near machine precision
 * over the whole real line: Φ(x) = erfc(-x/√2)/2 using Cody's erfc, and for x <= -10 the
 * asymptotic series of Abramowitz & Stegun 26.2.12, Φ(z) = φ(z)/|z|·[1 - 1/z² + 3/z⁴ - ...],
 * summed until its terms stop shrinking. Returns NaN for NaN.
 *
 * @param x any real number
 * @returns Φ(x) in [0, 1]
 *
 * @example Φ(0) is one half and Φ(-1.96) about 2.5%
 * ```ts
 * import assert from "node:assert/strict";
 * import { normCdf } from "./normal.ts";
 * assert.equal(normCdf(0), 0.5);
 * assert.ok(Math.abs(normCdf(-1.959963984540054) - 0.025) < 1e-16);
 * ```
 */
export function normCdf(x: number): number {
  if (x <= ASYMPTOTIC_THRESHOLD) {
    let sum = 1;
    if (x >= ASYMPTOTIC_FIRST_TERM_ONLY) {
      const zsq = x * x;
      let i = 1;
      let g = 1;
      let lastTerm = Infinity;
      for (;;) {
        const a1 = (4 * i - 3) / zsq;
        const a2 = a1 * ((4 * i - 1) / zsq);
        const term = g * (a1 - a2);
        const absTerm = Math.abs(term);
        if (!(absTerm < lastTerm)) break; // the divergent series has reached its smallest term
        sum -= term;
        g *= a2;
        i++;
        lastTerm = absTerm;
        if (absTerm < Math.abs(sum * DBL_EPSILON)) break;
      }
    }
    return -normPdf(x) * sum / x;
  }
  if (x < -1) {
    // Φ(x) = erfcx(-x/√2)·exp(-x²/2)/2: the exponential is formed exactly from x, and erfcx is
    // insensitive to the rounding of -x/√2, unlike erfc whose log-slope there is x.
    return 0.5 * erfcxNonNegative(-x * ONE_OVER_SQRT_TWO) * expMinusHalfSquare(x);
  }
  return 0.5 * erfc(-x * ONE_OVER_SQRT_TWO);
}

// Wichura's AS 241 (PPND16), Appl. Statist. 37 (1988) 477-484: |q| <= 0.425.
const A0 = 3.3871328727963666080, A1 = 133.14166789178437745, A2 = 1971.5909503065514427;
const A3 = 13731.693765509461125, A4 = 45921.953931549871457, A5 = 67265.770927008700853;
const A6 = 33430.575583588128105, A7 = 2509.0809287301226727;
const B1 = 42.313330701600911252, B2 = 687.18700749205790830, B3 = 5394.1960214247511077;
const B4 = 21213.794301586595867, B5 = 39307.895800092710610, B6 = 28729.085735721942674;
const B7 = 5226.4952788528545610;
// r = sqrt(-ln(min(p, 1-p))) <= 5.
const C0 = 1.42343711074968357734, C1 = 4.63033784615654529590, C2 = 5.76949722146069140550;
const C3 = 3.64784832476320460504, C4 = 1.27045825245236838258, C5 = 0.241780725177450611770;
const C6 = 0.0227238449892691845833, C7 = 7.74545014278341407640e-4;
const D1 = 2.05319162663775882187, D2 = 1.67638483018380384940, D3 = 0.689767334985100004550;
const D4 = 0.148103976427480074590, D5 = 0.0151986665636164571966;
const D6 = 5.47593808499534494600e-4, D7 = 1.05075007164441684324e-9;
// r > 5: the far tails.
const E0 = 6.65790464350110377720, E1 = 5.46378491116411436990, E2 = 1.78482653991729133580;
const E3 = 0.296560571828504891230, E4 = 0.0265321895265761230930;
const E5 = 1.24266094738807843860e-3, E6 = 2.71155556874348757815e-5;
const E7 = 2.01033439929228813265e-7;
const F1 = 0.599832206555887937690, F2 = 0.136929880922735805310;
const F3 = 0.0148753612908506148525, F4 = 7.86869131145613259100e-4;
const F5 = 1.84631831751005468180e-5, F6 = 1.42151175831644588870e-7;
const F7 = 2.04426310338993978564e-15;

/**
 * Inverse of the standard normal distribution, Φ⁻¹(p), by Wichura's algorithm AS 241 (about
 * 1 part in 10¹⁶). Returns -Infinity for p = 0, +Infinity for p = 1 and NaN outside [0, 1].
 *
 * @param p probability in [0, 1]
 * @returns z with Φ(z) = p
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inverseNormCdf } from "./normal.ts";
 * assert.ok(Math.abs(inverseNormCdf(0.975) - 1.959963984540054) < 1e-15);
 * ```
 */
export function inverseNormCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return q * (((((((A7 * r + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0) /
      (((((((B7 * r + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = (((((((C7 * r + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + C1) * r + C0) /
      (((((((D7 * r + D6) * r + D5) * r + D4) * r + D3) * r + D2) * r + D1) * r + 1);
  } else {
    r -= 5;
    z = (((((((E7 * r + E6) * r + E5) * r + E4) * r + E3) * r + E2) * r + E1) * r + E0) /
      (((((((F7 * r + F6) * r + F5) * r + F4) * r + F3) * r + F2) * r + F1) * r + 1);
  }
  return q < 0 ? -z : z;
}

/**
 * The Abramowitz & Stegun 26.2.17 polynomial approximation of Φ(x) (absolute error below
 * 7.5e-8). Kept only to compare against {@link normCdf}; never used for pricing.
 *
 * @param x any real number
 * @returns an approximation of Φ(x)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normCdf, normCdfAbramowitzStegun } from "./normal.ts";
 * assert.ok(Math.abs(normCdfAbramowitzStegun(1) - normCdf(1)) < 7.5e-8);
 * ```
 */
export function normCdfAbramowitzStegun(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t *
    (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = normPdf(x) * poly;
  return x >= 0 ? 1 - upper : upper;
}
