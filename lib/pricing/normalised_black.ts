/**
 * Jaeckel's normalised Black function and its vega, evaluated accurately in every region.
 *
 * Notation of "Let's Be Rational" (Jäckel, Wilmott 2015, revised 2016): with forward F, strike
 * K, x = ln(F/K), s = σ√T and θ = ±1 (call/put), the undiscounted Black price divided by √(FK) is
 *
 *   b(x, s, θ) = θ·[e^{x/2}·Φ(θ(x/s + s/2)) - e^{-x/2}·Φ(θ(x/s - s/2))]        (eq. 2.2)
 *
 * Out-of-the-money calls (x <= 0) are the hard case; puts map to calls by b(x,s,-1) = b(-x,s,1)
 * (reciprocal-strike symmetry) and in-the-money calls to out-of-the-money ones by the in-out
 * duality b(x,s) = ι(x) + b(-x,s), with ι the normalised intrinsic value (eq. 2.5).
 *
 * @module
 */
import {
  FOURTH_ROOT_DBL_EPSILON,
  ONE_OVER_SQRT_TWO,
  ONE_OVER_SQRT_TWO_PI,
  SIXTEENTH_ROOT_DBL_EPSILON,
  SQRT_DBL_MIN,
  SQRT_TWO_PI,
} from "./constants.ts";
import { ERF_CENTRAL_LIMIT, erfcCentral, erfcxNonNegative, erfcxTail } from "./erf_cody.ts";
import { normCdf } from "./normal.ts";

/** η of the paper: below h = x/s = η the asymptotic expansion (region I) is used. */
const ASYMPTOTIC_EXPANSION_THRESHOLD = -10;
/** τ = 2·ε^(1/16) ≈ 0.21: below t = s/2 = τ the small-t expansion (region II) is used. */
const SMALL_T_THRESHOLD = 2 * SIXTEENTH_ROOT_DBL_EPSILON;

/**
 * Normalised intrinsic value ι(x, θ) = θ·(e^{x/2} - e^{-x/2}) when θx > 0, else 0 (eq. 2.5);
 * a Taylor series for small |x| avoids cancellation.
 *
 * @param x ln(F/K)
 * @param theta +1 for a call, -1 for a put
 * @returns the intrinsic value divided by √(FK)
 */
export function normalisedIntrinsic(x: number, theta: number): number {
  if (theta * x <= 0) return 0;
  const x2 = x * x;
  // 98 = (92897280)^(1/4): beyond this the series' last kept term is no longer below ε.
  if (x2 < 98 * FOURTH_ROOT_DBL_EPSILON) {
    const v = theta * x *
      (1 + x2 * (1 / 24 + x2 * (1 / 1920 + x2 * (1 / 322560 + x2 / 92897280))));
    return v > 0 ? v : 0;
  }
  const bMax = Math.exp(0.5 * x);
  const v = theta * (bMax - 1 / bMax);
  return v > 0 ? v : 0;
}

/**
 * In the region helpers below, `gauss` is exp(-(h² + t²)/2), shared with the vega.
 *
 * Region I: h < η with t small relative to |h|. With r = (h+t)(h-t), q = (h/r)², e = (t/h)²,
 * b = φ-factor·(t/r)·A(h,t), where A is the 17th-order expansion in q obtained from A&S
 * 26.2.12 (Jäckel 2016, eq. 3.9); relative accuracy 1.64e-16 for h <= -10.
 */
