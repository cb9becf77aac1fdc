/**
 * Shape-preserving rational cubic interpolation of Delbourgo & Gregory, "Shape preserving
 * piecewise rational interpolation", SIAM J. Sci. Stat. Comput. 6 (1985), as used by Jäckel
 * (2016, §5) to build the initial guess for implied volatility. On [x_l, x_r] with values y and
 * slopes d at the ends and a control parameter r (r = 3 gives the ordinary cubic, r -> ∞ the
 * straight line), the interpolant is eq. (2.4)/(2.5) of Delbourgo & Gregory.
 *
 * @module
 */
import { DBL_EPSILON, DBL_MAX, DBL_MIN } from "./constants.ts";

/** Smallest admissible r: -(1 - sqrt(ε)); r must exceed -1 to keep the denominator positive. */
const MINIMUM_CONTROL = -(1 - Math.sqrt(DBL_EPSILON));
/** r at or beyond which the interpolant is evaluated as the straight line (2/ε²). */
const MAXIMUM_CONTROL = 2 / (DBL_EPSILON * DBL_EPSILON);

function isZero(x: number): boolean {
  return Math.abs(x) < DBL_MIN;
}

/**
 * Evaluates the rational cubic through (x_l, y_l) and (x_r, y_r) with end slopes d_l, d_r and
 * control parameter r at x.
 */
export function rationalCubicInterpolation(
  x: number,
  xL: number,
  xR: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  r: number,
): number {
  const h = xR - xL;
  if (Math.abs(h) <= 0) return 0.5 * (yL + yR);
  const t = (x - xL) / h;
  if (!(r >= MAXIMUM_CONTROL)) {
    const omt = 1 - t;
    const t2 = t * t;
    const omt2 = omt * omt;
    return (yR * t2 * t + (r * yR - h * dR) * t2 * omt + (r * yL + h * dL) * t * omt2 +
      yL * omt2 * omt) / (1 + (r - 3) * t * omt);
  }
  return yR * t + yL * (1 - t);
}

/** The r that makes the interpolant's second derivative at x_l equal to `secondL`. */
function controlToFitSecondDerivativeLeft(
  xL: number,
  xR: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  secondL: number,
): number {
  const h = xR - xL;
  const numerator = 0.5 * h * secondL + (dR - dL);
  if (isZero(numerator)) return 0;
  const denominator = (yR - yL) / h - dL;
  if (isZero(denominator)) return numerator > 0 ? MAXIMUM_CONTROL : MINIMUM_CONTROL;
  return numerator / denominator;
}

/** The r that makes the interpolant's second derivative at x_r equal to `secondR`. */
function controlToFitSecondDerivativeRight(
  xL: number,
  xR: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  secondR: number,
): number {
  const h = xR - xL;
  const numerator = 0.5 * h * secondR + (dR - dL);
  if (isZero(numerator)) return 0;
  const denominator = dR - (yR - yL) / h;
  if (isZero(denominator)) return numerator > 0 ? MAXIMUM_CONTROL : MINIMUM_CONTROL;
  return numerator / denominator;
}

/**
 * Smallest r that keeps the interpolant monotone (Delbourgo & Gregory eq. 3.8) and convex or
 * concave (eq. 3.18) where the data allow it; s is the secant slope.
 */
function minimumControl(dL: number, dR: number, s: number, preferShape: boolean): number {
  const monotonic = dL * s >= 0 && dR * s >= 0;
  const convex = dL <= s && s <= dR;
  const concave = dL >= s && s >= dR;
  if (!monotonic && !convex && !concave) return MINIMUM_CONTROL;
  const dRmdL = dR - dL;
  const dRms = dR - s;
  const smdL = s - dL;
  let r1 = -DBL_MAX;
  let r2 = -DBL_MAX;
  if (monotonic) {
    if (!isZero(s)) r1 = (dR + dL) / s;
    else if (preferShape) r1 = MAXIMUM_CONTROL;
  }
  if (convex || concave) {
    if (!(isZero(smdL) || isZero(dRms))) {
      r2 = Math.max(Math.abs(dRmdL / dRms), Math.abs(dRmdL / smdL));
    } else if (preferShape) r2 = MAXIMUM_CONTROL;
  } else if (monotonic && preferShape) r2 = MAXIMUM_CONTROL;
  return Math.max(MINIMUM_CONTROL, r1, r2);
}

/**
 * Control parameter that matches the second derivative at the left end, but never below the
 * shape-preserving minimum.
 */
export function convexControlFitLeft(
  xL: number,
  xR: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  secondL: number,
  preferShape: boolean,
): number {
  const r = controlToFitSecondDerivativeLeft(xL, xR, yL, yR, dL, dR, secondL);
  const rMin = minimumControl(dL, dR, (yR - yL) / (xR - xL), preferShape);
  return Math.max(r, rMin);
}

/**
 * Control parameter that matches the second derivative at the right end, but never below the
 * shape-preserving minimum.
 */
export function convexControlFitRight(
  xL: number,
  xR: number,
  yL: number,
  yR: number,
  dL: number,
  dR: number,
  secondR: number,
  preferShape: boolean,
): number {
  const r = controlToFitSecondDerivativeRight(xL, xR, yL, yR, dL, dR, secondR);
  const rMin = minimumControl(dL, dR, (yR - yL) / (xR - xL), preferShape);
  return Math.max(r, rMin);
}
