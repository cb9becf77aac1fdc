/**
 * Data-quality report of a ChainStore: crossed quotes, zero bids, bad greeks/IV, duplicate
 * contracts, NYSE sessions missing from the data, strikes that vanish before expiry, and what
 * loading skipped or computed, overall and per underlying. Flagged rows are kept in the store
 * but excluded from scanning.
 *
 * @module
 */
import {
  type ChainStore,
  FLAG_BAD_GREEKS,
  FLAG_CROSSED,
  FLAG_DUPLICATE,
  FLAG_ZERO_BID,
} from "./chain_store.ts";
import { isNyseSession } from "./calendar.ts";
import { dayToIso } from "./_civil.ts";

/** Counts for one underlying (or all). */
export interface QualityCounts {
  /** Contract rows. */
  rows: number;
  /** Trading days with a snapshot. */
  days: number;
  /** Rows with bid > ask. */
  crossed_quotes: number;
  /** Rows with bid <= 0 or missing. */
  zero_bids: number;
  /** Rows with NaN or out-of-range greeks or IV (including IVs that could not be found). */
  bad_greeks: number;
  /** Second and later rows of the same contract on the same day. */
  duplicates: number;
  /** Rows kept out of the scan (any flag). */
  excluded_rows: number;
  /** NYSE sessions between the underlying's first and last snapshot that the data lacks. */
  missing_days: number;
  /** Days with a snapshot on which the NYSE held no session. */
  non_session_days: number;
  /** Contracts listed on a day and absent on the underlying's next snapshot before expiry. */
  vanished_strikes: number;
  /** Contracts skipped at load because no configured DTE range reaches them. */
  skipped_dte: number;
  /** Contracts whose IV and greeks were computed from the mid (files without greeks). */
  greeks_computed: number;
  /** Of those, contracts whose IV could not be found (no bid, price below intrinsic): kept out. */
  iv_not_found: number;
}

/** The report written by `inspect` and to data_quality.json. */
export interface QualityReport extends QualityCounts {
  /** Underlyings, sorted. */
  underlyings: string[];
  /** First trading day, ISO. */
  first_date: string | null;
  /** Last trading day, ISO. */
  last_date: string | null;
  /** The missing NYSE sessions per underlying, ISO. */
  missing_dates: Record<string, string[]>;
  /** Counts per underlying. */
  per_underlying: Record<string, QualityCounts>;
}

/** The counts summed over underlyings into the totals (rows and days are the store's own). */
const SUMMED = [
  "crossed_quotes",
  "zero_bids",
  "bad_greeks",
  "duplicates",
  "excluded_rows",
  "missing_days",
  "non_session_days",
  "vanished_strikes",
  "skipped_dte",
  "greeks_computed",
  "iv_not_found",
] as const;

/** Counts of nothing yet. */
function zeroCounts(): QualityCounts {
  return {
    rows: 0,
    days: 0,
    crossed_quotes: 0,
    zero_bids: 0,
    bad_greeks: 0,
    duplicates: 0,
    excluded_rows: 0,
    missing_days: 0,
    non_session_days: 0,
    vanished_strikes: 0,
    skipped_dte: 0,
    greeks_computed: 0,
    iv_not_found: 0,
  };
}

/** Contracts of snapshot a that are absent from snapshot b although they expire after b's day. */
function countVanished(
  store: ChainStore,
  a: { start: number; end: number },
  b: { start: number; end: number },
  bDay: number,
): number {
  const c = store.columns;
  let j = b.start;
  let vanished = 0;
  for (let i = a.start; i < a.end; i++) {
    if (c.expiry[i] <= bDay) continue;
    // Advance j to the first row of b not ordered before row i by (expiry, type, strike).
    while (
      j < b.end &&
      (c.expiry[j] < c.expiry[i] ||
        (c.expiry[j] === c.expiry[i] &&
          (c.type[j] < c.type[i] || (c.type[j] === c.type[i] && c.strike[j] < c.strike[i]))))
    ) j++;
    const found = j < b.end && c.expiry[j] === c.expiry[i] && c.type[j] === c.type[i] &&
      c.strike[j] === c.strike[i];
    if (!found && !(i > a.start && c.flags[i] & FLAG_DUPLICATE)) vanished++;
  }
  return vanished;
}

