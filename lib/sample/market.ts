/**
 * The sample market: a seeded, deterministic ORATS-format data set for SPY, QQQ and IWM from
 * 2019-01-02 through 2024-12-31, written as Parquet chains (long format) plus bars and VIX in
 * the data-directory layout. It is synthetic but shaped like the real thing:
 *
 * - Daily moves: one market factor with stochastic volatility (log-vol mean reversion, leverage
 *   correlation -0.7) on a regime schedule — calm 2019 and 2021, a crash from 2020-02-20 with a
 *   month-long slide and recovery, a 2022 bear market, a short August-2024 spike — and QQQ/IWM
 *   correlated with SPY (0.9 / 0.85) at higher volatility.
 * - VIX: 100 × SPY's 30-day implied ATM volatility (instantaneous vol plus a premium).
 * - IV surface: ATM term structure reverting from the current level to a long-run level
 *   (upward in calm markets, inverted in stress), with put skew and smile curvature.
 * - Listings: Friday weeklies to 49 DTE and third-Friday monthlies to 80 DTE (Thursday when
 *   Friday is a holiday); $1 strikes within 6% of the forward, $5 beyond, out to about 3.5
 *   standard deviations on the put side and 3 on the call side.
 * - Quotes on a $0.01 tick, wider with price, moneyness, stress and thinner names; open
 *   interest and volume thinning away from the money; greeks and IV of the surface.
 * - Quarterly cash dividends (dividends.csv): SPY about 1.3% a year, QQQ 0.6%, IWM 1.2%, each a
 *   quarter of the yield on the close 20 trading days before; ex-dates on the third Friday of
 *   March, June, September and December (SPY), the Monday after (QQQ) and the Wednesday after
 *   (IWM), moved to the previous session when the market is closed. The close (and the open)
 *   drops by the dividend on the ex-date, and options price on the escrowed-dividend spot: the
 *   stock less the present value of the dividends going ex before their expiry.
 * - A small seeded rate of defects: crossed quotes, zero bids, bad greeks, duplicate rows,
 *   missing days and strikes that vanish for a day.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  civilToDay,
  dayToCivil,
  dayToIso,
  isoToDay,
  nyseHolidays,
  nyseTradingDays,
  weekday,
} from "../data/dates.ts";
import { Random } from "../data/random.ts";
import { DIVIDENDS_FILE, dividendsPresentValue } from "../data/dividends.ts";
import { ChainBuffer } from "./_chain_buffer.ts";
import { newExpiryQuote, pushQuote, quoteExpiry } from "./_quotes.ts";

/**
 * The sample generator's version, written into each generated sample ({@link SAMPLE_STAMP}):
 * a sample from another version is generated again on first use (2: quarterly dividends).
 */
export const SAMPLE_GENERATOR_VERSION = 2;

/** The file of a generated sample that records the generator's version and seed. */
export const SAMPLE_STAMP = "sample.json";

/** Options of {@link generateSample}. */
export interface SampleOptions {
  /** Output data directory; default "data/sample". */
  outDir?: string;
  /** PRNG seed; default 42. */
  seed?: number;
  /** First day, ISO; default "2019-01-02". */
  start?: string;
  /** Last day, ISO; default "2024-12-31". */
  end?: string;
}

/** Summary of a generated sample. */
export interface SampleSummary {
  /** Output directory. */
  outDir: string;
  /** Contract rows written. */
  rows: number;
  /** Trading days simulated. */
  days: number;
  /** Files written (relative to outDir). */
  files: string[];
}

interface Underlying {
  ticker: string;
  startPrice: number;
  /** Multiplier of the market drift (beta of the trend). */
  driftMultiplier: number;
  volMultiplier: number;
  correlation: number;
  longRunVol: number;
  baseOpenInterest: number;
  spreadFactor: number;
  /** Annual dividend yield, paid quarterly. */
  dividendYield: number;
  /** Calendar days from the quarter's third Friday to the ex-date. */
  exDateOffset: number;
}

