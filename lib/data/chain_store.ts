/**
 * The ChainStore: a loaded chain as one typed array per column, sorted by (underlying, trade
 * day, expiry, type, strike), with offset tables so that a snapshot (underlying, day) or a chain
 * (underlying, day, expiry, type) is an index lookup. Columns read from the binary cache are
 * memory maps of its files (or, without maps, SharedArrayBuffers); columns loaded from files
 * live on SharedArrayBuffers. A Web Worker gets a store without copies: post
 * `store.portable()` and open it with `ChainStore.fromPortable` there (it uses the same maps of
 * the cache files, in place); {@link ChainStore.share} moves a store built otherwise onto shared
 * memory first.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type ChainColumns, COLUMN_TYPES, type ColumnArray, columnOn } from "./_columns.ts";
import {
  ChainAccumulator,
  type ChainOrigin,
  type LoadedChains,
  type SnapshotCounts,
} from "./_accumulate.ts";
import { keepMapped, mappedFileOf, viewOfMapping } from "./_mmap.ts";
import { type ChainIndex, type DailySeries, dailySeries, indexChains } from "./_index.ts";
import { normalizeFrame } from "./_normalize.ts";
import { dayToIso, parseDateToDay } from "./dates.ts";
import { type Dividends, type DividendSeries, dividendSeries } from "./dividends.ts";

export { FLAG_BAD_GREEKS, FLAG_CROSSED, FLAG_DUPLICATE, FLAG_ZERO_BID } from "./_index.ts";
export type { ChainColumns } from "./_columns.ts";
export type { ChainOrigin, SnapshotCounts } from "./_accumulate.ts";
export type { ChainIndex, DailySeries } from "./_index.ts";

/** Type code of a call in the `type` column. */
export const TYPE_CALL = 0;
/** Type code of a put in the `type` column. */
export const TYPE_PUT = 1;

/** The plain, structured-cloneable content of a ChainStore (see {@link ChainStore.share}). */
export interface ChainStoreData extends ChainIndex, DailySeries, DividendSeries {
  /** Underlying tickers, sorted; `underlying` codes index this list. */
  tickers: string[];
  /** Per-row columns. */
  columns: ChainColumns;
  /** What loading skipped or computed, per (underlying, day). */
  counts: SnapshotCounts;
  /** The cache entry and slice the columns come from, when they do (see derived.ts). */
  origin?: ChainOrigin;
}

/**
 * A column as a Web Worker receives it: shared memory, or a memory map of a cache file made by
 * the sending thread (its address in this process, the map's length, and the column's place in
 * it), which the worker wraps without a copy.
 */
export type PortableColumn = Uint8Array | Int32Array | Float64Array | {
  mapped: { address: bigint; byteLength: number; byteOffset: number; length: number };
};

/**
 * A store as posted to a Web Worker of the same process (see {@link ChainStore.portable}): the
 * index on SharedArrayBuffers and each column either shared or as the cache file's map, which
 * the worker uses in place.
 */
export interface PortableStore extends Omit<ChainStoreData, "columns"> {
  /** Columns by name. */
  columns: Record<keyof ChainColumns, PortableColumn>;
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
  /** The arrays behind this store (post {@link ChainStore.portable} to a Worker). */
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

  /**
   * Whether every array can reach a Web Worker without a copy: on a SharedArrayBuffer, or (a
   * column) mapped from a cache file that the worker maps too.
   */
  get isShared(): boolean {
    const d = this.data as unknown as Record<string, unknown>;
    return COLUMN_TYPES.every(([name]) => shareable(this.columns[name])) &&
      Object.entries(d).every(([k, v]) =>
        NOT_ARRAYS.has(k) || (v as ColumnArray).buffer instanceof SharedArrayBuffer
      );
  }

  /**
   * A store with the same content that Web Workers can use without copies (this store itself
   * when it already is): arrays on SharedArrayBuffers, columns mapped from the cache kept as
   * they are. Post {@link ChainStore.portable} of it to a worker, and open it there with
   * {@link ChainStore.fromPortable}.
   */
  share(): ChainStore {
    if (this.isShared) return this;
    // Arrays already on shared memory (loaded columns) or mapped are kept; the rest are copied.
    const copy = <T extends ColumnArray>(a: T, column = false): T => {
      if (column ? shareable(a) : a.buffer instanceof SharedArrayBuffer) return a;
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
      COLUMN_TYPES.map(([name]) => [name, copy(d.columns[name], true)]),
    ) as unknown as ChainColumns;
    const rest = Object.fromEntries(
      Object.entries(d).filter(([k]) => !NOT_ARRAYS.has(k))
        .map(([k, v]) => [k, copy(v as ColumnArray)]),
    ) as unknown as ChainIndex & DailySeries & DividendSeries;
    return new ChainStore({
      ...rest,
      tickers: [...d.tickers],
      columns,
      counts: d.counts,
      origin: d.origin,
    });
  }

  /**
   * The store as a message for a Web Worker of this process, copying no column: the index on
   * shared memory, columns on SharedArrayBuffers as they are, and columns mapped from the cache
   * as their map's address, which the worker wraps in place (the maps are then kept for the
   * life of the process). Open it with {@link ChainStore.fromPortable}.
   */
  portable(): PortableStore {
    const shared = this.share();
    const d = shared.data;
    const columns = {} as Record<keyof ChainColumns, PortableColumn>;
    for (const [name] of COLUMN_TYPES) {
      const a = d.columns[name];
      const map = mappedFileOf(a.buffer);
      if (map) keepMapped(a.buffer as ArrayBuffer);
      columns[name] = map
        ? {
          mapped: {
            address: map.address,
            byteLength: map.byteLength,
            byteOffset: a.byteOffset,
            length: a.length,
          },
        }
        : a;
    }
    return { ...d, columns };
  }

