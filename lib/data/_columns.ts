/**
 * The store's per-contract columns and growable storage for them.
 *
 * A loaded chain is one typed array per column, 99 bytes per contract row: three byte columns
 * (underlying, type, flags), four Int32 columns (day, expiry, volume, open interest) and ten
 * Float64 columns. Columns nothing reads (the last trade, the underlying's bid and ask, rho) are
 * not kept.
 *
 * While loading, rows are appended to growable SharedArrayBuffers: the address space for up to
 * {@link MAX_ROWS} rows is reserved once and memory is committed only as rows arrive, so a
 * column never moves or doubles, and the finished store is already shareable with Web Workers.
 *
 * @module
 */

/** Per-contract columns, one entry per row. */
export interface ChainColumns {
  /** Index into the store's `tickers`. */
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
  /** Mid, dollars per share (the file's, else (bid + ask) / 2). */
  mid: Float64Array;
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
  /** Implied volatility, annual decimal. */
  iv: Float64Array;
  /** Data-quality flags (FLAG_*); a non-zero row is kept out of the scan. */
  flags: Uint8Array;
}

/** The contract of a row: what makes a later row of the same day a duplicate. */
export interface ContractKey {
  underlying: number;
  day: number;
  expiry: number;
  type: number;
  strike: number;
}

/** Name of a store column. */
export type ColumnName = keyof ChainColumns;

/** Typed-array constructors the columns use. */
export type ColumnCtor = Uint8ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor;

/** Every column with its element type, in the order the cache writes them. */
export const COLUMN_TYPES: ReadonlyArray<readonly [ColumnName, ColumnCtor]> = [
  ["underlying", Uint8Array],
  ["day", Int32Array],
  ["expiry", Int32Array],
  ["strike", Float64Array],
  ["type", Uint8Array],
  ["bid", Float64Array],
  ["ask", Float64Array],
  ["mid", Float64Array],
  ["volume", Int32Array],
  ["openInterest", Int32Array],
  ["stockPrice", Float64Array],
  ["delta", Float64Array],
  ["gamma", Float64Array],
  ["theta", Float64Array],
  ["vega", Float64Array],
  ["iv", Float64Array],
  ["flags", Uint8Array],
];

/** Bytes per contract row over all columns. */
export const BYTES_PER_ROW: number = COLUMN_TYPES.reduce(
  (sum, [, Ctor]) => sum + Ctor.BYTES_PER_ELEMENT,
  0,
);

/** Rows a store can hold at most (the address space reserved per column). */
export const MAX_ROWS = 2 ** 30;

/** A typed array of one of the column types. */
export type ColumnArray = Uint8Array | Int32Array | Float64Array;

/** A column of a given type over (part of) a buffer. */
export function columnOn(
  Ctor: ColumnCtor,
  buffer: ArrayBufferLike,
  byteOffset = 0,
  length?: number,
): ColumnArray {
  const C = Ctor as unknown as new (b: ArrayBufferLike, o?: number, n?: number) => ColumnArray;
  return length === undefined ? new C(buffer, byteOffset) : new C(buffer, byteOffset, length);
}

/** Growable columns on SharedArrayBuffers: rows are appended, memory is committed as they come. */
export class GrowableColumns {
  /** Rows written so far. */
  length = 0;
  #capacity = 0;
  readonly #buffers = new Map<ColumnName, SharedArrayBuffer>();
  /** Views of the reserved rows, valid until the next {@link reserve}. */
  views!: ChainColumns;

  /** Reserves address space for {@link MAX_ROWS} rows per column; commits nothing yet. */
  constructor() {
    for (const [name, Ctor] of COLUMN_TYPES) {
      this.#buffers.set(
        name,
        new SharedArrayBuffer(0, { maxByteLength: MAX_ROWS * Ctor.BYTES_PER_ELEMENT }),
      );
    }
    this.#makeViews();
  }

  #makeViews(): void {
    const views: Record<string, ColumnArray> = {};
    // Fixed-length views: V8 compiles access to them as to any typed array, unlike
    // length-tracking views of a growable buffer.
    for (const [name, Ctor] of COLUMN_TYPES) {
      views[name] = columnOn(Ctor, this.#buffers.get(name)!, 0, this.#capacity);
    }
    this.views = views as unknown as ChainColumns;
  }

  /**
   * Makes room for `extra` more rows (growing by at least a quarter, so appends stay amortized)
   * and returns the views to write them through.
   *
   * @throws RangeError beyond {@link MAX_ROWS} rows
   */
  reserve(extra: number): ChainColumns {
    const need = this.length + extra;
    if (need <= this.#capacity) return this.views;
    if (need > MAX_ROWS) {
      throw new RangeError(`More than ${MAX_ROWS} contract rows: split the data set`);
    }
    const target = Math.min(MAX_ROWS, Math.max(need, Math.ceil(this.#capacity * 1.25), 1 << 16));
    for (const [name, Ctor] of COLUMN_TYPES) {
      this.#buffers.get(name)!.grow(target * Ctor.BYTES_PER_ELEMENT);
    }
    this.#capacity = target;
    this.#makeViews();
    return this.views;
  }

  /** Fixed-length views of the rows written (what the store keeps). */
  finish(): ChainColumns {
    return sliceColumns(this.views, 0, this.length);
  }
}

/** Fixed-length views of rows [start, end) of every column (no copy). */
export function sliceColumns(columns: ChainColumns, start: number, end: number): ChainColumns {
  const out: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const a = columns[name];
    out[name] = columnOn(Ctor, a.buffer, a.byteOffset + start * a.BYTES_PER_ELEMENT, end - start);
  }
  return out as unknown as ChainColumns;
}

/** Fresh columns of `n` rows on SharedArrayBuffers (zero-filled). */
export function allocateColumns(n: number): ChainColumns {
  const out: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    out[name] = columnOn(
      Ctor,
      new SharedArrayBuffer(Math.max(n * Ctor.BYTES_PER_ELEMENT, 8)),
      0,
      n,
    );
  }
  return out as unknown as ChainColumns;
}
