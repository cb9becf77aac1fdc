/**
 * Indexes sorted chain columns: the trading calendar, per-row quality flags, the offset tables
 * of snapshots (underlying, day) and chains (underlying, day, expiry, type), and the daily bars
 * and VIX per calendar day.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainColumns, ContractKey } from "./_columns.ts";
import type { LoadedChains, SnapshotCounts } from "./_accumulate.ts";
import { rowCheckFlags } from "./_row_checks.ts";

export { FLAG_BAD_GREEKS, FLAG_CROSSED, FLAG_ZERO_BID } from "./_row_checks.ts";
/** Row flag: a second (or later) row for the same contract and day. */
export const FLAG_DUPLICATE = 8;

export type { ContractKey } from "./_columns.ts";

/** The offset tables and per-day series of a store. */
export interface ChainIndex {
  /** Trading days present in the data (any underlying), ascending. */
  calendar: Int32Array;
  /** Row range of snapshot (ticker t, calendar index d) at t·nDays + d: [start, end). */
  snapshotStart: Int32Array;
  /** End (exclusive) of each snapshot's row range. */
  snapshotEnd: Int32Array;
  /** Range of chain groups of each snapshot, into the group tables: [start, end). */
  snapshotGroupStart: Int32Array;
  /** End (exclusive) of each snapshot's group range. */
  snapshotGroupEnd: Int32Array;
  /** First row of each (underlying, day, expiry, type) group. */
  groupStart: Int32Array;
  /** End row (exclusive) of each group. */
  groupEnd: Int32Array;
  /** Expiry day of each group. */
  groupExpiry: Int32Array;
  /** Type code of each group. */
  groupType: Uint8Array;
}

/**
 * Sets the quality flags of sorted columns: crossed quotes, zero bids, bad greeks or IV, and
 * duplicates (a row repeating the previous row's contract on the same day).
 */
export function flagRows(columns: ChainColumns): void {
  flagRange(columns, 0, columns.day.length, null);
}

/**
 * Sets the quality flags of rows [from, to) of sorted columns (see {@link flagRows}); the row
 * before `from` is `previous` (the last row of an earlier batch), or none.
 */
export function flagRange(
  columns: ChainColumns,
  from: number,
  to: number,
  previous: ContractKey | null,
): void {
  const { underlying, day, expiry, type, strike, bid, ask, flags } = columns;
  const { delta, gamma, theta, vega, iv } = columns;
  for (let i = from; i < to; i++) {
    let f = rowCheckFlags(bid[i], ask[i], delta[i], gamma[i], theta[i], vega[i], iv[i]);
    if (i > from) {
      if (
        strike[i] === strike[i - 1] && expiry[i] === expiry[i - 1] && type[i] === type[i - 1] &&
        day[i] === day[i - 1] && underlying[i] === underlying[i - 1]
      ) f |= FLAG_DUPLICATE;
    } else if (
      previous && strike[i] === previous.strike && expiry[i] === previous.expiry &&
      type[i] === previous.type && day[i] === previous.day &&
      underlying[i] === previous.underlying
    ) f |= FLAG_DUPLICATE;
    flags[i] = f;
  }
}

/** The snapshots of sorted columns: each (underlying, day) run's ticker, day and first row. */
export interface SnapshotList {
  ticker: Uint8Array;
  day: Int32Array;
  start: Int32Array;
}

/** Finds the snapshots of sorted columns by one scan of the underlying and day columns. */
export function snapshotsOf(columns: ChainColumns): SnapshotList {
  const { underlying, day } = columns;
  const n = day.length;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || day[i] !== day[i - 1] || underlying[i] !== underlying[i - 1]) count++;
  }
  const out = {
    ticker: new Uint8Array(count),
    day: new Int32Array(count),
    start: new Int32Array(count),
  };
  for (let i = 0, k = 0; i < n; i++) {
    if (i === 0 || day[i] !== day[i - 1] || underlying[i] !== underlying[i - 1]) {
      out.ticker[k] = underlying[i];
      out.day[k] = day[i];
      out.start[k++] = i;
    }
  }
  return out;
}

/** Calendar index of a day through the lookup built with the calendar. */
function lookupOf(calendar: Int32Array): { first: number; lookup: Int32Array } {
  const nDays = calendar.length;
  const first = nDays ? calendar[0] : 0;
  const lookup = new Int32Array(nDays ? calendar[nDays - 1] - first + 1 : 0).fill(-1);
  for (let i = 0; i < nDays; i++) lookup[calendar[i] - first] = i;
  return { first, lookup };
}

