/**
 * Growable typed columns of generated option rows, shared by the sample and the full-density
 * market generators, and their conversion to an ORATS-layout polars frame.
 *
 * @module
 */
import pl from "nodejs-polars";

type Column = Int32Array | Float64Array | Uint8Array;

/** Growable typed columns for one output file: reserve a row with `push()`, then fill it. */
export class ChainBuffer {
  /** Rows written. */
  n = 0;
  day: Int32Array;
  expiry: Int32Array;
  strike: Float64Array;
  /** 1 for a put, 0 for a call. */
  type: Uint8Array;
  bid: Float64Array;
  ask: Float64Array;
  volume: Int32Array;
  oi: Int32Array;
  stock: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  theta: Float64Array;
  vega: Float64Array;
  rho: Float64Array;
  iv: Float64Array;

  /** Starts with room for `capacity` rows; the columns double when full. */
  constructor(capacity = 1 << 20) {
    this.day = new Int32Array(capacity);
    this.expiry = new Int32Array(capacity);
    this.strike = new Float64Array(capacity);
    this.type = new Uint8Array(capacity);
    this.bid = new Float64Array(capacity);
    this.ask = new Float64Array(capacity);
    this.volume = new Int32Array(capacity);
    this.oi = new Int32Array(capacity);
    this.stock = new Float64Array(capacity);
    this.delta = new Float64Array(capacity);
    this.gamma = new Float64Array(capacity);
    this.theta = new Float64Array(capacity);
    this.vega = new Float64Array(capacity);
    this.rho = new Float64Array(capacity);
    this.iv = new Float64Array(capacity);
  }

  /** Reserves one row and returns its index. */
  push(): number {
    if (this.n === this.day.length) {
      const grow = <T extends Column>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a as never);
        return b;
      };
      this.day = grow(this.day);
      this.expiry = grow(this.expiry);
      this.strike = grow(this.strike);
      this.type = grow(this.type);
      this.bid = grow(this.bid);
      this.ask = grow(this.ask);
      this.volume = grow(this.volume);
      this.oi = grow(this.oi);
      this.stock = grow(this.stock);
      this.delta = grow(this.delta);
      this.gamma = grow(this.gamma);
      this.theta = grow(this.theta);
      this.vega = grow(this.vega);
      this.rho = grow(this.rho);
      this.iv = grow(this.iv);
    }
    return this.n++;
  }

  /** Copies row i to a new row (a duplicate-row defect). */
  duplicate(i: number): void {
    const j = this.push();
    for (const a of this.columns()) a[j] = a[i];
  }

  /**
   * The rows as a long-format ORATS frame (ticker, dates, strike, optionType, quotes, volume,
   * open interest, stock price, greeks, IV). With `quoteExtras`, also `last` (NaN) after `mid`
   * and the underlying's bid/ask (stock price ∓ 0.01) at the end, as the default sample has.
   */
  toFrame(ticker: string, quoteExtras = false): pl.DataFrame {
    const n = this.n;
    const f = (name: string, a: Float64Array) => pl.Series(name, a.subarray(0, n));
    const mid = new Float64Array(n);
    for (let i = 0; i < n; i++) mid[i] = Math.round((this.bid[i] + this.ask[i]) * 50) / 100;
    return pl.DataFrame([
      pl.Series("tradeDate", this.day.subarray(0, n)),
      pl.Series("expirDate", this.expiry.subarray(0, n)),
      f("strike", this.strike),
      pl.Series("typeCode", this.type.subarray(0, n)),
      f("bid", this.bid),
      f("ask", this.ask),
      pl.Series("mid", mid),
      pl.Series("volume", this.volume.subarray(0, n)),
      pl.Series("openInterest", this.oi.subarray(0, n)),
      f("stockPrice", this.stock),
      f("delta", this.delta),
      f("gamma", this.gamma),
      f("theta", this.theta),
      f("vega", this.vega),
      f("rho", this.rho),
      f("impliedVolatility", this.iv),
    ]).select(
      pl.lit(ticker).alias("ticker"),
      pl.col("tradeDate").cast(pl.Date),
      pl.col("expirDate").cast(pl.Date),
      pl.col("strike"),
      pl.when(pl.col("typeCode").eq(1)).then(pl.lit("P")).otherwise(pl.lit("C"))
        .alias("optionType"),
      pl.col("bid"),
      pl.col("ask"),
      pl.col("mid"),
      ...(quoteExtras ? [pl.lit(NaN).alias("last")] : []),
      pl.col("volume"),
      pl.col("openInterest"),
      pl.col("stockPrice"),
      pl.col("delta"),
      pl.col("gamma"),
      pl.col("theta"),
      pl.col("vega"),
      pl.col("rho"),
      pl.col("impliedVolatility"),
      ...(quoteExtras
        ? [
          pl.col("stockPrice").sub(0.01).alias("underlyingBid"),
          pl.col("stockPrice").add(0.01).alias("underlyingAsk"),
        ]
        : []),
    );
  }

  private columns(): Column[] {
    return [
      this.day,
      this.expiry,
      this.strike,
      this.type,
      this.bid,
      this.ask,
      this.volume,
      this.oi,
      this.stock,
      this.delta,
      this.gamma,
      this.theta,
      this.vega,
      this.rho,
      this.iv,
    ];
  }
}
