/**
 * Pricing layer: the standard normal distribution to double precision, Black-Scholes-Merton
 * prices and greeks, implied volatility by Jäckel's "Let's Be Rational", whole-chain kernels
 * over typed arrays, spread (position) greeks, ORATS fill prices, inclusive thresholds that
 * hold on paper, and the comparison of published greeks with ours. It reads nothing of the
 * other layers but the option-type codes of the data layer's chain columns.
 *
 * The erfc/erfcx kernels (erf_cody.ts), the normalised Black function (normalised_black.ts),
 * the rational cubic interpolation (rational_cubic.ts) and the numeric constants are the
 * implementation behind these; import them from their modules when needed.
 *
 * @module
 */
export { inverseNormCdf, normCdf, normCdfAbramowitzStegun, normPdf } from "./normal.ts";
export {
  bsGreeks,
  bsPrice,
  type Greeks,
  impliedVol,
  type OptionType,
  probItm,
} from "./black_scholes.ts";
export { blackImpliedVolatility, blackPrice } from "./lets_be_rational.ts";
export { bsPriceArray, impliedVolArray, type OptionArrays } from "./vectorized.ts";
export { chainGreeks, type ChainGreeksOutput } from "./chain_greeks.ts";
export { spreadGreeks } from "./spread.ts";
export { escrowedSpot } from "./dividends.ts";
export { buyFill, intrinsic, sellFill } from "./fills.ts";
export { atLeast, atMost, TIE_TOLERANCE, wholeUnits } from "./ties.ts";
export {
  compareGreeks,
  type DiffSummary,
  type GreeksCheck,
  type PublishedOption,
} from "./greeks_check.ts";