/**
 * Builds the calendar and offset tables of sorted columns (flagging them first unless they
 * already are). The snapshot list, when the loader knows it, spares a scan of every row.
 *
 * @param loaded sorted columns and their tickers
 * @returns the index
 */
export function indexChains(loaded: LoadedChains): ChainIndex {
  const columns = loaded.columns;
  const n = columns.day.length;
  const nTickers = loaded.tickers.length;
  if (!loaded.flagged) {
    flagRows(columns);
    loaded.flagged = true;
  }
  const snaps = loaded.snapshots ?? snapshotsOf(columns);
  const nSnaps = snaps.day.length;
  // Calendar: every trade day present for any underlying.
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let k = 0; k < nSnaps; k++) {
    const d = snaps.day[k];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const present = new Uint8Array(nSnaps ? maxDay - minDay + 1 : 0);
  for (let k = 0; k < nSnaps; k++) present[snaps.day[k] - minDay] = 1;
  let nDays = 0;
  for (let k = 0; k < present.length; k++) nDays += present[k];
  const calendar = new Int32Array(nDays);
  for (let k = 0, j = 0; k < present.length; k++) if (present[k]) calendar[j++] = minDay + k;
  const { first: firstDay, lookup } = lookupOf(calendar);

  const slots = nTickers * nDays;
  const snapshotStart = new Int32Array(slots);
  const snapshotEnd = new Int32Array(slots);
  const snapshotGroupStart = new Int32Array(slots);
  const snapshotGroupEnd = new Int32Array(slots);
  const endOf = (k: number) => (k + 1 < nSnaps ? snaps.start[k + 1] : n);
  if (loaded.groups && loaded.snapshots) {
    // The cache stores the groups: only the per-snapshot tables and group ends remain to fill.
    const { perSnapshot, start, expiry, type } = loaded.groups;
    const groupEnd = new Int32Array(start.length);
    for (let k = 0; k < nSnaps; k++) {
      const slot = snaps.ticker[k] * nDays + lookup[snaps.day[k] - firstDay];
      const g0 = perSnapshot[k];
      const g1 = perSnapshot[k + 1];
      snapshotStart[slot] = snaps.start[k];
      snapshotEnd[slot] = endOf(k);
      snapshotGroupStart[slot] = g0;
      snapshotGroupEnd[slot] = g1;
      for (let g = g0; g < g1; g++) groupEnd[g] = g + 1 < g1 ? start[g + 1] : endOf(k);
    }
    return {
      calendar,
      snapshotStart,
      snapshotEnd,
      snapshotGroupStart,
      snapshotGroupEnd,
      groupStart: start,
      groupEnd,
      groupExpiry: expiry,
      groupType: type,
    };
  }
  const { expiry, type } = columns;
  // Groups (expiry, type) within each snapshot: one pass counts, one pass fills.
  let groupCount = 0;
  for (let k = 0; k < nSnaps; k++) {
    const e = endOf(k);
    for (let i = snaps.start[k]; i < e; i++) {
      if (i === snaps.start[k] || expiry[i] !== expiry[i - 1] || type[i] !== type[i - 1]) {
        groupCount++;
      }
    }
  }
  const groupStart = new Int32Array(groupCount);
  const groupEnd = new Int32Array(groupCount);
  const groupExpiry = new Int32Array(groupCount);
  const groupType = new Uint8Array(groupCount);
  let g = 0;
  for (let k = 0; k < nSnaps; k++) {
    const s = snaps.start[k];
    const e = endOf(k);
    const slot = snaps.ticker[k] * nDays + lookup[snaps.day[k] - firstDay];
    snapshotStart[slot] = s;
    snapshotEnd[slot] = e;
    snapshotGroupStart[slot] = g;
    for (let i = s; i < e; i++) {
      if (i === s || expiry[i] !== expiry[i - 1] || type[i] !== type[i - 1]) {
        if (g > 0 && i !== s) groupEnd[g - 1] = i;
        groupStart[g] = i;
        groupExpiry[g] = expiry[i];
        groupType[g] = type[i];
        g++;
      }
    }
    if (g > 0) groupEnd[g - 1] = e;
    snapshotGroupEnd[slot] = g;
  }
  return {
    calendar,
    snapshotStart,
    snapshotEnd,
    snapshotGroupStart,
    snapshotGroupEnd,
    groupStart,
    groupEnd,
    groupExpiry,
    groupType,
  };
}

