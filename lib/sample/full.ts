/**
 * The full-density market: SPY, QQQ and IWM at the density of real ORATS history, for
 * benchmarks at the scale of the strategy author's own data (about 60 million contract rows for
 * 2007-2023). Seeded and deterministic; synthetic, not real prices.
 *
 * - Prices follow each underlying's approximate historical path (2008 crash, 2009 bottom, 2020
 *   crash and recovery, 2022 bear market) with seeded daily noise around it, and a volatility
 *   schedule of the era's calm and stressed stretches; VIX follows SPY's volatility.
 * - Listed expiries by era: third-Friday monthlies out to a year and end-of-quarter expiries out
 *   to two years throughout; Friday weeklies out to 8 weeks from 2010; for SPY and QQQ, Monday
 *   and Wednesday expiries out to 5 weeks from 2016 and Tuesday and Thursday out to 3 weeks from
 *   2022 (daily expiries). A Friday holiday moves a Friday expiry to Thursday.
 * - $1 strikes within 20% of the spot; a strike once listed stays listed until its expiry.
 * - Quotes, greeks and the IV surface as in the default sample (put skew, term structure, bid-ask
 *   widths growing with moneyness and stress), with the same small rate of seeded defects.
 *
 * Written like the default sample: `chains/<TICKER>_<YEAR>.parquet` (long layout),
 * `bars/<TICKER>.csv` and `vix.csv`.
 *
 * @module
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  dayToCivil,
  dayToIso,
  isoToDay,
  nyseHolidays,
  nyseTradingDays,
  weekday,
} from "../data/dates.ts";
import { Random } from "../data/random.ts";
import { ChainBuffer } from "./_chain_buffer.ts";
import { newExpiryQuote, pushQuote, quoteExpiry } from "./_quotes.ts";
import { releaseNativeMemory } from "../data/_gc.ts";
import type { SampleSummary } from "./market.ts";

/** Options of {@link generateFullMarket}. */
export interface FullMarketOptions {
  /** Output data folder; default "data/full". */
  outDir?: string;
  /** PRNG seed; default 42. */
  seed?: number;
  /** First day, ISO; default "2007-01-01". */
  start?: string;
  /** Last day, ISO; default "2023-12-31". */
  end?: string;
  /** Called after each ticker-year file with the rows written so far. */
  onProgress?: (written: { file: string; rows: number }) => void;
}

interface Spec {
  ticker: string;
  /** Price anchors (ISO date, price): the path runs through them in log space. */
  anchors: Array<[string, number]>;
  volMultiplier: number;
  correlation: number;
  longRunVol: number;
  baseOpenInterest: number;
  spreadFactor: number;
  /** Monday/Wednesday (from 2016) and Tuesday/Thursday (from 2022) expiries. */
  dailyExpiries: boolean;
}

const SPECS: Spec[] = [
  {
    ticker: "SPY",
    anchors: [
      ["2007-01-03", 141],
      ["2007-10-09", 156],
      ["2008-09-12", 125],
      ["2008-11-20", 75],
      ["2009-03-09", 68],
      ["2011-04-29", 136],
      ["2011-10-03", 110],
      ["2013-12-31", 184],
      ["2015-08-24", 190],
      ["2018-01-26", 287],
      ["2018-12-24", 235],
      ["2020-02-19", 338],
      ["2020-03-23", 222],
      ["2021-12-31", 474],
      ["2022-10-12", 357],
      ["2023-12-29", 475],
    ],
    volMultiplier: 1,
    correlation: 1,
    longRunVol: 0.18,
    baseOpenInterest: 30000,
    spreadFactor: 1,
    dailyExpiries: true,
  },
  {
    ticker: "QQQ",
    anchors: [
      ["2007-01-03", 44],
      ["2007-10-31", 55],
      ["2008-11-20", 27],
      ["2009-03-09", 28],
      ["2013-12-31", 87],
      ["2018-08-29", 186],
      ["2018-12-24", 150],
      ["2020-02-19", 237],
      ["2020-03-16", 170],
      ["2021-12-27", 400],
      ["2022-12-28", 260],
      ["2023-12-29", 410],
    ],
    volMultiplier: 1.25,
    correlation: 0.9,
    longRunVol: 0.22,
    baseOpenInterest: 15000,
    spreadFactor: 1.3,
    dailyExpiries: true,
  },
  {
    ticker: "IWM",
    anchors: [
      ["2007-01-03", 79],
      ["2007-07-13", 85],
      ["2008-11-20", 40],
      ["2009-03-09", 34],
      ["2013-12-31", 115],
      ["2018-08-31", 173],
      ["2018-12-24", 127],
      ["2019-12-31", 167],
      ["2020-03-18", 100],
      ["2021-11-08", 240],
      ["2022-10-12", 165],
      ["2023-12-29", 200],
    ],
    volMultiplier: 1.3,
    correlation: 0.85,
    longRunVol: 0.23,
    baseOpenInterest: 10000,
    spreadFactor: 1.8,
    dailyExpiries: false,
  },
];

