/**
 * Normalizes one raw frame of a known layout to canonical contract rows (typed arrays): checked
 * types, canonical tickers and option types, wide layouts split into a call and a put.
 *
 * @module
 */
import pl from "nodejs-polars";
import {
  castColumns,
  type ColumnType,
  firstTrue,
  floats,
  type FrameSource,
  ints,
  requireColumns,
  rowNumber,
} from "./_cast.ts";
import { DataError } from "./errors.ts";
import { CALENDAR_DAYS_PER_YEAR, yearFraction } from "./conventions.ts";
import {
  CBOE_CALCS,
  CBOE_EOD_REQUIRED,
  type ColumnMap,
  type LayoutName,
  LONG_GREEKS,
  LONG_REQUIRED,
  ORATS_STRIKES_REQUIRED,
  SMV_STRIKES_REQUIRED,
  SNAKE_LONG_REQUIRED,
} from "./layouts.ts";

/** Canonical contract rows of one frame: one entry per contract. */
export interface ContractBatch {
  /** Rows. */
  n: number;
  /** Distinct tickers, sorted; `ticker` codes index this list. */
  tickers: string[];
  /** Ticker code per row. */
  ticker: Int32Array;
  /** Trade day, expiry day (days since 1970-01-01). */
  day: Int32Array;
  expiry: Int32Array;
  /** 0 = call, 1 = put. */
  type: Uint8Array;
  strike: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  mid: Float64Array;
  volume: Int32Array;
  openInterest: Int32Array;
  stockPrice: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  theta: Float64Array;
  vega: Float64Array;
  iv: Float64Array;
  /** Whether IV and greeks are absent and must be computed from the mids. */
  greeksMissing: boolean;
  /** The row number of row i in messages. */
  rowOf: (i: number) => number;
  /** Source file, for messages. */
  file: string;
}

/** What normalization needs besides the frame. */
export interface NormalizeContext {
  /** Risk-free rate for the put greeks of the strikes layouts (annual decimal). */
  rate: number;
  /** Continuous dividend yield for the same (annual decimal). */
  dividendYield: number;
  /** The `[data.columns]` map, for the mapped layout. */
  columnMap?: ColumnMap;
  /** The day the file name carries (daily files), or null. */
  fileDay: number | null;
}

/** The canonical option type of a cell: 0 for C/CALL, 1 for P/PUT (any case, padded). */
function typeCode(value: string | null): 0 | 1 | null {
  const v = value?.trim().toUpperCase();
  return v === "C" || v === "CALL" ? 0 : v === "P" || v === "PUT" ? 1 : null;
}

/** Ticker codes and the sorted distinct tickers of a string column. */
function tickerCodes(
  df: pl.DataFrame,
  name: string,
  source: FrameSource,
  stripCaret: boolean,
): { tickers: string[]; codes: Int32Array } {
  const clean = (t: string) => (stripCaret ? t.trim().replace(/^\^/, "") : t.trim());
  // Most files hold one ticker: one comparison pass settles it without hashing every cell.
  const first = df.getColumn(name).get(0) as string | null;
  const single = first !== null &&
    df.select(pl.col(name).eq(pl.lit(first)).all().alias("s")).row(0)[0] === true;
  const raw = single ? [first] : df.getColumn(name).unique().toArray() as string[];
  let column: pl.Series = df.getColumn(name);
  if (raw.some((t) => clean(t) !== t)) {
    // Padded (or CBOE "^SPX"-style) tickers: clean the column itself (rare).
    let e = pl.col(name).str.strip();
    if (stripCaret) e = e.str.replace("^\\^", "");
    column = df.select(e.alias(name)).getColumn(name);
  }
  const tickers = [...new Set(raw.map(clean))].sort();
  if (tickers.includes("")) {
    const index = firstTrue(pl.DataFrame([column.alias("t")]), pl.col("t").eq(pl.lit("")));
    throw new DataError(
      { file: source.file, row: rowNumber(index, source), column: name },
      "Ticker is empty",
    );
  }
  if (tickers.length === 1) return { tickers, codes: new Int32Array(df.height) };
  const ranks = column.rank("dense").cast(pl.Int32).toTypedArray() as Int32Array;
  const codes = ranks instanceof Int32Array ? ranks : Int32Array.from(ranks);
  for (let i = 0; i < codes.length; i++) codes[i] -= 1;
  return { tickers, codes };
}