function asymptoticExpansion(h: number, t: number, gauss: number): number {
  const e = (t / h) * (t / h);
  const r = (h + t) * (h - t);
  const q = (h / r) * (h / r);
  // deno-fmt-ignore
  const sum = (2.0+q*(-6.0E0-2.0*e+3.0*q*(1.0E1+e*(2.0E1+2.0*e)+5.0*q*(-1.4E1+e*(-7.0E1+e*(-4.2E1-2.0*e))+7.0*q*(1.8E1+e*(1.68E2+e*(2.52E2+e*(7.2E1+2.0*e)))+9.0*q*(-2.2E1+e*(-3.3E2+e*(-9.24E2+e*(-6.6E2+e*(-1.1E2-2.0*e))))+1.1E1*q*(2.6E1+e*(5.72E2+e*(2.574E3+e*(3.432E3+e*(1.43E3+e*(1.56E2+2.0*e)))))+1.3E1*q*(-3.0E1+e*(-9.1E2+e*(-6.006E3+e*(-1.287E4+e*(-1.001E4+e*(-2.73E3+e*(-2.1E2-2.0*e))))))+1.5E1*q*(3.4E1+e*(1.36E3+e*(1.2376E4+e*(3.8896E4+e*(4.862E4+e*(2.4752E4+e*(4.76E3+e*(2.72E2+2.0*e)))))))+1.7E1*q*(-3.8E1+e*(-1.938E3+e*(-2.3256E4+e*(-1.00776E5+e*(-1.84756E5+e*(-1.51164E5+e*(-5.4264E4+e*(-7.752E3+e*(-3.42E2-2.0*e))))))))+1.9E1*q*(4.2E1+e*(2.66E3+e*(4.0698E4+e*(2.3256E5+e*(5.8786E5+e*(7.05432E5+e*(4.0698E5+e*(1.08528E5+e*(1.197E4+e*(4.2E2+2.0*e)))))))))+2.1E1*q*(-4.6E1+e*(-3.542E3+e*(-6.7298E4+e*(-4.90314E5+e*(-1.63438E6+e*(-2.704156E6+e*(-2.288132E6+e*(-9.80628E5+e*(-2.01894E5+e*(-1.771E4+e*(-5.06E2-2.0*e))))))))))+2.3E1*q*(5.0E1+e*(4.6E3+e*(1.0626E5+e*(9.614E5+e*(4.08595E6+e*(8.9148E6+e*(1.04006E7+e*(6.53752E6+e*(2.16315E6+e*(3.542E5+e*(2.53E4+e*(6.0E2+2.0*e)))))))))))+2.5E1*q*(-5.4E1+e*(-5.85E3+e*(-1.6146E5+e*(-1.77606E6+e*(-9.37365E6+e*(-2.607579E7+e*(-4.01166E7+e*(-3.476772E7+e*(-1.687257E7+e*(-4.44015E6+e*(-5.9202E5+e*(-3.51E4+e*(-7.02E2-2.0*e))))))))))))+2.7E1*q*(5.8E1+e*(7.308E3+e*(2.3751E5+e*(3.12156E6+e*(2.003001E7+e*(6.919458E7+e*(1.3572783E8+e*(1.5511752E8+e*(1.0379187E8+e*(4.006002E7+e*(8.58429E6+e*(9.5004E5+e*(4.7502E4+e*(8.12E2+2.0*e)))))))))))))+2.9E1*q*(-6.2E1+e*(-8.99E3+e*(-3.39822E5+e*(-5.25915E6+e*(-4.032015E7+e*(-1.6934463E8+e*(-4.1250615E8+e*(-6.0108039E8+e*(-5.3036505E8+e*(-2.8224105E8+e*(-8.870433E7+e*(-1.577745E7+e*(-1.472562E6+e*(-6.293E4+e*(-9.3E2-2.0*e))))))))))))))+3.1E1*q*(6.6E1+e*(1.0912E4+e*(4.74672E5+e*(8.544096E6+e*(7.71342E7+e*(3.8707344E8+e*(1.14633288E9+e*(2.07431664E9+e*(2.33360622E9+e*(1.6376184E9+e*(7.0963464E8+e*(1.8512208E8+e*(2.7768312E7+e*(2.215136E6+e*(8.184E4+e*(1.056E3+2.0*e)))))))))))))))+3.3E1*(-7.0E1+e*(-1.309E4+e*(-6.49264E5+e*(-1.344904E7+e*(-1.4121492E8+e*(-8.344518E8+e*(-2.9526756E9+e*(-6.49588632E9+e*(-9.0751353E9+e*(-8.1198579E9+e*(-4.6399188E9+e*(-1.6689036E9+e*(-3.67158792E8+e*(-4.707164E7+e*(-3.24632E6+e*(-1.0472E5+e*(-1.19E3-2.0*e)))))))))))))))))*q)))))))))))))))));
  const b = ONE_OVER_SQRT_TWO_PI * gauss * (t / r) * sum;
  return b > 0 ? b : 0;
}

/**
 * Region II: t < τ. Twelfth-order expansion in t of Y(h+t) - Y(h-t), Y(z) = Φ(z)/φ(z), around
 * a = 1 + h·Y(h) (Jäckel 2016, eq. 3.10); accurate to ε for h <= 0 and t < τ.
 */
