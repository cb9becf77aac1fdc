/**
 * The ChainStore: a loaded chain as one typed array per column, sorted by (underlying, trade
 * day, expiry, type, strike), with offset tables so that a snapshot (underlying, day) or a chain
 * (underlying, day, expiry, type) is an index lookup. For Web Workers, {@link ChainStore.share}
 * moves every array onto SharedArrayBuffers once; post its `data` and rebuild with
 * `new ChainStore(data)` so all workers read one copy. (The store is built on the buffers that
 * polars hands back, and shared only when needed: first-touching a few hundred MB of fresh
 * memory is the dominant cost of loading, so the main thread should pay it once, not twice.)
 *
 * @module
 */
import pl from "nodejs-polars";
import { dayToIso, parseDateToDay } from "./dates.ts";
import { DataError } from "./errors.ts";
import type { MarketData } from "./load.ts";

/** Row flag: bid above ask. */
export const FLAG_CROSSED = 1;
/** Row flag: bid zero, negative or missing. */
export const FLAG_ZERO_BID = 2;
/** Row flag: a greek or the IV is NaN or out of range. */
export const FLAG_BAD_GREEKS = 4;
/** Row flag: a second (or later) row for the same contract and day. */
export const FLAG_DUPLICATE = 8;

/** Type code of a call in the `type` column. */
export const TYPE_CALL = 0;
/** Type code of a put in the `type` column. */
export const TYPE_PUT = 1;

/** Per-contract columns, one entry per row. */
export interface ChainColumns {
  /** Index into `tickers`. */
  underlying: Uint8Array;
  /** Trade day (days since 1970-01-01). */
  day: Int32Array;
  /** Expiry day. */
  expiry: Int32Array;
  /** Strike, dollars. */
  strike: Float64Array;
  /** 0 = call, 1 = put. */
  type: Uint8Array;
  /** Bid, dollars per share. */
  bid: Float64Array;
  /** Ask, dollars per share. */
  ask: Float64Array;
  /** Mid, dollars per share. */
  mid: Float64Array;
  /** Last trade, dollars per share (NaN when unknown). */
  last: Float64Array;
  /** Contracts traded that day. */
  volume: Int32Array;
  /** Open interest, contracts. */
  openInterest: Int32Array;
  /** Underlying price in the snapshot, dollars. */
  stockPrice: Float64Array;
  /** Delta per $1. */
  delta: Float64Array;
  /** Gamma per $1. */
  gamma: Float64Array;
  /** Theta, dollars per calendar day. */
  theta: Float64Array;
  /** Vega, dollars per volatility point. */
  vega: Float64Array;
  /** Rho, dollars per rate point. */
  rho: Float64Array;
  /** Implied volatility, annual decimal. */
  iv: Float64Array;
  /** Underlying bid (NaN when unknown). */
  underlyingBid: Float64Array;
  /** Underlying ask (NaN when unknown). */
  underlyingAsk: Float64Array;
  /** Data-quality flags (FLAG_*); a non-zero row is kept out of the scan. */
  flags: Uint8Array;
}

/** The plain, structured-cloneable content of a ChainStore (see {@link ChainStore.share}). */
export interface ChainStoreData {
  /** Underlying tickers, sorted; `underlying` codes index this list. */
  tickers: string[];
  /** Trading days present in the data (any underlying), ascending. */
  calendar: Int32Array;
  /** Per-row columns. */
  columns: ChainColumns;
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
  /** Underlying daily bars per (ticker, calendar day) at t·nDays + d; NaN when absent. */
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
}

/** A row range [start, end). */
export interface RowRange {
  /** First row. */
  start: number;
  /** One past the last row. */
  end: number;
}