const UNDERLYINGS: Underlying[] = [
  {
    ticker: "SPY",
    startPrice: 250,
    driftMultiplier: 1,
    volMultiplier: 1,
    correlation: 1,
    longRunVol: 0.18,
    baseOpenInterest: 30000,
    spreadFactor: 1,
    dividendYield: 0.013,
    exDateOffset: 0,
  },
  {
    ticker: "QQQ",
    startPrice: 155,
    driftMultiplier: 1.3,
    volMultiplier: 1.25,
    correlation: 0.9,
    longRunVol: 0.22,
    baseOpenInterest: 15000,
    spreadFactor: 1.3,
    dividendYield: 0.006,
    exDateOffset: 3,
  },
  {
    ticker: "IWM",
    startPrice: 133,
    driftMultiplier: 0.8,
    volMultiplier: 1.3,
    correlation: 0.85,
    longRunVol: 0.23,
    baseOpenInterest: 10000,
    spreadFactor: 1.8,
    dividendYield: 0.012,
    exDateOffset: 5,
  },
];

/** Risk-free rate by year (annual decimal), roughly the T-bill path of those years. */
function rateFor(year: number): number {
  return ({ 2019: 0.022, 2020: 0.005, 2021: 0.001, 2022: 0.02, 2023: 0.05, 2024: 0.05 } as Record<
    number,
    number
  >)[year] ?? 0.03;
}

/**
 * Regime schedule: base annualized volatility of SPY and its daily log drift. Shaped on
 * 2019-2024: a calm 2019, a crash from 2020-02-20 to 2020-03-23 (about -30%, VIX near 80) and a
 * sharp recovery, a calm 2021, a 2022 bear market, 2023-2024 gains with a short August-2024
 * volatility spike.
 */
function regime(day: number): { vol: number; drift: number } {
  const iso = dayToIso(day);
  const crashStart = isoToDay("2020-02-20");
  const crashBottom = isoToDay("2020-03-23");
  if (day >= crashStart && day <= crashBottom) {
    const f = (day - crashStart) / (crashBottom - crashStart);
    return { vol: 0.15 + 0.45 * Math.min(1, f * 1.6), drift: -0.013 };
  }
  if (day > crashBottom && iso < "2021-01-01") {
    const since = day - crashBottom;
    return { vol: 0.17 + 0.38 * Math.exp(-since / 30), drift: since < 90 ? 0.0045 : 0.0009 };
  }
  if (iso >= "2024-08-01" && iso <= "2024-09-15") {
    const since = day - isoToDay("2024-08-01");
    return { vol: 0.11 + 0.25 * Math.exp(-since / 6), drift: 0.0006 };
  }
  if (iso < "2020-01-01") return { vol: 0.105, drift: 0.001 };
  if (iso < "2021-01-01") return { vol: 0.12, drift: 0.0008 };
  if (iso < "2022-01-01") return { vol: 0.1, drift: 0.001 };
  if (iso < "2023-01-01") return { vol: 0.22, drift: -0.0008 };
  if (iso < "2024-01-01") return { vol: 0.14, drift: 0.0009 };
  return { vol: 0.1, drift: 0.0009 };
}

/** Expiries listed on a day: Friday weeklies to 49 DTE, third-Friday monthlies to 80 DTE. */
function listedExpiries(day: number): number[] {
  const out: number[] = [];
  for (let d = day; d <= day + 80; d++) {
    if (weekday(d) !== 5) continue;
    const { year, day: dom } = dayToCivil(d);
    const monthly = dom >= 15 && dom <= 21;
    if (d - day > 49 && !monthly) continue;
    // A Friday holiday moves the expiry to Thursday.
    const expiry = nyseHolidays(year).has(d) ? d - 1 : d;
    if (expiry >= day) out.push(expiry);
  }
  return out;
}

/** Strikes for a forward and a total standard deviation: $1 near the money, $5 beyond 6%. */
function strikeGrid(forward: number, sd: number, out: number[]): void {
  out.length = 0;
  const lower = Math.max(forward * Math.exp(-Math.max(3.5 * sd, 0.03)), forward * 0.5);
  const upper = Math.min(forward * Math.exp(Math.max(3 * sd, 0.03)), forward * 1.6);
  const nearLo = forward * 0.94;
  const nearHi = forward * 1.06;
  for (let k = Math.ceil(lower / 5) * 5; k < nearLo; k += 5) out.push(k);
  for (let k = Math.ceil(Math.max(lower, nearLo)); k <= Math.min(upper, nearHi); k += 1) {
    out.push(k);
  }
  for (let k = Math.floor(nearHi / 5) * 5 + 5; k <= upper; k += 5) out.push(k);
}

