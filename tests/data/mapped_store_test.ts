/**
 * The memory-mapped column store: a warm load maps the cache entry's files (no copy), the read
 * without maps gives the same store byte for byte, a damaged column file is detected and the
 * entry rebuilt from the chain files, Web Workers open the same store by mapping the files
 * themselves, and the data-quality report is computed once per entry.
 */
import assert from "node:assert/strict";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  atmIv30,
  buildChainStore,
  ChainStore,
  generateSample,
  ivPercentileTable,
  loadMarketData,
  loadMarketDataAsync,
  type LoadOptions,
  memoizeFloat64ForStore,
  qualityReport,
} from "../../lib/mod.ts";
import { mappedFileOf, mmapSupported } from "../../lib/data/_mmap.ts";
import { blockChecksums, xxh32 } from "../../lib/data/_checksum.ts";
import { COLUMN_TYPES } from "../../lib/data/_columns.ts";

const data = join(mkdtempSync(join(tmpdir(), "mahler-mapped-data-")), "sample");
generateSample({ outDir: data, start: "2020-02-03", end: "2020-04-30", seed: 11 });

const freshCache = () => mkdtempSync(join(tmpdir(), "mahler-mapped-cache-"));

/** Every array of two stores, compared element by element (Object.is: NaN and -0 count). */
function assertSameStore(got: ChainStore, want: ChainStore, what: string): void {
  assert.deepEqual(got.tickers, want.tickers, what);
  assert.equal(got.rowCount, want.rowCount, what);
  for (const [name] of COLUMN_TYPES) {
    const a = got.columns[name];
    const b = want.columns[name];
    assert.equal(a.length, b.length, `${what}: ${name}`);
    for (let i = 0; i < b.length; i++) {
      if (!Object.is(a[i], b[i])) assert.fail(`${what}: ${name}[${i}] ${a[i]} vs ${b[i]}`);
    }
  }
  const d = got.data as unknown as Record<string, ArrayLike<number>>;
  const e = want.data as unknown as Record<string, ArrayLike<number>>;
  for (const key of Object.keys(e)) {
    if (key === "columns" || key === "tickers" || key === "origin") continue;
    if (key === "counts") {
      assert.deepEqual(got.data.counts, want.data.counts, `${what}: counts`);
      continue;
    }
    assert.deepEqual(Array.from(d[key]), Array.from(e[key]), `${what}: ${key}`);
  }
}

const narrower: LoadOptions[] = [
  {},
  { underlyings: ["QQQ"] },
  { underlyings: ["QQQ", "SPY"] },
  { underlyings: ["SPY", "IWM"], from: "2020-02-20", to: "2020-03-10" },
  { maxDte: 35, ivTenorDays: 30 },
  { maxDte: 10, ivTenorDays: 30, from: "2020-03-02", underlyings: ["SPY"] },
];

Deno.test("xxh32() gives the reference values of the xxHash specification", () => {
  const e = (s: string) => new TextEncoder().encode(s);
  assert.equal(xxh32(e("")), 0x02cc5d05);
  assert.equal(xxh32(e("a")), 0x550d7456);
  assert.equal(xxh32(e("abc")), 0x32d153ff);
  assert.equal(xxh32(e("0123456789:;<=>?")), 0xbee4114f);
  assert.equal(xxh32(e("0123456789:;<=>?"), 0x12345678), 0xefb49920);
  assert.equal(xxh32(e("0123456789:;<=>?@ABCD")), 0x2069f2d4);
  // An unaligned view hashes the same bytes the same way.
  assert.equal(xxh32(e("x0123456789:;<=>?@ABCD").subarray(1)), 0x2069f2d4);
  assert.deepEqual(blockChecksums(new Uint8Array(0)), [0x02cc5d05]);
});

Deno.test("a warm load maps the entry's column files: no copy, same store as the files give", () => {
  assert.ok(mmapSupported(), "maps are available under deno test -A on Linux");
  const cache = freshCache();
  const cold = loadMarketData(data, { cache });
  const stamp = readFileSync(join(cold.load.cacheEntry!, "verified.json"), "utf8");
  const warm = loadMarketData(data, { cache });
  assert.equal(warm.load.source, "cache");
  // The entry's files were stamped when written: the warm load trusted them without hashing.
  assert.equal(readFileSync(join(warm.load.cacheEntry!, "verified.json"), "utf8"), stamp);
  for (const [name] of COLUMN_TYPES) {
    const file = mappedFileOf(warm.chains.columns[name].buffer);
    assert.ok(file, `${name} is a map`);
    assert.equal(file.path, join(warm.load.cacheEntry!, `${name}.bin`));
  }
  assertSameStore(buildChainStore(warm), buildChainStore(loadMarketData(data)), "whole");
});

