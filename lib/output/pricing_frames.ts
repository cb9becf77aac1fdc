/**
 * Pricing as polars frames for notebooks: the implied-volatility round trip with each price's
 * condition number, a chain's smile and at-the-money term structure, and Mahler's IV from the
 * quotes' mids against the data's IV column.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type ChainStore, toDay, TYPE_PUT } from "../data/chain_store.ts";
import { yearFraction } from "../data/conventions.ts";
import { bsGreeks, bsPrice, impliedVol, probItm } from "../pricing/black_scholes.ts";
import { dateSeries } from "./_columns.ts";
import { findingRowsFrame } from "./findings.ts";

/** Machine epsilon of a double (2^-52). */
const EPSILON = 2 ** -52;

/** Options of {@link ivRoundTripFrame}. */
export interface RoundTripOptions {
  /** Spot, dollars (default 450). */
  spot?: number;
  /** Days to expiry, calendar (default 30; T = days / 365). */
  dteDays?: number;
  /** Risk-free rate, annual decimal (default 0.05). */
  rate?: number;
  /** Volatilities, annual decimals (default 0.05, 0.2, 0.8). */
  vols?: number[];
  /** Strikes, dollars (default 300, 400, 450, 500, 600). */
  strikes?: number[];
}

/**
 * The implied-volatility round trip: each option priced by Black-Scholes, its volatility
 * recovered from that price, and the relative error against the price's condition number
 * κ = P / (σ ∂P/∂σ): a relative error δ in the price moves σ by about κ·δ, so no solver can do
 * better than about κ·ε (ε = 2⁻⁵², the price's own rounding).
 *
 * @param options spot, days to expiry, rate, volatilities and strikes
 * @returns type, strike, vol, price, iv, relative_error (|iv − vol| / vol), kappa,
 *   error_over_floor (relative_error / (κ·ε))
 *
 * @example Near the money the volatility comes back to machine precision
 * ```ts
 * import assert from "node:assert/strict";
 * import { ivRoundTripFrame } from "./pricing_frames.ts";
 * const f = ivRoundTripFrame({ vols: [0.2], strikes: [450] });
 * assert.equal(f.height, 2); // a call and a put
 * for (const e of f.getColumn("relative_error").toArray() as number[]) assert.ok(e < 1e-14);
 * ```
 */
export function ivRoundTripFrame(options: RoundTripOptions = {}): pl.DataFrame {
  const S = options.spot ?? 450;
  const T = yearFraction(options.dteDays ?? 30);
  const r = options.rate ?? 0.05;
  const rows: Array<{ type: "call" | "put"; K: number; vol: number }> = [];
  for (const vol of options.vols ?? [0.05, 0.2, 0.8]) {
    for (const K of options.strikes ?? [300, 400, 450, 500, 600]) {
      for (const type of ["call", "put"] as const) rows.push({ type, K, vol });
    }
  }
  const price = rows.map((o) => bsPrice(o.type, S, o.K, T, r, o.vol));
  const iv = rows.map((o, k) => impliedVol(o.type, price[k], S, o.K, T, r));
  const error = rows.map((o, k) => Math.abs(iv[k] - o.vol) / o.vol);
  const kappa = rows.map((o, k) =>
    price[k] / (o.vol * 100 * bsGreeks(o.type, S, o.K, T, r, o.vol).vega)
  );
  return pl.DataFrame([
    pl.Series("type", rows.map((o) => o.type), pl.Utf8),
    pl.Series("strike", rows.map((o) => o.K), pl.Float64),
    pl.Series("vol", rows.map((o) => o.vol), pl.Float64),
    pl.Series("price", price, pl.Float64),
    pl.Series("iv", iv, pl.Float64),
    pl.Series("relative_error", error, pl.Float64),
    pl.Series("kappa", kappa, pl.Float64),
    pl.Series("error_over_floor", error.map((e, k) => e / (kappa[k] * EPSILON)), pl.Float64),
  ]);
}

/** Options of {@link smileFrame}. */
export interface SmileOptions {
  /** How many expiries, the nearest first (default 4). */
  expiries?: number;
  /** Smallest days to expiry (default 7). */
  minDte?: number;
  /** Moneyness range K / S (default [0.8, 1.15]). */
  moneyness?: [number, number];
}