/** Option-type codes of a column of C/P/call/put cells. */
function optionTypes(df: pl.DataFrame, name: string, source: FrameSource): Uint8Array {
  // Canonical C/P cells (the usual case) are checked in one pass without hashing every cell.
  const canonical = df.select(
    pl.col(name).eq(pl.lit("C")).or(pl.col(name).eq(pl.lit("P"))).all().alias("ok"),
  ).row(0)[0] === true;
  const values = canonical
    ? ["C", "P"]
    : df.getColumn(name).unique().toArray() as Array<string | null>;
  for (const value of values) {
    if (typeCode(value) !== null) continue;
    const index = firstTrue(
      df,
      value === null ? pl.col(name).isNull() : pl.col(name).eq(pl.lit(value)),
    );
    throw new DataError(
      { file: source.file, row: rowNumber(index, source), column: name },
      `Expected C or P, got ${JSON.stringify(value)}`,
    );
  }
  let puts: pl.Series;
  if (values.every((v) => v === "C" || v === "P")) {
    puts = df.select(pl.col(name).eq(pl.lit("P")).alias("p")).getColumn("p");
  } else {
    const upper = pl.col(name).str.strip().str.toUpperCase();
    puts = df.select(upper.eq(pl.lit("P")).or(upper.eq(pl.lit("PUT"))).alias("p")).getColumn("p");
  }
  const codes = puts.cast(pl.UInt8).toTypedArray();
  return codes instanceof Uint8Array ? codes : Uint8Array.from(codes as ArrayLike<number>);
}

/** Strikes and stock prices at or above this are out of range (no listed option comes near). */
export const MAX_PRICE = 1e6;

/** The first day of listed options (the CBOE's opening, 1973-04-26), days since 1970-01-01. */
export const FIRST_LISTED_DAY = 1211;

/**
 * Checks identity cells: strike a positive number below {@link MAX_PRICE}; expiry not before the
 * trade day; trade day not before listed options existed; the stock price, where present, a
 * positive number below {@link MAX_PRICE} (a missing one is flagged later, as before).
 */
function checkIdentity(
  b: ContractBatch,
  columns: { strike: string; expiry: string; day: string; stock: string },
): void {
  for (let i = 0; i < b.n; i++) {
    if (!(b.strike[i] > 0 && b.strike[i] < MAX_PRICE)) {
      throw new DataError(
        { file: b.file, row: b.rowOf(i), column: columns.strike },
        b.strike[i] >= MAX_PRICE
          ? `Strike ${b.strike[i]} is out of range (at most ${MAX_PRICE})`
          : "Strike must be a positive number",
      );
    }
    if (b.expiry[i] < b.day[i]) {
      throw new DataError(
        { file: b.file, row: b.rowOf(i), column: columns.expiry },
        "Expiry is before the trade date",
      );
    }
    if (b.day[i] < FIRST_LISTED_DAY) {
      throw new DataError(
        { file: b.file, row: b.rowOf(i), column: columns.day },
        "Trade date is before listed options existed (1973-04-26)",
      );
    }
    const stock = b.stockPrice[i];
    if (stock === stock && !(stock > 0 && stock < MAX_PRICE)) {
      throw new DataError(
        { file: b.file, row: b.rowOf(i), column: columns.stock },
        `Stock price ${stock} is out of range (a positive number below ${MAX_PRICE})`,
      );
    }
  }
}