/** Annualized SPY volatility of the era (the schedule the noise follows). */
function eraVol(day: number): number {
  const iso = dayToIso(day);
  const spike = (start: string, peak: number, base: number, decayDays: number) => {
    const since = day - isoToDay(start);
    return since >= 0 ? base + (peak - base) * Math.exp(-since / decayDays) : 0;
  };
  if (iso >= "2008-09-15" && iso < "2009-06-01") {
    return Math.max(0.25, spike("2008-09-15", 0.75, 0.22, 90));
  }
  if (iso >= "2020-02-20" && iso < "2020-03-24") {
    return 0.2 + 0.5 * Math.min(1, (day - isoToDay("2020-02-20")) / 20);
  }
  if (iso >= "2020-03-24" && iso < "2021-01-01") return spike("2020-03-24", 0.6, 0.17, 30);
  if (iso >= "2010-05-06" && iso < "2010-07-15") return spike("2010-05-06", 0.35, 0.16, 20);
  if (iso >= "2011-08-01" && iso < "2011-11-01") return spike("2011-08-01", 0.38, 0.18, 45);
  if (iso >= "2015-08-20" && iso < "2015-10-15") return spike("2015-08-20", 0.32, 0.13, 15);
  if (iso >= "2018-02-02" && iso < "2018-03-31") return spike("2018-02-02", 0.35, 0.13, 15);
  if (iso >= "2018-10-01" && iso < "2019-01-31") return 0.24;
  if (iso < "2007-07-15") return 0.11;
  if (iso < "2008-09-15") return 0.2;
  if (iso < "2010-01-01") return 0.25;
  if (iso < "2012-01-01") return 0.17;
  if (iso < "2015-01-01") return 0.12;
  if (iso < "2017-01-01") return 0.14;
  if (iso < "2018-01-01") return 0.08;
  if (iso < "2020-01-01") return 0.14;
  if (iso < "2021-01-01") return 0.15;
  if (iso < "2022-01-01") return 0.12;
  if (iso < "2023-01-01") return 0.24;
  return 0.14;
}

/** Risk-free rate by year (annual decimal), roughly the T-bill path of those years. */
function rateFor(year: number): number {
  const rates: Record<number, number> = {
    2007: 0.048,
    2008: 0.015,
    2016: 0.004,
    2017: 0.01,
    2018: 0.02,
    2019: 0.02,
    2020: 0.005,
    2021: 0.001,
    2022: 0.02,
    2023: 0.05,
  };
  return rates[year] ?? (year > 2008 && year < 2016 ? 0.001 : 0.03);
}

/** The anchor path's log price on a day (linear in log price between anchors). */
function anchorLogPrice(spec: Spec, day: number): number {
  const a = spec.anchors;
  if (day <= isoToDay(a[0][0])) return Math.log(a[0][1]);
  for (let i = 1; i < a.length; i++) {
    const d1 = isoToDay(a[i][0]);
    if (day <= d1) {
      const d0 = isoToDay(a[i - 1][0]);
      const f = (day - d0) / (d1 - d0);
      return Math.log(a[i - 1][1]) + f * (Math.log(a[i][1]) - Math.log(a[i - 1][1]));
    }
  }
  return Math.log(a[a.length - 1][1]);
}

const lastSessions = new Map<number, number>();

