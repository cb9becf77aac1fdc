import assert from "node:assert/strict";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  truncateSync,
  utimesSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  type ChainStore,
  clearCache,
  dataQuality,
  generateSample,
  loadMarketData,
  loadMarketDataAsync,
  type LoadOptions,
  type MarketData,
} from "../../lib/mod.ts";
import { readCacheAsync } from "../../lib/data/_cache_read.ts";
import { fixturePath } from "../helpers/fixtures.ts";

const data = join(mkdtempSync(join(tmpdir(), "mahler-cache-data-")), "sample");
generateSample({ outDir: data, start: "2020-02-03", end: "2020-03-31", seed: 9 });

function freshCache(): string {
  return mkdtempSync(join(tmpdir(), "mahler-cache-"));
}

function store(market: MarketData): ChainStore {
  return buildChainStore(market);
}

function assertSameStore(got: ChainStore, want: ChainStore): void {
  assert.deepEqual(got.tickers, want.tickers);
  assert.equal(got.rowCount, want.rowCount);
  for (const name of Object.keys(want.columns) as Array<keyof typeof want.columns>) {
    const a = got.columns[name];
    const b = want.columns[name];
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(a[i], b[i])) assert.fail(`${name}[${i}]: ${a[i]} vs ${b[i]}`);
    }
  }
  for (
    const name of [
      "calendar",
      "snapshotStart",
      "snapshotEnd",
      "snapshotGroupStart",
      "groupStart",
      "groupEnd",
      "groupExpiry",
      "barClose",
      "vixClose",
    ] as const
  ) {
    assert.deepEqual(Array.from(got.data[name]), Array.from(want.data[name]), name);
  }
  assert.deepEqual(dataQuality(got), dataQuality(want));
}

Deno.test("the first load writes the cache, the next reads it back identical", () => {
  const cache = freshCache();
  const first = loadMarketData(data, { cache });
  assert.equal(first.load.source, "files");
  assert.ok(first.load.cacheWritten);
  const second = loadMarketData(data, { cache });
  assert.equal(second.load.source, "cache");
  assert.equal(second.load.rowsRead, 0);
  assert.deepEqual(second.files, first.files);
  assertSameStore(store(second), store(loadMarketData(data)));
});

Deno.test("a changed, added or touched chain file invalidates the entry", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "mahler-cache-copy-")), "d");
  generateSample({ outDir: dir, start: "2020-02-03", end: "2020-02-28", seed: 4 });
  const cache = freshCache();
  loadMarketData(dir, { cache });
  assert.equal(loadMarketData(dir, { cache }).load.source, "cache");
  // A new modification time alone is a change.
  const file = join(dir, "chains", readdirSync(join(dir, "chains"))[0]);
  const later = new Date(Date.now() + 60_000);
  utimesSync(file, later, later);
  const touched = loadMarketData(dir, { cache });
  assert.equal(touched.load.source, "files");
  assert.equal(loadMarketData(dir, { cache }).load.source, "cache");
  // So is a new file, whose rows then appear.
  const extra = join(dir, "chains", "extra.csv");
  appendFileSync(
    extra,
    "ticker,tradeDate,expirDate,strike,optionType,bid,ask,volume,openInterest,stockPrice,delta,gamma,theta,vega,impliedVolatility\n" +
      "XYZ,2020-02-03,2020-03-20,50,P,1,1.1,5,50,51,-0.4,0.05,-0.02,0.06,0.3\n",
  );
  const added = loadMarketData(dir, { cache });
  assert.equal(added.load.source, "files");
  assert.ok(added.chains.tickers.includes("XYZ"));
});

Deno.test("an entry serves narrower loads: fewer underlyings, a window, a tighter DTE limit", () => {
  const cache = freshCache();
  loadMarketData(data, { cache });
  const narrower: LoadOptions[] = [
    { underlyings: ["QQQ"] },
    { underlyings: ["SPY", "IWM"], from: "2020-02-20", to: "2020-03-10" },
    { maxDte: 35, ivTenorDays: 30 },
    { maxDte: 10, ivTenorDays: 30, from: "2020-03-02", underlyings: ["SPY"] },
  ];
  for (const options of narrower) {
    const cached = loadMarketData(data, { ...options, cache });
    assert.equal(cached.load.source, "cache", JSON.stringify(options));
    assertSameStore(store(cached), store(loadMarketData(data, options)));
  }
});

