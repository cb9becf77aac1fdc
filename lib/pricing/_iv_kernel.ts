/**
 * The loop of impliedVolArray over a range of options, shared by the calling thread and the
 * helper thread that takes half of a large array (see _iv_threads.ts).
 *
 * @module
 */
import { blackImpliedVolatility } from "./lets_be_rational.ts";

/** Type code of a put (the ChainStore's TYPE_PUT). */
const PUT = 1;

/**
 * Implied volatilities of options [from, to) into `out` (Let's Be Rational on the forward).
 * Entries whose price is outside the no-arbitrage bounds, or with T <= 0 or S <= 0, are NaN.
 */
export function impliedVolRange(
  types: Uint8Array,
  spots: Float64Array,
  strikes: Float64Array,
  years: Float64Array,
  prices: Float64Array,
  r: number,
  q: number,
  out: Float64Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const T = years[i];
    const S = spots[i];
    if (!(T > 0 && S > 0)) {
      out[i] = NaN;
      continue;
    }
    const carry = (r - q) * T;
    const growth = carry === 0 ? 1 : Math.exp(carry);
    out[i] = blackImpliedVolatility(
      prices[i] * (q === 0 ? growth : Math.exp(r * T)),
      S * growth,
      strikes[i],
      T,
      types[i] === PUT ? -1 : 1,
    );
  }
}