/** (bid + ask) / 2 where `mid` is NaN (or everywhere when `mid` is null). */
function fillMid(bid: Float64Array, ask: Float64Array, mid: Float64Array | null): Float64Array {
  const out = mid ?? new Float64Array(bid.length);
  for (let i = 0; i < out.length; i++) {
    if (mid === null || Number.isNaN(out[i])) out[i] = (bid[i] + ask[i]) * 0.5;
  }
  return out;
}

function types(names: readonly string[], t: ColumnType): Record<string, ColumnType> {
  return Object.fromEntries(names.map((n) => [n, t]));
}

/** The long layout (also the target of a column map) and the snake_case long layout. */
function perContract(
  raw: pl.DataFrame,
  source: FrameSource,
  names: {
    ticker: string;
    day: string;
    expiry: string;
    strike: string;
    type: string;
    bid: string;
    ask: string;
    mid: string | null;
    volume: string;
    openInterest: string;
    stock: string;
    delta: string;
    gamma: string;
    theta: string;
    vega: string;
    iv: string;
  },
  greeksPresent: boolean,
): ContractBatch {
  const t: Record<string, ColumnType> = {
    [names.ticker]: "string",
    [names.day]: "date",
    [names.expiry]: "date",
    [names.type]: "string",
    [names.volume]: "int",
    [names.openInterest]: "int",
    ...types([names.strike, names.bid, names.ask, names.stock], "float"),
  };
  if (names.mid) t[names.mid] = "float";
  if (greeksPresent) {
    Object.assign(t, types([names.delta, names.gamma, names.theta, names.vega, names.iv], "float"));
  }
  const df = castColumns(raw, t, source);
  const { tickers, codes } = tickerCodes(df, names.ticker, source, false);
  const n = df.height;
  const bid = floats(df, names.bid);
  const ask = floats(df, names.ask);
  const nan = () => new Float64Array(n).fill(NaN);
  const batch: ContractBatch = {
    n,
    tickers,
    ticker: codes,
    day: ints(df, names.day),
    expiry: ints(df, names.expiry),
    type: optionTypes(df, names.type, source),
    strike: floats(df, names.strike),
    bid,
    ask,
    mid: fillMid(bid, ask, names.mid ? floats(df, names.mid) : null),
    volume: ints(df, names.volume),
    openInterest: ints(df, names.openInterest),
    stockPrice: floats(df, names.stock),
    delta: greeksPresent ? floats(df, names.delta) : nan(),
    gamma: greeksPresent ? floats(df, names.gamma) : nan(),
    theta: greeksPresent ? floats(df, names.theta) : nan(),
    vega: greeksPresent ? floats(df, names.vega) : nan(),
    iv: greeksPresent ? floats(df, names.iv) : nan(),
    greeksMissing: !greeksPresent,
    rowOf: (i) => rowNumber(i, source),
    file: source.file,
  };
  checkIdentity(batch, {
    strike: names.strike,
    expiry: names.expiry,
    day: names.day,
    stock: names.stock,
  });
  return batch;
}

/** Long-layout source names, renamed by a column map when given. */
function longNames(map: ColumnMap = {}) {
  const s = (name: string) => map[name] ?? name;
  return {
    ticker: s("ticker"),
    day: s("tradeDate"),
    expiry: s("expirDate"),
    strike: s("strike"),
    type: s("optionType"),
    bid: s("bid"),
    ask: s("ask"),
    mid: s("mid"),
    volume: s("volume"),
    openInterest: s("openInterest"),
    stock: s("stockPrice"),
    delta: s("delta"),
    gamma: s("gamma"),
    theta: s("theta"),
    vega: s("vega"),
    iv: s("impliedVolatility"),
  };
}

function normalizeLongLike(raw: pl.DataFrame, source: FrameSource, map?: ColumnMap): ContractBatch {
  const names = longNames(map);
  const cols = raw.columns;
  requireColumns(cols, LONG_REQUIRED.map((c) => map?.[c] ?? c), source.file);
  const greekNames = LONG_GREEKS.map((g) => (map?.[g] ?? g));
  const present = greekNames.filter((g) => cols.includes(g));
  // All five present, or none (then IV and greeks are computed from the mids).
  if (present.length > 0) requireColumns(cols, greekNames, source.file);
  return perContract(
    raw,
    source,
    { ...names, mid: cols.includes(names.mid) ? names.mid : null },
    present.length > 0,
  );
}

