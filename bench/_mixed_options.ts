/**
 * The pricing benchmarks' option set: a deterministic mix of calls and puts, 1-730 days,
 * 5%-150% volatility, strikes within ±40% of the spot.
 *
 * @module
 */

/** Inputs of a mixed option set, as typed arrays of one length. */
export interface MixedOptions {
  /** 0 for a call, 1 for a put. */
  types: Uint8Array;
  /** Spot prices, 50 to 500. */
  spots: Float64Array;
  /** Strikes, 0.6 to 1.4 times the spot. */
  strikes: Float64Array;
  /** Years to expiry, 1 to 730 calendar days / 365. */
  years: Float64Array;
  /** Volatilities, 0.05 to 1.5. */
  vols: Float64Array;
}

/**
 * The same `n` options on every call (a fixed linear congruential generator, seed 12345).
 *
 * @param n how many options
 * @returns the options' types, spots, strikes, years and volatilities
 */
export function mixedOptions(n: number): MixedOptions {
  const types = new Uint8Array(n);
  const spots = new Float64Array(n);
  const strikes = new Float64Array(n);
  const years = new Float64Array(n);
  const vols = new Float64Array(n);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    types[i] = rand() < 0.5 ? 0 : 1;
    spots[i] = 50 + 450 * rand();
    strikes[i] = spots[i] * (0.6 + 0.8 * rand());
    years[i] = (1 + Math.floor(730 * rand())) / 365;
    vols[i] = 0.05 + 1.45 * rand();
  }
  return { types, spots, strikes, years, vols };
}
