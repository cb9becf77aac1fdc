/**
 * Loading a configuration's window with the history before it (lib/app loadConfigData): the
 * IV percentile of every day of the window equals the one computed on the whole data, also when
 * an underlying's data has gaps (the look-back doubles until it holds the history), and data that
 * starts after the look-back is not searched further.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  type ChainStore,
  dayToIso,
  isoToDay,
  ivPercentileTable,
  loadConfig,
  loadConfigData,
  loadMarketData,
  LOOKBACK_DAYS_PER_HISTORY_DAY,
  LOOKBACK_MARGIN_DAYS,
  nyseTradingDays,
} from "../../lib/mod.ts";
import { chainFrame, type ChainRow } from "../helpers/chains.ts";

/** A day's rows of one underlying: two expiries (20 and 45 days) of puts and calls around 100. */
function dayRows(ticker: string, day: number): ChainRow[] {
  const iv = 0.2 + 0.08 * Math.sin(day / 9 + (ticker === "SPY" ? 0 : 1));
  const rows: ChainRow[] = [];
  for (const dte of [20, 45]) {
    for (const strike of [95, 100, 105]) {
      for (const type of ["P", "C"] as const) {
        const bid = 1 + Math.abs(strike - 100) / 10;
        const delta = type === "P" ? -0.5 + (strike - 100) / 50 : 0.5 - (strike - 100) / 50;
        rows.push({
          ticker,
          day,
          expiry: day + dte,
          strike,
          type,
          bid,
          ask: bid + 0.1,
          stockPrice: 100,
          delta,
          iv,
        });
      }
    }
  }
  return rows;
}

/** A data folder: QQQ on every session, SPY on every third (or from `spyFrom` only). */
function dataFolder(options: { spyEvery: number; spyFrom?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), "mahler-app-load-"));
  mkdirSync(join(dir, "chains"));
  const days = nyseTradingDays(isoToDay("2023-01-03"), isoToDay("2024-03-28"));
  const spyFrom = options.spyFrom ? isoToDay(options.spyFrom) : -Infinity;
  const qqq = days.flatMap((d) => dayRows("QQQ", d));
  const spy = days.filter((d, k) => d >= spyFrom && k % options.spyEvery === 0)
    .flatMap((d) => dayRows("SPY", d));
  writeFileSync(join(dir, "chains", "QQQ.csv"), chainFrame(qqq).writeCSV().toString());
  writeFileSync(join(dir, "chains", "SPY.csv"), chainFrame(spy).writeCSV().toString());
  return dir;
}

/** Each underlying's IV percentile on the days from `from` on, by ISO day. */
function percentilesFrom(
  store: ChainStore,
  history: number,
  from: string,
): Record<string, number[]> {
  const table = ivPercentileTable(store, history);
  const out: Record<string, number[]> = {};
  store.tickers.forEach((ticker, t) => {
    out[ticker] = Array.from(store.calendar, (_, d) => d)
      .filter((d) => dayToIso(store.calendar[d]) >= from)
      .map((d) => table[t * store.nDays + d]);
  });
  return out;
}

/** Snapshot days of an underlying before a day. */
function daysBefore(store: ChainStore, ticker: string, day: number): number {
  const t = store.tickerIndex(ticker);
  let n = 0;
  for (let d = 0; d < store.nDays && store.calendar[d] < day; d++) {
    const r = store.snapshotRange(t, d);
    if (r.end > r.start) n++;
  }
  return n;
}

const config = loadConfig("config/test_config.toml"); // IV history: 60 trading days
const history = config.entry.iv_history_days;
const from = "2024-02-01";

Deno.test("loadConfigData: a window's IV percentiles equal the whole data's; a gappy underlying doubles the look-back", async () => {
  assert.equal(history, 60);
  const dir = dataFolder({ spyEvery: 3 });
  const loads = new Set<number>();
  const { store } = await loadConfigData(dir, {
    config,
    from,
    cache: false,
    onProgress: (_p, load) => loads.add(load),
  });
  // The first look-back (2 × 60 + 30 calendar days) holds about 34 SPY days: one doubling.
  const first = isoToDay(from) - (LOOKBACK_DAYS_PER_HISTORY_DAY * history + LOOKBACK_MARGIN_DAYS);
  assert.deepEqual([...loads], [0, 1]);
  assert.ok(store.calendar[0] < first, `loaded from ${dayToIso(store.calendar[0])}`);
  assert.ok(daysBefore(store, "SPY", isoToDay(from)) >= history);
  const whole = buildChainStore(loadMarketData(dir, { cache: false }));
  const expected = percentilesFrom(whole, history, from);
  assert.deepEqual(percentilesFrom(store, history, from), expected);
  assert.ok(expected.SPY.some((x) => !Number.isNaN(x)), "SPY has percentiles in the window");
});

Deno.test("loadConfigData: an underlying whose data starts inside the look-back is not searched further", async () => {
  // SPY starts on 2023-12-01, inside the first look-back: there is nothing earlier to load.
  const dir = dataFolder({ spyEvery: 1, spyFrom: "2023-12-01" });
  const loads = new Set<number>();
  const { store } = await loadConfigData(dir, {
    config,
    from,
    cache: false,
    onProgress: (_p, load) => loads.add(load),
  });
  assert.deepEqual([...loads], [0]);
  assert.ok(daysBefore(store, "SPY", isoToDay(from)) < history);
  assert.ok(daysBefore(store, "QQQ", isoToDay(from)) >= history);
  const whole = buildChainStore(loadMarketData(dir, { cache: false }));
  assert.deepEqual(percentilesFrom(store, history, from), percentilesFrom(whole, history, from));
});