function normalizeSnake(raw: pl.DataFrame, source: FrameSource): ContractBatch {
  requireColumns(raw.columns, SNAKE_LONG_REQUIRED, source.file);
  return perContract(raw, source, {
    ticker: "ticker",
    day: "trade_date",
    expiry: "expir_date",
    strike: "strike",
    type: "option_type",
    bid: "bid",
    ask: "ask",
    mid: null,
    volume: "volume",
    openInterest: "open_interest",
    stock: "stock_price",
    delta: "delta",
    gamma: "gamma",
    theta: "theta",
    vega: "vega",
    iv: "mid_iv",
  }, true);
}

function normalizeCboe(raw: pl.DataFrame, source: FrameSource, calcs: boolean): ContractBatch {
  requireColumns(raw.columns, CBOE_EOD_REQUIRED, source.file);
  if (calcs) requireColumns(raw.columns, CBOE_CALCS, source.file);
  const t: Record<string, ColumnType> = {
    underlying_symbol: "string",
    quote_date: "date",
    expiration: "date",
    option_type: "string",
    trade_volume: "int",
    open_interest: "int",
    ...types(
      ["strike", "bid_1545", "ask_1545", "underlying_bid_1545", "underlying_ask_1545"],
      "float",
    ),
    ...(calcs ? types(CBOE_CALCS, "float") : {}),
  };
  const df = castColumns(raw, t, source);
  const n = df.height;
  const { tickers, codes } = tickerCodes(df, "underlying_symbol", source, true);
  // The underlying at 15:45: the mid of its bid and ask (one side when the other is missing).
  const ub = floats(df, "underlying_bid_1545");
  const ua = floats(df, "underlying_ask_1545");
  const stock = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = ub[i] > 0 ? ub[i] : NaN;
    const a = ua[i] > 0 ? ua[i] : NaN;
    stock[i] = b === b && a === a ? 0.5 * (b + a) : b === b ? b : a;
    if (!(stock[i] > 0)) {
      throw new DataError(
        { file: source.file, row: rowNumber(i, source), column: "underlying_bid_1545" },
        "The underlying's bid and ask are both missing",
      );
    }
  }
  const bid = floats(df, "bid_1545");
  const ask = floats(df, "ask_1545");
  const nan = () => new Float64Array(n).fill(NaN);
  const batch: ContractBatch = {
    n,
    tickers,
    ticker: codes,
    day: ints(df, "quote_date"),
    expiry: ints(df, "expiration"),
    type: optionTypes(df, "option_type", source),
    strike: floats(df, "strike"),
    bid,
    ask,
    mid: fillMid(bid, ask, null),
    volume: ints(df, "trade_volume"),
    openInterest: ints(df, "open_interest"),
    stockPrice: stock,
    delta: calcs ? floats(df, "delta_1545") : nan(),
    gamma: calcs ? floats(df, "gamma_1545") : nan(),
    theta: calcs ? floats(df, "theta_1545") : nan(),
    vega: calcs ? floats(df, "vega_1545") : nan(),
    iv: calcs ? floats(df, "implied_volatility_1545") : nan(),
    greeksMissing: !calcs,
    rowOf: (i) => rowNumber(i, source),
    file: source.file,
  };
  checkIdentity(batch, {
    strike: "strike",
    expiry: "expiration",
    day: "quote_date",
    stock: "underlying_bid_1545",
  });
  return batch;
}

/** Source names of a strikes layout (one row per strike, call and put side by side). */
interface WideNames {
  ticker: string;
  day: string | null;
  expiry: string;
  strike: string;
  stock: string;
  callVolume: string;
  callOi: string;
  putVolume: string;
  putOi: string;
  callBid: string;
  callAsk: string;
  putBid: string;
  putAsk: string;
  callIv: string;
  putIv: string;
}