Deno.test("a load the entry does not cover reads the files and replaces it", () => {
  const cache = freshCache();
  loadMarketData(data, { cache, underlyings: ["SPY"], maxDte: 20 });
  const wider = loadMarketData(data, { cache, underlyings: ["SPY", "QQQ"], maxDte: 20 });
  assert.equal(wider.load.source, "files");
  assert.equal(loadMarketData(data, { cache, maxDte: 60 }).load.source, "files");
  // The entry now covers every underlying to 60 days: the earlier loads are served.
  assert.equal(
    loadMarketData(data, { cache, underlyings: ["SPY"], maxDte: 20 }).load.source,
    "cache",
  );
  assert.equal(readdirSync(cache).filter((n) => /^[0-9a-f]{64}-/.test(n)).length, 1);
});

Deno.test("a damaged entry is a miss, never an error or a wrong store", () => {
  const cache = freshCache();
  const entry = loadMarketData(data, { cache }).load.cacheEntry!;
  // (A store mapping a file must not be used once the file is truncated under it: maps see
  // the file as it is. The cache never truncates or rewrites an entry's files in place.)
  truncateSync(join(entry, "bid.bin"), 1000);
  const again = loadMarketData(data, { cache });
  assert.equal(again.load.source, "files");
  assertSameStore(store(again), store(loadMarketData(data)));
});

Deno.test("the two-thread cache read equals the one-thread read", async () => {
  const cache = freshCache();
  const first = loadMarketData(data, { cache });
  const want = { from: null, to: null, underlyings: null, maxDte: null, ivTenorDays: 30 };
  const parallel = await readCacheAsync(cache, first.load.cacheKey!, want, {
    mmap: false,
    minParallelBytes: 0,
  });
  assert.equal(parallel?.entry, first.load.cacheEntry);
  assert.ok(parallel);
  const chains = parallel.chains;
  assertSameStore(
    buildChainStore({ chains, bars: first.bars, vix: first.vix }),
    buildChainStore(first),
  );
});

Deno.test("clearCache() removes every entry", () => {
  const cache = freshCache();
  const first = loadMarketData(data, { cache });
  assert.ok(existsSync(first.load.cacheEntry!));
  assert.equal(clearCache(cache), 1);
  assert.ok(!existsSync(first.load.cacheEntry!));
  assert.equal(loadMarketData(data, { cache }).load.source, "files");
});

Deno.test("writing an entry removes the entries of data that no longer exists", () => {
  const cache = freshCache();
  const gone = join(mkdtempSync(join(tmpdir(), "mahler-cache-gone-")), "d");
  generateSample({ outDir: gone, start: "2020-02-03", end: "2020-02-28", seed: 6 });
  const old = loadMarketData(gone, { cache });
  Deno.removeSync(gone, { recursive: true });
  loadMarketData(data, { cache });
  assert.ok(!existsSync(old.load.cacheEntry!), "the orphaned entry is gone");
});

Deno.test("an entry written while rows were reordered (daily files of every underlying) reads back right", async () => {
  // SMV daily files hold every underlying: rows arrive day by day and are reordered at the end,
  // after they were first written to the entry.
  const cache = freshCache();
  const smv = fixturePath("layouts/smv");
  const first = loadMarketData(smv, { cache });
  assert.equal(first.load.source, "files");
  const again = loadMarketData(smv, { cache });
  assert.equal(again.load.source, "cache");
  assertSameStore(store(again), store(loadMarketData(smv)));
  // The same through the asynchronous loader (rows handed to a writer thread).
  const cacheAsync = freshCache();
  const cold = await loadMarketDataAsync(smv, { cache: cacheAsync });
  assert.equal(cold.load.source, "files");
  assertSameStore(store(cold), store(loadMarketData(smv)));
  const warm = await loadMarketDataAsync(smv, { cache: cacheAsync });
  assert.equal(warm.load.source, "cache");
  assertSameStore(store(warm), store(loadMarketData(smv)));
});

