/**
 * Implied volatility by P. Jäckel, "Let's Be Rational", Wilmott (2015) 40-53, revised 2016.
 *
 * Given a normalised price β = price/√(FK) and x = ln(F/K), the solver finds s = σ√T with
 * b(x, s) = β. It (1) maps puts to calls and in-the-money to out-of-the-money options, (2) splits
 * the domain into four segments at s_l < s_c < s_u around the inflection point s_c = √(2|x|)
 * (§4), (3) builds an initial guess from rational cubic interpolation of s(β) in the two middle
 * segments and of transformed maps f_l(β), f_u(β) in the outer two (§5, eqs. 4.5 and 4.9), and
 * (4) refines with third-order Householder steps on an objective chosen per segment (§6) so that
 * two iterations reach machine precision. In the two middle segments (most options) the first
 * step is polished on the Taylor polynomial of b about the guess, whose coefficients follow from
 * ln b'(s) = -x²/(2s²) - s²/8 without another evaluation of b, so that one evaluation of b
 * usually suffices; and the boundaries b_l, b_u, functions of x alone, come from a table.
 *
 * @module
 */
import {
  DBL_EPSILON,
  DBL_MAX,
  DBL_MIN,
  ONE_OVER_SQRT_TWO,
  ONE_OVER_SQRT_TWO_PI,
  PI_OVER_SIX,
  SIXTEENTH_ROOT_DBL_EPSILON,
  SQRT_DBL_MAX,
  SQRT_ONE_OVER_THREE,
  SQRT_PI_OVER_TWO,
  SQRT_THREE,
  TWO_PI,
  TWO_PI_OVER_SQRT_TWENTY_SEVEN,
} from "./constants.ts";
import { ERF_CENTRAL_LIMIT, erfcCentral, erfcxNonNegative, erfcxTail } from "./erf_cody.ts";
import { inverseNormCdf, normCdf } from "./normal.ts";
import { lastVega, normalisedIntrinsic, otmCallAndVega } from "./normalised_black.ts";
import {
  convexControlFitLeft,
  convexControlFitRight,
  rationalCubicInterpolation,
} from "./rational_cubic.ts";

/**
 * Prices this many ulp below intrinsic are taken as intrinsic (σ = 0): discounting a price with
 * e^{rT} and forming F = S·e^{(r-q)T} each round once.
 */
const INTRINSIC_ROUNDING_ULPS = 4;

/**
 * A Householder(3) step converges with order four, e_{n+1} ≈ C·e_n⁴, so a step of relative size
 * e_n leaves an error of about C·e_n⁴. Measured over 333,000 random inputs (s from 1e-3 to 5,
 * |x| up to 8 standard deviations, condition number κ <= 1e3): when the first step is at most
 * 1e-4·s, stopping there costs at most 1.1e-15 (about five ulp) of relative accuracy against
 * taking the second step; at 2e-4 that grows to 4.7e-15 and at 3e-4 to 3.7e-14. So the loop
 * ends once a step is below 1e-4·s.
 */
const CONVERGED_STEP = 1e-4;

/** τ of region II: below t = s/2 = τ the normalised Black function uses its small-t expansion. */
const SMALL_T_THRESHOLD = 2 * SIXTEENTH_ROOT_DBL_EPSILON;

/** Householder iterations after the initial guess: two reach machine precision (§6). */
export const IMPLIED_VOLATILITY_MAX_ITERATIONS = 2;

/** The Householder(3) correction factor [1 + ν·h₂/2] / [1 + ν·(h₂ + h₃·ν/6)]. */
function householderFactor(newton: number, halley: number, hh3: number): number {
  return (1 + 0.5 * halley * newton) / (1 + newton * (halley + hh3 * newton / 6));
}

// Scratch slots for the maps' value and first two derivatives, so the hot path allocates
// nothing (module-level number variables would be boxed on every write).
const mapScratch = new Float64Array(3);

/**
 * Lower map f_l(s) = (2π/√27)·|x|·Φ(-z)³ with z = |x|/(√3·s) (eq. 4.5), and its first two
 * derivatives with respect to β; written into the scratch slots.
 */