/** Lookups on a loaded chain. Construct with {@link buildChainStore} or from store data. */
export class ChainStore {
  /** The arrays behind this store; post `share().data` to a Worker. */
  readonly data: ChainStoreData;
  /** Per-row columns (shortcut to data.columns). */
  readonly columns: ChainColumns;
  /** Tickers (shortcut to data.tickers). */
  readonly tickers: string[];
  /** Trading days (shortcut to data.calendar). */
  readonly calendar: Int32Array;
  /** Number of calendar days. */
  readonly nDays: number;
  /** Number of rows. */
  readonly rowCount: number;
  readonly #firstDay: number;
  readonly #dayLookup: Int32Array;

  /** Wraps store data, plain or shared (e.g. received by a Worker). */
  constructor(data: ChainStoreData) {
    this.data = data;
    this.columns = data.columns;
    this.tickers = data.tickers;
    this.calendar = data.calendar;
    this.nDays = data.calendar.length;
    this.rowCount = data.columns.day.length;
    this.#firstDay = this.nDays ? data.calendar[0] : 0;
    const span = this.nDays ? data.calendar[this.nDays - 1] - this.#firstDay + 1 : 0;
    this.#dayLookup = new Int32Array(span).fill(-1);
    for (let i = 0; i < this.nDays; i++) this.#dayLookup[data.calendar[i] - this.#firstDay] = i;
  }

  /** Whether every array lives on a SharedArrayBuffer. */
  get isShared(): boolean {
    return this.columns.bid.buffer instanceof SharedArrayBuffer;
  }

