import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pl from "nodejs-polars";
import {
  buildChainStore,
  DataError,
  dayToIso,
  isoToDay,
  loadBars,
  loadMarketData,
  loadVix,
  parseDateToDay,
} from "../../lib/mod.ts";
import { fixturePath } from "../helpers/fixtures.ts";

const LONG_HEADER =
  "ticker,tradeDate,expirDate,strike,optionType,bid,ask,mid,last,volume,openInterest,stockPrice,delta,gamma,theta,vega,rho,impliedVolatility,underlyingBid,underlyingAsk";
const LONG_ROWS = [
  "SPY,2024-01-02,2024-02-16,470,C,6.10,6.20,6.15,6.12,1200,15000,472.5,0.55,0.02,-0.15,0.60,0.30,0.13,472.49,472.51",
  "SPY,2024-01-02,2024-02-16,470,P,3.40,3.50,3.45,3.44,900,12000,472.5,-0.45,0.02,-0.12,0.60,-0.28,0.14,472.49,472.51",
  "SPY,2024-01-02,2024-02-16,460,P,1.90,2.00,1.95,1.96,800,9000,472.5,-0.30,0.015,-0.10,0.55,-0.2,0.15,472.49,472.51",
];
const WIDE_HEADER =
  "ticker,tradeDate,expirDate,dte,strike,stockPrice,callVolume,callOpenInterest,callBidSize,callAskSize,putVolume,putOpenInterest,putBidSize,putAskSize,callBidPrice,callValue,callAskPrice,putBidPrice,putValue,putAskPrice,callBidIv,callMidIv,callAskIv,smvVol,putBidIv,putMidIv,putAskIv,residualRate,delta,gamma,theta,vega,rho,phi,driftlessTheta,extSmvVol,extCallValue,extPutValue,spotPrice,updatedAt";
const WIDE_ROWS = [
  "SPY,01/02/2024,02/16/2024,45,470,472.5,1200,15000,10,10,900,12000,10,10,6.10,6.15,6.20,3.40,3.45,3.50,0.12,0.13,0.14,0.13,0.13,0.14,0.15,0.0,0.55,0.02,-0.15,0.60,0.30,-0.5,-0.1,0.13,6.15,3.45,472.5,2024-01-02 15:46:00",
];

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mahler-test-"));
}