/**
 * A strikes layout split into calls (rows [0, m)) and puts (rows [m, 2m)). The greeks in the
 * file are the call's; the put's follow from put-call parity with rate r and yield q:
 * delta_put = delta - e^{-qT}, gamma and vega equal, theta_put = theta + (r·K·e^{-rT} -
 * q·S·e^{-qT}) / 365, T = calendar days / 365.
 */
function normalizeWide(
  raw: pl.DataFrame,
  source: FrameSource,
  names: WideNames,
  ctx: NormalizeContext,
): ContractBatch {
  const t: Record<string, ColumnType> = {
    [names.ticker]: "string",
    [names.expiry]: "date",
    ...types([names.callVolume, names.callOi, names.putVolume, names.putOi], "int"),
    ...types(
      [
        names.strike,
        names.stock,
        names.callBid,
        names.callAsk,
        names.putBid,
        names.putAsk,
        names.callIv,
        names.putIv,
        "delta",
        "gamma",
        "theta",
        "vega",
      ],
      "float",
    ),
  };
  if (names.day) t[names.day] = "date";
  const df = castColumns(raw, t, source);
  const m = df.height;
  const n = 2 * m;
  const { tickers, codes } = tickerCodes(df, names.ticker, source, false);
  const fileDay = ctx.fileDay;
  const day1 = names.day ? ints(df, names.day) : new Int32Array(m).fill(fileDay ?? 0);
  const exp1 = ints(df, names.expiry);
  const strike1 = floats(df, names.strike);
  const stock1 = floats(df, names.stock);
  const twice = <T extends Float64Array | Int32Array>(a: T, make: (k: number) => T): T => {
    const out = make(n);
    out.set(a as never, 0);
    out.set(a as never, m);
    return out;
  };
  const f64 = (k: number) => new Float64Array(k);
  const i32 = (k: number) => new Int32Array(k);
  const side = <T extends Float64Array | Int32Array>(
    call: T,
    put: T,
    make: (k: number) => T,
  ): T => {
    const out = make(n);
    out.set(call as never, 0);
    out.set(put as never, m);
    return out;
  };
  const type = new Uint8Array(n).fill(1, m);
  const callDelta = floats(df, "delta");
  const gamma1 = floats(df, "gamma");
  const callTheta = floats(df, "theta");
  const vega1 = floats(df, "vega");
  const putDelta = new Float64Array(m);
  const putTheta = new Float64Array(m);
  const r = ctx.rate;
  const q = ctx.dividendYield;
  for (let i = 0; i < m; i++) {
    const years = yearFraction(exp1[i] - day1[i]);
    const dq = q === 0 ? 1 : Math.exp(-q * years);
    const dr = r === 0 ? 1 : Math.exp(-r * years);
    putDelta[i] = callDelta[i] - dq;
    putTheta[i] = callTheta[i] +
      (r * strike1[i] * dr - q * stock1[i] * dq) / CALENDAR_DAYS_PER_YEAR;
  }
  const bid = side(floats(df, names.callBid), floats(df, names.putBid), f64);
  const ask = side(floats(df, names.callAsk), floats(df, names.putAsk), f64);
  const batch: ContractBatch = {
    n,
    tickers,
    ticker: twice(codes, i32),
    day: twice(day1, i32),
    expiry: twice(exp1, i32),
    type,
    strike: twice(strike1, f64),
    bid,
    ask,
    mid: fillMid(bid, ask, null),
    volume: side(ints(df, names.callVolume), ints(df, names.putVolume), i32),
    openInterest: side(ints(df, names.callOi), ints(df, names.putOi), i32),
    stockPrice: twice(stock1, f64),
    delta: side(callDelta, putDelta, f64),
    gamma: twice(gamma1, f64),
    theta: side(callTheta, putTheta, f64),
    vega: twice(vega1, f64),
    iv: side(floats(df, names.callIv), floats(df, names.putIv), f64),
    greeksMissing: false,
    rowOf: (i) => rowNumber(i < m ? i : i - m, source),
    file: source.file,
  };
  checkIdentity(batch, {
    strike: names.strike,
    expiry: names.expiry,
    day: names.day ?? "the date in the file's name",
    stock: names.stock,
  });
  return batch;
}