Deno.test("mapped, read and uncached loads give the same store, for every narrower load", async () => {
  const cache = freshCache();
  loadMarketData(data, { cache });
  for (const options of narrower) {
    const what = JSON.stringify(options);
    const want = buildChainStore(loadMarketData(data, options));
    // Each read of the whole-market entry; a tighter DTE limit then writes its own entry,
    // which the next load (the second of each pair) reads directly.
    for (let pass = 0; pass < 2; pass++) {
      const mapped = loadMarketData(data, { ...options, cache });
      assert.equal(mapped.load.source, "cache", what);
      assertSameStore(buildChainStore(mapped), want, `mapped ${what}`);
      const read = loadMarketData(data, { ...options, cache, mmap: false });
      assert.equal(read.load.source, "cache", what);
      assertSameStore(buildChainStore(read), want, `read ${what}`);
      const async = await loadMarketDataAsync(data, { ...options, cache, mmap: false });
      assertSameStore(buildChainStore(async), want, `read on two threads ${what}`);
    }
  }
});

/** Overwrites `bytes` at `position` of a file in place (same size, same inode). */
function overwrite(file: string, position: number, bytes: Uint8Array): void {
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}

for (const mmap of [true, false]) {
  const how = mmap ? "mapped" : "read";
  for (const restoreTime of [false, true]) {
    const what = restoreTime ? ", its modification time set back," : "";
    Deno.test(`${how}: a damaged column file${what} is detected and rebuilt, never read as data`, async () => {
      const cache = freshCache();
      const first = loadMarketData(data, { cache, mmap });
      const entry = first.load.cacheEntry!;
      const want = buildChainStore(loadMarketData(data));
      const bid = join(entry, "bid.bin");
      const before = statSync(bid);
      if (restoreTime) {
        // Deno reports change times in whole seconds: the write below must land in a later
        // second than the stamp for the change time alone to tell.
        await new Promise((resolve) => setTimeout(resolve, 1100));
      }
      // Flip bytes in the middle of the bid column, same size.
      const mid = Math.floor(before.size / 2 / 8) * 8;
      overwrite(bid, mid, new Uint8Array(new Float64Array([123456.75]).buffer));
      if (restoreTime) utimesSync(bid, before.atime, before.mtime);
      assert.equal(statSync(bid).size, before.size);
      const again = loadMarketData(data, { cache, mmap });
      assert.equal(again.load.source, "files", "the damaged entry is not read");
      assert.ok(again.load.cacheWritten, "and it is rebuilt");
      assertSameStore(buildChainStore(again), want, `${how} after damage`);
      const third = loadMarketData(data, { cache, mmap });
      assert.equal(third.load.source, "cache", "the rebuilt entry serves");
      assertSameStore(buildChainStore(third), want, `${how} rebuilt`);
    });
  }

  Deno.test(`${how}: a truncated, missing or altered index or meta file is a miss`, () => {
    const damages: Array<[string, (entry: string) => void]> = [
      ["truncated strike.bin", (e) => writeFileSync(join(e, "strike.bin"), "x")],
      ["missing groupStart.bin", (e) => Deno.removeSync(join(e, "groupStart.bin"))],
      [
        "altered groupExpiry.bin",
        (e) => overwrite(join(e, "groupExpiry.bin"), 8, Uint8Array.of(7, 7, 7, 7)),
      ],
      [
        "altered meta.json",
        (e) => {
          const meta = join(e, "meta.json");
          writeFileSync(meta, readFileSync(meta, "utf8").replace('"rows":', '"rows":1'));
        },
      ],
    ];
    const want = buildChainStore(loadMarketData(data, { underlyings: ["IWM"] }));
    for (const [what, damage] of damages) {
      const cache = freshCache();
      const first = loadMarketData(data, { cache, mmap, underlyings: ["IWM"] });
      damage(first.load.cacheEntry!);
      const again = loadMarketData(data, { cache, mmap, underlyings: ["IWM"] });
      assert.equal(again.load.source, "files", what);
      assertSameStore(buildChainStore(again), want, `${how}, ${what}`);
    }
  });
}

Deno.test("an entry copied elsewhere (new inodes) is checked once, then read without hashing", () => {
  const cache = freshCache();
  const first = loadMarketData(data, { cache, underlyings: ["SPY"] });
  const entry = first.load.cacheEntry!;
  const stamp = readFileSync(join(entry, "verified.json"), "utf8");
  // Rewrite every file with the same bytes: new change times, same content.
  for (const name of readdirSync(entry)) {
    if (!name.endsWith(".bin")) continue;
    const bytes = readFileSync(join(entry, name));
    Deno.removeSync(join(entry, name));
    writeFileSync(join(entry, name), bytes);
  }
  const again = loadMarketData(data, { cache, underlyings: ["SPY"] });
  assert.equal(again.load.source, "cache", "same content: still served");
  assert.notEqual(readFileSync(join(entry, "verified.json"), "utf8"), stamp, "stamped anew");
});