  /**
   * Opens a store posted by {@link ChainStore.portable} in a Web Worker: shared arrays as they
   * are, the sender's maps wrapped in place.
   *
   * @param data the posted store
   * @returns the store
   */
  static fromPortable(data: PortableStore): ChainStore {
    const columns: Record<string, ColumnArray> = {};
    for (const [name, Ctor] of COLUMN_TYPES) {
      const c = data.columns[name];
      if (!("mapped" in c)) {
        columns[name] = c;
        continue;
      }
      const buffer = viewOfMapping(c.mapped.address, c.mapped.byteLength);
      columns[name] = columnOn(Ctor, buffer, c.mapped.byteOffset, c.mapped.length);
    }
    return new ChainStore({ ...data, columns: columns as unknown as ChainColumns });
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

  /**
   * Rows [start, end) as a polars frame in the long layout's names plus `flags` (for notebooks).
   * The store keeps no `last`, `rho` or underlying bid/ask (nothing reads them).
   */
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
      impliedVolatility: f(c.iv),
      flags: pl.Series(c.flags.slice(start, end)),
    }).withColumns(pl.col("tradeDate").cast(pl.Date), pl.col("expirDate").cast(pl.Date));
  }
}

/** Fields of store data that are not typed arrays. */
const NOT_ARRAYS = new Set(["columns", "tickers", "counts", "origin"]);

/** Whether an array reaches a worker without a copy (shared, or mapped from a file). */
function shareable(a: ColumnArray): boolean {
  return a.buffer instanceof SharedArrayBuffer || mappedFileOf(a.buffer) !== null;
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

/** Chains as a frame in the long layout (types as loaded: dates, C/P, Int32 counts). */
function framedChains(df: pl.DataFrame): LoadedChains {
  const acc = new ChainAccumulator();
  if (df.height > 0) {
    acc.add(
      normalizeFrame(df, "long", { file: "(chains frame)", kind: "parquet" }, {
        rate: 0,
        dividendYield: 0,
        fileDay: null,
      }),
    );
  }
  return acc.finish();
}

/** Whether chains are a polars frame (its `columns` are names) rather than loaded columns. */
function isFrame(chains: LoadedChains | pl.DataFrame): chains is pl.DataFrame {
  return Array.isArray(chains.columns);
}

/** What {@link buildChainStore} takes: loaded chains (or a long-layout frame), bars and VIX. */
export interface MarketParts {
  /** Chains loaded by loadMarketData, or a frame in the long layout (e.g. built by hand). */
  chains: LoadedChains | pl.DataFrame;
  /** Daily bars per ticker (date, open, high, low, close, volume). */
  bars: ReadonlyMap<string, pl.DataFrame>;
  /** VIX daily (date, open, high, low, close), or null. */
  vix: pl.DataFrame | null;
  /** Cash dividends by ticker (see loadMarketData), or null/absent: none. */
  dividends?: Dividends | null;
}

/**
 * Builds the ChainStore from loaded market data: indexes snapshots and chains and flags unusable
 * rows (crossed quotes, zero bids, bad greeks or IV, duplicates). Bars fill the close where
 * given (else the snapshot's stock price); VIX fills the per-day VIX close. A frame in the long
 * layout is accepted too (sorted and validated first).
 *
 * @param market loaded chains, bars and VIX (see loadMarketData)
 * @returns the store
 *
 * @example A store from a hand-made long-layout frame
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { buildChainStore } from "./chain_store.ts";
 * const chains = pl.DataFrame({
 *   ticker: ["SPY", "SPY"], tradeDate: ["2024-01-02", "2024-01-02"],
 *   expirDate: ["2024-02-16", "2024-02-16"], strike: [470, 460], optionType: ["P", "P"],
 *   bid: [3.4, 1.9], ask: [3.5, 2.0], volume: [900, 800], openInterest: [12000, 9000],
 *   stockPrice: [472.5, 472.5], delta: [-0.45, -0.3], gamma: [0.02, 0.015],
 *   theta: [-0.12, -0.1], vega: [0.6, 0.55], impliedVolatility: [0.14, 0.15],
 * });
 * const store = buildChainStore({ chains, bars: new Map(), vix: null });
 * const puts = store.getChain("2024-01-02", "SPY", "2024-02-16", "put");
 * assert.deepEqual(Array.from(store.columns.strike.subarray(puts.start, puts.end)), [460, 470]);
 * ```
 */
export function buildChainStore(market: MarketParts): ChainStore {
  const chains = market.chains;
  const loaded = isFrame(chains) ? framedChains(chains) : chains;
  const index = indexChains(loaded);
  const daily = dailySeries(
    loaded.tickers,
    index,
    loaded.columns.stockPrice,
    market.bars,
    market.vix,
  );
  return new ChainStore({
    tickers: loaded.tickers,
    columns: loaded.columns,
    counts: loaded.counts,
    ...index,
    ...daily,
    ...dividendSeries(loaded.tickers, index.calendar, market.dividends ?? null),
    ...(loaded.origin ? { origin: loaded.origin } : {}),
  });
}