/**
 * Computes the data-quality report of a store.
 *
 * Missing days are NYSE sessions (see calendar.ts) between an underlying's first and last
 * snapshot on which it has none, so a single-underlying file reports its gaps too.
 *
 * @param store the loaded chain
 * @returns counts overall and per underlying, with the missing dates
 *
 * @example A missing session in a single-underlying chain
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { buildChainStore, dataQuality } from "./mod.ts";
 * const row = (day: string) => ({
 *   ticker: "SPY", tradeDate: day, expirDate: "2024-02-16", strike: 470, optionType: "P",
 *   bid: 3.4, ask: 3.5, volume: 9, openInterest: 99, stockPrice: 472, delta: -0.45,
 *   gamma: 0.02, theta: -0.12, vega: 0.6, impliedVolatility: 0.14,
 * });
 * // Wednesday 2024-01-03 is missing; Monday 2024-01-15 (MLK Day) is a holiday.
 * const chains = pl.DataFrame(["2024-01-02", "2024-01-04", "2024-01-12", "2024-01-16"].map(row));
 * const report = dataQuality(buildChainStore({ chains, bars: new Map(), vix: null }));
 * assert.deepEqual(report.missing_dates.SPY, [
 *   "2024-01-03", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11",
 * ]);
 * ```
 */
export function dataQuality(store: ChainStore): QualityReport {
  const c = store.columns;
  const per: Record<string, QualityCounts> = {};
  const missingDates: Record<string, string[]> = {};
  const total: QualityCounts = { ...zeroCounts(), rows: store.rowCount, days: store.nDays };
  for (let t = 0; t < store.tickers.length; t++) {
    const ticker = store.tickers[t];
    const counts = zeroCounts();
    let firstIdx = -1;
    let lastIdx = -1;
    let previous: { start: number; end: number } | null = null;
    for (let d = 0; d < store.nDays; d++) {
      const range = store.snapshotRange(t, d);
      if (range.end <= range.start) continue;
      if (firstIdx < 0) firstIdx = d;
      lastIdx = d;
      counts.days++;
      if (!isNyseSession(store.calendar[d])) counts.non_session_days++;
      counts.rows += range.end - range.start;
      for (let i = range.start; i < range.end; i++) {
        const f = c.flags[i];
        if (f === 0) continue;
        if (f & FLAG_CROSSED) counts.crossed_quotes++;
        if (f & FLAG_ZERO_BID) counts.zero_bids++;
        if (f & FLAG_BAD_GREEKS) counts.bad_greeks++;
        if (f & FLAG_DUPLICATE) counts.duplicates++;
        counts.excluded_rows++;
      }
      if (previous) {
        counts.vanished_strikes += countVanished(store, previous, range, store.calendar[d]);
      }
      previous = range;
    }
    const missing: string[] = [];
    if (firstIdx >= 0) {
      for (let day = store.calendar[firstIdx]; day <= store.calendar[lastIdx]; day++) {
        if (!isNyseSession(day)) continue;
        const d = store.dayIndex(day);
        const r = d < 0 ? null : store.snapshotRange(t, d);
        if (!r || r.end <= r.start) missing.push(dayToIso(day));
      }
    }
    counts.missing_days = missing.length;
    missingDates[ticker] = missing;
    per[ticker] = counts;
  }
  const k = store.data.counts;
  for (let e = 0; e < k.day.length; e++) {
    const counts = per[store.tickers[k.ticker[e]]];
    if (!counts) continue;
    counts.skipped_dte += k.skippedDte[e];
    counts.greeks_computed += k.greeksComputed[e];
    counts.iv_not_found += k.ivNotFound[e];
  }
  for (const counts of Object.values(per)) for (const key of SUMMED) total[key] += counts[key];
  return {
    ...total,
    underlyings: [...store.tickers],
    first_date: store.nDays ? dayToIso(store.calendar[0]) : null,
    last_date: store.nDays ? dayToIso(store.calendar[store.nDays - 1]) : null,
    missing_dates: missingDates,
    per_underlying: per,
  };
}
