/**
 * Streams normalized contract batches into growable typed-array columns: filters (date window,
 * underlyings, reachable DTE), counts what it skips, computes IV and greeks where a layout has
 * none, and leaves the rows ordered by (underlying, day, expiry, type, strike) at the end with
 * at most one extra column of memory.
 *
 * Ordering works on blocks, maximal runs of one (underlying, day) as appended. Rows within a
 * batch are sorted before they are appended; blocks arriving out of order (say, daily files that
 * each hold every underlying) are moved into place at the end, one column at a time through a
 * scratch column that is then reused for the next column of the same width.
 *
 * @module
 */
import {
  allocateColumns,
  type ChainColumns,
  COLUMN_TYPES,
  type ColumnArray,
  type ColumnName,
  columnOn,
  type ContractKey,
  GrowableColumns,
  sliceColumns,
} from "./_columns.ts";
import type { ContractBatch } from "./_normalize.ts";
import { type Dividends, dividendsPresentValue } from "./dividends.ts";
import { DataError } from "./errors.ts";
import { rowCheckFlags } from "./_row_checks.ts";
import { CALENDAR_DAYS_PER_YEAR, yearFraction } from "./conventions.ts";

/**
 * Computes implied volatility and greeks from option prices (supplied by the pricing layer, so
 * that the data layer need not import it): IV by inversion of each price, greeks at that IV;
 * NaN where no IV exists. Theta per calendar day, vega per volatility point.
 */
export type ComputeGreeks = (
  options: { types: Uint8Array; spots: Float64Array; strikes: Float64Array; years: Float64Array },
  prices: Float64Array,
  out: {
    iv: Float64Array;
    delta: Float64Array;
    gamma: Float64Array;
    theta: Float64Array;
    vega: Float64Array;
  },
  opts: { rate: number; dividendYield: number },
) => void;

/**
 * Minutes from the snapshot to the close on an expiry day: CBOE's snapshot is at 15:45, so a
 * contract on its expiry day has 15 minutes left (T = 15 / (365 · 1440) years) when its IV is
 * computed. Other days use T = DTE / 365.
 */
export const EXPIRY_DAY_MINUTES = 15;

/** What the accumulator keeps and how. */
export interface AccumulateOptions {
  /** First day kept (inclusive); default none. */
  from?: number;
  /** Last day kept (inclusive); default none. */
  to?: number;
  /** Underlyings kept; default all. */
  underlyings?: ReadonlySet<string>;
  /**
   * Contracts with more calendar days to expiry than this are skipped (and counted), except
   * those the IV tenor needs (below); default none skipped.
   */
  maxDte?: number;
  /**
   * Tenor of the constant-maturity IV the strategy interpolates, calendar days (30): every
   * expiry up to it and, per snapshot, the expiries beyond it up to the first with a usable row
   * (one that passes the row checks) are kept whatever `maxDte`.
   */
  ivTenorDays?: number;
  /** Computes IV and greeks for layouts without them. */
  computeGreeks?: ComputeGreeks;
  /** Rate and yield for computed greeks. */
  rate?: number;
  dividendYield?: number;
  /**
   * Cash dividends by ticker: computed greeks then price on the escrowed-dividend spot (the
   * stock price less the present value of the dividends going ex before expiry).
   */
  dividends?: Dividends | null;
}

/** Per (underlying, day) counts of what loading skipped or computed. */
export interface SnapshotCounts {
  /** Underlying of each entry (index into the store's tickers). */
  ticker: Uint8Array;
  /** Day of each entry. */
  day: Int32Array;
  /** Contracts skipped because no configured DTE range reaches them. */
  skippedDte: Int32Array;
  /** Contracts whose IV and greeks were computed from their mid. */
  greeksComputed: Int32Array;
  /** Of those, contracts whose IV could not be found (kept, flagged, never guessed). */
  ivNotFound: Int32Array;
}