function lowerMap(x: number, s: number): void {
  const ax = Math.abs(x);
  const z = SQRT_ONE_OVER_THREE * ax / s;
  const y = z * z;
  const s2 = s * s;
  // The maps only seed the iteration (which then reaches machine precision), so φ(z) needs no
  // more than a plain exponential here.
  const phi = ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * y);
  // Φ(-z) = φ(z)·√(π/2)·erfcx(z/√2): one exponential shared with φ(z).
  const Phi = z > 1
    ? phi * SQRT_PI_OVER_TWO * erfcxNonNegative(z * ONE_OVER_SQRT_TWO)
    : normCdf(-z);
  mapScratch[2] = PI_OVER_SIX * y / (s2 * s) * Phi *
    (8 * SQRT_THREE * s * ax + (3 * s2 * (s2 - 8) - 8 * x * x) * Phi / phi) *
    Math.exp(2 * y + 0.25 * s2);
  const Phi2 = Phi * Phi;
  mapScratch[1] = TWO_PI * y * Phi2 * Math.exp(y + 0.125 * s * s);
  mapScratch[0] = TWO_PI_OVER_SQRT_TWENTY_SEVEN * ax * (Phi2 * Phi);
}

/** Inverse of the lower map: s = |x| / (√3·Φ⁻¹((f/((2π/√27)|x|))^(1/3))). */
function inverseLowerMap(x: number, f: number): number {
  if (f <= 0) return 0;
  return Math.abs(
    x / (SQRT_THREE * inverseNormCdf(Math.cbrt(f / (TWO_PI_OVER_SQRT_TWENTY_SEVEN * Math.abs(x))))),
  );
}

/** Upper map f_u(s) = Φ(-s/2) (eq. 4.9) and its first two β-derivatives, into the scratch slots. */
function upperMap(x: number, s: number): void {
  mapScratch[0] = normCdf(-0.5 * s);
  if (x === 0) {
    mapScratch[1] = -0.5;
    mapScratch[2] = 0;
  } else {
    const w = (x / s) * (x / s);
    mapScratch[1] = -0.5 * Math.exp(0.5 * w);
    mapScratch[2] = SQRT_PI_OVER_TWO * Math.exp(w + 0.125 * s * s) * w / s;
  }
}

/** Inverse of the upper map: s = -2·Φ⁻¹(f). */
function inverseUpperMap(f: number): number {
  return -2 * inverseNormCdf(f);
}

/** Steps at most this fraction of s are polished on the Taylor polynomial of b. */
const TAYLOR_REACH = 0.05;

/** A polished step whose estimated error is below this fraction of s ends the iteration. */
const TAYLOR_CONVERGED = 2e-17;

/**
 * A polished step ends the iteration only if its size times the relative rounding of b'(s),
 * (1 + h² + t²)·ε/2, stays below a quarter ulp of s.
 */
const ROUNDED_VEGA_REACH = 0.5;

/**
 * b(s_c) at the inflection point s_c = √(2|x|), with b_max = e^{x/2} and w = √|x|. There
 * h = x/s_c and t = s_c/2 satisfy h + t = 0 and h² + t² = |x|, so b'(s_c) = e^{x/2}/√(2π)
 * exactly, and region IV's formula (eq. 3.8) collapses to b(s_c) = ½·e^{x/2}·(1 - erfcx(√|x|)):
 * one erfcx instead of two and an exponential. For √|x| within Cody's central range
 * erfcx(√|x|) = erfc(√|x|)·e^{|x|}, and e^{x/2}·e^{|x|} = e^{-x/2} = 1/b_max:
 * b(s_c) = ½·(b_max - erfc(√|x|)/b_max), with no exponential at all.
 */
function inflectionValue(x: number, sC: number, bMax: number, w: number): number {
  return 0.5 * sC < SMALL_T_THRESHOLD || x <= -200
    ? otmCallAndVega(x, sC, bMax)
    : w <= ERF_CENTRAL_LIMIT
    ? 0.5 * (bMax - erfcCentral(w) / bMax)
    : 0.5 * bMax * (1 - erfcxTail(w));
}