/** The last NYSE session of a month. */
function lastSession(year: number, month: number): number {
  const key = year * 12 + month;
  const cached = lastSessions.get(key);
  if (cached !== undefined) return cached;
  const next = month === 12 ? isoToDay(`${year + 1}-01-01`) : isoToDay(
    `${year}-${String(month + 1).padStart(2, "0")}-01`,
  );
  let d = next - 1;
  while (weekday(d) === 0 || weekday(d) === 6 || nyseHolidays(year).has(d)) d--;
  lastSessions.set(key, d);
  return d;
}

/** Expiries listed on a day (see the module documentation). */
function listedExpiries(spec: Spec, day: number, out: number[]): void {
  out.length = 0;
  const year = dayToCivil(day).year;
  const seen = new Set<number>();
  const add = (d: number) => {
    if (d >= day && !seen.has(d)) {
      seen.add(d);
      out.push(d);
    }
  };
  const holiday = (d: number) => nyseHolidays(dayToCivil(d).year).has(d);
  for (let d = day; d <= day + 730; d++) {
    const wd = weekday(d);
    const dte = d - day;
    const civil = dayToCivil(d);
    if (wd === 5) {
      const fridayExpiry = holiday(d) ? d - 1 : d;
      const monthly = civil.day >= 15 && civil.day <= 21;
      if (monthly && dte <= 365) add(fridayExpiry);
      else if (year >= 2010 && dte <= 56) add(fridayExpiry);
    }
    if (civil.month % 3 === 0 && dte <= 730 && d === lastSession(civil.year, civil.month)) add(d);
    if (!spec.dailyExpiries || holiday(d)) continue;
    if (year >= 2016 && (wd === 1 || wd === 3) && dte <= 35) add(d);
    if (year >= 2022 && (wd === 2 || wd === 4) && dte <= 21) add(d);
  }
  out.sort((a, b) => a - b);
}

/** Defect rates per row, as in the default sample. */
const DEFECTS = { crossed: 2e-4, zeroBid: 2e-4, badGreeks: 2e-4, duplicate: 1e-4 };

/**
 * Generates the full-density market into `outDir` (written under a temporary name and moved
 * into place, so a failed run leaves nothing half-written). Same seed, same bytes. Asynchronous:
 * after each file it lets polars release the file's memory, so memory stays at one file's.
 *
 * @param options output folder, seed, date range and a progress callback
 * @returns what was written
 */