  /**
   * A store with the same content on SharedArrayBuffers (this store itself when it already is),
   * to post to Web Workers: structured cloning then shares memory instead of copying it.
   */
  share(): ChainStore {
    if (this.isShared) return this;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const Ctor = a.constructor as new (
        buffer: SharedArrayBuffer,
        offset: number,
        length: number,
      ) => T;
      const out = new Ctor(new SharedArrayBuffer(Math.max(a.byteLength, 8)), 0, a.length);
      out.set(a as never);
      return out;
    };
    const d = this.data;
    const columns = Object.fromEntries(
      Object.entries(d.columns).map(([k, v]) => [k, copy(v)]),
    ) as unknown as ChainColumns;
    return new ChainStore({
      tickers: [...d.tickers],
      calendar: copy(d.calendar),
      columns,
      snapshotStart: copy(d.snapshotStart),
      snapshotEnd: copy(d.snapshotEnd),
      snapshotGroupStart: copy(d.snapshotGroupStart),
      snapshotGroupEnd: copy(d.snapshotGroupEnd),
      groupStart: copy(d.groupStart),
      groupEnd: copy(d.groupEnd),
      groupExpiry: copy(d.groupExpiry),
      groupType: copy(d.groupType),
      barOpen: copy(d.barOpen),
      barHigh: copy(d.barHigh),
      barLow: copy(d.barLow),
      barClose: copy(d.barClose),
      barVolume: copy(d.barVolume),
      vixClose: copy(d.vixClose),
    });
  }

  /** Calendar index of a day number, or -1 when it is not a trading day of the data. */
  dayIndex(day: number): number {
    const k = day - this.#firstDay;
    return k >= 0 && k < this.#dayLookup.length ? this.#dayLookup[k] : -1;
  }

  /** Index of a ticker, or -1. */
  tickerIndex(ticker: string): number {
    return this.tickers.indexOf(ticker);
  }

  /** Row range of a snapshot by indexes (empty when the day is missing for that ticker). */
  snapshotRange(tickerIdx: number, dayIdx: number): RowRange {
    const k = tickerIdx * this.nDays + dayIdx;
    return { start: this.data.snapshotStart[k], end: this.data.snapshotEnd[k] };
  }

  /**
   * Rows of one underlying on one day.
   *
   * @param date ISO date or day number
   * @param underlying ticker
   * @returns the row range; empty ({start: 0, end: 0}) when there is no snapshot
   */
  getSnapshot(date: string | number, underlying: string): RowRange {
    const t = this.tickerIndex(underlying);
    const d = this.dayIndex(toDay(date));
    if (t < 0 || d < 0) return { start: 0, end: 0 };
    return this.snapshotRange(t, d);
  }

  /**
   * Rows of one chain: underlying, day, expiry and type, sorted by strike.
   *
   * @returns the row range; empty when absent
   */
  getChain(
    date: string | number,
    underlying: string,
    expiry: string | number,
    type: "call" | "put",
  ): RowRange {
    const t = this.tickerIndex(underlying);
    const d = this.dayIndex(toDay(date));
    if (t < 0 || d < 0) return { start: 0, end: 0 };
    const k = t * this.nDays + d;
    const e = toDay(expiry);
    const code = type === "call" ? TYPE_CALL : TYPE_PUT;
    for (let g = this.data.snapshotGroupStart[k]; g < this.data.snapshotGroupEnd[k]; g++) {
      if (this.data.groupExpiry[g] === e && this.data.groupType[g] === code) {
        return { start: this.data.groupStart[g], end: this.data.groupEnd[g] };
      }
    }
    return { start: 0, end: 0 };
  }

  /** Expiries listed for an underlying on a day, ascending (day numbers). */
  expiries(date: string | number, underlying: string): number[] {
    const t = this.tickerIndex(underlying);
    const d = this.dayIndex(toDay(date));
    if (t < 0 || d < 0) return [];
    const k = t * this.nDays + d;
    const out: number[] = [];
    for (let g = this.data.snapshotGroupStart[k]; g < this.data.snapshotGroupEnd[k]; g++) {
      const e = this.data.groupExpiry[g];
      if (out[out.length - 1] !== e) out.push(e);
    }
    return out;
  }

  /**
   * Underlying daily bars between two dates inclusive, as a polars frame
   * (date, open, high, low, close, volume), trading days with data only.
   */
  getBars(underlying: string, start: string | number, end: string | number): pl.DataFrame {
    const t = this.tickerIndex(underlying);
    const first = toDay(start);
    const last = toDay(end);
    const dates: string[] = [];
    const cols = {
      open: [] as number[],
      high: [] as number[],
      low: [] as number[],
      close: [] as number[],
      volume: [] as number[],
    };
    if (t >= 0) {
      for (let d = 0; d < this.nDays; d++) {
        const day = this.calendar[d];
        if (day < first || day > last) continue;
        const k = t * this.nDays + d;
        if (Number.isNaN(this.data.barClose[k])) continue;
        dates.push(dayToIso(day));
        cols.open.push(this.data.barOpen[k]);
        cols.high.push(this.data.barHigh[k]);
        cols.low.push(this.data.barLow[k]);
        cols.close.push(this.data.barClose[k]);
        cols.volume.push(this.data.barVolume[k]);
      }
    }
    return pl.DataFrame({ date: dates, ...cols }).withColumns(
      pl.col("date").str.strptime(pl.Date, "%Y-%m-%d"),
    );
  }

  /** Underlying close on a day (bars, else the chain's stock price); NaN when unknown. */
  close(underlying: string, date: string | number): number {
    const t = this.tickerIndex(underlying);
    const d = this.dayIndex(toDay(date));
    return t < 0 || d < 0 ? NaN : this.data.barClose[t * this.nDays + d];
  }

  /** VIX close on a day, or null when unknown. */
  getVix(date: string | number): number | null {
    const d = this.dayIndex(toDay(date));
    if (d < 0) return null;
    const v = this.data.vixClose[d];
    return Number.isNaN(v) ? null : v;
  }

  /** The trading calendar as ISO strings. */
  tradingDays(): string[] {
    return Array.from(this.calendar, dayToIso);
  }

  /** Rows [start, end) as a polars frame in the long schema plus `flags` (for notebooks). */
  rowsFrame(range: RowRange): pl.DataFrame {
    const c = this.columns;
    const { start, end } = range;
    const f = (a: Float64Array) => pl.Series(a.slice(start, end));
    const i32 = (a: Int32Array) => pl.Series(a.slice(start, end));
    return pl.DataFrame({
      ticker: Array.from(c.underlying.subarray(start, end), (u) => this.tickers[u]),
      tradeDate: i32(c.day),
      expirDate: i32(c.expiry),
      strike: f(c.strike),
      optionType: Array.from(c.type.subarray(start, end), (t) => (t === TYPE_PUT ? "P" : "C")),
      bid: f(c.bid),
      ask: f(c.ask),
      mid: f(c.mid),
      volume: i32(c.volume),
      openInterest: i32(c.openInterest),
      stockPrice: f(c.stockPrice),
      delta: f(c.delta),
      gamma: f(c.gamma),
      theta: f(c.theta),
      vega: f(c.vega),
      rho: f(c.rho),
      impliedVolatility: f(c.iv),
      flags: pl.Series(c.flags.slice(start, end)),
    }).withColumns(pl.col("tradeDate").cast(pl.Date), pl.col("expirDate").cast(pl.Date));
  }
}