/**
 * The segment boundaries b_l = b(s_l), b_u = b(s_u) and the vegas there depend on x alone, so
 * for w = √|x| in [{@link BOUNDARY_W_MIN}, {@link BOUNDARY_W_MAX}] they come from a table over w
 * instead of two evaluations of b per option: b_l/b_max, b'(s_l)/b_max, b_u/b_max and
 * b'(s_u)/b_max, smooth in w, interpolated by cubics through four nodes (relative error below
 * 1e-9). They only place the initial guess, which the iteration then takes to machine
 * precision; s_l and s_u themselves are computed exactly.
 */
const BOUNDARY_W_MIN = 0.02;
/** Upper end of the boundary table: |x| <= 16. */
const BOUNDARY_W_MAX = 4;
/** Intervals of the boundary table. */
const BOUNDARY_INTERVALS = 512;
const BOUNDARY_STEP = (BOUNDARY_W_MAX - BOUNDARY_W_MIN) / BOUNDARY_INTERVALS;

/** The exact boundaries at x, as [b_l, b'(s_l), b_u, b'(s_u)] divided by b_max, into `into`. */
function exactBoundaries(x: number, into: Float64Array, at: number): void {
  const bMax = Math.exp(0.5 * x);
  const sC = Math.sqrt(Math.abs(2 * x));
  const vC = ONE_OVER_SQRT_TWO_PI * bMax;
  const bC = inflectionValue(x, sC, bMax, ONE_OVER_SQRT_TWO * sC);
  into[at] = otmCallAndVega(x, sC - bC / vC, bMax) / bMax;
  into[at + 1] = lastVega[0] / bMax;
  into[at + 2] = otmCallAndVega(x, sC + (bMax - bC) / vC, bMax) / bMax;
  into[at + 3] = lastVega[0] / bMax;
}

/**
 * Four values per node, nodes at w = W_MIN + (k - 1)·step for k = 0 .. INTERVALS + 2; b_l/b_max
 * goes to zero as w², so the table holds b_l/(b_max·w²), smooth and positive down to w = 0.
 */
const boundaryTable = (() => {
  const table = new Float64Array(4 * (BOUNDARY_INTERVALS + 3));
  for (let k = 0; k < BOUNDARY_INTERVALS + 3; k++) {
    const w = BOUNDARY_W_MIN + (k - 1) * BOUNDARY_STEP;
    exactBoundaries(-w * w, table, 4 * k);
    table[4 * k] /= w * w;
  }
  return table;
})();

/**
 * Interpolated boundary pair at w (lower: offset 0, upper: offset 2), times b_max, into
 * `boundaryScratch` as [b, b'].
 */
function tabledBoundary(w: number, offset: number, bMax: number): void {
  const p = (w - BOUNDARY_W_MIN) / BOUNDARY_STEP;
  const i = Math.min(Math.floor(p), BOUNDARY_INTERVALS - 1);
  const f = p - i;
  // Lagrange weights of the nodes i-1, i, i+1, i+2 (table rows i .. i+3).
  const fm1 = f - 1, fm2 = f - 2, fp1 = f + 1;
  const w0 = -f * fm1 * fm2 / 6;
  const w1 = 0.5 * fp1 * fm1 * fm2;
  const w2 = -0.5 * fp1 * f * fm2;
  const w3 = fp1 * f * fm1 / 6;
  const t = boundaryTable;
  const k = 4 * i + offset;
  const scale = offset === 0 ? bMax * w * w : bMax;
  boundaryScratch[0] = scale * (w0 * t[k] + w1 * t[k + 4] + w2 * t[k + 8] + w3 * t[k + 12]);
  boundaryScratch[1] = bMax * (w0 * t[k + 1] + w1 * t[k + 5] + w2 * t[k + 9] + w3 * t[k + 13]);
}
const boundaryScratch = new Float64Array(2);

/**
 * Normalised implied volatility s = σ√T from a normalised out-of-the-money call price β with
 * x <= 0, assumed already reduced (no intrinsic part, 0 < β < e^{x/2}). N is the maximum number
 * of Householder iterations.
 */