/**
 * A chain's smile: the data's IV of out-of-the-money options (puts below the stock price, calls
 * above) by moneyness, for the nearest expiries past a minimum DTE. Flagged rows are left out.
 *
 * @param store the chain
 * @param date the trading day, YYYY-MM-DD
 * @param underlying the ticker
 * @param options expiries, minimum DTE, moneyness range
 * @returns date, expiration, dte, type, strike, moneyness (K / S), iv (a fraction)
 *
 * @example Four expiries, puts left of the money and calls right of it
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { smileFrame } from "./pricing_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const smile = smileFrame(store, "2024-01-10", "SPY").toRecords();
 * assert.equal(new Set(smile.map((r) => String(r.expiration))).size, 4);
 * assert.ok(smile.every((r) => (r.type === "put") === ((r.moneyness as number) < 1)));
 * ```
 */
export function smileFrame(
  store: ChainStore,
  date: string,
  underlying: string,
  options: SmileOptions = {},
): pl.DataFrame {
  const c = store.columns;
  const day = toDay(date);
  const [lo, hi] = options.moneyness ?? [0.8, 1.15];
  const expiries = store.expiries(date, underlying)
    .filter((e) => e - day >= (options.minDte ?? 7)).slice(0, options.expiries ?? 4);
  const rows: number[] = [];
  for (const e of expiries) {
    for (const type of ["put", "call"] as const) {
      const range = store.getChain(date, underlying, e, type);
      for (let i = range.start; i < range.end; i++) {
        const m = c.strike[i] / c.stockPrice[i];
        if (c.flags[i] || m < lo || m > hi || (type === "put") !== (m < 1)) continue;
        rows.push(i);
      }
    }
  }
  return pl.DataFrame([
    dateSeries("date", rows.map(() => day)),
    dateSeries("expiration", rows.map((i) => c.expiry[i])),
    pl.Series("dte", Int32Array.from(rows, (i) => c.expiry[i] - day)),
    pl.Series("type", rows.map((i) => (c.type[i] === TYPE_PUT ? "put" : "call")), pl.Utf8),
    pl.Series("strike", Float64Array.from(rows, (i) => c.strike[i])),
    pl.Series("moneyness", Float64Array.from(rows, (i) => c.strike[i] / c.stockPrice[i])),
    pl.Series("iv", Float64Array.from(rows, (i) => c.iv[i])),
  ]);
}

/**
 * The at-the-money term structure: for each expiry after the day, the data's IV of the call
 * whose strike is nearest the stock price (flagged rows left out).
 *
 * @param store the chain
 * @param date the trading day, YYYY-MM-DD
 * @param underlying the ticker
 * @returns date, expiration, dte, strike, atm_iv (a fraction)
 *
 * @example One row per expiry, DTE ascending
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { termStructureFrame } from "./pricing_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const t = termStructureFrame(store, "2024-01-10", "SPY");
 * const dte = t.getColumn("dte").toArray() as number[];
 * assert.equal(t.height, store.expiries("2024-01-10", "SPY").filter((e) => e > 19732).length);
 * assert.ok(dte.every((d, i) => i === 0 || d > dte[i - 1]));
 * ```
 */
export function termStructureFrame(
  store: ChainStore,
  date: string,
  underlying: string,
): pl.DataFrame {
  const c = store.columns;
  const day = toDay(date);
  const rows: number[] = [];
  for (const e of store.expiries(date, underlying)) {
    if (e <= day) continue;
    const range = store.getChain(date, underlying, e, "call");
    let best = -1;
    for (let i = range.start; i < range.end; i++) {
      if (c.flags[i]) continue;
      const distance = Math.abs(c.strike[i] - c.stockPrice[i]);
      if (best < 0 || distance < Math.abs(c.strike[best] - c.stockPrice[best])) best = i;
    }
    if (best >= 0) rows.push(best);
  }
  return pl.DataFrame([
    dateSeries("date", rows.map(() => day)),
    dateSeries("expiration", rows.map((i) => c.expiry[i])),
    pl.Series("dte", Int32Array.from(rows, (i) => c.expiry[i] - day)),
    pl.Series("strike", Float64Array.from(rows, (i) => c.strike[i])),
    pl.Series("atm_iv", Float64Array.from(rows, (i) => c.iv[i])),
  ]);
}

/** Options of {@link ivCheckFrame}. */
export interface IvCheckOptions {
  /** The underlying (default SPY). */
  underlying?: string;
  /** "put" or "call" (default "put"). */
  type?: "put" | "call";
  /** Rate used to invert the mids, annual decimal (default 0: the data does not carry one). */
  rate?: number;
  /** Take every `stride`-th row of the store (default 997, a prime: spread over days). */
  stride?: number;
  /** At most this many contracts (default 1000). */
  limit?: number;
}

