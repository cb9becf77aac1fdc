/**
 * Data-quality report of a ChainStore: crossed quotes, zero bids, bad greeks/IV, duplicate
 * contracts, missing days and strikes that vanish before expiry, overall and per underlying.
 * Flagged rows are kept in the store but excluded from scanning.
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
import { dayToIso, weekday } from "./dates.ts";

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
  /** Rows with NaN or out-of-range greeks or IV. */
  bad_greeks: number;
  /** Second and later rows of the same contract on the same day. */
  duplicates: number;
  /** Rows kept out of the scan (any flag). */
  excluded_rows: number;
  /** Weekdays without a snapshot, between first and last day, that are not data holidays. */
  missing_days: number;
  /** Contracts listed on a day and absent on the underlying's next snapshot before expiry. */
  vanished_strikes: number;
}

/** The report written by `inspect` and to data_quality.json. */
export interface QualityReport extends QualityCounts {
  /** Underlyings, sorted. */
  underlyings: string[];
  /** First trading day, ISO. */
  first_date: string | null;
  /** Last trading day, ISO. */
  last_date: string | null;
  /** The missing days per underlying, ISO. */
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
  "vanished_strikes",
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
    vanished_strikes: 0,
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
 * Missing days are weekdays between an underlying's first and last snapshot on which it has no
 * snapshot while some other underlying does (a weekday with no data at all is taken as the
 * data's own holiday).
 *
 * @param store the loaded chain
 * @returns counts overall and per underlying, with the missing dates
 */
export function dataQuality(store: ChainStore): QualityReport {
  const c = store.columns;
  const per: Record<string, QualityCounts> = {};
  const missingDates: Record<string, string[]> = {};
  const total: QualityCounts = { ...zeroCounts(), rows: store.rowCount, days: store.nDays };
  const calendarSet = new Set(store.calendar);
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
      counts.rows += range.end - range.start;
      for (let i = range.start; i < range.end; i++) {
        const f = c.flags[i];
        if (f & FLAG_CROSSED) counts.crossed_quotes++;
        if (f & FLAG_ZERO_BID) counts.zero_bids++;
        if (f & FLAG_BAD_GREEKS) counts.bad_greeks++;
        if (f & FLAG_DUPLICATE) counts.duplicates++;
        if (f) counts.excluded_rows++;
      }
      if (previous) {
        counts.vanished_strikes += countVanished(store, previous, range, store.calendar[d]);
      }
      previous = range;
    }
    const missing: string[] = [];
    if (firstIdx >= 0) {
      for (let day = store.calendar[firstIdx]; day <= store.calendar[lastIdx]; day++) {
        const wd = weekday(day);
        if (wd === 0 || wd === 6 || !calendarSet.has(day)) continue;
        const r = store.snapshotRange(t, store.dayIndex(day));
        if (r.end <= r.start) missing.push(dayToIso(day));
      }
    }
    counts.missing_days = missing.length;
    missingDates[ticker] = missing;
    per[ticker] = counts;
    for (const k of SUMMED) total[k] += counts[k];
  }
  return {
    ...total,
    underlyings: [...store.tickers],
    first_date: store.nDays ? dayToIso(store.calendar[0]) : null,
    last_date: store.nDays ? dayToIso(store.calendar[store.nDays - 1]) : null,
    missing_dates: missingDates,
    per_underlying: per,
  };
}
