/**
 * Normalizes raw chain frames, long or ORATS-wide, to the long schema with checked types.
 *
 * The normalized frame has the columns of {@link LONG_COLUMNS}: `tradeDate` and `expirDate` as
 * Date, `optionType` "C" or "P", `volume` and `openInterest` Int32, everything else Float64 (NaN
 * where a file leaves a value empty or lacks an optional column).
 *
 * @module
 */
import pl from "nodejs-polars";
import { castColumns, type ColumnType, firstTrue, requireColumns, rowNumber } from "./columns.ts";
import { DataError } from "./errors.ts";
import { LONG_COLUMNS, LONG_REQUIRED, WIDE_REQUIRED } from "./schema.ts";

const FLOAT_LONG = [
  "strike",
  "bid",
  "ask",
  "mid",
  "last",
  "stockPrice",
  "delta",
  "gamma",
  "theta",
  "vega",
  "rho",
  "impliedVolatility",
  "underlyingBid",
  "underlyingAsk",
];

/** Source of a frame, for error messages. */
export interface FrameSource {
  /** File path. */
  file: string;
  /** File kind: CSV rows count the header line. */
  kind: "csv" | "parquet";
}

/** Rejects rows whose identity is unusable: empty ticker, expiry before trade date, bad strike. */
function checkIdentity(df: pl.DataFrame, source: FrameSource): void {
  const checks: Array<[string, pl.Expr, string]> = [
    [
      "ticker",
      pl.col("ticker").isNull().or(pl.col("ticker").str.lengths().eq(0)),
      "Ticker is empty",
    ],
    [
      "strike",
      pl.col("strike").isNan().or(pl.col("strike").ltEq(0)),
      "Strike must be a positive number",
    ],
    ["expirDate", pl.col("expirDate").lt(pl.col("tradeDate")), "Expiry is before the trade date"],
  ];
  // One pass counts every kind of problem; the first offending row is looked up only on failure.
  const counts = df.select(...checks.map(([, mask], i) => mask.sum().alias(`c${i}`))).row(0);
  checks.forEach(([column, mask, what], i) => {
    if (Number(counts[i]) === 0) return;
    const index = firstTrue(df, mask);
    throw new DataError({ file: source.file, row: rowNumber(index, source.kind), column }, what);
  });
}

/** The canonical option type of a cell: "C" for C/CALL, "P" for P/PUT (any case, padded). */
function canonicalType(value: string | null): "C" | "P" | null {
  const v = value?.trim().toUpperCase();
  return v === "C" || v === "CALL" ? "C" : v === "P" || v === "PUT" ? "P" : null;
}

/**
 * Tickers trimmed and option types made "C"/"P". Both columns hold a handful of distinct
 * values, so they are checked on those (no per-row string work when a file is already clean, as
 * Parquet usually is) and rewritten only when some value is not canonical.
 *
 * @throws DataError naming the first row of an unknown option type
 */
function canonicalStrings(df: pl.DataFrame, source: FrameSource): pl.DataFrame {
  const rewrites: pl.Expr[] = [];
  const types = df.getColumn("optionType").unique().toArray() as Array<string | null>;
  for (const value of types) {
    if (canonicalType(value) !== null) continue;
    const index = firstTrue(
      df,
      value === null ? pl.col("optionType").isNull() : pl.col("optionType").eq(pl.lit(value)),
    );
    throw new DataError(
      { file: source.file, row: rowNumber(index, source.kind), column: "optionType" },
      `Expected C or P, got ${JSON.stringify(value)}`,
    );
  }
  if (types.some((v) => canonicalType(v) !== v)) {
    const type = pl.col("optionType").str.strip().str.toUpperCase();
    rewrites.push(
      pl.when(type.eq(pl.lit("C")).or(type.eq(pl.lit("CALL")))).then(pl.lit("C"))
        .otherwise(pl.lit("P")).alias("optionType"),
    );
  }
  const tickers = df.getColumn("ticker").unique().toArray() as Array<string | null>;
  if (tickers.some((t) => t !== null && t.trim() !== t)) {
    rewrites.push(pl.col("ticker").str.strip().alias("ticker"));
  }
  return rewrites.length ? df.withColumns(...rewrites) : df;
}

