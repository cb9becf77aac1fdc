/**
 * The entry funnel: what passed each entry filter over a run, in the scanner's order. Each
 * stage counts in its own unit: underlying-days scanned, expiries in the DTE band, short legs,
 * spreads, entries. When a run enters nothing, the first stage that let nothing through is the
 * filter that stopped every candidate.
 *
 * @module
 */
import { type RuleParams, type SideParams, sidesOf, type SimParams } from "./params.ts";

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
  // The risk rules' stages (rule_filters.ts, simulation/rule_constraints.ts): NaN when off.
  /** Underlying-days with the IV rank at least `iv_rank_min`. */
  IvRank: 9,
  /** Of those, with the IV / HV ratio at least `iv_hv_ratio_min`. */
  IvHvRatio: 10,
  /** Of those, with the VIX close within [`vix_min`, `vix_max`]. */
  Vix: 11,
  /** Of those, in contango (`require_contango`). */
  Contango: 12,
  /** Candidates skipped: the net dollar delta would leave ± `max_net_delta_pct` of equity. */
  NetDeltaSkips: 13,
  /** Candidates skipped: the net theta would fall below `min_net_theta`. */
  NetThetaSkips: 14,
  /** Candidates skipped: no contract fits `max_risk_per_underlying_pct`. */
  UnderlyingRiskSkips: 15,
  /** Candidates skipped: no contract fits `max_volume_share` of a leg's volume. */
  VolumeShareSkips: 16,
  /** Entries whose contracts `max_contracts` capped. */
  MaxContractsCaps: 17,
  /**
   * Call-side expiries in the DTE band skipped by `avoid_ex_dividend_days` (an iron condor's
   * expiry, both its sides); NaN when off.
   */
  ExDividend: 18,
} as const;

/** Number of stages. */
export const FUNNEL_SIZE = 19;

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
  /** Underlying-days passing `iv_rank_min` (when set). */
  iv_rank?: number;
  /** Underlying-days passing `iv_hv_ratio_min` (when set). */
  iv_hv_ratio?: number;
  /** Underlying-days passing `vix_min`/`vix_max` (when set). */
  vix?: number;
  /** Underlying-days passing `require_contango` (when true). */
  contango?: number;
  /** Candidates skipped by `max_net_delta_pct` (when set). */
  net_delta_skips?: number;
  /** Candidates skipped by `min_net_theta` (when set). */
  net_theta_skips?: number;
  /** Candidates skipped by `max_risk_per_underlying_pct` (when set). */
  underlying_risk_skips?: number;
  /** Candidates skipped by `max_volume_share` (when set). */
  volume_share_skips?: number;
  /** Entries capped by `max_contracts` (when set). */
  max_contracts_caps?: number;
  /** Call-side expiries skipped by `avoid_ex_dividend_days` (when set). */
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
  "iv_rank",
  "iv_hv_ratio",
  "vix",
  "contango",
  "net_delta_skips",
  "net_theta_skips",
  "underlying_risk_skips",
  "volume_share_skips",
  "max_contracts_caps",
  "ex_dividend",
] as const;

/** The stages in the order a funnel record lists them (the rules' day filters after the IV percentile, their limits before the entries). */
const ORDER: readonly number[] = [
  0,
  1,
  9,
  10,
  11,
  12,
  2,
  18,
  3,
  4,
  5,
  6,
  7,
  13,
  14,
  15,
  16,
  17,
  8,
];

/** The first index of the risk rules' stages: absent from a record when NaN (the rule off). */
const FIRST_RULE_STAGE = 9;

/**
 * A funnel count array as a record.
 *
 * @param counts counts indexed by {@link Stage}
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
export function funnelOf(counts: ArrayLike<number>): EntryFunnel {
  const out: Record<string, number> = {};
  for (const i of ORDER) {
    const v = counts[i];
    if (i >= FIRST_RULE_STAGE) {
      if (v !== undefined && v === v) out[KEYS[i]] = v;
    } else out[KEYS[i]] = v ?? 0;
  }
  return out as unknown as EntryFunnel;
}

/**
 * The count array of a funnel record (the inverse of {@link funnelOf}): the rules' stages it
 * lacks are NaN.
 *
 * @param funnel a funnel
 * @returns counts indexed by {@link Stage}
 */
