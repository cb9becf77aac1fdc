/**
 * Numerical constants of the pricing layer, written to full double precision so that no
 * expression is re-evaluated at run time and every magic number has one home.
 *
 * @module
 */

/** Machine epsilon of IEEE-754 binary64: 2^-52. */
export const DBL_EPSILON = Number.EPSILON;
/** Smallest positive normal binary64 number: 2^-1022. */
export const DBL_MIN = 2.2250738585072014e-308;
/** Largest finite binary64 number. */
export const DBL_MAX = Number.MAX_VALUE;
/** sqrt(DBL_EPSILON). */
export const SQRT_DBL_EPSILON = 1.4901161193847656e-8;
/** DBL_EPSILON^(1/4). */
export const FOURTH_ROOT_DBL_EPSILON = 1.220703125e-4;
/** DBL_EPSILON^(1/16). */
export const SIXTEENTH_ROOT_DBL_EPSILON = 0.10511205190671431;
/** sqrt(DBL_MIN). */
export const SQRT_DBL_MIN = 1.4916681462400413e-154;
/** sqrt(DBL_MAX). */
export const SQRT_DBL_MAX = 1.3407807929942596e154;

/** 1/sqrt(2). */
export const ONE_OVER_SQRT_TWO = 0.7071067811865475244008443621048490392848359376887;
/** 1/sqrt(2 pi): the standard normal density at 0. */
export const ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343818684758586311649;
/** sqrt(2 pi). */
export const SQRT_TWO_PI = 2.506628274631000502415765284811045253006986740610;
/** 2 pi. */
export const TWO_PI = 6.283185307179586476925286766559005768394338798750;
/** sqrt(pi / 2). */
export const SQRT_PI_OVER_TWO = 1.253314137315500251207882642405522626503493370305;
/** sqrt(3). */
export const SQRT_THREE = 1.732050807568877293527446341505872366942805253810;
/** sqrt(1/3). */
export const SQRT_ONE_OVER_THREE = 0.577350269189625764509148780501957455647601751270;
/** 2 pi / sqrt(27): the constant of Jaeckel's lower map f_l (2016, eq. 4.5). */
export const TWO_PI_OVER_SQRT_TWENTY_SEVEN = 1.209199576156145233729385505094770488189377498728;
/** pi / 6. */
export const PI_OVER_SIX = 0.523598775598298873077107230546583814032861566563;
/** 1/sqrt(pi), Cody's SQRPI. */
export const ONE_OVER_SQRT_PI = 0.56418958354775628695;