function smallTExpansion(h: number, t: number, gauss: number): number {
  const a = 1 + h * (0.5 * SQRT_TWO_PI) * erfcxNonNegative(-ONE_OVER_SQRT_TWO * h);
  const w = t * t;
  const h2 = h * h;
  // Divisions by the factorial constants are multiplications by their reciprocals (folded at
  // compile time): each term is a small correction, so an ulp there is invisible in b.
  // deno-fmt-ignore
  const expansion = 2*t*(a+w*((-1+3*a+a*h2)*(1/6)+w*((-7+15*a+h2*(-1+10*a+a*h2))*(1/120)+w*((-57+105*a+h2*(-18+105*a+h2*(-1+21*a+a*h2)))*(1/5040)+w*((-561+945*a+h2*(-285+1260*a+h2*(-33+378*a+h2*(-1+36*a+a*h2))))*(1/362880)+w*((-6555+10395*a+h2*(-4680+17325*a+h2*(-840+6930*a+h2*(-52+990*a+h2*(-1+55*a+a*h2)))))*(1/39916800)+((-89055+135135*a+h2*(-82845+270270*a+h2*(-20370+135135*a+h2*(-1926+25740*a+h2*(-75+2145*a+h2*(-1+78*a+a*h2))))))*w)*(1/6227020800.0)))))));
  const b = ONE_OVER_SQRT_TWO_PI * gauss * expansion;
  return b > 0 ? b : 0;
}

/**
 * Region III: b dominated by its first term, the plain formula
 * b = Φ(h+t)·e^{x/2} - Φ(h-t)·e^{-x/2}, which loses nothing to cancellation there. Used only
 * where the Gaussian factor underflows (h² + t² beyond ~1400, i.e. s beyond ~50), outside the
 * reach of {@link usingBMax}.
 */
function usingNormCdf(x: number, s: number, bMax: number): number {
  const h = x / s;
  const t = 0.5 * s;
  const b = normCdf(h + t) * bMax - normCdf(h - t) / bMax;
  return b > 0 ? b : 0;
}

/**
 * One term ½·e^{-(h²+t²)/2}·erfcx(y) of eq. 3.8, y >= 0. Where Cody's erfcx would form
 * (1 - erf(y))·e^{y²} (y <= 0.46875), the two exponentials cancel into the caller's `factor`:
 * e^{-(h²+t²)/2}·e^{y²} is e^{ht} = e^{x/2} = b_max for y = ±(h+t)/√2 and e^{-x/2} = 1/b_max for
 * y = (t-h)/√2. The term is then ½·factor·erfc(y), with no exponential and fewer roundings.
 */
function halfGaussErfcx(y: number, gauss: number, factor: number): number {
  return 0.5 * (y <= ERF_CENTRAL_LIMIT ? factor * erfcCentral(y) : gauss * erfcxTail(y));
}

/**
 * Regions III and IV with h + t > 0, where eq. 3.8's first erfcx would take a negative argument
 * (two more exponentials and a difference of large numbers). With a = (h+t)/√2 > 0,
 * erfcx(-a) = 2·e^{a²} - erfcx(a), and ½·e^{-(h²+t²)/2}·2·e^{a²} = e^{ht} = e^{x/2} = b_max, so
 *
 *   b = b_max - ½·e^{-(h²+t²)/2}·[erfcx((h+t)/√2) + erfcx((t-h)/√2)],
 *
 * with both erfcx arguments positive and b_max known to the caller: no exponential beyond the
 * shared Gaussian factor. The subtraction is the same one region III's Φ form makes
 * (b_max·(1 - Φ(-(h+t))) - e^{-x/2}·Φ(h-t)), so the accuracy is that of region III.
 */
function usingBMax(h: number, t: number, gauss: number, bMax: number): number {
  const b = bMax -
    halfGaussErfcx(ONE_OVER_SQRT_TWO * (h + t), gauss, bMax) -
    halfGaussErfcx(ONE_OVER_SQRT_TWO * (t - h), gauss, 1 / bMax);
  return b > 0 ? b : 0;
}

/**
 * Region IV with h + t <= 0: b = ½·e^{-(h²+t²)/2}·[erfcx(-(h+t)/√2) - erfcx(-(h-t)/√2)]
 * (Jäckel 2016, eq. 3.8), both arguments non-negative: one exponential instead of three, the
 * difference taken between two rational functions. The difference cancels, so both terms keep
 * one common factor: the Gaussian one, or, when both arguments are small enough for Cody's
 * central erf (near the money, small s), the exact e^{±x/2} of {@link halfGaussErfcx}, which
 * saves the two exponentials of erfcx there. (Mixing the two factors would let the rounding of
 * one of them through the cancellation.)
 */
