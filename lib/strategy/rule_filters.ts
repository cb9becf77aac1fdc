/**
 * The risk rules' entry filters, each checked once per underlying and day after the IV
 * percentile (and each off unless its `[entry]` key is set):
 * - `iv_rank_min`: the min-max IV rank, 100 × (IV − min) / (max − min) of the underlying's
 *   trailing `iv_history_days` values of the 30-day ATM IV (its own trading days with a value,
 *   today included: the IV percentile's window); NaN while the history is short or when the
 *   window's values are all equal;
 * - `iv_hv_ratio_min`: the 30-day ATM IV over the 20-day close-to-close realized volatility,
 *   the sample deviation (n − 1) of the last 20 log returns of the underlying's closes (the
 *   bars', else the chain's stock price, on the data's trading days, today's close included)
 *   × √252; NaN with fewer than 21 closes;
 * - `vix_min`, `vix_max`: the day's VIX close within the band (inclusive; a day without VIX
 *   fails);
 * - `require_contango`: the front expiry's ATM IV (the nearest expiry with DTE > 0; the mean of
 *   its call and put ATM IVs) at or below the next expiry's; a day without two such expiries
 *   fails.
 * Each filter counts the underlying-days that pass it in the entry funnel.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { TIE_TOLERANCE } from "../pricing/ties.ts";
import { Stage } from "./funnel.ts";
import { atmIvTable, groupAtmIv } from "./iv_rank.ts";
import type { RuleParams, SimParams } from "./params.ts";

/** Returns in the realized volatility of `iv_hv_ratio_min`. */
export const HV_DAYS = 20;

/**
 * Min-max IV rank (0-100) of each (underlying, day) over the trailing `historyDays` values of
 * the ATM IV (see the module doc).
 *
 * @param atm the 30-day ATM IV (atmIv30), indexed t·nDays + d
 * @param nTickers tickers
 * @param nDays calendar days
 * @param historyDays window length, trading days
 * @returns Float64Array indexed t·nDays + d
 *
 * @example Three values: the last one is at 50% of its window's range, the second at 100%
 * ```ts
 * import assert from "node:assert/strict";
 * import { ivRank } from "./rule_filters.ts";
 * const rank = ivRank(Float64Array.of(0.2, 0.3, NaN, 0.25), 1, 4, 2);
 * assert.deepEqual([...rank].map((x) => Number.isNaN(x) ? null : x), [null, 100, null, 0]);
 * assert.ok(Number.isNaN(ivRank(Float64Array.of(0.2, 0.2), 1, 2, 2)[1])); // no range
 * ```
 */
export function ivRank(
  atm: Float64Array,
  nTickers: number,
  nDays: number,
  historyDays: number,
): Float64Array {
  const out = new Float64Array(atm.length).fill(NaN);
  const window = new Float64Array(historyDays);
  for (let t = 0; t < nTickers; t++) {
    let count = 0;
    for (let d = 0; d < nDays; d++) {
      const v = atm[t * nDays + d];
      if (Number.isNaN(v)) continue;
      window[count % historyDays] = v;
      count++;
      if (count < historyDays) continue;
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < historyDays; i++) {
        if (window[i] < lo) lo = window[i];
        if (window[i] > hi) hi = window[i];
      }
      if (hi > lo) out[t * nDays + d] = 100 * (v - lo) / (hi - lo);
    }
  }
  return out;
}

/**
 * The 20-day close-to-close realized volatility of each (underlying, day), annualized with
 * √252 (see the module doc).
 *
 * @param closes the closes, indexed t·nDays + d (NaN: none that day)
 * @param nTickers tickers
 * @param nDays calendar days
 * @param days returns in the window (default 20)
 * @returns Float64Array indexed t·nDays + d
 *
 * @example Alternating returns of +1% and -1% in log terms: deviation √(n / (n − 1)) %
 * ```ts
 * import assert from "node:assert/strict";
 * import { realizedVol } from "./rule_filters.ts";
 * const closes = Float64Array.from({ length: 5 }, (_, i) => 100 * Math.exp(i % 2 ? 0.01 : 0));
 * const hv = realizedVol(closes, 1, 5, 4);
 * assert.ok(Number.isNaN(hv[3]));
 * assert.ok(Math.abs(hv[4] - 0.01 * Math.sqrt(4 / 3) * Math.sqrt(252)) < 1e-12);
 * ```
 */