Deno.test("a store posted to a worker as portable() uses the same maps and gives the same results", async () => {
  const cache = freshCache();
  loadMarketData(data, { cache });
  const store = buildChainStore(loadMarketData(data, { cache }));
  const portable = store.portable();
  for (const [name] of COLUMN_TYPES) {
    assert.ok("mapped" in portable.columns[name], `${name} travels as its map, not its bytes`);
  }
  const reopened = ChainStore.fromPortable(structuredClone(portable));
  assertSameStore(reopened, store, "reopened in this thread");
  // In a worker: the sums of every column, computed there, equal ours.
  const worker = new Worker(new URL("../helpers/portable_store_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const sums = await new Promise<Record<string, number>>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      worker.postMessage(portable);
    });
    for (const [name] of COLUMN_TYPES) {
      const a = store.columns[name];
      let s = 0;
      for (let i = 0; i < a.length; i++) s += Number.isNaN(a[i]) ? 0 : a[i];
      assert.equal(sums[name], s, name);
    }
  } finally {
    worker.terminate();
  }
});

Deno.test("the data-quality report is computed once per entry and slice, and equals a fresh one", () => {
  const cache = freshCache();
  const cold = buildChainStore(loadMarketData(data, { cache, underlyings: ["SPY", "QQQ"] }));
  const fresh = qualityReport(
    buildChainStore(loadMarketData(data, { underlyings: ["SPY", "QQQ"] })),
  );
  assert.deepEqual(qualityReport(cold), fresh);
  const market = loadMarketData(data, { cache, underlyings: ["SPY", "QQQ"] });
  const derived = join(market.load.cacheEntry!, "derived");
  const files = readdirSync(derived);
  assert.equal(files.length, 1, "one report kept beside the entry");
  const warm = buildChainStore(market);
  assert.equal(JSON.stringify(qualityReport(warm)), JSON.stringify(fresh), "read back exactly");
  // Another slice of the same entry has its own report.
  const spy = buildChainStore(loadMarketData(data, { cache, underlyings: ["SPY"] }));
  assert.deepEqual(
    qualityReport(spy),
    qualityReport(buildChainStore(loadMarketData(data, { underlyings: ["SPY"] }))),
  );
  assert.equal(readdirSync(derived).length, 2);
  // A damaged report is computed again.
  writeFileSync(join(derived, files[0]), "1\n{}");
  assert.deepEqual(
    qualityReport(buildChainStore(loadMarketData(data, { cache, underlyings: ["SPY", "QQQ"] }))),
    fresh,
  );
});

Deno.test("the 30-day ATM IV is kept beside the entry and read back bit for bit", () => {
  const cache = freshCache();
  const cold = buildChainStore(loadMarketData(data, { cache, underlyings: ["SPY"] }));
  const fresh = atmIv30(buildChainStore(loadMarketData(data, { underlyings: ["SPY"] })));
  const first = ivPercentileTable(cold, 20);
  const market = loadMarketData(data, { cache, underlyings: ["SPY"] });
  const derived = join(market.load.cacheEntry!, "derived");
  assert.ok(readdirSync(derived).some((f) => f.startsWith("atm-iv-30-v1-")), "kept");
  const warm = buildChainStore(market);
  const again = ivPercentileTable(warm, 20);
  assert.deepEqual(Array.from(again), Array.from(first));
  const read = memoizeFloat64ForStore(warm, "atm-iv-30-v1", () => {
    throw new Error("read back, not computed");
  });
  assert.equal(read.length, fresh.length);
  for (let i = 0; i < fresh.length; i++) assert.ok(Object.is(read[i], fresh[i]), `day ${i}`);
});

Deno.test("workers keep using a store whose cache entry another process replaced or removed", async () => {
  const cache = freshCache();
  loadMarketData(data, { cache, underlyings: ["QQQ"] });
  const market = loadMarketData(data, { cache, underlyings: ["QQQ"] });
  const store = buildChainStore(market);
  const portable = store.portable();
  // Another process clears the cache (or rewrites the entry) before the workers start.
  Deno.removeSync(market.load.cacheEntry!, { recursive: true });
  loadMarketData(data, { cache, underlyings: ["QQQ"] });
  const worker = new Worker(new URL("../helpers/portable_store_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const sums = await new Promise<Record<string, number>>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      worker.postMessage(portable);
    });
    let s = 0;
    for (const v of store.columns.strike) s += v;
    assert.equal(sums.strike, s);
  } finally {
    worker.terminate();
  }
});