function usingErfcx(h: number, t: number, gauss: number, bMax: number): number {
  const y1 = -ONE_OVER_SQRT_TWO * (h + t);
  const y2 = ONE_OVER_SQRT_TWO * (t - h);
  const b = y2 <= ERF_CENTRAL_LIMIT
    ? 0.5 * (bMax * erfcCentral(y1) - erfcCentral(y2) / bMax)
    : 0.5 * gauss * (erfcxNonNegative(y1) - erfcxTail(y2));
  return b > 0 ? b : 0;
}

/**
 * Normalised Black call b(x, s) = e^{x/2}Φ(x/s + s/2) - e^{-x/2}Φ(x/s - s/2), accurate to a few
 * ulp (relative) in all four regions of Jäckel (2016, §3), including far out of the money where
 * the plain formula cancels to zero.
 *
 * @param x ln(F/K)
 * @param s total volatility σ√T, >= 0
 * @returns the undiscounted call price divided by √(FK)
 *
 * @example At the money with s = 0.2 the call is 2Φ(0.1) - 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalisedBlackCall } from "./normalised_black.ts";
 * assert.ok(Math.abs(normalisedBlackCall(0, 0.2) - 0.07965567455405798) < 1e-16);
 * ```
 */
export function normalisedBlackCall(x: number, s: number): number {
  if (x > 0) return normalisedIntrinsic(x, 1) + normalisedBlackCall(-x, s);
  return otmCallAndVega(x, s);
}

/**
 * b'(x, s) written by the last {@link otmCallAndVega} call: returning the value and leaving the
 * derivative in a typed slot keeps the solver free of allocations.
 */
export const lastVega: Float64Array = new Float64Array(1);

/** Beyond this h² + t² the Gaussian factor e^{-(h²+t²)/2} is too close to underflow to use. */
const GAUSS_UNDERFLOW = 1400;

/**
 * Normalised Black call b(x, s) for x <= 0 (out of the money), returned, and its vega b'(x, s),
 * left in `lastVega[0]`; both share the exponential exp(-(h² + t²)/2).
 *
 * @param x ln(F/K), <= 0
 * @param s σ√T
 * @param bMax e^{x/2} (default computed; the solver and the pricers pass √(F/K) or √(K/F))
 * @returns b(x, s)
 */
export function otmCallAndVega(x: number, s: number, bMax: number = Math.exp(0.5 * x)): number {
  if (s <= 0 || s <= -x * SQRT_DBL_MIN) {
    lastVega[0] = x === 0 && s <= 0 ? ONE_OVER_SQRT_TWO_PI : 0;
    return 0;
  }
  const h = x / s;
  const t = 0.5 * s;
  const q = h * h + t * t;
  const gauss = Math.exp(-0.5 * q);
  lastVega[0] = ONE_OVER_SQRT_TWO_PI * gauss;
  if (
    x < s * ASYMPTOTIC_EXPANSION_THRESHOLD &&
    0.5 * s * s + x < s * (SMALL_T_THRESHOLD + ASYMPTOTIC_EXPANSION_THRESHOLD)
  ) {
    return asymptoticExpansion(h, t, gauss);
  }
  if (t < SMALL_T_THRESHOLD) return smallTExpansion(h, t, gauss);
  if (h + t <= 0) return usingErfcx(h, t, gauss, bMax);
  return q < GAUSS_UNDERFLOW ? usingBMax(h, t, gauss, bMax) : usingNormCdf(x, s, bMax);
}

/**
 * Normalised Black price b(x, s, θ) for a call (θ = 1) or put (θ = -1), using the
 * reciprocal-strike symmetry b(x, s, -1) = b(-x, s, 1).
 *
 * @param x ln(F/K)
 * @param s σ√T
 * @param theta +1 call, -1 put
 * @returns the undiscounted price divided by √(FK)
 */
export function normalisedBlack(x: number, s: number, theta: number): number {
  return normalisedBlackCall(theta < 0 ? -x : x, s);
}

/**
 * Normalised vega ∂b/∂s = φ(x/s + s/2)·e^{x/2} = exp(-(x²/s² + s²/4)/2)/√(2π) (eq. 2.8),
 * the same for calls and puts. Returns 0 when s is 0 or so small against |x| that x/s overflows.
 *
 * @param x ln(F/K)
 * @param s σ√T
 * @returns ∂b/∂s >= 0
 */
export function normalisedVega(x: number, s: number): number {
  const ax = Math.abs(x);
  if (ax <= 0) return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.125 * s * s);
  if (s <= 0 || s <= ax * SQRT_DBL_MIN) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * (h * h + t * t));
}
