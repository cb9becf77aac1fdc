/**
 * The domain types of a credit spread: the strategy types and their legs, the spread as listed
 * on a day, and a candidate that has passed the entry filters, priced after slippage and scored,
 * with the rationale of its entry.
 *
 * Units: prices in dollars per share, strikes and widths in dollars, DTE in calendar days.
 * Spread greeks are the position's, per share: the short leg counts negative and the long leg
 * positive (see spreadGreeks), so a credit spread shows positive theta and negative vega.
 *
 * @module
 */
import type { Greeks, OptionType } from "../pricing/black_scholes.ts";

/**
 * What a position is: "bull_put" (short put above a long put), "bear_call" (short call below a
 * long call) or "iron_condor" (a bull put and a bear call on the same expiry, one 4-leg order).
 */
export type SpreadType = "bull_put" | "bear_call" | "iron_condor";

/** A leg's part in a position: the option sold or bought on the put or the call side. */
export type LegRole = "short_put" | "long_put" | "short_call" | "long_call";

/**
 * The legs of each spread type, in order: the put side first (short, then long), then the call
 * side. Every per-leg quantity of a position (fills, marks, greeks) follows this order.
 *
 * @example An iron condor has four legs, a vertical two
 * ```ts
 * import assert from "node:assert/strict";
 * import { LEGS_OF } from "./spread.ts";
 * assert.deepEqual(LEGS_OF.iron_condor, ["short_put", "long_put", "short_call", "long_call"]);
 * assert.equal(LEGS_OF.bear_call.length, 2);
 * ```
 */
export const LEGS_OF: Readonly<Record<SpreadType, readonly LegRole[]>> = {
  bull_put: ["short_put", "long_put"],
  bear_call: ["short_call", "long_call"],
  iron_condor: ["short_put", "long_put", "short_call", "long_call"],
};

/**
 * Whether a leg role is an option sold (short) rather than bought.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isShortLeg } from "./spread.ts";
 * assert.equal(isShortLeg("short_call"), true);
 * assert.equal(isShortLeg("long_put"), false);
 * ```
 */
export function isShortLeg(role: LegRole): boolean {
  return role === "short_put" || role === "short_call";
}

/**
 * Whether a leg role is a put.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPutLeg } from "./spread.ts";
 * assert.equal(isPutLeg("long_put"), true);
 * assert.equal(isPutLeg("short_call"), false);
 * ```
 */
export function isPutLeg(role: LegRole): boolean {
  return role === "short_put" || role === "long_put";
}

/** A leg's quote and greeks on a day (greeks with their market signs, per share). */
export interface LegQuote {
  /** Bid, dollars per share. */
  bid: number;
  /** Ask, dollars per share. */
  ask: number;
  /** Delta per $1. */
  delta: number;
  /** Gamma per $1. */
  gamma: number;
  /** Theta, dollars per calendar day. */
  theta: number;
  /** Vega, dollars per volatility point. */
  vega: number;
}

/** One leg of a spread as quoted on the day. */
export interface SpreadLeg extends LegQuote {
  /** Strike, dollars. */
  strike: number;
  /** "call" or "put". */
  type: OptionType;
  /** Rho, dollars per rate point. */
  rho: number;
  /** Implied volatility, annual decimal. */
  iv: number;
  /** Open interest, contracts. */
  openInterest: number;
  /** Volume that day, contracts. */
  volume: number;
}

/**
 * A credit spread on one underlying and day: a vertical, or an iron condor (whose put side is
 * in `shortLeg`/`longLeg` and call side in `callShortLeg`/`callLongLeg`).
 */
export interface CreditSpread {
  /** Ticker. */
  underlying: string;
  /** Bull put, bear call or iron condor. */
  spreadType: SpreadType;
  /** Trade date, YYYY-MM-DD. */
  date: string;
  /** Expiry, YYYY-MM-DD. */
  expiration: string;
  /** Calendar days to expiry. */
  dte: number;
  /** Underlying price in the day's snapshot, dollars. */
  underlyingPrice: number;
  /** The option sold (an iron condor's short put). */
  shortLeg: SpreadLeg;
  /** The option bought, further out of the money (an iron condor's long put). */
  longLeg: SpreadLeg;
  /** An iron condor's short call (absent for a vertical). */
  callShortLeg?: SpreadLeg;
  /** An iron condor's long call (absent for a vertical). */
  callLongLeg?: SpreadLeg;
  /** |short strike - long strike|, dollars (an iron condor's: the wider side's). */
  width: number;
  /** The position's greeks per share (the long legs' minus the short legs'). */
  greeks: Greeks;
}

/** The four weighted terms of a candidate's score, and their sum. */
export interface ScoreTerms {
  /** Weight × expected value / max loss. */
  expected_value: number;
  /** Weight × IV percentile / 100. */
  iv_percentile: number;
  /** Weight × (short_delta_max - |delta|) / (short_delta_max - short_delta_min). */
  delta_distance: number;
  /** Weight × credit / width. */
  credit_width: number;
  /** The score: the sum of the four terms. */
  total: number;
}

/** One entry filter's value against its threshold. */
export interface FilterCheck {
  /** The configuration key(s) of the filter, e.g. "min_credit_pct". */
  filter: string;
  /** The candidate's value (null when the filter is off). */
  value: number | null;
  /** The rule it met, e.g. ">= 0.25 × 5 = 1.25 and < 5", "in [30, 45]". */
  rule: string;
}

/** Why a spread qualified: each filter's value against its threshold, and the score's terms. */
export interface EntryRationale {
  /** The filters, in the scanner's order. */
  filters: FilterCheck[];
  /** The score's terms. */
  score: ScoreTerms;
}

/** A spread that passed every entry filter, priced after slippage and scored. */
export interface SpreadCandidate extends CreditSpread {
  /** Credit after slippage, dollars per share (an iron condor's total). */
  credit: number;
  /** Width - credit, dollars per share. */
  maxLoss: number;
  /**
   * Risk-neutral probability that the short strike finishes in the money (an iron condor's:
   * that either does).
   */
  pItm: number;
  /** Expected value at expiry, dollars per share (see lib/strategy/expected_value.ts). */
  expectedValue: number;
  /** The underlying's IV percentile that day (0-100), null while its history is short. */
  ivPercentile: number | null;
  /** The score and its terms. */
  score: ScoreTerms;
  /** Each filter against its threshold. */
  rationale: EntryRationale;
}