/**
 * Normalizes a long-format frame: required columns present, every cell of the right type,
 * optionType C/P (also "call"/"put"), missing optional columns filled.
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function normalizeLong(raw: pl.DataFrame, source: FrameSource): pl.DataFrame {
  requireColumns(raw, LONG_REQUIRED, source.file);
  let df = raw;
  const fill: pl.Expr[] = [];
  for (const name of ["mid", "last", "rho", "underlyingBid", "underlyingAsk"]) {
    if (!df.columns.includes(name)) fill.push(pl.lit(null).cast(pl.Float64).alias(name));
  }
  if (fill.length) df = df.withColumns(...fill);
  const types: Record<string, ColumnType> = {
    ticker: "string",
    tradeDate: "date",
    expirDate: "date",
    optionType: "string",
    volume: "int",
    openInterest: "int",
  };
  for (const name of FLOAT_LONG) types[name] = "float";
  df = canonicalStrings(castColumns(df.select(...LONG_COLUMNS), types, source), source);
  if (df.select(pl.col("mid").isNan().any()).row(0)[0]) {
    df = df.withColumns(
      pl.when(pl.col("mid").isNan())
        .then(pl.col("bid").add(pl.col("ask")).mul(0.5))
        .otherwise(pl.col("mid")).alias("mid"),
    );
  }
  checkIdentity(df, source);
  return df;
}

/**
 * Normalizes ORATS' wide "strikes" format (one row per strike) to two long rows, a call and a
 * put. Quotes come from call/put bid and ask prices, IV from `callMidIv`/`putMidIv`, volume and
 * open interest per side. ORATS publishes the call's greeks; the put's are derived:
 * delta_put = delta - 1, gamma and vega equal, and by put-call parity with rate r (the `rate`
 * option, default 0 — ORATS' residualRate is not a risk-free rate) theta_put = theta +
 * r·K·e^{-rT}/365 and rho_put = rho - K·T·e^{-rT}/100, T = calendar days / 365. `last` and the
 * underlying's bid/ask are not in this format and come out NaN.
 *
 * @throws DataError naming file, row and column of the first problem
 */
export function normalizeWide(
  raw: pl.DataFrame,
  source: FrameSource,
  options: { rate?: number } = {},
): pl.DataFrame {
  requireColumns(raw, WIDE_REQUIRED, source.file);
  let df = raw;
  if (!df.columns.includes("rho")) df = df.withColumns(pl.lit(null).cast(pl.Float64).alias("rho"));
  const types: Record<string, ColumnType> = {
    ticker: "string",
    tradeDate: "date",
    expirDate: "date",
    callVolume: "int",
    callOpenInterest: "int",
    putVolume: "int",
    putOpenInterest: "int",
  };
  for (
    const name of [
      "strike",
      "stockPrice",
      "callBidPrice",
      "callAskPrice",
      "putBidPrice",
      "putAskPrice",
      "callMidIv",
      "putMidIv",
      "delta",
      "gamma",
      "theta",
      "vega",
      "rho",
    ]
  ) types[name] = "float";
  df = castColumns(df.select(...Object.keys(types)), types, source);
  const tickers = df.getColumn("ticker").unique().toArray() as Array<string | null>;
  if (tickers.some((t) => t !== null && t.trim() !== t)) {
    df = df.withColumns(pl.col("ticker").str.strip().alias("ticker"));
  }
  checkIdentity(df, source);
  const r = options.rate ?? 0;
  const years = pl.col("expirDate").cast(pl.Int32).sub(pl.col("tradeDate").cast(pl.Int32)).div(365);
  const discount = years.mul(-r).exp();
  const nan = pl.lit(NaN);
  const side = (prefix: "call" | "put") => {
    const isPut = prefix === "put";
    return df.select(
      pl.col("ticker"),
      pl.col("tradeDate"),
      pl.col("expirDate"),
      pl.col("strike"),
      pl.lit(isPut ? "P" : "C").alias("optionType"),
      pl.col(`${prefix}BidPrice`).alias("bid"),
      pl.col(`${prefix}AskPrice`).alias("ask"),
      pl.col(`${prefix}BidPrice`).add(pl.col(`${prefix}AskPrice`)).mul(0.5).alias("mid"),
      nan.alias("last"),
      pl.col(`${prefix}Volume`).alias("volume"),
      pl.col(`${prefix}OpenInterest`).alias("openInterest"),
      pl.col("stockPrice"),
      isPut ? pl.col("delta").sub(1).alias("delta") : pl.col("delta"),
      pl.col("gamma"),
      isPut
        ? pl.col("theta").add(pl.col("strike").mul(r).mul(discount).div(365)).alias("theta")
        : pl.col("theta"),
      pl.col("vega"),
      isPut
        ? pl.col("rho").sub(pl.col("strike").mul(years).mul(discount).div(100)).alias("rho")
        : pl.col("rho"),
      pl.col(`${prefix}MidIv`).alias("impliedVolatility"),
      nan.alias("underlyingBid"),
      nan.alias("underlyingAsk"),
    );
  };
  return pl.concat([side("call"), side("put")]);
}
