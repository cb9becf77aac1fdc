/**
 * The market a store holds, as polars frames for notebooks: one chain of a snapshot with its
 * quote quality, the underlyings' closes, VIX with its regimes, the days spent in each regime,
 * a profile of the rows the data-quality flags keep out of the scan, and the data-quality
 * report and greeks check as tables.
 *
 * @module
 */
import pl from "nodejs-polars";
import {
  type ChainStore,
  FLAG_BAD_GREEKS,
  FLAG_CROSSED,
  FLAG_DUPLICATE,
  FLAG_ZERO_BID,
  toDay,
  TYPE_PUT,
} from "../data/chain_store.ts";
import type { QualityCounts, QualityReport } from "../data/quality.ts";
import type { DiffSummary, GreeksCheck } from "../pricing/greeks_check.ts";
import { median } from "../stats/median.ts";
import { dateSeries } from "./_columns.ts";
import { findingRowsFrame } from "./findings.ts";
import { VIX_REGIMES, vixRegime } from "./metrics.ts";

/** Options of {@link snapshotFrame}. */
export interface SnapshotOptions {
  /** Expiry, YYYY-MM-DD or day number (default: every expiry of the snapshot). */
  expiry?: string | number;
  /** "put" or "call" (default: both). */
  type?: "put" | "call";
  /** Keep rows with |delta| in [min, max] (default: every row). */
  delta?: [number, number];
  /** Keep flagged rows too (default false: only rows the scanner would read). */
  flagged?: boolean;
}

/**
 * One underlying's chain on one day: every contract with its quote, its quality and its
 * greeks, sorted by expiry, type and strike.
 *
 * @param store the chain
 * @param date the trading day, YYYY-MM-DD
 * @param underlying the ticker
 * @param options expiry, type, |delta| range, flagged rows
 * @returns expiration, dte (calendar days), type, strike, moneyness (strike / stock price), bid,
 *   ask, mid, spread (ask − bid, dollars), spread_pct (spread / mid), delta, iv (a fraction),
 *   open_interest, volume
 *
 * @example The puts of one expiry between 10 and 30 delta
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { snapshotFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const expiry = store.expiries("2024-01-10", "SPY")[2];
 * const puts = snapshotFrame(store, "2024-01-10", "SPY", { expiry, type: "put", delta: [0.1, 0.3] });
 * const deltas = puts.getColumn("delta").toArray() as number[];
 * assert.ok(puts.height > 0 && deltas.every((d) => d <= -0.1 && d >= -0.3));
 * const [bid, ask, spread] = ["bid", "ask", "spread"].map((c) => puts.getColumn(c).get(0) as number);
 * assert.ok(Math.abs(spread - (ask - bid)) < 1e-12);
 * ```
 */
export function snapshotFrame(
  store: ChainStore,
  date: string,
  underlying: string,
  options: SnapshotOptions = {},
): pl.DataFrame {
  const range = store.getSnapshot(date, underlying);
  const c = store.columns;
  const expiry = options.expiry === undefined ? null : toDay(options.expiry);
  const type = options.type === undefined ? null : options.type === "put" ? TYPE_PUT : 1 - TYPE_PUT;
  const [lo, hi] = options.delta ?? [-Infinity, Infinity];
  const rows: number[] = [];
  for (let i = range.start; i < range.end; i++) {
    if (expiry !== null && c.expiry[i] !== expiry) continue;
    if (type !== null && c.type[i] !== type) continue;
    if (!options.flagged && c.flags[i] !== 0) continue;
    const d = Math.abs(c.delta[i]);
    if (options.delta && !(d >= lo && d <= hi)) continue;
    rows.push(i);
  }
  const f = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
  const mid = f(c.mid);
  const spread = Float64Array.from(rows, (i) => c.ask[i] - c.bid[i]);
  return pl.DataFrame([
    dateSeries("expiration", rows.map((i) => c.expiry[i])),
    pl.Series("dte", Int32Array.from(rows, (i) => c.expiry[i] - c.day[i])),
    pl.Series("type", rows.map((i) => (c.type[i] === TYPE_PUT ? "put" : "call")), pl.Utf8),
    pl.Series("strike", f(c.strike)),
    pl.Series("moneyness", Float64Array.from(rows, (i) => c.strike[i] / c.stockPrice[i])),
    pl.Series("bid", f(c.bid)),
    pl.Series("ask", f(c.ask)),
    pl.Series("mid", mid),
    pl.Series("spread", spread),
    pl.Series("spread_pct", spread.map((s, k) => s / mid[k])),
    pl.Series("delta", f(c.delta)),
    pl.Series("iv", f(c.iv)),
    pl.Series("open_interest", Int32Array.from(rows, (i) => c.openInterest[i])),
    pl.Series("volume", Int32Array.from(rows, (i) => c.volume[i])),
  ]);
}