function impliedNormalisedOtmCall(
  beta: number,
  x: number,
  N: number,
  bMax = Math.exp(0.5 * x),
): number {
  let iterations = 0;
  let directionReversals = 0;
  let f = -DBL_MAX;
  let s = -DBL_MAX;
  let ds = s;
  let dsPrevious = 0;
  let sLeft = DBL_MIN;
  let sRight = DBL_MAX;
  // Segment boundaries (§4): the inflection point s_c and its tangent intersections s_l, s_u.
  const sC = Math.sqrt(Math.abs(2 * x));
  const vC = ONE_OVER_SQRT_TWO_PI * bMax;
  const rootAbsX = ONE_OVER_SQRT_TWO * sC;
  const bC = inflectionValue(x, sC, bMax, rootAbsX);
  const tabled = rootAbsX >= BOUNDARY_W_MIN && rootAbsX <= BOUNDARY_W_MAX;

  if (beta < bC) {
    const sL = sC - bC / vC;
    let bL: number, vL: number;
    if (tabled) {
      tabledBoundary(rootAbsX, 0, bMax);
      bL = boundaryScratch[0];
      vL = boundaryScratch[1];
    } else {
      bL = otmCallAndVega(x, sL, bMax);
      vL = lastVega[0];
    }
    if (beta < bL) {
      // Lowest segment: interpolate the lower map f_l(β) on [0, b_l], with f_l(0) = 0 and
      // f_l'(0) = 1, matching f_l'' at b_l (§5.1).
      lowerMap(x, sL);
      const fL = mapScratch[0], dfL = mapScratch[1], d2fL = mapScratch[2];
      const rLL = convexControlFitRight(0, bL, 0, fL, 1, dfL, d2fL, true);
      f = rationalCubicInterpolation(beta, 0, bL, 0, fL, 1, dfL, rLL);
      if (!(f > 0)) {
        // Round-off for extreme |x|: fall back to the quadratic through f(0)=0, f'(0)=1, f(b_l).
        const t = beta / bL;
        f = (fL * t + bL * (1 - t)) * t;
      }
      s = inverseLowerMap(x, f);
      sRight = sL;
      // Objective g(s) = 1/ln(b(s)) - 1/ln(β) (§6, eq. 6.3): nearly linear in s down here.
      const lnBeta = Math.log(beta);
      while (iterations < N && Math.abs(ds) > CONVERGED_STEP * s) {
        if (ds * dsPrevious < 0) directionReversals++;
        if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
          // Looping or leaving the bracket (only for |x| beyond ~500): bisect instead.
          s = 0.5 * (sLeft + sRight);
          if (sRight - sLeft <= DBL_EPSILON * s) break;
          directionReversals = 0;
          ds = 0;
        }
        dsPrevious = ds;
        const b = otmCallAndVega(x, s, bMax);
        const bp = lastVega[0];
        if (b > beta && s < sRight) sRight = s;
        else if (b < beta && s > sLeft) sLeft = s;
        if (b <= 0 || bp <= 0) {
          ds = 0.5 * (sLeft + sRight) - s;
        } else {
          const lnB = Math.log(b);
          const bpob = bp / b;
          const h = x / s;
          const bHalley = h * h / s - s / 4;
          const newton = (lnBeta - lnB) * lnB / lnBeta / bpob;
          const halley = bHalley - bpob * (1 + 2 / lnB);
          const bHh3 = bHalley * bHalley - 3 * (h / s) * (h / s) - 0.25;
          const hh3 = bHh3 + 2 * bpob * bpob * (1 + 3 / lnB * (1 + 1 / lnB)) -
            3 * bHalley * bpob * (1 + 2 / lnB);
          ds = newton * householderFactor(newton, halley, hh3);
        }
        ds = Math.max(-0.5 * s, ds);
        s += ds;
        iterations++;
      }
      return s;
    }
    // Lower middle segment [b_l, b_c]: interpolate s(β) with slopes 1/b'(s).
    const rLM = convexControlFitRight(bL, bC, sL, sC, 1 / vL, 1 / vC, 0, false);
    s = rationalCubicInterpolation(beta, bL, bC, sL, sC, 1 / vL, 1 / vC, rLM);
    sLeft = sL;
    sRight = sC;
  } else {
    const sU = vC > DBL_MIN ? sC + (bMax - bC) / vC : sC;
    let bU: number, vU: number;
    if (tabled) {
      tabledBoundary(rootAbsX, 2, bMax);
      bU = boundaryScratch[0];
      vU = boundaryScratch[1];
    } else {
      bU = otmCallAndVega(x, sU, bMax);
      vU = lastVega[0];
    }
    if (beta <= bU) {
      // Upper middle segment [b_c, b_u].
      const rUM = convexControlFitLeft(bC, bU, sC, sU, 1 / vC, 1 / vU, 0, false);
      s = rationalCubicInterpolation(beta, bC, bU, sC, sU, 1 / vC, 1 / vU, rUM);
      sLeft = sC;
      sRight = sU;
    } else {
      // Highest segment: interpolate the upper map f_u(β) on [b_u, b_max], f_u(b_max) = 0 and
      // f_u'(b_max) = -1/2 (§5.2).
      upperMap(x, sU);
      const fU = mapScratch[0], dfU = mapScratch[1], d2fU = mapScratch[2];
      if (d2fU > -SQRT_DBL_MAX && d2fU < SQRT_DBL_MAX) {
        const rUU = convexControlFitLeft(bU, bMax, fU, 0, dfU, -0.5, d2fU, true);
        f = rationalCubicInterpolation(beta, bU, bMax, fU, 0, dfU, -0.5, rUU);
      }
      if (f <= 0) {
        const h = bMax - bU;
        const t = (beta - bU) / h;
        f = (fU * (1 - t) + 0.5 * h * t) * (1 - t);
      }
      s = inverseUpperMap(f);
      sLeft = sU;
      if (beta > 0.5 * bMax) {
        // Objective g(s) = ln((b_max - β)/(b_max - b(s))) (§6, eq. 6.5).
        while (iterations < N && Math.abs(ds) > CONVERGED_STEP * s) {
          if (ds * dsPrevious < 0) directionReversals++;
          if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
            s = 0.5 * (sLeft + sRight);
            if (sRight - sLeft <= DBL_EPSILON * s) break;
            directionReversals = 0;
            ds = 0;
          }
          dsPrevious = ds;
          const b = otmCallAndVega(x, s, bMax);
          const bp = lastVega[0];
          if (b > beta && s < sRight) sRight = s;
          else if (b < beta && s > sLeft) sLeft = s;
          if (b >= bMax || bp <= DBL_MIN) {
            ds = 0.5 * (sLeft + sRight) - s;
          } else {
            const bMaxMinusB = bMax - b;
            const g = Math.log((bMax - beta) / bMaxMinusB);
            const gp = bp / bMaxMinusB;
            const bHalley = (x / s) * (x / s) / s - s / 4;
            const bHh3 = bHalley * bHalley - 3 * (x / (s * s)) * (x / (s * s)) - 0.25;
            const newton = -g / gp;
            const halley = bHalley + gp;
            const hh3 = bHh3 + gp * (2 * gp + 3 * bHalley);
            ds = newton * householderFactor(newton, halley, hh3);
          }
          ds = Math.max(-0.5 * s, ds);
          s += ds;
          iterations++;
        }
        return s;
      }
    }
  }
  // Middle segments (and the top one when β <= b_max/2): objective g(s) = b(s) - β, for which
  // b''/b' = x²/s³ - s/4 and b'''/b' = (b''/b')² - 3(x/s²)² - 1/4 (eq. 6.1).
  while (iterations < N && Math.abs(ds) > CONVERGED_STEP * s) {
    if (ds * dsPrevious < 0) directionReversals++;
    if (iterations > 0 && (directionReversals === 3 || !(s > sLeft && s < sRight))) {
      s = 0.5 * (sLeft + sRight);
      if (sRight - sLeft <= DBL_EPSILON * s) break;
      directionReversals = 0;
      ds = 0;
    }
    dsPrevious = ds;
    const b = otmCallAndVega(x, s, bMax);
    const bp = lastVega[0];
    if (b > beta && s < sRight) sRight = s;
    else if (b < beta && s > sLeft) sLeft = s;
    const newton = (beta - b) / bp;
    const h = x / s;
    const hOverS = h / s;
    const halley = h * hOverS - 0.25 * s;
    const hh3 = halley * halley - 3 * hOverS * hOverS - 0.25;
    ds = Math.max(-0.5 * s, newton * householderFactor(newton, halley, hh3));
    iterations++;
    if (iterations < N && Math.abs(ds) < TAYLOR_REACH * s) {
      // Polish the step on the quintic Taylor polynomial of b about s, which costs no further
      // evaluation of b: with L(s) = ln b'(s) = -x²/(2s²) - s²/8 + const, the coefficients of
      // L(s + δ) - L(s) are a_1 = h²/s - s/4, a_2 = -3h²/(2s²) - 1/8 and
      // a_k = -(h²/2)·(k+1)·(-1/s)^k beyond; those of b'(s + δ)/b'(s) = exp(L(s + δ) - L(s))
      // follow as e_k = (1/k)·Σ_j j·a_j·e_{k-j}, and b(s + δ) - b(s) = b'(s)·Σ e_k·δ^{k+1}/(k+1).
      // One Newton step on that polynomial from the Householder step solves it to rounding;
      // the first neglected term bounds what the truncation leaves.
      const u = -1 / s;
      const c = -0.5 * h * h;
      const u2 = u * u;
      const a1 = 2 * c * u - 0.25 * s;
      const a2 = 3 * c * u2 - 0.125;
      const a3 = 4 * c * u2 * u;
      const a4 = 5 * c * u2 * u2;
      const a5 = 6 * c * u2 * u2 * u;
      const e1 = a1;
      const e2 = 0.5 * (a1 * e1 + 2 * a2);
      const e3 = (a1 * e2 + 2 * a2 * e1 + 3 * a3) / 3;
      const e4 = 0.25 * (a1 * e3 + 2 * a2 * e2 + 3 * a3 * e1 + 4 * a4);
      const e5 = 0.2 * (a1 * e4 + 2 * a2 * e3 + 3 * a3 * e2 + 4 * a4 * e1 + 5 * a5);
      const d = ds;
      const q = d * (1 + d * (0.5 * e1 + d * (e2 / 3 + d * (0.25 * e3 + d * (0.2 * e4))))) -
        newton;
      const qp = 1 + d * (e1 + d * (e2 + d * (e3 + d * e4)));
      ds = d - q / qp;
      const d2 = ds * ds;
      // Beyond the truncation, the step carries the rounding of b'(s) = e^{-(h²+t²)/2}/√(2π),
      // about (1 + h² + t²)·ε/2 relative, in proportion to its size.
      if (
        Math.abs(e5 * d2 * d2 * d2) <= 6 * TAYLOR_CONVERGED * s * Math.abs(qp) &&
        Math.abs(ds) * (1 + h * h + 0.25 * s * s) <= ROUNDED_VEGA_REACH * s
      ) return s + ds;
    }
    s += ds;
  }
  return s;
}