export function realizedVol(
  closes: Float64Array,
  nTickers: number,
  nDays: number,
  days = HV_DAYS,
): Float64Array {
  const out = new Float64Array(closes.length).fill(NaN);
  const window = new Float64Array(days);
  for (let t = 0; t < nTickers; t++) {
    let count = 0;
    let last = NaN;
    for (let d = 0; d < nDays; d++) {
      const close = closes[t * nDays + d];
      if (!(close > 0)) continue;
      if (last > 0) {
        window[count % days] = Math.log(close / last);
        count++;
      }
      last = close;
      if (count < days) continue;
      let mean = 0;
      for (let i = 0; i < days; i++) mean += window[i];
      mean /= days;
      let ss = 0;
      for (let i = 0; i < days; i++) ss += (window[i] - mean) ** 2;
      out[t * nDays + d] = Math.sqrt(ss / (days - 1) * TRADING_DAYS_PER_YEAR);
    }
  }
  return out;
}

/**
 * Whether each (underlying, day) is in contango: the nearest expiry's ATM IV (DTE > 0) at or
 * below the next expiry's (1), or not (0); a day without two expiries with an ATM IV is 0.
 *
 * @param store the chain
 * @returns Uint8Array indexed t·nDays + d
 */
export function contangoTable(store: ChainStore): Uint8Array {
  const out = new Uint8Array(store.tickers.length * store.nDays);
  const g = store.data;
  for (let t = 0; t < store.tickers.length; t++) {
    for (let d = 0; d < store.nDays; d++) {
      const k = t * store.nDays + d;
      if (g.snapshotEnd[k] <= g.snapshotStart[k]) continue;
      const day = store.calendar[d];
      const spot = store.columns.stockPrice[g.snapshotStart[k]];
      let front = NaN;
      for (let q = g.snapshotGroupStart[k]; q < g.snapshotGroupEnd[k]; q++) {
        if (g.groupExpiry[q] - day <= 0) continue;
        let iv = groupAtmIv(store, g.groupStart[q], g.groupEnd[q], spot);
        if (q + 1 < g.snapshotGroupEnd[k] && g.groupExpiry[q + 1] === g.groupExpiry[q]) {
          const other = groupAtmIv(store, g.groupStart[q + 1], g.groupEnd[q + 1], spot);
          iv = Number.isNaN(iv) ? other : Number.isNaN(other) ? iv : 0.5 * (iv + other);
          q++;
        }
        if (!(iv > 0)) continue;
        if (Number.isNaN(front)) front = iv;
        else {
          out[k] = front <= iv + TIE_TOLERANCE ? 1 : 0;
          break;
        }
      }
    }
  }
  return out;
}

const rankCache = new WeakMap<ChainStore, Map<number, Float64Array>>();
const ratioCache = new WeakMap<ChainStore, Float64Array>();
const contangoCache = new WeakMap<ChainStore, Uint8Array>();

/** The contango table of a store, computed once per store. */
function cachedContango(store: ChainStore): Uint8Array {
  let table = contangoCache.get(store);
  if (!table) contangoCache.set(store, table = contangoTable(store));
  return table;
}

/** The IV rank table of a store for a look-back, computed once per store and look-back. */
function ivRankTable(store: ChainStore, historyDays: number): Float64Array {
  let byWindow = rankCache.get(store);
  if (!byWindow) rankCache.set(store, byWindow = new Map());
  let table = byWindow.get(historyDays);
  if (!table) {
    table = ivRank(atmIvTable(store), store.tickers.length, store.nDays, historyDays);
    byWindow.set(historyDays, table);
  }
  return table;
}

