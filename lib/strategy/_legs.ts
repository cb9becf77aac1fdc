/**
 * A chain row as an option leg: the one place that reads a row's quote and greeks into a
 * record and turns the chain's option-type code into "call" or "put".
 *
 * @module
 */
import { type ChainStore, TYPE_PUT } from "../data/chain_store.ts";
import { bsGreeks, type OptionType } from "../pricing/black_scholes.ts";
import type { LegQuote, SpreadLeg } from "./spread.ts";

/** "call" or "put" of a chain type code (TYPE_CALL, TYPE_PUT). */
export function optionTypeOf(code: number): OptionType {
  return code === TYPE_PUT ? "put" : "call";
}

/**
 * Row i's quote and greeks, written into `into` (no allocation: the engine marks held legs
 * every day) or into a new record.
 *
 * @param store the chain
 * @param i row index
 * @param into a quote to overwrite
 * @returns `into`, or a new quote
 */
export function quoteOf(store: ChainStore, i: number, into?: LegQuote): LegQuote {
  const c = store.columns;
  if (!into) {
    return {
      bid: c.bid[i],
      ask: c.ask[i],
      delta: c.delta[i],
      gamma: c.gamma[i],
      theta: c.theta[i],
      vega: c.vega[i],
    };
  }
  into.bid = c.bid[i];
  into.ask = c.ask[i];
  into.delta = c.delta[i];
  into.gamma = c.gamma[i];
  into.theta = c.theta[i];
  into.vega = c.vega[i];
  return into;
}

/**
 * Rho of row i, per 1 percentage point of rate: Black-Scholes at the row's IV, spot and DTE
 * (T = DTE / 365). The store does not keep the chain's published rho (8 bytes a row that
 * nothing in the hot path reads); rho is computed where a spread's greeks are reported.
 *
 * @param store the chain
 * @param i row index
 * @param rate risk-free rate, annual decimal
 * @returns dollars per share per rate point; NaN when the row's IV is unusable
 */
export function rowRho(store: ChainStore, i: number, rate: number): number {
  const c = store.columns;
  const years = (c.expiry[i] - c.day[i]) / 365;
  return bsGreeks(optionTypeOf(c.type[i]), c.stockPrice[i], c.strike[i], years, rate, c.iv[i])
    .rho;
}

/**
 * Row i of a store as a leg: strike, type, quote, greeks (rho from {@link rowRho}), IV, open
 * interest and volume.
 *
 * @param store the chain
 * @param i row index
 * @param rate risk-free rate for rho, annual decimal (default 0)
 */
export function legOf(store: ChainStore, i: number, rate = 0): SpreadLeg {
  const c = store.columns;
  return {
    ...quoteOf(store, i),
    strike: c.strike[i],
    type: optionTypeOf(c.type[i]),
    rho: rowRho(store, i, rate),
    iv: c.iv[i],
    openInterest: c.openInterest[i],
    volume: c.volume[i],
  };
}