/**
 * Normalised implied volatility s = σ√T from a normalised Black price β = price/√(FK).
 *
 * @param beta normalised price (undiscounted price divided by √(FK))
 * @param x ln(F/K)
 * @param theta +1 call, -1 put
 * @param maxIterations Householder iterations after the rational guess (default 2)
 * @returns s >= 0; 0 when β equals the intrinsic value; NaN when β is below intrinsic, at or
 *   above the maximum (e^{θx/2}), or not a number
 */
export function normalisedImpliedVolatility(
  beta: number,
  x: number,
  theta: number,
  maxIterations: number = IMPLIED_VOLATILITY_MAX_ITERATIONS,
): number {
  if (!(beta >= 0) || x !== x) return NaN;
  // Maximum: a call is worth at most F, a put at most K; normalised, e^{θx/2}.
  if (beta >= Math.exp(0.5 * theta * x)) return NaN;
  let otmBeta = beta;
  let otmX = theta < 0 ? -x : x; // puts -> calls by reciprocal-strike symmetry
  if (otmX > 0) {
    // In the money: subtract intrinsic, then use the in-out duality b(x) = ι(x) + b(-x).
    otmBeta = beta - normalisedIntrinsic(otmX, 1);
    if (otmBeta < 0) return NaN;
    otmX = -otmX;
  }
  if (otmBeta === 0) return 0;
  return impliedNormalisedOtmCall(otmBeta, otmX, maxIterations);
}