/**
 * The calendar indexes of an underlying's ex-dividend dates among the generated days: the
 * third Friday of March, June, September and December plus the underlying's offset, moved back
 * to the previous generated day when it is not one.
 */
function exDateIndexes(spec: Underlying, days: number[]): Set<number> {
  const out = new Set<number>();
  if (days.length === 0) return out;
  const first = dayToCivil(days[0]).year;
  const last = dayToCivil(days[days.length - 1]).year;
  for (let year = first; year <= last; year++) {
    for (const month of [3, 6, 9, 12]) {
      let day = civilToDay(year, month, 15);
      while (weekday(day) !== 5) day++;
      day += spec.exDateOffset;
      let d = days.findIndex((x) => x >= day);
      if (d < 0) continue; // after the range
      if (days[d] !== day) d--; // not a session: the one before
      // An ex-date needs a day before it (the eve) within the range.
      if (d >= 1) out.add(d);
    }
  }
  return out;
}

/** Defect rates per row, and the number of dropped (ticker, day) snapshots. */
const DEFECTS = {
  crossed: 2e-4,
  zeroBid: 2e-4,
  badGreeks: 2e-4,
  duplicate: 1e-4,
  vanish: 5e-5,
  missingSnapshots: 4,
};

/**
 * Generates the sample market into `outDir` (chains/<TICKER>_<YEAR>.parquet, bars/<TICKER>.csv,
 * vix.csv, dividends.csv, and sample.json: the generator's version and the seed). Same seed, same bytes. The directory is written under a temporary name and renamed
 * into place, so a failed run leaves nothing half-written.
 *
 * @param options output directory, seed and date range
 * @returns what was written
 */