/** Chains loaded into sorted columns, ready for indexing. */
export interface LoadedChains {
  /** Underlyings, sorted; `columns.underlying` indexes this list. */
  tickers: string[];
  /** Sorted columns. */
  columns: ChainColumns;
  /** What loading skipped or computed, per (underlying, day). */
  counts: SnapshotCounts;
  /** Whether `columns.flags` already holds the quality flags. */
  flagged: boolean;
  /** The snapshots (ticker, day, first row), when the loader knows them without a scan. */
  snapshots?: { ticker: Uint8Array; day: Int32Array; start: Int32Array };
  /** The chain groups of those snapshots, when the loader knows them without a scan. */
  groups?: ChainGroups;
  /** The cache entry the chains were read from or written to, and the slice of it loaded. */
  origin?: ChainOrigin;
}

/** The (expiry, type) groups of loaded snapshots, as a cache entry stores them. */
export interface ChainGroups {
  /** First group of each snapshot (in the `snapshots` order), then the group count. */
  perSnapshot: Int32Array;
  /** First row of each group. */
  start: Int32Array;
  /** Expiry day of each group. */
  expiry: Int32Array;
  /** Type code of each group. */
  type: Uint8Array;
}

/**
 * Where loaded chains live in the cache: the entry and a hash of what the load asked of it.
 * The same entry and slice always give the same store, so reports computed from the store can
 * be kept beside the entry (see derived.ts).
 */
export interface ChainOrigin {
  /** The entry's folder. */
  entry: string;
  /** Hash of the load's coverage. */
  slice: string;
}

/**
 * The price whose IV is computed for a layout without greeks: the mid of a two-sided, uncrossed
 * quote; without a bid the IV is not found (and the contract is flagged), never guessed from half
 * the ask.
 */
function quotePrice(bid: number, ask: number, mid: number): number {
  return bid > 0 && ask >= bid ? mid : NaN;
}

/** Compares two rows of one batch by (ticker, day, expiry, type, strike). */
function batchOrder(b: ContractBatch): (x: number, y: number) => number {
  const { ticker, day, expiry, type, strike } = b;
  return (x, y) =>
    ticker[x] - ticker[y] || day[x] - day[y] || expiry[x] - expiry[y] || type[x] - type[y] ||
    strike[x] - strike[y] || x - y;
}

