/**
 * The entry funnel: what passed each entry filter over a run, in the scanner's order. Each
 * stage counts in its own unit: underlying-days scanned, expiries in the DTE band, short legs,
 * spreads, entries. When a run enters nothing, the first stage that let nothing through is the
 * filter that stopped every candidate.
 *
 * @module
 */
import { type SideParams, sidesOf, type SimParams } from "./params.ts";

/** Index of each stage in a funnel count array. */
export const Stage = {
  /** Underlying-days scanned (a snapshot present, room for a position). */
  Scans: 0,
  /** Of those, with the IV percentile at least `iv_percentile_min` (all when off). */
  IvPercentile: 1,
  /**
   * Expiries within [dte_min, dte_max]: of each option type scanned (puts, calls or both), and
   * for iron condors the put expiries.
   */
  Dte: 2,
  /** Usable short legs with |delta| within their side's [short_delta_min, short_delta_max]. */
  ShortDelta: 3,
  /** Of those, liquid (open interest, volume, bid-ask share of mid). */
  ShortLiquidity: 4,
  /**
   * Verticals with a usable long leg within their side's [spread_width_min, spread_width_max]
   * (for iron condors: the sides they are paired from).
   */
  Width: 5,
  /**
   * Of those, with min_credit_pct × width <= credit < width (iron condors: the pairs of an
   * expiry's put and call sides whose total credit meets it against the wider width).
   */
  MinCredit: 6,
  /** Of those, with liquid long legs: the candidates. */
  LongLiquidity: 7,
  /** Candidates entered (after ranking, max entries, max positions and sizing). */
  Entries: 8,
  /**
   * Not a stage passed but a count of skips: call-side expiries in the DTE band skipped by
   * `avoid_ex_dividend_days` (an iron condor's expiry, both its sides).
   */
  ExDividend: 9,
} as const;

/** Number of counts (the stages and the ex-dividend skips). */
export const FUNNEL_SIZE = 10;

/** What passed each stage of the entry filters over a run (see {@link Stage}). */
export interface EntryFunnel {
  /** Underlying-days scanned. */
  scans: number;
  /** Underlying-days passing the IV-percentile filter. */
  iv_percentile: number;
  /** Expiries in the DTE band. */
  dte: number;
  /** Short legs in the delta band. */
  short_delta: number;
  /** Liquid short legs. */
  short_liquidity: number;
  /** Spreads in the width band. */
  width: number;
  /** Spreads with enough credit. */
  min_credit: number;
  /** Candidates (liquid long leg). */
  long_liquidity: number;
  /** Positions entered. */
  entries: number;
  /**
   * Call-side expiries in the DTE band skipped by `avoid_ex_dividend_days` (present only when
   * that filter is on).
   */
  ex_dividend?: number;
}

const KEYS = [
  "scans",
  "iv_percentile",
  "dte",
  "short_delta",
  "short_liquidity",
  "width",
  "min_credit",
  "long_liquidity",
  "entries",
] as const;

/**
 * A funnel count array as a record.
 *
 * @param counts counts indexed by {@link Stage}
 * @param options `exDividend`: include the ex-dividend skips (avoid_ex_dividend_days is on)
 * @returns the named counts
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { funnelOf, Stage } from "./funnel.ts";
 * const counts = new Float64Array(9);
 * counts[Stage.MinCredit] = 12;
 * assert.equal(funnelOf(counts).min_credit, 12);
 * ```
 */
export function funnelOf(
  counts: ArrayLike<number>,
  options: { exDividend?: boolean } = {},
): EntryFunnel {
  const funnel = Object.fromEntries(
    KEYS.map((k, i) => [k, counts[i] ?? 0]),
  ) as unknown as EntryFunnel;
  if (options.exDividend) funnel.ex_dividend = counts[Stage.ExDividend] ?? 0;
  return funnel;
}

/**
 * The filter that let nothing through, in words, or null when some position was entered.
 *
 * @param funnel the run's funnel
 * @param p the parameters the run used (for the thresholds)
 * @returns e.g. "min_credit_pct: no spread's credit reached 25% of its width (0 of 5,310
 *   spreads in the width band)"
 *
 * @example The spec's values stop at the credit filter
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockingFilter, funnelOf } from "./funnel.ts";
 * import { paramsFromConfig } from "./params.ts";
 * import { loadConfig } from "./config.ts";
 * const p = paramsFromConfig(loadConfig("config/spec_example.toml"));
 * const funnel = funnelOf([100, 60, 120, 300, 250, 900, 0, 0, 0]);
 * assert.match(blockingFilter(funnel, p)!, /^min_credit_pct: .* 25% of its width \(0 of 900/);
 * ```
 */
export function blockingFilter(funnel: EntryFunnel, p: SimParams): string | null {
  if (funnel.entries > 0) return null;
  const n = (x: number) => x.toLocaleString("en-US");
  const pct = (x: number) => `${+(100 * x).toFixed(2)}%`;
  // A threshold of the sides scanned: one value, or "put a, call b" where the sides differ.
  const sides = sidesOf(p);
  const each = (f: (s: SideParams) => string) => {
    const values = sides.map(f);
    return values.length === 2 && values[0] !== values[1]
      ? `put ${values[0]}, call ${values[1]}`
      : values[0];
  };
  const f = funnel;
  if (f.scans === 0) return "no trading day with a snapshot of a configured underlying to scan";
  if (f.iv_percentile === 0) {
    return `iv_percentile_min: the IV percentile never reached ${p.ivPctMin} (0 of ${
      n(f.scans)
    } underlying-days; ${p.ivHistoryDays} days of history are needed first)`;
  }
  if (f.dte === 0) {
    return `dte_min/dte_max: no expiry ${p.dteMin}-${p.dteMax} days out (${
      n(f.iv_percentile)
    } underlying-days scanned)`;
  }
  if (f.short_delta === 0) {
    return `short_delta_min/short_delta_max: no usable short leg with |delta| in ${
      each((s) => `[${s.deltaMin}, ${s.deltaMax}]`)
    } (${n(f.dte)} expiries in the DTE band)`;
  }
  if (f.short_liquidity === 0) {
    return `min_open_interest/min_volume/max_bid_ask_pct: no short leg with open interest >= ${
      each((s) => `${s.minOpenInterest}`)
    }, volume >= ${each((s) => `${s.minVolume}`)} and bid-ask <= ${
      each((s) => pct(s.maxBidAskPct))
    } of mid (0 of ${n(f.short_delta)} in the delta band)`;
  }
  if (f.width === 0) {
    return `spread_width_min/spread_width_max: no usable long leg ${
      each((s) => `${s.widthMin}-${s.widthMax}`)
    } dollars further out (${n(f.short_liquidity)} liquid short legs)`;
  }
  if (f.min_credit === 0) {
    if (p.strategy === "iron_condor") {
      return `min_credit_pct: no iron condor's total credit reached ${
        pct(p.put.minCreditPct)
      } of its wider side's width (${n(f.width)} sides in the width band)`;
    }
    return `min_credit_pct: no spread's credit reached ${
      each((s) => pct(s.minCreditPct))
    } of its width (0 of ${n(f.width)} spreads in the width band)`;
  }
  if (f.long_liquidity === 0) {
    return `min_open_interest/min_volume/max_bid_ask_pct: no spread with a liquid long leg (0 of ${
      n(f.min_credit)
    } spreads with enough credit)`;
  }
  return `position_sizing: ${
    n(f.long_liquidity)
  } candidates, none sized to at least one contract within max_risk_per_trade_pct, max_portfolio_heat_pct and max_correlated_exposure_pct`;
}