Deno.test("batches larger than a writer slot (a big CSV) are written in order by the loading thread", async () => {
  // Seven months of the sample as one CSV: a 48 MB text batch holds more rows than a slot.
  const dir = mkdtempSync(join(tmpdir(), "mahler-cache-csv-"));
  const sample = join(dir, "sample");
  generateSample({ outDir: sample, start: "2020-01-02", end: "2020-07-31", seed: 3 });
  const s = buildChainStore(loadMarketData(sample));
  assert.ok(s.rowCount > 300_000, `${s.rowCount} rows`);
  s.rowsFrame({ start: 0, end: s.rowCount }).drop("flags").writeCSV(join(dir, "chains.csv"));
  Deno.removeSync(sample, { recursive: true });
  const want = store(loadMarketData(dir));
  const cache = freshCache();
  const cold = await loadMarketDataAsync(dir, { cache });
  assert.ok(cold.load.cacheWritten, cold.load.cacheError);
  assertSameStore(store(cold), want);
  const warm = await loadMarketDataAsync(dir, { cache });
  assert.equal(warm.load.source, "cache");
  assertSameStore(store(warm), want);
});

Deno.test("the asynchronous loader writes the entry on a worker, and it reads back the same", async () => {
  const cache = freshCache();
  const first = await loadMarketDataAsync(data, { cache });
  assert.equal(first.load.source, "files");
  assert.ok(first.load.cacheWritten, first.load.cacheError);
  const again = await loadMarketDataAsync(data, { cache });
  assert.equal(again.load.source, "cache");
  assertSameStore(store(again), store(loadMarketData(data)));
  // Staging folders are gone.
  assert.deepEqual(readdirSync(cache).filter((n) => n.includes(".tmp-")), []);
});

Deno.test("a cache folder that cannot be written costs the cache, not the load", async () => {
  const file = join(freshCache(), "not-a-folder");
  Deno.writeTextFileSync(file, "x");
  const sync = loadMarketData(data, { cache: file });
  assert.equal(sync.load.cacheWritten, false);
  assert.ok(sync.load.cacheError);
  const async = await loadMarketDataAsync(data, { cache: file });
  assert.equal(async.load.cacheWritten, false);
  assert.equal(async.chains.columns.day.length, sync.chains.columns.day.length);
});

Deno.test("a load served by a much larger entry writes its own, and reads it next time", () => {
  const cache = freshCache();
  loadMarketData(data, { cache }); // every contract
  const run = { maxDte: 10, ivTenorDays: 10 };
  const first = loadMarketData(data, { cache, ...run });
  assert.equal(first.load.source, "cache");
  assert.ok(first.load.cacheWritten, "its own entry");
  const entries = readdirSync(cache).filter((n) => /^[0-9a-f]{64}-[0-9a-f]{16}$/.test(n));
  assert.equal(entries.length, 2, "the whole-market entry stays for loads that need it");
  const second = loadMarketData(data, { cache, ...run });
  assert.equal(second.load.source, "cache");
  assert.ok(!second.load.cacheWritten);
  assertSameStore(store(second), store(loadMarketData(data, run)));
  assert.equal(
    loadMarketData(data, { cache }).chains.columns.day.length,
    store(loadMarketData(data)).rowCount,
  );
});

Deno.test("bars and VIX are remembered beside the cache and read back as the same frames", () => {
  const cache = freshCache();
  const first = loadMarketData(data, { cache, underlyings: ["SPY"] });
  assert.ok(readdirSync(join(cache, "tables")).length >= 2, "bars and VIX remembered");
  const again = loadMarketData(data, { cache, underlyings: ["SPY"] });
  const plain = loadMarketData(data, { underlyings: ["SPY"] });
  for (const m of [first, again]) {
    assert.deepEqual(m.bars.get("SPY")!.toRecords(), plain.bars.get("SPY")!.toRecords());
    assert.deepEqual(
      m.bars.get("SPY")!.dtypes.map(String),
      plain.bars.get("SPY")!.dtypes.map(String),
    );
    assert.deepEqual(m.vix!.toRecords(), plain.vix!.toRecords());
  }
  assertSameStore(store(again), store(plain));
  // A changed file is read again.
  const spy = join(data, "bars", "SPY.csv");
  const later = new Date(Date.now() + 120_000);
  utimesSync(spy, later, later);
  const touched = loadMarketData(data, { cache, underlyings: ["SPY"] });
  assert.deepEqual(touched.bars.get("SPY")!.toRecords(), plain.bars.get("SPY")!.toRecords());
});