/** The IV / HV ratio table of a store, computed once per store. */
function ivHvRatioTable(store: ChainStore): Float64Array {
  let table = ratioCache.get(store);
  if (!table) {
    const hv = realizedVol(store.data.barClose, store.tickers.length, store.nDays);
    const atm = atmIvTable(store);
    table = atm.map((iv, k) => iv / hv[k]);
    ratioCache.set(store, table);
  }
  return table;
}

/** Whether any of the rules' day filters is on. */
export function dayFiltersOn(params: SimParams): boolean {
  const p = params.rules;
  if (!p) return false;
  return p.ivRankMin > 0 || p.ivHvRatioMin === p.ivHvRatioMin || p.vixMin === p.vixMin ||
    p.vixMax === p.vixMax || p.requireContango;
}

/**
 * The rules' day filters of one run: the tables they read, built once per store, and the check
 * of an underlying-day that counts what passes each filter.
 */
export class DayFilters {
  readonly #store: ChainStore;
  readonly #p: RuleParams;
  readonly #rank: Float64Array | null;
  readonly #ratio: Float64Array | null;
  readonly #contango: Uint8Array | null;

  /**
   * The filters of a run's parameters.
   *
   * @param store the chain
   * @param params parameters (the filters' keys, the IV rank's look-back)
   */
  constructor(store: ChainStore, params: SimParams) {
    const p = params.rules!;
    this.#store = store;
    this.#p = p;
    this.#rank = p.ivRankMin > 0 ? ivRankTable(store, params.ivHistoryDays) : null;
    this.#ratio = p.ivHvRatioMin === p.ivHvRatioMin ? ivHvRatioTable(store) : null;
    this.#contango = p.requireContango ? cachedContango(store) : null;
  }

  /**
   * Marks the funnel's stages of the filters that are off as absent (NaN); call after
   * zeroing it at the start of a run.
   *
   * @param funnel counts indexed by Stage
   * @param p parameters
   */
  static resetFunnel(funnel: Float64Array, params: SimParams): void {
    const p = params.rules;
    funnel[Stage.IvRank] = p && p.ivRankMin > 0 ? 0 : NaN;
    funnel[Stage.IvHvRatio] = p && p.ivHvRatioMin === p.ivHvRatioMin ? 0 : NaN;
    funnel[Stage.Vix] = p && (p.vixMin === p.vixMin || p.vixMax === p.vixMax) ? 0 : NaN;
    funnel[Stage.Contango] = p?.requireContango ? 0 : NaN;
  }

  /**
   * Whether underlying t may enter on calendar day d; counts each filter passed.
   *
   * @param t ticker index
   * @param d calendar index
   * @param funnel counts indexed by Stage
   * @returns whether every filter that is on passes
   */
  pass(t: number, d: number, funnel: Float64Array): boolean {
    const p = this.#p;
    const k = t * this.#store.nDays + d;
    if (this.#rank) {
      if (!(this.#rank[k] >= p.ivRankMin - TIE_TOLERANCE)) return false;
      funnel[Stage.IvRank]++;
    }
    if (this.#ratio) {
      if (!(this.#ratio[k] >= p.ivHvRatioMin - TIE_TOLERANCE)) return false;
      funnel[Stage.IvHvRatio]++;
    }
    if (p.vixMin === p.vixMin || p.vixMax === p.vixMax) {
      const vix = this.#store.data.vixClose[d];
      if (!(vix >= 0)) return false;
      if (p.vixMin === p.vixMin && vix < p.vixMin - TIE_TOLERANCE) return false;
      if (p.vixMax === p.vixMax && vix > p.vixMax + TIE_TOLERANCE) return false;
      funnel[Stage.Vix]++;
    }
    if (this.#contango) {
      if (!this.#contango[k]) return false;
      funnel[Stage.Contango]++;
    }
    return true;
  }
}
