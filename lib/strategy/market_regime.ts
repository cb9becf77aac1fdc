/**
 * Market regimes beside the VIX buckets: the VIX level and the underlying's trend (its close
 * against its 50- and 200-day simple moving averages from the bars) give six regimes.
 *
 * The rule, for a day with VIX close v, underlying close P and averages S50 and S200 (the means
 * of the last 50 and 200 closes on or before the day, that day's included), checked in order:
 * 1. `unknown`: no VIX close, or fewer than 200 closes up to the day (S200 undefined);
 * 2. `crisis`: v > 35 (the VIX bucket "> 35"), whatever the trend;
 * 3. uptrend, P ≥ S200 and S50 ≥ S200: `bull-calm` when v < 20, else `bull-uncertain`;
 * 4. `recovery`: S50 < S200 and P ≥ S50 (the price back above its short average while the long
 *    trend still points down);
 * 5. otherwise a downtrend (P < S200, or P < S50 < S200): `bear-mild` when v < 25, else
 *    `bear-volatile`.
 * Thresholds hold as written (v = 20 is not calm, v = 35 is not a crisis). The closes are the
 * bars' at their own dates (days without chains count; the bars may start before the chains);
 * an underlying without bars uses the chain's stock price on its trading days.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { indexOfSorted } from "../data/sorted.ts";

/** The regimes, in the order they are reported; `unknown` last. */
export const MARKET_REGIMES = [
  "bull-calm",
  "bull-uncertain",
  "bear-mild",
  "bear-volatile",
  "crisis",
  "recovery",
  "unknown",
] as const;

/** A market regime label. */
export type MarketRegime = (typeof MARKET_REGIMES)[number];

/** The rule's constants (see the module documentation). */
export const MARKET_REGIME_RULE = {
  /** Short moving average, closes. */
  fastDays: 50,
  /** Long moving average, closes. */
  slowDays: 200,
  /** Bull markets are calm below this VIX close. */
  calmVix: 20,
  /** Bear markets are mild below this VIX close. */
  mildVix: 25,
  /** Crisis above this VIX close. */
  crisisVix: 35,
} as const;

/**
 * The regime of one day.
 *
 * @param vix the day's VIX close (NaN when unknown)
 * @param close the underlying's close
 * @param sma50 mean of the last 50 closes (NaN when fewer)
 * @param sma200 mean of the last 200 closes (NaN when fewer)
 * @returns the regime label
 *
 * @example An uptrend at VIX 15 and 22, a rebound below the 200-day average, a selloff
 * ```ts
 * import assert from "node:assert/strict";
 * import { marketRegime } from "./market_regime.ts";
 * assert.equal(marketRegime(15, 110, 105, 100), "bull-calm");
 * assert.equal(marketRegime(22, 110, 105, 100), "bull-uncertain");
 * assert.equal(marketRegime(28, 95, 90, 100), "recovery");
 * assert.equal(marketRegime(24.9, 95, 98, 100), "bear-mild");
 * assert.equal(marketRegime(25, 95, 98, 100), "bear-volatile");
 * assert.equal(marketRegime(40, 110, 105, 100), "crisis");
 * assert.equal(marketRegime(15, 110, 105, NaN), "unknown"); // under 200 closes of history
 * ```
 */
export function marketRegime(
  vix: number,
  close: number,
  sma50: number,
  sma200: number,
): MarketRegime {
  const r = MARKET_REGIME_RULE;
  if (!(vix >= 0) || Number.isNaN(close) || Number.isNaN(sma50) || Number.isNaN(sma200)) {
    return "unknown";
  }
  if (vix > r.crisisVix) return "crisis";
  if (close >= sma200 && sma50 >= sma200) return vix < r.calmVix ? "bull-calm" : "bull-uncertain";
  if (sma50 < sma200 && close >= sma50) return "recovery";
  return vix < r.mildVix ? "bear-mild" : "bear-volatile";
}

