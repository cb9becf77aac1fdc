/**
 * A chain row as an option leg: the one place that reads a row's quote and greeks into a
 * record and turns the chain's option-type code into "call" or "put".
 *
 * @module
 */
import { type ChainStore, TYPE_PUT } from "../data/chain_store.ts";
import type { OptionType } from "../pricing/black_scholes.ts";
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
 * Row i of a store as a leg: strike, type, quote, greeks, IV, open interest and volume.
 *
 * @param store the chain
 * @param i row index
 */
export function legOf(store: ChainStore, i: number): SpreadLeg {
  const c = store.columns;
  return {
    ...quoteOf(store, i),
    strike: c.strike[i],
    type: optionTypeOf(c.type[i]),
    rho: c.rho[i],
    iv: c.iv[i],
    openInterest: c.openInterest[i],
    volume: c.volume[i],
  };
}