/**
 * Mahler's implied volatility from each quote's mid (Let's Be Rational) against the IV column
 * of the data, for contracts spread evenly over the store (unflagged, at least one day to
 * expiry, a mid inside the no-arbitrage bounds). The mids are rounded quotes, so where the
 * option is nearly all intrinsic value a cent moves the IV a lot: `iv_per_cent` measures that.
 *
 * @param store the chain
 * @param options underlying, type, rate, stride, limit
 * @returns date, expiration, dte, strike, stock_price, moneyness (K / S), itm (in the money),
 *   mid, file_iv, mahler_iv, difference (mahler_iv − file_iv), iv_per_cent (the IV change of a
 *   one-cent change in the mid: 0.01 / (100 × vega per point))
 *
 * @example Inverted at the rate the sample priced 2024 with (5%), both IVs agree near the money
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { ivCheckFrame } from "./pricing_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const check = ivCheckFrame(store, { stride: 13, limit: 200, rate: 0.05 }).toRecords();
 * assert.ok(check.length > 50);
 * const atm = check.filter((r) => Math.abs((r.moneyness as number) - 1) < 0.02);
 * assert.ok(atm.length > 10 && atm.every((r) => Math.abs(r.difference as number) < 0.005));
 * ```
 */
export function ivCheckFrame(store: ChainStore, options: IvCheckOptions = {}): pl.DataFrame {
  const c = store.columns;
  const ticker = store.tickerIndex(options.underlying ?? "SPY");
  const typeName = options.type ?? "put";
  const typeCode = typeName === "put" ? TYPE_PUT : 1 - TYPE_PUT;
  const r = options.rate ?? 0;
  const limit = options.limit ?? 1000;
  const rows: number[] = [];
  const ours: number[] = [];
  const perCent: number[] = [];
  for (let i = 0; i < store.rowCount && rows.length < limit; i += options.stride ?? 997) {
    const dte = c.expiry[i] - c.day[i];
    if (c.flags[i] || dte < 1 || c.type[i] !== typeCode || c.underlying[i] !== ticker) continue;
    const T = yearFraction(dte);
    const iv = impliedVol(typeName, c.mid[i], c.stockPrice[i], c.strike[i], T, r);
    if (!(iv > 0)) continue;
    rows.push(i);
    ours.push(iv);
    perCent.push(0.01 / (100 * bsGreeks(typeName, c.stockPrice[i], c.strike[i], T, r, iv).vega));
  }
  const itm = rows.map((i) =>
    typeCode === TYPE_PUT ? c.strike[i] > c.stockPrice[i] : c.strike[i] < c.stockPrice[i]
  );
  return pl.DataFrame([
    dateSeries("date", rows.map((i) => c.day[i])),
    dateSeries("expiration", rows.map((i) => c.expiry[i])),
    pl.Series("dte", Int32Array.from(rows, (i) => c.expiry[i] - c.day[i])),
    pl.Series("strike", Float64Array.from(rows, (i) => c.strike[i])),
    pl.Series("stock_price", Float64Array.from(rows, (i) => c.stockPrice[i])),
    pl.Series("moneyness", Float64Array.from(rows, (i) => c.strike[i] / c.stockPrice[i])),
    pl.Series("itm", itm, pl.Bool),
    pl.Series("mid", Float64Array.from(rows, (i) => c.mid[i])),
    pl.Series("file_iv", Float64Array.from(rows, (i) => c.iv[i])),
    pl.Series("mahler_iv", Float64Array.from(ours)),
    pl.Series("difference", Float64Array.from(rows, (i, k) => ours[k] - c.iv[i])),
    pl.Series("iv_per_cent", Float64Array.from(perCent)),
  ]);
}

/** A bull put spread's legs, for {@link putSpreadFrame}. */
export interface PutSpreadOptions {
  /** Spot, dollars (default 450). */
  spot?: number;
  /** Days to expiry, calendar (default 30; T = days / 365). */
  dteDays?: number;
  /** Risk-free rate, annual decimal (default 0.05). */
  rate?: number;
  /** The short put's strike and volatility (default 430 at 0.18). */
  short?: { strike: number; vol: number };
  /** The long put's strike and volatility (default 425 at 0.19). */
  long?: { strike: number; vol: number };
}