/** Every (underlying, calendar day)'s regime and the values it was decided by. */
export interface MarketRegimeTable {
  /** The store's tickers. */
  tickers: readonly string[];
  /** The store's trading days. */
  calendar: Int32Array;
  /** Regime per t·nDays + d, as an index into {@link MARKET_REGIMES}. */
  codes: Uint8Array;
  /** The last close on or before the day, dollars (NaN when none). */
  close: Float64Array;
  /** 50-close simple moving average (NaN with fewer closes). */
  sma50: Float64Array;
  /** 200-close simple moving average (NaN with fewer closes). */
  sma200: Float64Array;
}

/** The closes of ticker t: its bars at their own dates, else its chain's prices. */
function closesOf(store: ChainStore, t: number): { days: number[]; closes: number[] } {
  const days: number[] = [];
  const closes: number[] = [];
  const g = store.data;
  for (let i = g.barOffsets[t]; i < g.barOffsets[t + 1]; i++) {
    if (Number.isNaN(g.barDayClose[i])) continue;
    days.push(g.barDays[i]);
    closes.push(g.barDayClose[i]);
  }
  if (days.length) return { days, closes };
  for (let d = 0; d < store.nDays; d++) {
    const c = g.barClose[t * store.nDays + d];
    if (Number.isNaN(c)) continue;
    days.push(store.calendar[d]);
    closes.push(c);
  }
  return { days, closes };
}

/** Mean of closes[end - n, end), or NaN when end < n. */
function mean(closes: number[], end: number, n: number): number {
  if (end < n) return NaN;
  let sum = 0;
  for (let i = end - n; i < end; i++) sum += closes[i];
  return sum / n;
}

const cache = new WeakMap<ChainStore, MarketRegimeTable>();

/**
 * The market regime of every underlying on every trading day of a store (computed once per
 * store).
 *
 * @param store the chain, with its bars and VIX
 * @returns the regimes with the closes and averages behind them
 *
 * @example Every day of a short market is unknown: 200 closes are needed
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { MARKET_REGIMES, marketRegimeTable } from "./market_regime.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-04-30", seed: 5 });
 * const store = buildChainStore(loadMarketData(dir));
 * const table = marketRegimeTable(store);
 * assert.ok(Array.from(table.codes).every((c) => MARKET_REGIMES[c] === "unknown"));
 * assert.ok(table.sma50.some((x) => x > 0)); // 50 closes are there by mid-March
 * ```
 */
export function marketRegimeTable(store: ChainStore): MarketRegimeTable {
  const cached = cache.get(store);
  if (cached) return cached;
  const n = store.tickers.length * store.nDays;
  const codes = new Uint8Array(n);
  const close = new Float64Array(n).fill(NaN);
  const sma50 = new Float64Array(n).fill(NaN);
  const sma200 = new Float64Array(n).fill(NaN);
  const { fastDays, slowDays } = MARKET_REGIME_RULE;
  for (let t = 0; t < store.tickers.length; t++) {
    const series = closesOf(store, t);
    let end = 0; // closes[0, end) are on or before the day
    for (let d = 0; d < store.nDays; d++) {
      const day = store.calendar[d];
      while (end < series.days.length && series.days[end] <= day) end++;
      const k = t * store.nDays + d;
      if (end > 0) close[k] = series.closes[end - 1];
      sma50[k] = mean(series.closes, end, fastDays);
      sma200[k] = mean(series.closes, end, slowDays);
      const label = marketRegime(store.data.vixClose[d], close[k], sma50[k], sma200[k]);
      codes[k] = MARKET_REGIMES.indexOf(label);
    }
  }
  const table = { tickers: store.tickers, calendar: store.calendar, codes, close, sma50, sma200 };
  cache.set(store, table);
  return table;
}

/**
 * The regime of an underlying on a day of a regime table.
 *
 * @param table from {@link marketRegimeTable}
 * @param ticker the underlying
 * @param day day number (a trading day of the table)
 * @returns the label; `unknown` for a ticker or day the table lacks
 */
export function regimeOn(table: MarketRegimeTable, ticker: string, day: number): MarketRegime {
  const t = table.tickers.indexOf(ticker);
  if (t < 0) return "unknown";
  const d = indexOfSorted(table.calendar, day);
  return d < 0 ? "unknown" : MARKET_REGIMES[table.codes[t * table.calendar.length + d]];
}