export function generateSample(options: SampleOptions = {}): SampleSummary {
  const outDir = options.outDir ?? "data/sample";
  const seed = options.seed ?? 42;
  const first = isoToDay(options.start ?? "2019-01-02");
  const last = isoToDay(options.end ?? "2024-12-31");
  const days = nyseTradingDays(first, last);
  const rng = new Random(seed);

  // 1. Paths: SPY vol state, returns for each underlying, closes and VIX.
  const nU = UNDERLYINGS.length;
  const closes = UNDERLYINGS.map(() => new Float64Array(days.length));
  const opens = UNDERLYINGS.map(() => new Float64Array(days.length));
  const highs = UNDERLYINGS.map(() => new Float64Array(days.length));
  const lows = UNDERLYINGS.map(() => new Float64Array(days.length));
  const instVol = new Float64Array(days.length); // SPY instantaneous annual vol
  const vix = new Float64Array(days.length);
  let logVolShock = 0;
  const price = UNDERLYINGS.map((u) => u.startPrice);
  // Dividends: each underlying's ex-date indexes, and the amount paid on each.
  const exDates = UNDERLYINGS.map((spec) => exDateIndexes(spec, days));
  const dividends = UNDERLYINGS.map(() => new Map<number, number>());
  for (let d = 0; d < days.length; d++) {
    const { vol, drift } = regime(days[d]);
    const eVol = rng.normal();
    const eMkt = -0.7 * eVol + Math.sqrt(1 - 0.49) * rng.normal();
    logVolShock = 0.94 * logVolShock + 0.06 * eVol;
    const sigma = vol * Math.exp(logVolShock);
    instVol[d] = sigma;
    for (let u = 0; u < nU; u++) {
      const spec = UNDERLYINGS[u];
      const z = spec.correlation === 1
        ? eMkt
        : spec.correlation * eMkt + Math.sqrt(1 - spec.correlation ** 2) * rng.normal();
      const s = sigma * spec.volMultiplier / Math.sqrt(252);
      const ret = drift * spec.driftMultiplier + s * z - 0.5 * s * s;
      let open = price[u] * Math.exp(0.25 * s * rng.normal());
      price[u] = price[u] * Math.exp(ret);
      if (exDates[u].has(d)) {
        // A quarter of the yield on the close 20 trading days before, to 1/100 of a cent; the
        // open and the close drop by it.
        const base = closes[u][Math.max(d - 20, 0)] || price[u];
        const amount = Math.round(base * spec.dividendYield / 4 * 1e4) / 1e4;
        dividends[u].set(d, amount);
        open -= amount;
        price[u] -= amount;
      }
      const close = price[u];
      opens[u][d] = open;
      closes[u][d] = close;
      const range = Math.abs(rng.normal()) * s * 0.6 * close;
      highs[u][d] = Math.max(open, close) + range * rng.uniform();
      lows[u][d] = Math.min(open, close) - range * rng.uniform();
    }
    vix[d] = 100 * (1.1 * sigma + 0.02);
  }

  // 2. Snapshots to drop (missing days): a few (ticker, day) pairs away from the edges.
  const dropped = new Set<number>();
  // Short ranges have fewer such pairs than defects to seed (without this bound the loop would
  // never end); ranges of more than about three weeks draw exactly as before.
  const droppable = Math.min(DEFECTS.missingSnapshots, nU * Math.max(days.length - 10, 0));
  while (dropped.size < droppable) {
    const u = Math.floor(rng.uniform() * nU);
    const d = 5 + Math.floor(rng.uniform() * (days.length - 10));
    dropped.add(u * days.length + d);
  }

  // The present value on a day of underlying u's dividends going ex in (day, expiry].
  const schedules = dividends.map((byIndex) => ({
    exDays: Int32Array.from([...byIndex.keys()].sort((a, b) => a - b), (d) => days[d]),
    amounts: Float64Array.from([...byIndex].sort((a, b) => a[0] - b[0]), ([, x]) => x),
  }));
  const pvDividends = (u: number, day: number, expiry: number, r: number) =>
    dividendsPresentValue(schedules[u].exDays, schedules[u].amounts, day, expiry, r);

  // 3. Chains, one buffer per (ticker, year).
  const tmpDir = `${outDir}.tmp-${seed}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, "chains"), { recursive: true });
  mkdirSync(join(tmpDir, "bars"), { recursive: true });
  const files: string[] = [];
  let rows = 0;
  const strikes: number[] = [];
  const q = newExpiryQuote();
  for (let u = 0; u < nU; u++) {
    const spec = UNDERLYINGS[u];
    let year = dayToCivil(days[0]).year;
    let buffer = new ChainBuffer();
    const listed = new Map<number, number[]>();
    const flush = () => {
      const name = `chains/${spec.ticker}_${year}.parquet`;
      buffer.toFrame(spec.ticker, true).writeParquet(join(tmpDir, name), { compression: "zstd" });
      files.push(name);
      rows += buffer.n;
    };
    for (let d = 0; d < days.length; d++) {
      const day = days[d];
      const y = dayToCivil(day).year;
      if (y !== year) {
        flush();
        year = y;
        buffer = new ChainBuffer();
      }
      for (const e of listed.keys()) if (e < day) listed.delete(e);
      if (dropped.has(u * days.length + d)) continue;
      const S = closes[u][d];
      const r = rateFor(y);
      const current = 1.1 * instVol[d] * spec.volMultiplier + 0.02;
      const stress = Math.sqrt(Math.max(1, instVol[d] / 0.15));
      q.stress = stress;
      q.stockPrice = Math.round(S * 100) / 100;
      for (const expiry of listedExpiries(day)) {
        quoteExpiry(q, spec, day, expiry, S, r, current, pvDividends(u, day, expiry, r));
        strikeGrid(q.forward, q.sd, strikes);
        // Once listed, a strike stays listed until expiry: merge with earlier listings.
        const key = expiry;
        const previous = listed.get(key);
        if (previous) {
          for (const k of previous) if (!strikes.includes(k)) strikes.push(k);
          strikes.sort((a, b) => a - b);
        }
        listed.set(key, strikes.slice());
        const dom = dayToCivil(expiry).day;
        q.monthly = dom >= 14 && dom <= 21;
        for (let type = 0; type <= 1; type++) {
          for (const K of strikes) {
            if (q.dte > 1 && rng.uniform() < DEFECTS.vanish) continue;
            pushQuote(buffer, rng, spec, q, K, type, DEFECTS);
          }
        }
      }
    }
    flush();
  }

  // 4. Bars and VIX.
  const fmt = (x: number) => x.toFixed(4);
  for (let u = 0; u < nU; u++) {
    const lines = ["date,open,high,low,close,volume"];
    for (let d = 0; d < days.length; d++) {
      const vol = Math.round(5e7 * (1 + instVol[d] * 3) * (u === 0 ? 1 : 0.6));
      lines.push(
        `${dayToIso(days[d])},${fmt(opens[u][d])},${fmt(highs[u][d])},${fmt(lows[u][d])},${
          fmt(closes[u][d])
        },${vol}`,
      );
    }
    const name = `bars/${UNDERLYINGS[u].ticker}.csv`;
    writeFileSync(join(tmpDir, name), lines.join("\n") + "\n");
    files.push(name);
  }
  const vixLines = ["date,open,high,low,close"];
  for (let d = 0; d < days.length; d++) {
    const open = d > 0 ? vix[d - 1] : vix[d];
    vixLines.push(
      `${dayToIso(days[d])},${open.toFixed(2)},${(Math.max(open, vix[d]) * 1.03).toFixed(2)},${
        (Math.min(open, vix[d]) * 0.97).toFixed(2)
      },${vix[d].toFixed(2)}`,
    );
  }
  writeFileSync(join(tmpDir, "vix.csv"), vixLines.join("\n") + "\n");
  files.push("vix.csv");
  const dividendLines = ["ticker,ex_date,amount"];
  for (let u = 0; u < nU; u++) {
    for (let i = 0; i < schedules[u].exDays.length; i++) {
      dividendLines.push(
        `${UNDERLYINGS[u].ticker},${dayToIso(schedules[u].exDays[i])},${
          schedules[u].amounts[i].toFixed(4)
        }`,
      );
    }
  }
  writeFileSync(join(tmpDir, DIVIDENDS_FILE), dividendLines.join("\n") + "\n");
  files.push(DIVIDENDS_FILE);
  writeFileSync(
    join(tmpDir, SAMPLE_STAMP),
    JSON.stringify({ generator_version: SAMPLE_GENERATOR_VERSION, seed }) + "\n",
  );
  writeFileSync(
    join(tmpDir, "README.md"),
    `# Sample market\n\nSynthetic ORATS-format data generated by \`sample\` with seed ${seed} ` +
      `(${dayToIso(days[0])} to ${dayToIso(days[days.length - 1])}). Not real prices.\n`,
  );
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmpDir, outDir);
  return { outDir, rows, days: days.length, files };
}