export function funnelCounts(funnel: EntryFunnel): Float64Array {
  const counts = new Float64Array(FUNNEL_SIZE);
  KEYS.forEach((k, i) => {
    const v = (funnel as unknown as Record<string, number | undefined>)[k];
    counts[i] = v ?? (i >= FIRST_RULE_STAGE ? NaN : 0);
  });
  return counts;
}

/**
 * Entry funnels summed stage by stage. A rule stage that one funnel lacks (its rule was off
 * there) counts as passing everything in a day filter (the count of the stage before it) and
 * as nothing in a limit; a stage every funnel lacks stays absent.
 *
 * @param funnels the funnels
 * @returns their sum
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { funnelOf, sumFunnels } from "./funnel.ts";
 * const a = funnelOf([10, 8, 5, 4, 3, 2, 1, 1, 1]);
 * const b = { ...funnelOf([10, 9, 5, 4, 3, 2, 1, 1, 0]), vix: 6 };
 * const sum = sumFunnels([a, b]);
 * assert.equal(sum.scans, 20);
 * assert.equal(sum.vix, 8 + 6); // a's VIX filter was off: its 8 passed
 * assert.equal(sumFunnels([a, a]).vix, undefined);
 * ```
 */
export function sumFunnels(funnels: readonly EntryFunnel[]): EntryFunnel {
  const total = new Float64Array(FUNNEL_SIZE).fill(0);
  const present = new Uint8Array(FUNNEL_SIZE);
  for (const f of funnels) {
    const counts = funnelCounts(f);
    let previous = 0;
    for (const i of ORDER) {
      let v = counts[i];
      if (v !== v) v = i <= Stage.Contango ? previous : 0;
      else present[i] = 1;
      total[i] += v;
      if (i <= Stage.Contango) previous = v; // the stages up to the day filters
    }
  }
  for (let i = FIRST_RULE_STAGE; i < FUNNEL_SIZE; i++) if (!present[i]) total[i] = NaN;
  return funnelOf(total);
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
  const day = ruleDayBlock(f, p, n);
  if (day) return day;
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
  const limits = [
    ["max_net_delta_pct", f.net_delta_skips],
    ["min_net_theta", f.net_theta_skips],
    ["max_risk_per_underlying_pct", f.underlying_risk_skips],
    ["max_volume_share", f.volume_share_skips],
  ].filter(([, x]) => (x as number) > 0).map(([k, x]) => `${n(x as number)} skipped by ${k}`);
  return `position_sizing: ${n(f.long_liquidity)} candidates${
    limits.length ? ` (${limits.join(", ")})` : ""
  }, none sized to at least one contract within max_risk_per_trade_pct, max_portfolio_heat_pct and max_correlated_exposure_pct`;
}

/** The risk rules' day filter that let no underlying-day through, in words, or null. */
function ruleDayBlock(f: EntryFunnel, params: SimParams, n: (x: number) => string): string | null {
  const p = params.rules;
  if (!p) return null;
  let before = f.iv_percentile;
  const stages: Array<[number | undefined, string]> = [
    [f.iv_rank, `iv_rank_min: the IV rank never reached ${p.ivRankMin}`],
    [f.iv_hv_ratio, `iv_hv_ratio_min: the IV / HV ratio never reached ${p.ivHvRatioMin}`],
    [f.vix, `vix_min/vix_max: the VIX close was never ${vixBand(p)}`],
    [f.contango, "require_contango: the front expiry's ATM IV was never at or below the next's"],
  ];
  for (const [count, what] of stages) {
    if (count === undefined) continue;
    if (count === 0) return `${what} (0 of ${n(before)} underlying-days)`;
    before = count;
  }
  return null;
}

/** The VIX band of the parameters in words, e.g. ">= 15 and <= 30". */
function vixBand(p: RuleParams): string {
  const min = p.vixMin === p.vixMin ? `>= ${p.vixMin}` : null;
  const max = p.vixMax === p.vixMax ? `<= ${p.vixMax}` : null;
  return [min, max].filter((x) => x !== null).join(" and ");
}