/** A day number from an ISO/US date string or a day number. */
export function toDay(date: string | number): number {
  if (typeof date === "number") return date;
  const d = parseDateToDay(date);
  if (Number.isNaN(d)) {
    throw new RangeError(`Invalid date ${JSON.stringify(date)} (use YYYY-MM-DD)`);
  }
  return d;
}

/** Whether a typed frame is ordered by (ticker, day, expiry, type, strike). */
function isSorted(df: pl.DataFrame): boolean {
  // Tickers: each must form one contiguous run, and the runs must be ascending.
  const changed = pl.col("ticker").neq(pl.col("ticker").shift(1)).fillNull(true);
  const starts = df.filter(changed).getColumn("ticker").toArray() as string[];
  for (let i = 1; i < starts.length; i++) if (!(starts[i - 1] < starts[i])) return false;
  const run = df.select(changed.cast(pl.UInt32).cumSum().alias("run")).getColumn("run")
    .toTypedArray() as Uint32Array;
  const day = df.getColumn("tradeDate").toTypedArray() as Int32Array;
  const expiry = df.getColumn("expirDate").toTypedArray() as Int32Array;
  const type = df.getColumn("optionType").toTypedArray() as Uint8Array;
  const strike = df.getColumn("strike").toTypedArray() as Float64Array;
  for (let i = 1; i < day.length; i++) {
    if (run[i] !== run[i - 1]) continue;
    if (day[i] !== day[i - 1]) {
      if (day[i] < day[i - 1]) return false;
      continue;
    }
    if (expiry[i] !== expiry[i - 1]) {
      if (expiry[i] < expiry[i - 1]) return false;
      continue;
    }
    if (type[i] !== type[i - 1]) {
      if (type[i] < type[i - 1]) return false;
      continue;
    }
    if (strike[i] < strike[i - 1]) return false;
  }
  return true;
}

/** A polars column as a typed array (polars copies it out once; no further copy here). */
function extract<T extends Float64Array | Int32Array>(
  df: pl.DataFrame,
  name: string,
  Ctor: { new (n: number): T },
): T {
  const src = df.getColumn(name).toTypedArray();
  if (src instanceof Ctor) return src as T;
  const out = new Ctor(src.length);
  out.set(src as never);
  return out;
}

function isBadGreeks(c: ChainColumns, i: number): boolean {
  const d = c.delta[i], g = c.gamma[i], th = c.theta[i], v = c.vega[i], iv = c.iv[i];
  return !(d >= -1 && d <= 1) || !(g >= 0) || !(v >= 0) || th !== th || !(iv > 0 && iv <= 5);
}

/**
 * Builds the ChainStore from loaded market data: sorts, converts to typed arrays, flags
 * unusable rows, and indexes snapshots and chains. Bars fill the close where given (else the
 * snapshot's stock price); VIX fills the per-day VIX close.
 *
 * @param market loaded chains, bars and VIX (see loadMarketData)
 * @returns the store
 * @throws DataError when there are more than 255 underlyings
 */