/**
 * Whether a folder holds a sample written by another version of the generator: its stamp
 * names another version, or (samples from before the stamp) it has no stamp but the
 * generator's README. A folder that is not a generated sample is not stale.
 *
 * @param outDir the sample's folder
 * @returns true when {@link ensureSampleData} would generate it again
 *
 * @example A folder with neither stamp nor README is someone's own data
 * ```ts
 * import assert from "node:assert/strict";
 * import { isStaleSample } from "./market.ts";
 * assert.equal(isStaleSample(Deno.makeTempDirSync()), false);
 * ```
 */
export function isStaleSample(outDir: string): boolean {
  const stamp = join(outDir, SAMPLE_STAMP);
  if (existsSync(stamp)) {
    try {
      const v = JSON.parse(readFileSync(stamp, "utf8")).generator_version;
      return v !== SAMPLE_GENERATOR_VERSION;
    } catch {
      return true;
    }
  }
  const readme = join(outDir, "README.md");
  return existsSync(readme) &&
    readFileSync(readme, "utf8").includes("Synthetic ORATS-format data generated by `sample`");
}

/**
 * Generates the sample market into `outDir` unless it already exists as this version of the
 * generator wrote it (a sample of an earlier version is generated again; a folder that is not
 * a generated sample is left alone).
 *
 * @param outDir data directory (default "data/sample")
 * @param options `onGenerate`, called just before a generation starts (with whether it
 *   replaces a sample of an earlier version)
 * @returns what was written, or null when the directory already existed
 */
export function ensureSampleData(
  outDir = "data/sample",
  options: { onGenerate?: (replacing: boolean) => void } = {},
): SampleSummary | null {
  const replacing = existsSync(outDir) && isStaleSample(outDir);
  if (existsSync(outDir) && !replacing) return null;
  options.onGenerate?.(replacing);
  return generateSample({ outDir });
}