/**
 * Every underlying's daily close (from the bars, else the chain's stock price), in long form
 * for one line per underlying, with its growth since the first day.
 *
 * @param store the chain
 * @returns date, underlying, close (dollars), growth (close / first close)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { closesFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const closes = closesFrame(store);
 * assert.equal(closes.height, store.tickers.length * store.nDays);
 * assert.equal(closes.getColumn("growth").get(0), 1);
 * ```
 */
export function closesFrame(store: ChainStore): pl.DataFrame {
  const days: number[] = [];
  const names: string[] = [];
  const close: number[] = [];
  const growth: number[] = [];
  store.tickers.forEach((ticker, t) => {
    let first = NaN;
    for (let d = 0; d < store.nDays; d++) {
      const value = store.data.barClose[t * store.nDays + d];
      if (Number.isNaN(value)) continue;
      if (Number.isNaN(first)) first = value;
      days.push(store.calendar[d]);
      names.push(ticker);
      close.push(value);
      growth.push(value / first);
    }
  });
  return pl.DataFrame([
    dateSeries("date", days),
    pl.Series("underlying", names, pl.Utf8),
    pl.Series("close", close, pl.Float64),
    pl.Series("growth", growth, pl.Float64),
  ]);
}

/**
 * VIX by trading day, with its regime (VIX_REGIMES: < 15, 15-25, 25-35, > 35).
 *
 * @param store the chain (its VIX series)
 * @returns date, vix (null when unknown), regime
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { vixFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const vix = vixFrame(store);
 * assert.equal(vix.height, store.nDays);
 * assert.equal(vix.getColumn("vix").get(0), store.getVix("2024-01-02"));
 * ```
 */
export function vixFrame(store: ChainStore): pl.DataFrame {
  const vix = Array.from(store.data.vixClose, (v) => (Number.isNaN(v) ? null : v));
  return pl.DataFrame([
    dateSeries("date", store.calendar),
    pl.Series("vix", vix, pl.Float64),
    pl.Series("regime", Array.from(store.data.vixClose, vixRegime), pl.Utf8),
  ]);
}

/**
 * The trading days spent in each VIX regime, in order of VIX level (regimes never visited left
 * out), with each regime's highest close and its date.
 *
 * @param store the chain (its VIX series)
 * @param options first and last day, YYYY-MM-DD (default: every day)
 * @returns regime, days, share (of the days), first_date, last_date, max_vix, max_date
 *
 * @example Days add up to the calendar
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { vixRegimeDaysFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-03-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const days = vixRegimeDaysFrame(store).getColumn("days").toArray() as number[];
 * assert.equal(days.reduce((a, b) => a + b, 0), store.nDays);
 * ```
 */
export function vixRegimeDaysFrame(
  store: ChainStore,
  options: { from?: string; to?: string } = {},
): pl.DataFrame {
  const from = options.from === undefined ? -Infinity : toDay(options.from);
  const to = options.to === undefined ? Infinity : toDay(options.to);
  const stats = VIX_REGIMES.map(() => ({ days: 0, first: -1, last: -1, max: -Infinity, at: -1 }));
  let total = 0;
  for (let d = 0; d < store.nDays; d++) {
    const day = store.calendar[d];
    if (day < from || day > to) continue;
    const v = store.data.vixClose[d];
    const s = stats[VIX_REGIMES.indexOf(vixRegime(v) as (typeof VIX_REGIMES)[number])];
    total++;
    s.days++;
    if (s.first < 0) s.first = day;
    s.last = day;
    if (v > s.max) {
      s.max = v;
      s.at = day;
    }
  }
  const kept = VIX_REGIMES.map((regime, k) => ({ regime, ...stats[k] })).filter((s) => s.days);
  const date = (name: string, f: (s: (typeof kept)[number]) => number) =>
    pl.Series(name, kept.map((s) => (f(s) < 0 ? null : f(s))), pl.Int32).cast(pl.Date);
  return pl.DataFrame([
    pl.Series("regime", kept.map((s) => s.regime), pl.Utf8),
    pl.Series("days", Int32Array.from(kept, (s) => s.days)),
    pl.Series("share", Float64Array.from(kept, (s) => s.days / total)),
    date("first_date", (s) => s.first),
    date("last_date", (s) => s.last),
    pl.Series("max_vix", kept.map((s) => (s.at < 0 ? null : s.max)), pl.Float64),
    date("max_date", (s) => s.at),
  ]);
}