/** The order in which to append a batch's rows, or null when it is already sorted. */
function batchPermutation(b: ContractBatch): Int32Array | null {
  const cmp = batchOrder(b);
  let sorted = true;
  for (let i = 1; i < b.n; i++) {
    if (cmp(i - 1, i) > 0) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  const perm = new Int32Array(b.n);
  for (let i = 0; i < b.n; i++) perm[i] = i;
  return perm.sort(cmp);
}

/** dst[start + j] = src[index[j]] for j < count. */
function gather(
  dst: ColumnArray,
  src: ColumnArray,
  index: Int32Array,
  count: number,
  start: number,
): void {
  for (let j = 0; j < count; j++) dst[start + j] = src[index[j]];
}

/**
 * Where an accumulator's rows go: growable shared memory ({@link MemoryRows}, the default), or
 * straight into a cache entry's column files (see _file_rows.ts).
 */
export interface RowSink {
  /** Columns through which to write `count` new rows: rows [base, base + count) of them. */
  open(count: number): { columns: ChainColumns; base: number };
  /**
   * Rows [base, base + count) of the columns last opened are complete: they are rows
   * [start, start + count) of the load; `previous` is the load's row before them, if any.
   */
  commit(start: number, count: number, previous: ContractKey | null): void;
  /**
   * Every row [0, n): the columns, whether they already hold the quality flags, and whether
   * the accumulator may reorder them in place.
   */
  finish(n: number): { columns: ChainColumns; flagged: boolean; writable: boolean };
}

/** Rows in growable SharedArrayBuffer columns (see GrowableColumns). */
export class MemoryRows implements RowSink {
  readonly #cols = new GrowableColumns();

  /** The columns as appended so far (rows [0, length) are valid). */
  get columns(): ChainColumns {
    return this.#cols.views;
  }

  open(count: number): { columns: ChainColumns; base: number } {
    return { columns: this.#cols.reserve(count), base: this.#cols.length };
  }

  commit(_start: number, count: number): void {
    this.#cols.length += count;
  }

  finish(): { columns: ChainColumns; flagged: boolean; writable: boolean } {
    return { columns: this.#cols.finish(), flagged: false, writable: true };
  }
}

/** Accumulates batches; see the module documentation. */
export class ChainAccumulator {
  readonly #sink: RowSink;
  #length = 0;
  /** The last row appended (the row before the next batch). */
  #last: ContractKey | null = null;
  readonly #options: AccumulateOptions;
  readonly #tickerId = new Map<string, number>();
  readonly #names: string[] = [];
  // Blocks: (ticker id, day) runs of appended rows.
  #blockTicker: number[] = [];
  #blockDay: number[] = [];
  #blockStart: number[] = [];
  #outOfOrder = false;
  #unsortedBlocks = new Set<number>();
  readonly #counts = new Map<number, Int32Array>();
  /** Rows read from the sources (before filters). */
  rowsRead = 0;

  /**
   * @param options what to keep and how
   * @param sink where the rows go (default growable shared memory)
   */
  constructor(options: AccumulateOptions = {}, sink: RowSink = new MemoryRows()) {
    this.#options = options;
    this.#sink = sink;
  }

  /** Rows kept so far. */
  get rows(): number {
    return this.#length;
  }

  /** Rows kept so far per ticker, by name. */
  rowsPerTicker(): Map<string, number> {
    const out = new Map<string, number>();
    const starts = this.#blockStart;
    for (let k = 0; k < starts.length; k++) {
      const name = this.#names[this.#blockTicker[k]];
      const end = k + 1 < starts.length ? starts[k + 1] : this.#length;
      out.set(name, (out.get(name) ?? 0) + end - starts[k]);
    }
    return out;
  }

  /**
   * Columns whose appended rows {@link finish} changed: every column when rows had to be
   * reordered, `underlying` when ticker codes were renumbered.
   */
  changedColumns: ColumnName[] = [];
  /** Every ticker met in the batches, wanted or not (to name what the data holds). */
  readonly seen: Set<string> = new Set();

  #countsOf(id: number, day: number): Int32Array {
    const key = id * 1_000_000 + day;
    let c = this.#counts.get(key);
    if (!c) {
      c = new Int32Array(3);
      this.#counts.set(key, c);
    }
    return c;
  }

  #idOf(name: string, file: string): number {
    let id = this.#tickerId.get(name);
    if (id === undefined) {
      id = this.#names.length;
      if (id >= 255) {
        throw new DataError(
          { file, column: "ticker" },
          "At most 255 underlyings are supported: choose the underlyings to load",
        );
      }
      this.#tickerId.set(name, id);
      this.#names.push(name);
    }
    return id;
  }

  /**
   * Appends a batch: filters, counts, sorts and (when the layout has no greeks) computes IV and
   * greeks of the rows kept.
   */
  add(b: ContractBatch): void {
    this.rowsRead += b.n;
    const o = this.#options;
    const from = o.from ?? -Infinity;
    const to = o.to ?? Infinity;
    const maxDte = o.maxDte ?? Infinity;
    const tenor = o.ivTenorDays ?? 0;
    const keepLimit = Math.max(maxDte, tenor);
    const ids = new Int32Array(b.tickers.length);
    const wanted = new Uint8Array(b.tickers.length);
    for (let c = 0; c < b.tickers.length; c++) {
      this.seen.add(b.tickers[c]);
      wanted[c] = !o.underlyings || o.underlyings.has(b.tickers[c]) ? 1 : 0;
      if (wanted[c]) ids[c] = this.#idOf(b.tickers[c], b.file);
    }
    if (b.greeksMissing && !o.computeGreeks) {
      throw new DataError(
        { file: b.file, column: "impliedVolatility" },
        "This layout has no IV or greeks and no greeks calculator was given " +
          "(pass computeGreeks: chainGreeks from the pricing layer)",
      );
    }
    const perm = batchPermutation(b);
    // 1. Which rows to keep, in order, with the skipped count per (ticker, day) run: every
    // expiry up to the limit, and past the IV tenor every expiry up to the first one with a
    // usable row (the upper end of the 30-day IV's interpolation: an expiry whose rows are all
    // flagged gives it no value, so the next one does).
    const keep = new Int32Array(b.n);
    let kept = 0;
    let runCode = -1;
    let runDay = NaN;
    let stop = -1; // first expiry past the IV tenor with a usable row in the current run
    let checked = -1; // last expiry past the tenor checked for a usable row
    let skipped = 0;
    const { ticker, day: days, expiry: expiries } = b;
    const bounded = keepLimit < Infinity;
    for (let k = 0; k < b.n; k++) {
      const i = perm ? perm[k] : k;
      const code = ticker[i];
      const day = days[i];
      if (!wanted[code] || day < from || day > to) continue;
      if (code !== runCode || day !== runDay) {
        if (skipped > 0) this.#countsOf(ids[runCode], runDay)[0] += skipped;
        skipped = 0;
        runCode = code;
        runDay = day;
        stop = checked = -1;
      }
      const expiry = expiries[i];
      const dte = expiry - day;
      if (bounded && dte > tenor && stop < 0 && expiry !== checked) {
        checked = expiry;
        if (this.#expiryUsable(b, perm, k)) stop = expiry;
      }
      if (dte > keepLimit && stop >= 0 && expiry > stop) skipped++;
      else keep[kept++] = i;
    }
    if (skipped > 0) this.#countsOf(ids[runCode], runDay)[0] += skipped;
    if (kept === 0) return;
    // 2. Blocks: a new (ticker, day) run of appended rows starts one.
    const start = this.#length;
    const { columns: c, base } = this.#sink.open(kept);
    const names = this.#names;
    const last = this.#last;
    for (let j = 0; j < kept; j++) {
      const i = keep[j];
      const id = ids[ticker[i]];
      const day = days[i];
      const n = start + j;
      const prevId = j > 0 ? ids[ticker[keep[j - 1]]] : last ? last.underlying : -1;
      const prevDay = j > 0 ? days[keep[j - 1]] : last ? last.day : NaN;
      if (prevId === id && prevDay === day) {
        if (j === 0 && last) {
          // The batch continues the previous batch's snapshot: in order only if its first row
          // sorts after the snapshot's last.
          const e = expiries[i];
          if (
            last.expiry > e ||
            (last.expiry === e &&
              (last.type > b.type[i] || (last.type === b.type[i] && last.strike > b.strike[i])))
          ) this.#unsortedBlocks.add(this.#blockTicker.length - 1);
        }
        continue;
      }
      const blocks = this.#blockTicker.length;
      if (blocks > 0) {
        const pt = this.#blockTicker[blocks - 1];
        const pd = this.#blockDay[blocks - 1];
        if (names[id] < names[pt] || (names[id] === names[pt] && day <= pd)) {
          this.#outOfOrder = true;
        }
      }
      this.#blockTicker.push(id);
      this.#blockDay.push(day);
      this.#blockStart.push(n);
    }
    // 3. The rows, column by column (a straight copy when every row is kept in order).
    // Without a permutation, kept indexes ascend: one range when first and last are kept - 1
    // apart.
    const first = keep[0];
    const contiguous = perm === null && keep[kept - 1] - first === kept - 1;
    const put = <T extends ColumnArray>(dst: T, src: T) => {
      if (contiguous) dst.set(src.subarray(first, first + kept) as never, base);
      else gather(dst, src, keep, kept, base);
    };
    put(c.day, b.day);
    put(c.expiry, b.expiry);
    put(c.type, b.type);
    put(c.strike, b.strike);
    put(c.bid, b.bid);
    put(c.ask, b.ask);
    put(c.mid, b.mid);
    put(c.volume, b.volume);
    put(c.openInterest, b.openInterest);
    put(c.stockPrice, b.stockPrice);
    put(c.delta, b.delta);
    put(c.gamma, b.gamma);
    put(c.theta, b.theta);
    put(c.vega, b.vega);
    put(c.iv, b.iv);
    const u = c.underlying;
    for (let j = 0; j < kept; j++) u[base + j] = ids[ticker[keep[j]]];
    if (b.greeksMissing) this.#computeGreeks(c, base, base + kept);
    this.#sink.commit(start, kept, last);
    const z = base + kept - 1;
    this.#last = {
      underlying: u[z],
      day: c.day[z],
      expiry: c.expiry[z],
      type: c.type[z],
      strike: c.strike[z],
    };
    this.#length = start + kept;
  }

  /**
   * The escrowed-dividend spots of rows [start, end): each row's stock price less the present
   * value at the rate of the dividends of its ticker going ex in (trade day, expiry].
   */
  #escrowedSpots(c: ChainColumns, start: number, end: number): Float64Array {
    const o = this.#options;
    const spots = c.stockPrice.slice(start, end);
    for (let i = start; i < end; i++) {
      const schedule = o.dividends!.get(this.#names[c.underlying[i]]);
      if (!schedule) continue;
      spots[i - start] -= dividendsPresentValue(
        schedule.exDays,
        schedule.amounts,
        c.day[i],
        c.expiry[i],
        o.rate ?? 0,
      );
    }
    return spots;
  }

  /**
   * Whether the expiry group of a batch starting at sorted position `k` (its rows of the same
   * ticker, day and expiry that follow in `perm` order) holds a row that passes the row checks,
   * with IV and greeks computed from the mids first when the layout has none (not counted: the
   * kept rows are computed again, to the same values, when they are appended).
   */
  #expiryUsable(b: ContractBatch, perm: Int32Array | null, k: number): boolean {
    const at = (q: number) => (perm ? perm[q] : q);
    const i0 = at(k);
    let end = k + 1;
    while (
      end < b.n && b.ticker[at(end)] === b.ticker[i0] && b.day[at(end)] === b.day[i0] &&
      b.expiry[at(end)] === b.expiry[i0]
    ) end++;
    if (!b.greeksMissing) {
      for (let q = k; q < end; q++) {
        const i = at(q);
        if (
          rowCheckFlags(
            b.bid[i],
            b.ask[i],
            b.delta[i],
            b.gamma[i],
            b.theta[i],
            b.vega[i],
            b.iv[i],
          ) === 0
        ) {
          return true;
        }
      }
      return false;
    }
    const n = end - k;
    const types = new Uint8Array(n);
    const spots = new Float64Array(n);
    const strikes = new Float64Array(n);
    const years = new Float64Array(n);
    const prices = new Float64Array(n);
    for (let q = 0; q < n; q++) {
      const i = at(k + q);
      types[q] = b.type[i];
      spots[q] = b.stockPrice[i];
      strikes[q] = b.strike[i];
      years[q] = yearFraction(b.expiry[i] - b.day[i]); // past the tenor: DTE > 0
      prices[q] = quotePrice(b.bid[i], b.ask[i], b.mid[i]);
    }
    const out = {
      iv: new Float64Array(n),
      delta: new Float64Array(n),
      gamma: new Float64Array(n),
      theta: new Float64Array(n),
      vega: new Float64Array(n),
    };
    const o = this.#options;
    o.computeGreeks!({ types, spots, strikes, years }, prices, out, {
      rate: o.rate ?? 0,
      dividendYield: o.dividendYield ?? 0,
    });
    for (let q = 0; q < n; q++) {
      const i = at(k + q);
      const f = rowCheckFlags(
        b.bid[i],
        b.ask[i],
        out.delta[q],
        out.gamma[q],
        out.theta[q],
        out.vega[q],
        out.iv[q],
      );
      if (f === 0) return true;
    }
    return false;
  }

  /** IV and greeks of rows [start, end) of `c` from their mids; counted per (ticker, day). */
  #computeGreeks(c: ChainColumns, start: number, end: number): void {
    const o = this.#options;
    const years = new Float64Array(end - start);
    const prices = new Float64Array(end - start);
    for (let i = start; i < end; i++) {
      const dte = c.expiry[i] - c.day[i];
      years[i - start] = dte > 0
        ? yearFraction(dte)
        : EXPIRY_DAY_MINUTES / (CALENDAR_DAYS_PER_YEAR * 1440);
      prices[i - start] = quotePrice(c.bid[i], c.ask[i], c.mid[i]);
    }
    const s = (a: Float64Array) => a.subarray(start, end);
    o.computeGreeks!(
      {
        types: c.type.subarray(start, end),
        spots: o.dividends ? this.#escrowedSpots(c, start, end) : s(c.stockPrice),
        strikes: s(c.strike),
        years,
      },
      prices,
      { iv: s(c.iv), delta: s(c.delta), gamma: s(c.gamma), theta: s(c.theta), vega: s(c.vega) },
      { rate: o.rate ?? 0, dividendYield: o.dividendYield ?? 0 },
    );
    let i = start;
    while (i < end) {
      const id = c.underlying[i];
      const day = c.day[i];
      const counts = this.#countsOf(id, day);
      for (; i < end && c.underlying[i] === id && c.day[i] === day; i++) {
        counts[1]++;
        if (!(c.iv[i] > 0)) counts[2]++;
      }
    }
  }

  /**
   * Orders the rows, maps ticker ids to sorted indexes and returns the finished columns: the
   * sink's own when they need no change (with the snapshots, known from the blocks), else
   * reordered in shared memory (copied there first when the sink's columns are files).
   */
  finish(): LoadedChains {
    const n = this.#length;
    const done = this.#sink.finish(n);
    let columns = done.columns;
    let flagged = done.flagged;
    const starts = this.#blockStart;
    const nb = starts.length;
    const ends = (k: number) => (k + 1 < nb ? starts[k + 1] : n);
    const names = this.#names;
    const reorder = this.#outOfOrder || this.#unsortedBlocks.size > 0;
    if (reorder && !done.writable) {
      // Rows to move: into shared memory, where they are reordered and flagged again.
      const copy = allocateColumns(n);
      for (const [name] of COLUMN_TYPES) copy[name].set(columns[name] as never);
      columns = copy;
      flagged = false;
    }
    // Blocks in (ticker name, day, arrival) order.
    const order = Array.from({ length: nb }, (_, k) => k);
    if (this.#outOfOrder) {
      order.sort((x, y) => {
        const a = names[this.#blockTicker[x]];
        const b = names[this.#blockTicker[y]];
        return (a < b ? -1 : a > b ? 1 : 0) || this.#blockDay[x] - this.#blockDay[y] || x - y;
      });
      columns = moveBlocks(columns, order, starts, ends);
      this.changedColumns = COLUMN_TYPES.map(([name]) => name);
    }
    // Runs of blocks with one key (a snapshot split over files) and continued blocks whose
    // rows are out of order are sorted within the snapshot.
    let pos = 0;
    for (let k = 0; k < nb;) {
      let j = k + 1;
      while (
        j < nb && this.#blockTicker[order[j]] === this.#blockTicker[order[k]] &&
        this.#blockDay[order[j]] === this.#blockDay[order[k]]
      ) j++;
      let rows = 0;
      let unsorted = j - k > 1;
      for (let q = k; q < j; q++) {
        rows += ends(order[q]) - starts[order[q]];
        if (this.#unsortedBlocks.has(order[q])) unsorted = true;
      }
      if (unsorted) {
        sortSnapshot(columns, pos, pos + rows);
        this.changedColumns = COLUMN_TYPES.map(([name]) => name);
      }
      pos += rows;
      k = j;
    }
    // Ticker ids -> indexes of the sorted list of the tickers that kept rows.
    const present = new Set(this.#blockTicker);
    const tickers = names.filter((_, id) => present.has(id)).sort();
    const index = new Int32Array(Math.max(names.length, 1)).fill(-1);
    names.forEach((name, id) => (index[id] = tickers.indexOf(name)));
    let identity = true;
    for (let id = 0; id < names.length; id++) if (index[id] !== id) identity = false;
    if (!identity) {
      // Renumbered tickers (one seen, then kept no row, say): the written codes change.
      let u = columns.underlying;
      if (!reorder && !done.writable) {
        u = copyColumn(u);
        columns = { ...columns, underlying: u };
      }
      for (let i = 0; i < n; i++) u[i] = index[u[i]];
      if (!this.changedColumns.includes("underlying")) this.changedColumns.push("underlying");
    }
    const out: LoadedChains = {
      tickers,
      columns,
      counts: this.#snapshotCounts(index),
      flagged,
    };
    if (!reorder) {
      // Each block is a whole snapshot, in order: the snapshots without a scan.
      out.snapshots = {
        ticker: Uint8Array.from(this.#blockTicker, (id) => index[id]),
        day: Int32Array.from(this.#blockDay),
        start: Int32Array.from(starts),
      };
    }
    return out;
  }

  #snapshotCounts(index: Int32Array): SnapshotCounts {
    // Counts of tickers without a kept row have no underlying to belong to.
    const keys = [...this.#counts.keys()].filter((key) => index[Math.floor(key / 1_000_000)] >= 0)
      .sort((a, b) => a - b);
    const out: SnapshotCounts = {
      ticker: new Uint8Array(keys.length),
      day: new Int32Array(keys.length),
      skippedDte: new Int32Array(keys.length),
      greeksComputed: new Int32Array(keys.length),
      ivNotFound: new Int32Array(keys.length),
    };
    keys.forEach((key, k) => {
      const c = this.#counts.get(key)!;
      out.ticker[k] = index[Math.floor(key / 1_000_000)];
      out.day[k] = key % 1_000_000;
      out.skippedDte[k] = c[0];
      out.greeksComputed[k] = c[1];
      out.ivNotFound[k] = c[2];
    });
    return out;
  }
}

/** A copy of a byte column on a SharedArrayBuffer. */
function copyColumn(u: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(Math.max(u.length, 8)), 0, u.length);
  out.set(u);
  return out;
}

/**
 * Rearranges every column so that blocks come in `order`, through one scratch column per
 * element width: each column is copied block by block into the scratch, and its old buffer
 * becomes the scratch of the next column of that width.
 */
function moveBlocks(
  columns: ChainColumns,
  order: number[],
  starts: number[],
  ends: (k: number) => number,
): ChainColumns {
  const n = columns.day.length;
  const scratch = new Map<number, ColumnArray>();
  const out: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const src = columns[name];
    const width = Ctor.BYTES_PER_ELEMENT;
    const dest = scratch.get(width) ??
      columnOn(Ctor, new SharedArrayBuffer(Math.max(n * width, 8)), 0, n);
    let pos = 0;
    for (const k of order) {
      const s = starts[k];
      const e = ends(k);
      dest.set(src.subarray(s, e) as never, pos);
      pos += e - s;
    }
    out[name] = dest;
    scratch.set(width, src);
  }
  return out as unknown as ChainColumns;
}

/** Sorts rows [start, end) of one snapshot by (expiry, type, strike), stably. */
function sortSnapshot(columns: ChainColumns, start: number, end: number): void {
  const len = end - start;
  const { expiry, type, strike } = columns;
  const perm = new Int32Array(len);
  for (let i = 0; i < len; i++) perm[i] = start + i;
  perm.sort((x, y) => expiry[x] - expiry[y] || type[x] - type[y] || strike[x] - strike[y] || x - y);
  const view = sliceColumns(columns, start, end);
  for (const [name, Ctor] of COLUMN_TYPES) {
    const src = columns[name];
    const tmp = columnOn(Ctor, new ArrayBuffer(len * Ctor.BYTES_PER_ELEMENT));
    for (let i = 0; i < len; i++) tmp[i] = src[perm[i]];
    view[name].set(tmp as never);
  }
}
