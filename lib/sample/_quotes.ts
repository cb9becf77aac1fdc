/**
 * The quote model shared by the sample and the full-density market generators: an ATM volatility
 * term structure mean-reverting to the underlying's long-run level, a quadratic smile, bid/ask
 * around the Black-Scholes value widening with stress and distance from the money, open interest
 * and volume peaking at the money and on monthly expiries, and the data defects a real feed has.
 *
 * @module
 */
import { bsGreeks, bsPrice } from "../pricing/black_scholes.ts";
import type { Random } from "../data/random.ts";
import type { ChainBuffer } from "./_chain_buffer.ts";

/** What the quote model needs of an underlying. */
export interface QuotedUnderlying {
  /** Long-run ATM volatility the term structure reverts to. */
  longRunVol: number;
  /** Scale of the bid-ask width. */
  spreadFactor: number;
  /** Open interest of an at-the-money contract, before the random factor. */
  baseOpenInterest: number;
}

/** Per-row defect probabilities. */
export interface QuoteDefects {
  crossed: number;
  zeroBid: number;
  badGreeks: number;
  duplicate: number;
}

/** One expiry's quoting state on one day, filled by {@link quoteExpiry} and reused per contract. */
export interface ExpiryQuote {
  day: number;
  expiry: number;
  dte: number;
  /** Years to expiry (at least a quarter of a day). */
  T: number;
  r: number;
  /** Spot the contracts are priced at (the escrowed-dividend spot when dividends go ex). */
  S: number;
  /** Stock price written in the rows. */
  stockPrice: number;
  forward: number;
  /** ATM volatility × √T: the strike grid's and the smile's unit. */
  sd: number;
  atm: number;
  stress: number;
  monthly: boolean;
}

/** A fresh, zeroed {@link ExpiryQuote} to fill. */
export function newExpiryQuote(): ExpiryQuote {
  return {
    day: 0,
    expiry: 0,
    dte: 0,
    T: 0,
    r: 0,
    S: 0,
    stockPrice: 0,
    forward: 0,
    sd: 0,
    atm: 0,
    stress: 0,
    monthly: false,
  };
}

/**
 * Fills `q` for one expiry: the ATM volatility from today's level `current` decaying to the
 * underlying's long-run level (mean reversion speed 4 per year, averaged over the expiry), the
 * forward and the standard deviation of log price to expiry. With dividends going ex before
 * the expiry (their present value `pvDividends`), the contracts are priced on the
 * escrowed-dividend spot S − pvDividends, whose forward is the stock's net of the dividends.
 */
export function quoteExpiry(
  q: ExpiryQuote,
  spec: QuotedUnderlying,
  day: number,
  expiry: number,
  S: number,
  r: number,
  current: number,
  pvDividends = 0,
): void {
  const dte = expiry - day;
  const T = Math.max(dte, 0.25) / 365;
  const kappa = 4;
  q.day = day;
  q.expiry = expiry;
  q.dte = dte;
  q.T = T;
  q.r = r;
  q.S = S - pvDividends;
  q.atm = spec.longRunVol + (current - spec.longRunVol) * (1 - Math.exp(-kappa * T)) / (kappa * T);
  q.forward = q.S * Math.exp(r * T);
  q.sd = q.atm * Math.sqrt(T);
}

/**
 * Prices one contract of strike K (type 1 a put, 0 a call) on the smile and appends its row, with
 * its defects: crossed quote, zero bid, a NaN delta or a negative IV, and a duplicated row. Draws
 * from `rng` in a fixed order (open interest, volume, defect, [bad-greeks kind], duplicate), so
 * the same seed writes the same rows.
 */
export function pushQuote(
  buffer: ChainBuffer,
  rng: Random,
  spec: QuotedUnderlying,
  q: ExpiryQuote,
  K: number,
  type: number,
  defects: QuoteDefects,
): void {
  const kind = type === 1 ? "put" : "call";
  const z = Math.log(K / q.forward) / q.sd;
  const zc = Math.max(-6, Math.min(6, z));
  const vol = Math.max(0.4 * q.atm, q.atm * (1 - 0.1 * zc + 0.015 * zc * zc));
  const theo = bsPrice(kind, q.S, K, q.T, q.r, vol);
  const g = bsGreeks(kind, q.S, K, q.T, q.r, vol);
  const width = 0.01 + spec.spreadFactor * q.stress * (0.004 * theo + 0.004 * Math.abs(z));
  let bid = Math.max(0, Math.floor((theo - width / 2) * 100) / 100);
  let ask = Math.max(0.01, Math.ceil((theo + width / 2) * 100) / 100);
  const liquidity = Math.exp(-0.5 * (z / 1.6) ** 2) * (q.monthly ? 2.5 : 1) *
    (q.dte <= 7 ? 0.6 : 1);
  const oi = Math.round(spec.baseOpenInterest * liquidity * (0.5 + rng.uniform()));
  const volume = Math.round(oi * (0.02 + 0.12 * rng.uniform()) * q.stress);
  let delta = g.delta;
  let iv = vol;
  const defect = rng.uniform();
  if (defect < defects.crossed) {
    [bid, ask] = [ask + 0.05, bid];
  } else if (defect < defects.crossed + defects.zeroBid) {
    bid = 0;
  } else if (defect < defects.crossed + defects.zeroBid + defects.badGreeks) {
    if (rng.uniform() < 0.5) delta = NaN;
    else iv = -1;
  }
  const i = buffer.push();
  buffer.day[i] = q.day;
  buffer.expiry[i] = q.expiry;
  buffer.strike[i] = K;
  buffer.type[i] = type;
  buffer.bid[i] = bid;
  buffer.ask[i] = ask;
  buffer.volume[i] = volume;
  buffer.oi[i] = oi;
  buffer.stock[i] = q.stockPrice;
  buffer.delta[i] = delta;
  buffer.gamma[i] = g.gamma;
  buffer.theta[i] = g.theta;
  buffer.vega[i] = g.vega;
  buffer.rho[i] = g.rho;
  buffer.iv[i] = iv;
  if (rng.uniform() < defects.duplicate) buffer.duplicate(i);
}