/** The data-quality flags, in the order {@link flagProfileFrame} lists them. */
const FLAGS: Array<[name: string, bit: number]> = [
  ["crossed quote", FLAG_CROSSED],
  ["zero bid", FLAG_ZERO_BID],
  ["bad greeks", FLAG_BAD_GREEKS],
  ["duplicate", FLAG_DUPLICATE],
];

/**
 * What the flagged rows are: for each data-quality flag, how many rows carry it and where they
 * sit in the chain (how far from the money, how much the option is worth), beside the same
 * figures for every row, so that a statement such as "zero bids are far out-of-the-money options"
 * can be checked.
 *
 * @param store the chain
 * @returns flag ("all rows" first), rows, share (of all rows), median_abs_delta (of the rows
 *   with a finite delta), far_otm_share (|delta| < 0.05), median_ask (dollars), median_dte
 *
 * @example Flagged rows are counted once per flag they carry
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, dataQuality, generateSample, loadMarketData } from "../mod.ts";
 * import { flagProfileFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const profile = flagProfileFrame(store).toRecords();
 * assert.equal(profile[0].flag, "all rows");
 * assert.equal(profile[0].rows, store.rowCount);
 * const zero = profile.find((r) => r.flag === "zero bid")!;
 * assert.equal(zero.rows, dataQuality(store).zero_bids);
 * ```
 */
export function flagProfileFrame(store: ChainStore): pl.DataFrame {
  const c = store.columns;
  const groups = [["all rows", 0] as [string, number], ...FLAGS].map(([flag, bit]) => ({
    flag,
    bit,
    rows: 0,
    far: 0,
    deltas: [] as number[],
    asks: [] as number[],
    dtes: [] as number[],
  }));
  for (let i = 0; i < store.rowCount; i++) {
    for (const g of groups) {
      if (g.bit !== 0 && (c.flags[i] & g.bit) === 0) continue;
      g.rows++;
      const d = Math.abs(c.delta[i]);
      if (Number.isFinite(d)) {
        g.deltas.push(d);
        if (d < 0.05) g.far++;
      }
      g.asks.push(c.ask[i]);
      g.dtes.push(c.expiry[i] - c.day[i]);
    }
  }
  return pl.DataFrame([
    pl.Series("flag", groups.map((g) => g.flag), pl.Utf8),
    pl.Series("rows", Int32Array.from(groups, (g) => g.rows)),
    pl.Series("share", Float64Array.from(groups, (g) => g.rows / Math.max(1, store.rowCount))),
    pl.Series("median_abs_delta", groups.map((g) => nan(median(g.deltas) ?? NaN)), pl.Float64),
    pl.Series(
      "far_otm_share",
      groups.map((g) => (g.deltas.length ? g.far / g.deltas.length : null)),
      pl.Float64,
    ),
    pl.Series("median_ask", groups.map((g) => nan(median(g.asks) ?? NaN)), pl.Float64),
    pl.Series("median_dte", groups.map((g) => nan(median(g.dtes) ?? NaN)), pl.Float64),
  ]);
}