/**
 * A bull put spread priced by Black-Scholes: each leg per share (price, greeks, probability of
 * finishing in the money) and the position, the long leg minus the short leg (its price is the
 * negative of the credit).
 *
 * @param options spot, days to expiry, rate, and each leg's strike and volatility
 * @returns leg ("short", "long", "position"), strike, vol, price, delta, gamma, theta, vega, rho,
 *   p_itm (null for the position)
 *
 * @example The position's greeks are the long leg's minus the short leg's
 * ```ts
 * import assert from "node:assert/strict";
 * import { putSpreadFrame } from "./pricing_frames.ts";
 * const [short, long, position] = putSpreadFrame().toRecords() as Array<Record<string, number>>;
 * assert.ok(Math.abs(position.theta - (long.theta - short.theta)) < 1e-15);
 * assert.ok(position.price < 0 && position.theta > 0 && position.vega < 0);
 * ```
 */
export function putSpreadFrame(options: PutSpreadOptions = {}): pl.DataFrame {
  const S = options.spot ?? 450;
  const T = yearFraction(options.dteDays ?? 30);
  const r = options.rate ?? 0.05;
  const legs = [
    options.short ?? { strike: 430, vol: 0.18 },
    options.long ?? { strike: 425, vol: 0.19 },
  ];
  const values = legs.map((l) => ({
    price: bsPrice("put", S, l.strike, T, r, l.vol),
    ...bsGreeks("put", S, l.strike, T, r, l.vol),
  }));
  const fields = ["price", "delta", "gamma", "theta", "vega", "rho"] as const;
  return pl.DataFrame([
    pl.Series("leg", ["short", "long", "position"], pl.Utf8),
    pl.Series("strike", [legs[0].strike, legs[1].strike, null], pl.Float64),
    pl.Series("vol", [legs[0].vol, legs[1].vol, null], pl.Float64),
    ...fields.map((f) =>
      pl.Series(f, [values[0][f], values[1][f], values[1][f] - values[0][f]], pl.Float64)
    ),
    pl.Series(
      "p_itm",
      [...legs.map((l) => probItm("put", S, l.strike, T, r, l.vol)), null],
      pl.Float64,
    ),
  ]);
}

/**
 * What the pricing notebook establishes, as findings rows (findingsTable shows them): the IV
 * round trip's largest relative error over the options at or out of the money (puts with K ≤ S,
 * calls with K ≥ S: their price is all time value) and anywhere, and the
 * share of quotes whose IV from the mid agrees with the file's within `threshold`.
 *
 * @param roundTrip the frame of ivRoundTripFrame
 * @param check the frame of ivCheckFrame
 * @param options spot the round trip was priced at (default 450), threshold (default 0.01),
 *   rate the check inverted the mids at (for the note)
 * @returns key, finding, value, lower, upper, unit, note
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { ivRoundTripFrame, pricingFindingsFrame } from "./pricing_frames.ts";
 * const check = pl.DataFrame({ difference: [0.001, -0.002, 0.3] });
 * const rows = pricingFindingsFrame(ivRoundTripFrame(), check).toRecords();
 * assert.ok((rows[0].value as number) < 1e-14);
 * assert.equal(rows[2].value, 2 / 3);
 * ```
 */
export function pricingFindingsFrame(
  roundTrip: pl.DataFrame,
  check: pl.DataFrame,
  options: { spot?: number; threshold?: number; rate?: number } = {},
): pl.DataFrame {
  const spot = options.spot ?? 450;
  const threshold = options.threshold ?? 0.01;
  const strikes = roundTrip.getColumn("strike").toArray() as number[];
  const types = roundTrip.getColumn("type").toArray() as string[];
  const errors = roundTrip.getColumn("relative_error").toArray() as number[];
  const near = errors.filter((_, i) =>
    types[i] === "put" ? strikes[i] <= spot : strikes[i] >= spot
  );
  const gaps = (check.getColumn("difference").toArray() as number[]).map(Math.abs);
  const agree = gaps.filter((d) => d <= threshold).length;
  const none = { lower: null, upper: null };
  const rate = options.rate === undefined ? "" : `, mids inverted at r = ${options.rate}`;
  return findingRowsFrame([
    {
      key: "iv_error_otm",
      finding: "largest relative IV error, options at or out of the money",
      value: near.length ? Math.max(...near) : null,
      ...none,
      unit: "sci",
      note: `${near.length} of ${errors.length} options of the round trip`,
    },
    {
      key: "iv_error_max",
      finding: "largest relative IV error anywhere",
      value: errors.length ? Math.max(...errors) : null,
      ...none,
      unit: "sci",
      note: "where the price is nearly all intrinsic value (see κ)",
    },
    {
      key: "iv_agreement",
      finding: `quotes whose IV agrees with the file's within ${100 * threshold} vol point`,
      value: gaps.length ? agree / gaps.length : null,
      ...none,
      unit: "pct",
      note: `${agree} of ${gaps.length} quotes${rate}`,
    },
  ]);
}