/** Daily bars per (ticker, calendar day) and VIX per calendar day. */
export interface DailySeries {
  /** Underlying daily bars at t·nDays + d; NaN when absent. */
  barOpen: Float64Array;
  /** Bar high. */
  barHigh: Float64Array;
  /** Bar low. */
  barLow: Float64Array;
  /** Bar close: from bars when given, else the snapshot's stock price. */
  barClose: Float64Array;
  /** Bar volume. */
  barVolume: Float64Array;
  /** VIX close per calendar day; NaN when unknown. */
  vixClose: Float64Array;
  /**
   * The bars' closes at their own dates, also on days that no chain file covers (settlement on
   * an expiry date the chains lack): ticker t's bars are `barDays`/`barDayClose`
   * [barOffsets[t], barOffsets[t + 1]), days ascending.
   */
  barOffsets: Int32Array;
  /** Bar days (days since 1970-01-01). */
  barDays: Int32Array;
  /** Bar closes, dollars (NaN where the file's close is missing). */
  barDayClose: Float64Array;
}

/**
 * Lays bars and VIX on the calendar. A day without a bar takes the snapshot's stock price as
 * its close.
 */
export function dailySeries(
  tickers: readonly string[],
  index: ChainIndex,
  stockPrice: Float64Array,
  bars: ReadonlyMap<string, pl.DataFrame>,
  vix: pl.DataFrame | null,
): DailySeries {
  const nDays = index.calendar.length;
  const slots = tickers.length * nDays;
  const { first: firstDay, lookup } = lookupOf(index.calendar);
  const dayIndexOf = (day: number) => {
    const k = day - firstDay;
    return k >= 0 && k < lookup.length ? lookup[k] : -1;
  };
  const barOpen = new Float64Array(slots).fill(NaN);
  const barHigh = new Float64Array(slots).fill(NaN);
  const barLow = new Float64Array(slots).fill(NaN);
  const barClose = new Float64Array(slots).fill(NaN);
  const barVolume = new Float64Array(slots).fill(NaN);
  const barOffsets = new Int32Array(tickers.length + 1);
  for (let t = 0; t < tickers.length; t++) {
    barOffsets[t + 1] = barOffsets[t] + (bars.get(tickers[t])?.height ?? 0);
  }
  const barDays = new Int32Array(barOffsets[tickers.length]);
  const barDayClose = new Float64Array(barOffsets[tickers.length]);
  for (let t = 0; t < tickers.length; t++) {
    const b = bars.get(tickers[t])?.sort("date");
    if (b) {
      const dates = b.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
      const o = b.getColumn("open").toTypedArray() as Float64Array;
      const h = b.getColumn("high").toTypedArray() as Float64Array;
      const l = b.getColumn("low").toTypedArray() as Float64Array;
      const c = b.getColumn("close").toTypedArray() as Float64Array;
      const v = b.getColumn("volume").toTypedArray() as Float64Array;
      barDays.set(dates, barOffsets[t]);
      const closes = b.getColumn("close").cast(pl.Float64).toArray() as (number | null)[];
      for (let i = 0; i < dates.length; i++) barDayClose[barOffsets[t] + i] = closes[i] ?? NaN;
      for (let i = 0; i < dates.length; i++) {
        const d = dayIndexOf(dates[i]);
        if (d < 0) continue;
        const s = t * nDays + d;
        barOpen[s] = o[i];
        barHigh[s] = h[i];
        barLow[s] = l[i];
        barClose[s] = c[i];
        barVolume[s] = v[i];
      }
    }
    for (let d = 0; d < nDays; d++) {
      const s = t * nDays + d;
      if (Number.isNaN(barClose[s]) && index.snapshotEnd[s] > index.snapshotStart[s]) {
        barClose[s] = stockPrice[index.snapshotStart[s]];
      }
    }
  }
  const vixClose = new Float64Array(nDays).fill(NaN);
  if (vix) {
    const dates = vix.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
    const c = vix.getColumn("close").toTypedArray() as Float64Array;
    for (let i = 0; i < dates.length; i++) {
      const d = dayIndexOf(dates[i]);
      if (d >= 0) vixClose[d] = c[i];
    }
  }
  return {
    barOpen,
    barHigh,
    barLow,
    barClose,
    barVolume,
    vixClose,
    barOffsets,
    barDays,
    barDayClose,
  };
}

/** Counts of nothing (a store built without loading statistics). */
export function emptyCounts(): SnapshotCounts {
  return {
    ticker: new Uint8Array(0),
    day: new Int32Array(0),
    skippedDte: new Int32Array(0),
    greeksComputed: new Int32Array(0),
    ivNotFound: new Int32Array(0),
  };
}