export function buildChainStore(market: Pick<MarketData, "chains" | "bars" | "vix">): ChainStore {
  const sortKeys = ["ticker", "tradeDate", "expirDate", "optionType", "strike"];
  const typed = (df: pl.DataFrame) =>
    df.withColumns(
      pl.col("tradeDate").cast(pl.Int32),
      pl.col("expirDate").cast(pl.Int32),
      pl.col("optionType").eq(pl.lit("P")).cast(pl.UInt8).alias("optionType"),
    ).rechunk();
  // Files are usually written in order already; sort only when they are not.
  let sorted = typed(market.chains);
  if (!isSorted(sorted)) sorted = typed(market.chains.sort(sortKeys));
  const n = sorted.height;
  const counts = sorted.groupBy("ticker").len().sort("ticker");
  const tickers = counts.getColumn("ticker").toArray() as string[];
  if (tickers.length > 255) {
    throw new DataError(
      { file: "(chains)", column: "ticker" },
      "At most 255 underlyings are supported",
    );
  }
  const tickerCounts = counts.getColumn("len").toArray() as number[];
  const columns: ChainColumns = {
    underlying: new Uint8Array(n),
    day: extract(sorted, "tradeDate", Int32Array),
    expiry: extract(sorted, "expirDate", Int32Array),
    strike: extract(sorted, "strike", Float64Array),
    type: sorted.getColumn("optionType").toTypedArray() as Uint8Array,
    bid: extract(sorted, "bid", Float64Array),
    ask: extract(sorted, "ask", Float64Array),
    mid: extract(sorted, "mid", Float64Array),
    last: extract(sorted, "last", Float64Array),
    volume: extract(sorted, "volume", Int32Array),
    openInterest: extract(sorted, "openInterest", Int32Array),
    stockPrice: extract(sorted, "stockPrice", Float64Array),
    delta: extract(sorted, "delta", Float64Array),
    gamma: extract(sorted, "gamma", Float64Array),
    theta: extract(sorted, "theta", Float64Array),
    vega: extract(sorted, "vega", Float64Array),
    rho: extract(sorted, "rho", Float64Array),
    iv: extract(sorted, "impliedVolatility", Float64Array),
    underlyingBid: extract(sorted, "underlyingBid", Float64Array),
    underlyingAsk: extract(sorted, "underlyingAsk", Float64Array),
    flags: new Uint8Array(n),
  };
  let offset = 0;
  for (let t = 0; t < tickers.length; t++) {
    columns.underlying.fill(t, offset, offset + tickerCounts[t]);
    offset += tickerCounts[t];
  }

  // Calendar: every trade day present for any underlying.
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = columns.day[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const present = new Uint8Array(n ? maxDay - minDay + 1 : 0);
  for (let i = 0; i < n; i++) present[columns.day[i] - minDay] = 1;
  const days: number[] = [];
  for (let k = 0; k < present.length; k++) if (present[k]) days.push(minDay + k);
  const calendar = new Int32Array(days.length);
  calendar.set(days);
  const nDays = calendar.length;
  const firstDay = nDays ? calendar[0] : 0;
  const lookup = new Int32Array(nDays ? calendar[nDays - 1] - firstDay + 1 : 0).fill(-1);
  for (let i = 0; i < nDays; i++) lookup[calendar[i] - firstDay] = i;

  const slots = tickers.length * nDays;
  const snapshotStart = new Int32Array(slots);
  const snapshotEnd = new Int32Array(slots);
  const snapshotGroupStart = new Int32Array(slots);
  const snapshotGroupEnd = new Int32Array(slots);
  // Groups: one pass counts, one pass fills.
  let groupCount = 0;
  for (let i = 0; i < n; i++) {
    if (
      i === 0 || columns.underlying[i] !== columns.underlying[i - 1] ||
      columns.day[i] !== columns.day[i - 1] || columns.expiry[i] !== columns.expiry[i - 1] ||
      columns.type[i] !== columns.type[i - 1]
    ) groupCount++;
  }
  const groupStart = new Int32Array(groupCount);
  const groupEnd = new Int32Array(groupCount);
  const groupExpiry = new Int32Array(groupCount);
  const groupType = new Uint8Array(groupCount);
  let g = -1;
  let slot = -1;
  for (let i = 0; i < n; i++) {
    const u = columns.underlying[i];
    const day = columns.day[i];
    const newSnapshot = i === 0 || u !== columns.underlying[i - 1] || day !== columns.day[i - 1];
    if (newSnapshot) {
      if (slot >= 0) {
        snapshotEnd[slot] = i;
        snapshotGroupEnd[slot] = g + 1;
      }
      slot = u * nDays + lookup[day - firstDay];
      snapshotStart[slot] = i;
      snapshotGroupStart[slot] = g + 1;
    }
    if (
      newSnapshot || columns.expiry[i] !== columns.expiry[i - 1] ||
      columns.type[i] !== columns.type[i - 1]
    ) {
      if (g >= 0) groupEnd[g] = i;
      g++;
      groupStart[g] = i;
      groupExpiry[g] = columns.expiry[i];
      groupType[g] = columns.type[i];
    }
    // Quality flags.
    let flags = 0;
    if (columns.bid[i] > columns.ask[i]) flags |= FLAG_CROSSED;
    if (!(columns.bid[i] > 0)) flags |= FLAG_ZERO_BID;
    if (isBadGreeks(columns, i)) flags |= FLAG_BAD_GREEKS;
    if (
      !newSnapshot && columns.expiry[i] === columns.expiry[i - 1] &&
      columns.type[i] === columns.type[i - 1] && columns.strike[i] === columns.strike[i - 1]
    ) {
      flags |= FLAG_DUPLICATE;
    }
    columns.flags[i] = flags;
  }
  if (slot >= 0) {
    snapshotEnd[slot] = n;
    snapshotGroupEnd[slot] = g + 1;
    groupEnd[g] = n;
  }

  // Bars and VIX per calendar day.
  const barOpen = new Float64Array(slots).fill(NaN);
  const barHigh = new Float64Array(slots).fill(NaN);
  const barLow = new Float64Array(slots).fill(NaN);
  const barClose = new Float64Array(slots).fill(NaN);
  const barVolume = new Float64Array(slots).fill(NaN);
  for (let t = 0; t < tickers.length; t++) {
    const bars = market.bars.get(tickers[t]);
    if (bars) {
      const dates = bars.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
      const o = bars.getColumn("open").toTypedArray() as Float64Array;
      const h = bars.getColumn("high").toTypedArray() as Float64Array;
      const l = bars.getColumn("low").toTypedArray() as Float64Array;
      const c = bars.getColumn("close").toTypedArray() as Float64Array;
      const v = bars.getColumn("volume").toTypedArray() as Float64Array;
      for (let i = 0; i < dates.length; i++) {
        const k = dates[i] - firstDay;
        const d = k >= 0 && k < lookup.length ? lookup[k] : -1;
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
      if (Number.isNaN(barClose[s]) && snapshotEnd[s] > snapshotStart[s]) {
        barClose[s] = columns.stockPrice[snapshotStart[s]];
      }
    }
  }
  const vixClose = new Float64Array(nDays).fill(NaN);
  if (market.vix) {
    const dates = market.vix.getColumn("date").cast(pl.Int32).toTypedArray() as Int32Array;
    const c = market.vix.getColumn("close").toTypedArray() as Float64Array;
    for (let i = 0; i < dates.length; i++) {
      const k = dates[i] - firstDay;
      const d = k >= 0 && k < lookup.length ? lookup[k] : -1;
      if (d >= 0) vixClose[d] = c[i];
    }
  }
  return new ChainStore({
    tickers,
    calendar,
    columns,
    snapshotStart,
    snapshotEnd,
    snapshotGroupStart,
    snapshotGroupEnd,
    groupStart,
    groupEnd,
    groupExpiry,
    groupType,
    barOpen,
    barHigh,
    barLow,
    barClose,
    barVolume,
    vixClose,
  });
}