export async function generateFullMarket(
  options: FullMarketOptions = {},
): Promise<SampleSummary> {
  const outDir = options.outDir ?? "data/full";
  const seed = options.seed ?? 42;
  const first = isoToDay(options.start ?? "2007-01-01");
  const last = isoToDay(options.end ?? "2023-12-31");
  if (!(first <= last)) throw new RangeError("The start must be on or before the end");
  const days = nyseTradingDays(first, last);
  const rng = new Random(seed);
  const nU = SPECS.length;
  // 1. Paths: SPY's stochastic volatility around the era's level, and every underlying's
  // log price as its anchor path plus mean-reverting noise.
  const closes = SPECS.map(() => new Float64Array(days.length));
  const instVol = new Float64Array(days.length);
  const noise = new Float64Array(nU);
  let logVolShock = 0;
  for (let d = 0; d < days.length; d++) {
    const eVol = rng.normal();
    const eMkt = -0.7 * eVol + Math.sqrt(1 - 0.49) * rng.normal();
    logVolShock = 0.94 * logVolShock + 0.06 * eVol;
    const sigma = eraVol(days[d]) * Math.exp(logVolShock);
    instVol[d] = sigma;
    for (let u = 0; u < nU; u++) {
      const spec = SPECS[u];
      const z = spec.correlation === 1
        ? eMkt
        : spec.correlation * eMkt + Math.sqrt(1 - spec.correlation ** 2) * rng.normal();
      noise[u] = 0.98 * noise[u] + sigma * spec.volMultiplier / Math.sqrt(252) * z;
      closes[u][d] = Math.round(Math.exp(anchorLogPrice(spec, days[d]) + noise[u]) * 100) / 100;
    }
  }
  // 2. Chains, one file per (ticker, year).
  const tmpDir = `${outDir}.tmp-${seed}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(join(tmpDir, "chains"), { recursive: true });
  mkdirSync(join(tmpDir, "bars"), { recursive: true });
  const files: string[] = [];
  let rows = 0;
  const expiries: number[] = [];
  const q = newExpiryQuote();
  for (let u = 0; u < nU; u++) {
    const spec = SPECS[u];
    let year = dayToCivil(days[0]).year;
    let cols = new ChainBuffer();
    // Listed strike range per expiry: [lowest, highest], whole dollars.
    const listed = new Map<number, [number, number]>();
    const flush = () => {
      const name = `chains/${spec.ticker}_${year}.parquet`;
      cols.toFrame(spec.ticker).writeParquet(join(tmpDir, name), { compression: "zstd" });
      files.push(name);
      rows += cols.n;
      options.onProgress?.({ file: name, rows });
    };
    for (let d = 0; d < days.length; d++) {
      const day = days[d];
      const y = dayToCivil(day).year;
      if (y !== year) {
        flush();
        await releaseNativeMemory();
        year = y;
        cols = new ChainBuffer();
      }
      for (const e of listed.keys()) if (e < day) listed.delete(e);
      const S = closes[u][d];
      const r = rateFor(y);
      const current = 1.1 * instVol[d] * spec.volMultiplier + 0.02;
      const stress = Math.sqrt(Math.max(1, instVol[d] / 0.15));
      listedExpiries(spec, day, expiries);
      q.stress = stress;
      q.stockPrice = S;
      for (const expiry of expiries) {
        quoteExpiry(q, spec, day, expiry, S, r, current);
        let lo = Math.ceil(S * 0.8);
        let hi = Math.floor(S * 1.2);
        const range = listed.get(expiry);
        if (range) {
          lo = Math.min(lo, range[0]);
          hi = Math.max(hi, range[1]);
        }
        listed.set(expiry, [lo, hi]);
        q.monthly = weekday(expiry) >= 4 && dayToCivil(expiry).day >= 14 &&
          dayToCivil(expiry).day <= 21;
        for (let type = 0; type <= 1; type++) {
          for (let K = lo; K <= hi; K++) pushQuote(cols, rng, spec, q, K, type, DEFECTS);
        }
      }
    }
    flush();
    await releaseNativeMemory();
  }
  // 3. Bars (close = the chain's stock price) and VIX.
  for (let u = 0; u < nU; u++) {
    const lines = ["date,open,high,low,close,volume"];
    for (let d = 0; d < days.length; d++) {
      const c = closes[u][d];
      const o = d > 0 ? closes[u][d - 1] : c;
      lines.push(
        `${dayToIso(days[d])},${o.toFixed(2)},${Math.max(o, c).toFixed(2)},${
          Math.min(o, c).toFixed(2)
        },${c.toFixed(2)},${Math.round(5e7 * (1 + instVol[d] * 3))}`,
      );
    }
    const name = `bars/${SPECS[u].ticker}.csv`;
    writeFileSync(join(tmpDir, name), lines.join("\n") + "\n");
    files.push(name);
  }
  const vixLines = ["date,open,high,low,close"];
  for (let d = 0; d < days.length; d++) {
    const v = 100 * (1.1 * instVol[d] + 0.02);
    const o = d > 0 ? 100 * (1.1 * instVol[d - 1] + 0.02) : v;
    vixLines.push(
      `${dayToIso(days[d])},${o.toFixed(2)},${(Math.max(o, v) * 1.03).toFixed(2)},${
        (Math.min(o, v) * 0.97).toFixed(2)
      },${v.toFixed(2)}`,
    );
  }
  writeFileSync(join(tmpDir, "vix.csv"), vixLines.join("\n") + "\n");
  files.push("vix.csv");
  writeFileSync(
    join(tmpDir, "README.md"),
    `# Full-density market\n\nSynthetic ORATS-density data generated by \`sample --profile full\` ` +
      `with seed ${seed} (${dayToIso(days[0])} to ${dayToIso(days[days.length - 1])}, ${rows} ` +
      `contract rows). Not real prices.\n`,
  );
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmpDir, outDir);
  return { outDir, rows, days: days.length, files };
}