function write(dir: string, name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Loads chain files into the long layout's frame (through a store), for value checks. */
function loadChainFiles(files: string[]): pl.DataFrame {
  assert.equal(files.length, 1);
  const store = buildChainStore(loadMarketData(files[0]));
  return store.rowsFrame({ start: 0, end: store.rowCount });
}

function assertDataError(fn: () => unknown, file: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected DataError, got ${err}`);
    assert.ok(err.message.includes(file), `message names the file: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("dates: ISO and US forms parse to the same day, and round-trip", () => {
  assert.equal(parseDateToDay("01/02/2024"), isoToDay("2024-01-02"));
  assert.equal(dayToIso(isoToDay("2024-02-29")), "2024-02-29");
  assert.ok(Number.isNaN(parseDateToDay("2024-13-01")));
});

Deno.test("the long layout reads alike from CSV, gzip CSV and Parquet", () => {
  const dir = tempDir();
  const csv = write(dir, "a.csv", [LONG_HEADER, ...LONG_ROWS].join("\n"));
  const gz = write(
    dir,
    "a.csv.gz",
    gzipSync(new TextEncoder().encode([LONG_HEADER, ...LONG_ROWS].join("\n"))),
  );
  const fromCsv = loadChainFiles([csv]);
  const fromGz = loadChainFiles([gz]);
  const pq = join(dir, "a.parquet");
  pl.readCSV(csv).writeParquet(pq);
  const fromParquet = loadChainFiles([pq]);
  assert.equal(fromCsv.height, 3);
  assert.deepEqual(fromGz.toRecords(), fromCsv.toRecords());
  assert.deepEqual(fromParquet.toRecords(), fromCsv.toRecords());
  // Sorted by (expiry, type, strike): the call, then the puts by strike.
  const row = fromCsv.toRecords()[2];
  assert.equal(row.optionType, "P");
  assert.equal(row.strike, 470);
  assert.equal(row.volume, 900);
  assert.equal(row.impliedVolatility, 0.14);
});

Deno.test("ORATS strikes rows become a call and a put", () => {
  const dir = tempDir();
  const file = write(dir, "w.csv", [WIDE_HEADER, ...WIDE_ROWS].join("\n"));
  const df = loadChainFiles([file]);
  assert.equal(df.height, 2);
  const [call, put] = df.toRecords();
  assert.equal(call.optionType, "C");
  assert.equal(put.optionType, "P");
  assert.equal(call.bid, 6.1);
  assert.equal(put.ask, 3.5);
  assert.ok(Math.abs((put.delta as number) - (0.55 - 1)) < 1e-15, "put delta = call delta - 1");
  assert.equal(put.gamma, call.gamma);
  // With r = q = 0, put theta equals call theta (rho is not kept: nothing reads it).
  assert.equal(put.theta, call.theta);
  assert.ok(!("rho" in put));
  assert.equal(put.impliedVolatility, 0.14);
  assert.equal(put.openInterest, 12000);
});

Deno.test("bad input: a missing column is named with the file", () => {
  const dir = tempDir();
  const header = LONG_HEADER.replace(",strike,", ",strikePrice,");
  const file = write(dir, "missing.csv", [header, ...LONG_ROWS].join("\n"));
  assertDataError(
    () => loadChainFiles([file]),
    file,
    /row 1, column 'strike': Required column is missing/,
  );
});

Deno.test("bad input: an unparsable date names file, row and column", () => {
  const dir = tempDir();
  const rows = [...LONG_ROWS];
  rows[2] = rows[2].replace("2024-01-02", "2024-01-32");
  const file = write(dir, "date.csv", [LONG_HEADER, ...rows].join("\n"));
  assertDataError(
    () => loadChainFiles([file]),
    file,
    /row 4, column 'tradeDate': Cannot parse "2024-01-32" as date/,
  );
});

Deno.test("bad input: a non-numeric price names file, row and column", () => {
  const dir = tempDir();
  const rows = [...LONG_ROWS];
  rows[0] = rows[0].replace(",6.10,", ",six,");
  const file = write(dir, "num.csv", [LONG_HEADER, ...rows].join("\n"));
  assertDataError(
    () => loadChainFiles([file]),
    file,
    /row 2, column 'bid': Cannot parse "six" as float/,
  );
});

Deno.test("bad input: an unknown option type names file, row and column", () => {
  const dir = tempDir();
  const rows = [...LONG_ROWS];
  rows[1] = rows[1].replace(",P,", ",X,");
  const file = write(dir, "type.csv", [LONG_HEADER, ...rows].join("\n"));
  assertDataError(
    () => loadChainFiles([file]),
    file,
    /row 3, column 'optionType': Expected C or P/,
  );
});

Deno.test("bad input: empty files and header-only files are rejected", () => {
  const dir = tempDir();
  const empty = write(dir, "empty.csv", "");
  assertDataError(() => loadChainFiles([empty]), empty, /row 1: File is empty/);
  const headerOnly = write(dir, "header.csv", LONG_HEADER + "\n");
  assertDataError(() => loadChainFiles([headerOnly]), headerOnly, /header but no rows/);
});

Deno.test("a folder mixing the long and the strikes layouts loads both", () => {
  const dir = tempDir();
  write(dir, "a_long.csv", [LONG_HEADER, ...LONG_ROWS].join("\n"));
  write(
    dir,
    "b_wide.csv",
    [WIDE_HEADER, WIDE_ROWS[0].replace("01/02/2024", "01/03/2024")].join("\n"),
  );
  const store = buildChainStore(loadMarketData(dir));
  assert.deepEqual(store.tradingDays(), ["2024-01-02", "2024-01-03"]);
  assert.equal(store.rowCount, 5);
});

Deno.test("bad input: a file of no known layout is named, with the layouts it could be", () => {
  const dir = tempDir();
  const odd = write(dir, "odd.csv", "a,b,c\n1,2,3\n");
  assertDataError(() => loadMarketData(dir), odd, /row 1: Unknown chain layout.*callBidPrice/);
});

Deno.test("loadVix() reads CBOE's MM/DD/YYYY file and the real VIX history", () => {
  const dir = tempDir();
  const file = write(
    dir,
    "vix.csv",
    "DATE,OPEN,HIGH,LOW,CLOSE\n01/02/2024,13.2,14.0,13.0,13.5\n01/03/2024,13.5,14.5,13.4,14.1\n",
  );
  const vix = loadVix(file);
  assert.equal(vix.height, 2);
  assert.equal(vix.getColumn("close").get(1), 14.1);
  const real = loadVix(fixturePath("vix-daily.csv"));
  assert.equal(real.height, 9235);
  // The 2020 crash: VIX closed at its record 82.69 on 2020-03-16.
  const record = real.filter(real.getColumn("close").gt(80)).getColumn("close")
    .toArray() as number[];
  assert.ok(record.includes(82.69));
});

Deno.test("loadBars() rejects a repeated date and names it", () => {
  const dir = tempDir();
  const file = write(
    dir,
    "SPY.csv",
    "date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,100\n2024-01-02,1,2,0.5,1.5,100\n",
  );
  assertDataError(() => loadBars(file), file, /day 2024-01-02, column 'date'/);
});

Deno.test("a data directory with chains, bars and vix builds a store with closes and VIX", () => {
  const dir = tempDir();
  Deno.mkdirSync(join(dir, "chains"));
  Deno.mkdirSync(join(dir, "bars"));
  write(dir, "chains/day1.csv", [LONG_HEADER, ...LONG_ROWS].join("\n"));
  write(
    dir,
    "bars/SPY.csv",
    "date,open,high,low,close,volume\n2024-01-02,470,474,469,472.65,1000\n",
  );
  write(dir, "vix.csv", "date,open,high,low,close\n2024-01-02,13,14,12.5,13.2\n");
  const market = loadMarketData(dir);
  assert.equal(market.files.length, 3);
  const store = buildChainStore(market);
  assert.equal(store.close("SPY", "2024-01-02"), 472.65);
  assert.equal(store.getVix("2024-01-02"), 13.2);
  assert.deepEqual(store.getChain("2024-01-02", "SPY", "2024-02-16", "put"), { start: 1, end: 3 });
  assert.equal(store.columns.strike[1], 460, "puts sorted by strike");
});