/**
 * Normalizes one raw frame of a known layout to canonical contract rows.
 *
 * @param raw the frame as read (CSV cells may be strings)
 * @param layout its layout
 * @param source file and row numbering, for messages
 * @param ctx rate, dividend yield, column map and the file name's day
 * @throws DataError naming file, row and column of the first bad cell
 */
export function normalizeFrame(
  raw: pl.DataFrame,
  layout: LayoutName,
  source: FrameSource,
  ctx: NormalizeContext,
): ContractBatch {
  switch (layout) {
    case "long":
      return normalizeLongLike(raw, source);
    case "mapped":
      return normalizeLongLike(raw, source, ctx.columnMap);
    case "snake_long":
      return normalizeSnake(raw, source);
    case "cboe_eod":
      return normalizeCboe(raw, source, false);
    case "cboe_eod_calcs":
      return normalizeCboe(raw, source, true);
    case "orats_strikes":
      requireColumns(raw.columns, ORATS_STRIKES_REQUIRED, source.file);
      return normalizeWide(raw, source, {
        ticker: "ticker",
        day: "tradeDate",
        expiry: "expirDate",
        strike: "strike",
        stock: "stockPrice",
        callVolume: "callVolume",
        callOi: "callOpenInterest",
        putVolume: "putVolume",
        putOi: "putOpenInterest",
        callBid: "callBidPrice",
        callAsk: "callAskPrice",
        putBid: "putBidPrice",
        putAsk: "putAskPrice",
        callIv: "callMidIv",
        putIv: "putMidIv",
      }, ctx);
    case "smv_strikes": {
      requireColumns(raw.columns, SMV_STRIKES_REQUIRED, source.file);
      const hasDay = raw.columns.includes("trade_date");
      if (!hasDay && ctx.fileDay === null) {
        throw new DataError(
          { file: source.file, row: 1, column: "trade_date" },
          "Required column is missing (and the file name carries no YYYYMMDD day)",
        );
      }
      return normalizeWide(raw, source, {
        ticker: "ticker",
        day: hasDay ? "trade_date" : null,
        expiry: "expirDate",
        strike: "strike",
        stock: "stkPx",
        callVolume: "cVolu",
        callOi: "cOi",
        putVolume: "pVolu",
        putOi: "pOi",
        callBid: "cBidPx",
        callAsk: "cAskPx",
        putBid: "pBidPx",
        putAsk: "pAskPx",
        callIv: "cMidIv",
        putIv: "pMidIv",
      }, ctx);
    }
  }
}

/** Source columns a layout reads (for projection when reading a file). */
export function layoutColumns(
  layout: LayoutName,
  header: readonly string[],
  map?: ColumnMap,
): string[] {
  switch (layout) {
    case "long":
    case "mapped": {
      const s = (c: string) => map?.[c] ?? c;
      return [...LONG_REQUIRED, ...LONG_GREEKS, "mid"].map(s).filter((c) => header.includes(c));
    }
    case "snake_long":
      return [...SNAKE_LONG_REQUIRED];
    case "cboe_eod":
      return [...CBOE_EOD_REQUIRED];
    case "cboe_eod_calcs":
      return [...CBOE_EOD_REQUIRED, ...CBOE_CALCS];
    case "orats_strikes":
      return [...ORATS_STRIKES_REQUIRED];
    case "smv_strikes":
      return [...SMV_STRIKES_REQUIRED, ...(header.includes("trade_date") ? ["trade_date"] : [])];
  }
}
