/**
 * Pricing layer: the standard normal distribution to double precision, Black-Scholes-Merton
 * prices and greeks, implied volatility by Jäckel's "Let's Be Rational", vectorized chain
 * kernels and spread greeks. Independent of every other layer.
 *
 * @module
 */
export * from "./normal.ts";
export * from "./erf_cody.ts";
export * from "./black_scholes.ts";
export * from "./lets_be_rational.ts";
export * from "./normalised_black.ts";
export * from "./vectorized.ts";
export * from "./spread.ts";
export * from "./fills.ts";
export * from "./ties.ts";
export * from "./greeks_check.ts";