/**
 * Black (forward) implied volatility σ from an undiscounted price, by Let's Be Rational.
 *
 * @param price undiscounted option price
 * @param F forward
 * @param K strike
 * @param T time to expiry in years
 * @param theta +1 call, -1 put
 * @returns σ (annual, decimal), 0 at intrinsic, NaN outside the no-arbitrage bounds
 *   (below intrinsic, at or above F for calls / K for puts), for T <= 0 or bad inputs
 */
export function blackImpliedVolatility(
  price: number,
  F: number,
  K: number,
  T: number,
  theta: number,
): number {
  if (!(F > 0 && K > 0 && T > 0)) return NaN;
  const intrinsic = Math.max(theta < 0 ? K - F : F - K, 0);
  if (!(price >= intrinsic)) {
    // A shortfall of a few ulp is rounding in the caller's discounting, not an arbitrage.
    return intrinsic - price <= INTRINSIC_ROUNDING_ULPS * DBL_EPSILON * intrinsic ? 0 : NaN;
  }
  if (price >= (theta < 0 ? K : F)) return NaN;
  const x = Math.log(F / K);
  let t = theta;
  let p = price;
  if (t * x > 0) {
    // In the money: work with the out-of-the-money counterpart's time value directly in
    // price space, which is exact for the subtraction (Sterbenz) when price ≈ intrinsic.
    p = Math.max(price - intrinsic, 0);
    t = -t;
  }
  // b_max = e^{x/2} of the out-of-the-money orientation is √(K/F) for a put (x -> -x) and √(F/K)
  // for a call: a square root instead of an exponential, and √(FK) = F·√(K/F) = K·√(F/K) then
  // comes with one multiplication.
  const bMax = t < 0 ? Math.sqrt(K / F) : Math.sqrt(F / K);
  const beta = p / ((t < 0 ? F : K) * bMax);
  if (beta === 0) return 0;
  const s = impliedNormalisedOtmCall(
    beta,
    t < 0 ? -x : x,
    IMPLIED_VOLATILITY_MAX_ITERATIONS,
    bMax,
  );
  return s / Math.sqrt(T);
}

/**
 * Undiscounted Black price of a call (θ = 1) or put (θ = -1) on a forward, computed through the
 * normalised Black function so that far out-of-the-money prices keep full relative accuracy.
 *
 * @param F forward
 * @param K strike
 * @param sigma volatility (annual, decimal)
 * @param T time in years
 * @param theta +1 call, -1 put
 * @returns the undiscounted price
 */
export function blackPrice(F: number, K: number, sigma: number, T: number, theta: number): number {
  const intrinsic = Math.max(theta < 0 ? K - F : F - K, 0);
  const s = sigma * Math.sqrt(T);
  if (!(s > 0)) return s === 0 ? intrinsic : NaN;
  // Price the out-of-the-money counterpart, a call on x = -|ln(F/K)| (in-out duality and
  // reciprocal-strike symmetry), and add intrinsic; e^{x/2} is then √(min/max) of F and K.
  // √(FK) = max(F, K)·√(min/max): one square root serves both.
  const otmX = -Math.abs(Math.log(F / K));
  const bMax = F < K ? Math.sqrt(F / K) : Math.sqrt(K / F);
  return intrinsic + (F < K ? K : F) * bMax * otmCallAndVega(otmX, s, bMax);
}