/** NaN as null. */
function nan(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** The counts of a data-quality report, in the order they are listed, with what each means. */
const QUALITY_COUNTS: Array<[key: keyof QualityCounts, meaning: string]> = [
  ["rows", "contract rows loaded"],
  ["days", "trading days with a snapshot (all: underlying-days)"],
  ["excluded_rows", "rows kept out of the scan (flagged)"],
  ["crossed_quotes", "bid above ask"],
  ["zero_bids", "no bid"],
  ["bad_greeks", "missing or out-of-range delta or IV"],
  ["duplicates", "the same contract twice in a snapshot"],
  ["missing_days", "NYSE sessions without a snapshot"],
  ["non_session_days", "snapshots on days the NYSE was closed"],
  ["vanished_strikes", "contracts gone from the chain before expiry"],
  ["skipped_dte", "rows outside every configured DTE range, not loaded"],
  ["greeks_computed", "rows whose IV and greeks were computed from the mid"],
  ["iv_not_found", "of those, rows without an IV (kept out)"],
];

/**
 * A data-quality report as a table: one row per count (what it means beside it), one column
 * per underlying and the total.
 *
 * @param report the data layer's report (dataQuality)
 * @returns count, meaning, one column per underlying, all
 *
 * @example The total column sums the underlyings
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, dataQuality, generateSample, loadMarketData } from "../mod.ts";
 * import { qualityFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const rows = qualityFrame(dataQuality(store)).toRecords();
 * assert.equal(rows[0].count, "rows");
 * assert.equal(rows[0].all, store.rowCount);
 * assert.equal(rows[0].all, store.tickers.reduce((a, t) => a + (rows[0][t] as number), 0));
 * ```
 */
export function qualityFrame(report: QualityReport): pl.DataFrame {
  const tickers = Object.keys(report.per_underlying);
  return pl.DataFrame([
    pl.Series("count", QUALITY_COUNTS.map(([k]) => k), pl.Utf8),
    pl.Series("meaning", QUALITY_COUNTS.map(([, m]) => m), pl.Utf8),
    ...tickers.map((t) =>
      pl.Series(t, Float64Array.from(QUALITY_COUNTS, ([k]) => report.per_underlying[t][k]))
    ),
    pl.Series(
      "all",
      Float64Array.from(
        QUALITY_COUNTS,
        ([k]) => tickers.reduce((a, t) => a + report.per_underlying[t][k], 0),
      ),
    ),
  ]);
}

/**
 * A greeks check as a table: for each greek and for the IV re-derived from the mid, the median,
 * 99th percentile and largest absolute difference between the data's value and Mahler's.
 *
 * @param check the check (greeksCheck)
 * @returns quantity, unit, median, p99, max
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { greeksCheckFrame } from "./market_frames.ts";
 * const d = { median: 1e-9, p99: 2e-8, max: 3e-7 };
 * const check = { rows_compared: 10, rate: 0, delta: d, gamma: d, theta: d, vega: d,
 *   iv_from_mid: d, mid_outside_bounds: 0 };
 * const f = greeksCheckFrame(check);
 * assert.deepEqual(f.getColumn("quantity").toArray(), ["delta", "gamma", "theta", "vega", "iv_from_mid"]);
 * assert.equal(f.getColumn("max").get(0), 3e-7);
 * ```
 */
export function greeksCheckFrame(check: GreeksCheck): pl.DataFrame {
  const rows: Array<[keyof GreeksCheck, string]> = [
    ["delta", "per $1"],
    ["gamma", "per $1 per $1"],
    ["theta", "dollars per day"],
    ["vega", "dollars per vol point"],
    ["iv_from_mid", "annual vol (0.01 = 1 point)"],
  ];
  const stat = (k: "median" | "p99" | "max") =>
    pl.Series(k, rows.map(([q]) => (check[q] as DiffSummary)[k]), pl.Float64);
  return pl.DataFrame([
    pl.Series("quantity", rows.map(([q]) => q), pl.Utf8),
    pl.Series("unit", rows.map(([, u]) => u), pl.Utf8),
    stat("median"),
    stat("p99"),
    stat("max"),
  ]);
}

/**
 * What the data notebook establishes, as findings rows (findingsTable shows them): contracts and
 * trading days loaded, the share of rows kept out of the scan, and the median difference between
 * the file's deltas and Mahler's.
 *
 * @param quality the data-quality report (dataQuality)
 * @param check the greeks check (greeksCheck)
 * @returns key, finding, value, lower, upper, unit, note
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, dataQuality, generateSample, greeksCheck, loadMarketData } from "../mod.ts";
 * import { dataFindingsFrame } from "./market_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-01-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const quality = dataQuality(store);
 * const rows = dataFindingsFrame(quality, greeksCheck(store)).toRecords();
 * assert.equal(rows[0].value, store.rowCount);
 * assert.equal(rows[2].value, quality.excluded_rows / quality.rows);
 * ```
 */
export function dataFindingsFrame(quality: QualityReport, check: GreeksCheck): pl.DataFrame {
  const n = (x: number) => x.toLocaleString("en-US");
  const none = { lower: null, upper: null };
  return findingRowsFrame([
    {
      key: "contracts",
      finding: "contracts loaded",
      value: quality.rows,
      ...none,
      unit: "count",
      note: `${quality.underlyings.join(", ")}, ${quality.first_date} to ${quality.last_date}`,
    },
    {
      key: "trading_days",
      finding: "trading days",
      value: quality.days,
      ...none,
      unit: "count",
      note: "days with a snapshot of some underlying",
    },
    {
      key: "excluded_share",
      finding: "rows kept out of the scan",
      value: quality.rows ? quality.excluded_rows / quality.rows : null,
      ...none,
      unit: "pct",
      note: `${n(quality.excluded_rows)} flagged rows (crossed, zero bid, bad greeks, duplicates)`,
    },
    {
      key: "delta_difference",
      finding: "median |delta difference|, file vs Mahler",
      value: check.delta.median,
      ...none,
      unit: "sci",
      note: `${n(check.rows_compared)} quotes, Mahler's at the file's IV and r = ${check.rate}`,
    },
  ]);
}
