import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { strToU8, zipSync } from "fflate";
import {
  buildChainStore,
  chainGreeks,
  type ChainStore,
  DataError,
  dataQuality,
  detectLayout,
  loadMarketData,
  type LoadOptions,
  TYPE_PUT,
} from "../../lib/mod.ts";
import { fixturePath } from "../helpers/fixtures.ts";

const LAYOUTS = fixturePath("layouts");
const at = (name: string) => join(LAYOUTS, name);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "mahler-layouts-"));
}

function load(path: string, options: LoadOptions = {}): ChainStore {
  return buildChainStore(loadMarketData(path, { computeGreeks: chainGreeks, ...options }));
}

/** Every contract of a store as a record keyed by (ticker, day, expiry, type, strike). */
function contracts(store: ChainStore): Map<string, Record<string, number>> {
  const c = store.columns;
  const out = new Map<string, Record<string, number>>();
  for (let i = 0; i < store.rowCount; i++) {
    const key = `${store.tickers[c.underlying[i]]}/${c.day[i]}/${c.expiry[i]}/${c.type[i]}/${
      c.strike[i]
    }`;
    out.set(key, {
      bid: c.bid[i],
      ask: c.ask[i],
      mid: c.mid[i],
      volume: c.volume[i],
      openInterest: c.openInterest[i],
      stockPrice: c.stockPrice[i],
      delta: c.delta[i],
      gamma: c.gamma[i],
      theta: c.theta[i],
      vega: c.vega[i],
      iv: c.iv[i],
      type: c.type[i],
    });
  }
  return out;
}

const reference = contracts(load(at("long.csv")));

/** Asserts a store holds the reference market; `close` lists fields compared with a tolerance. */
function assertSameMarket(
  store: ChainStore,
  close: Partial<Record<string, number>> = {},
  skip: string[] = [],
): void {
  const got = contracts(store);
  assert.equal(got.size, reference.size, "same contracts");
  assert.equal(reference.size, 72);
  for (const [key, want] of reference) {
    const row = got.get(key);
    assert.ok(row, `contract ${key} present`);
    for (const [field, value] of Object.entries(want)) {
      if (skip.includes(field)) continue;
      // Files state mids to the tenth of a cent; (bid + ask) / 2 differs in the last bits.
      const tol = close[field] ?? (field === "mid" ? 1e-12 : undefined);
      if (tol === undefined) assert.equal(row[field], value, `${key} ${field}`);
      else {assert.ok(
          Math.abs(row[field] - value) <= tol,
          `${key} ${field}: ${row[field]} vs ${value}`,
        );}
    }
  }
}

function assertDataError(fn: () => unknown, pattern: RegExp, file?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected DataError, got ${err}`);
    if (file) assert.ok(err.message.includes(file), `message names the file: ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

/** A copy of a CSV fixture with one cell replaced (row = line number, header = 1). */
function withCell(src: string, dest: string, line: number, column: string, value: string): string {
  const lines = readFileSync(src, "utf8").trimEnd().split("\n");
  const col = lines[0].split(",").indexOf(column);
  assert.ok(col >= 0, `${column} in ${src}`);
  const cells = lines[line - 1].split(",");
  cells[col] = value;
  lines[line - 1] = cells.join(",");
  writeFileSync(dest, lines.join("\n") + "\n");
  return dest;
}

Deno.test("detectLayout() names each fixture's layout from its header", () => {
  const header = (name: string) => readFileSync(at(name), "utf8").split("\n")[0].split(",");
  assert.equal(detectLayout(header("long.csv")), "long");
  assert.equal(detectLayout(header("orats_strikes.csv")), "orats_strikes");
  assert.equal(detectLayout(header("smv/ORATS_SMV_Strikes_20240102.csv")), "smv_strikes");
  assert.equal(detectLayout(header("snake_long.csv")), "snake_long");
  assert.equal(detectLayout(header("cboe/UnderlyingOptionsEODQuotes_2024-01-02.csv")), "cboe_eod");
  assert.equal(
    detectLayout(header("cboe_calcs/UnderlyingOptionsEODCalcs_2024-01-02.csv")),
    "cboe_eod_calcs",
  );
});

Deno.test("the long layout loads every contract with its values", () => {
  const spy = reference.get(`SPY/${19724}/${19741}/0/460`)!; // 2024-01-02, 2024-01-19 call 460
  assert.deepEqual(
    [spy.bid, spy.ask, spy.mid, spy.volume, spy.openInterest, spy.stockPrice, spy.delta, spy.iv],
    [13.99, 14.27, 14.13, 105, 1005, 472.65, 0.815991, 0.142061],
  );
});

Deno.test("ORATS strikes as CSV, as Parquet and as the API's JSON load the same market", () => {
  // A strikes row holds the call's greeks; the put's delta is delta - 1 (r = q = 0).
  const close = { delta: 1e-12, theta: 1e-12 };
  const csv = load(at("orats_strikes.csv"));
  assertSameMarket(csv, close);
  const dir = tempDir();
  const parquet = join(dir, "strikes.parquet");
  pl.readCSV(at("orats_strikes.csv")).writeParquet(parquet);
  assertSameMarket(load(parquet), close);
  assertSameMarket(load(at("orats_strikes.json")), close);
  // The JSON response and the CSV describe the same chain, value for value.
  assert.deepEqual(contracts(load(at("orats_strikes.json"))), contracts(csv));
});

Deno.test("ORATS SMV Strikes daily files load plain, gzipped and zipped, with US dates", () => {
  const close = { delta: 1e-12, theta: 1e-12 };
  assertSameMarket(load(at("smv")), close);
  const dir = tempDir();
  const names = ["20240102", "20240103", "20240105"].map((d) => `ORATS_SMV_Strikes_${d}.csv`);
  writeFileSync(
    join(dir, "ORATS_SMV_Strikes_20240102.zip"),
    zipSync({ [names[0]]: strToU8(readFileSync(at(`smv/${names[0]}`), "utf8")) }),
  );
  writeFileSync(
    join(dir, `${names[1]}.gz`),
    gzipSync(readFileSync(at(`smv/${names[1]}`))),
  );
  copyFileSync(at(`smv/${names[2]}`), join(dir, names[2]));
  const market = loadMarketData(dir);
  assert.deepEqual(market.load.layouts, { smv_strikes: 3 });
  assertSameMarket(buildChainStore(market), close);
});

Deno.test("an SMV Strikes file without trade_date takes the day from its name", () => {
  const dir = tempDir();
  const text = readFileSync(at("smv/ORATS_SMV_Strikes_20240103.csv"), "utf8").trimEnd().split("\n")
    .map((line) => line.split(",").slice(0, -1).join(",")).join("\n");
  writeFileSync(join(dir, "ORATS_SMV_Strikes_20240103.csv"), text + "\n");
  const store = load(dir);
  assert.deepEqual(store.tradingDays(), ["2024-01-03"]);
  const bare = join(dir, "strikes_without_day.csv");
  writeFileSync(bare, text + "\n");
  assertDataError(() => load(bare), /column 'trade_date': Required column is missing/, bare);
});

Deno.test("the snake_case layout loads from CSV and from a strikes/<TICKER>/<TICKER>_<YEAR>.parquet tree", () => {
  assertSameMarket(load(at("snake_long.csv")));
  const dir = tempDir();
  const all = pl.readCSV(at("snake_long.csv"));
  for (const ticker of ["SPY", "QQQ"]) {
    mkdirSync(join(dir, "strikes", ticker), { recursive: true });
    // Downloaders write dates as dates and counts as integers.
    all.filter(pl.col("ticker").eq(pl.lit(ticker))).withColumns(
      pl.col("trade_date").str.strptime(pl.Date, "%Y-%m-%d"),
      pl.col("expir_date").str.strptime(pl.Date, "%Y-%m-%d"),
      pl.col("volume").cast(pl.Int64),
      pl.col("open_interest").cast(pl.Int64),
    ).writeParquet(join(dir, "strikes", ticker, `${ticker}_2024.parquet`));
  }
  assertSameMarket(load(join(dir, "strikes")));
});

Deno.test("CBOE Option EOD with Calcs loads the 15:45 quotes and the file's greeks", () => {
  assertSameMarket(load(at("cboe_calcs")), {}, ["mid"]);
});

Deno.test("CBOE Option EOD without Calcs: IV from the mid by Let's Be Rational, greeks by Black-Scholes", () => {
  const store = load(at("cboe"));
  const got = contracts(store);
  assert.equal(got.size, reference.size);
  for (const [key, want] of reference) {
    const row = got.get(key)!;
    assert.equal(row.bid, want.bid);
    assert.equal(row.ask, want.ask);
    // Quotes are rounded to the cent around the Black-Scholes price at the fixture's IV: the IV
    // implied by the mid is within a cent's worth of vega of it.
    const cents = 0.006 / Math.max(row.vega * 100, 1e-3);
    assert.ok(Math.abs(row.iv - want.iv) <= cents + 1e-3, `${key} iv ${row.iv} vs ${want.iv}`);
    assert.ok(Math.abs(row.delta - want.delta) < 0.01, `${key} delta`);
  }
  const q = dataQuality(store);
  assert.equal(q.greeks_computed, 72);
  assert.equal(q.iv_not_found, 0);
});

Deno.test("CBOE without Calcs: a contract without a bid, or below intrinsic, is counted and excluded", () => {
  const dir = tempDir();
  const src = at("cboe/UnderlyingOptionsEODQuotes_2024-01-02.csv");
  const file = withCell(
    src,
    join(dir, "UnderlyingOptionsEODQuotes_2024-01-02.csv"),
    2,
    "bid_1545",
    "0",
  );
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  // Line 3 is QQQ's 390 put; price it far below intrinsic? It is out of the money: use the call
  // on line 2 (no bid) and make line 4's 400 call trade below intrinsic (S = 402.53).
  const header = lines[0].split(",");
  const cells = lines[3].split(",");
  cells[header.indexOf("bid_1545")] = "0.50";
  cells[header.indexOf("ask_1545")] = "0.60";
  lines[3] = cells.join(",");
  writeFileSync(file, lines.join("\n") + "\n");
  const store = load(file);
  const q = dataQuality(store);
  assert.equal(q.greeks_computed, 24);
  assert.equal(q.iv_not_found, 2);
  assert.equal(q.bad_greeks, 2, "kept, flagged, never guessed");
  const c = store.columns;
  let nan = 0;
  for (let i = 0; i < store.rowCount; i++) if (Number.isNaN(c.iv[i])) nan++;
  assert.equal(nan, 2);
});

Deno.test("CBOE without Calcs is refused without a greeks calculator", () => {
  assertDataError(
    () => loadMarketData(at("cboe")),
    /no IV or greeks and no greeks calculator/,
  );
});

Deno.test("a [data.columns] map reads any other layout", () => {
  const columns = {
    ticker: "Symbol",
    tradeDate: "QuoteDate",
    expirDate: "Expiration",
    strike: "Strike",
    optionType: "CallPut",
    bid: "BidPx",
    ask: "AskPx",
    volume: "Vol",
    openInterest: "OI",
    stockPrice: "Underlying",
    delta: "Delta",
    gamma: "Gamma",
    theta: "Theta",
    vega: "Vega",
    impliedVolatility: "IV",
  };
  assertSameMarket(load(at("mapped.csv"), { columns }));
  // Without the map the layout is unknown, and the message says which layouts are read.
  assertDataError(() => load(at("mapped.csv")), /row 1: Unknown chain layout/, "mapped.csv");
});

Deno.test("a folder mixing layouts and file kinds loads as one market", () => {
  const dir = tempDir();
  // SPY's first day as ORATS JSON, its second as SMV (zipped), its third as CBOE Calcs; QQQ
  // as the long layout in Parquet.
  const json = JSON.parse(readFileSync(at("orats_strikes.json"), "utf8"));
  json.data = json.data.filter((r: Record<string, unknown>) =>
    r.ticker === "SPY" && r.tradeDate === "2024-01-02"
  );
  writeFileSync(join(dir, "spy_0102.json"), JSON.stringify(json));
  const smv = readFileSync(at("smv/ORATS_SMV_Strikes_20240103.csv"), "utf8").trimEnd().split("\n")
    .filter((line, i) => i === 0 || line.startsWith("SPY,")).join("\n");
  mkdirSync(join(dir, "smv"));
  writeFileSync(
    join(dir, "smv", "ORATS_SMV_Strikes_20240103.zip"),
    zipSync({ "ORATS_SMV_Strikes_20240103.csv": strToU8(smv + "\n") }),
  );
  const cboe = readFileSync(at("cboe_calcs/UnderlyingOptionsEODCalcs_2024-01-05.csv"), "utf8")
    .trimEnd().split("\n").filter((line, i) => i === 0 || line.startsWith("SPY,")).join("\n");
  writeFileSync(join(dir, "UnderlyingOptionsEODCalcs_2024-01-05.csv"), cboe + "\n");
  pl.readCSV(at("long.csv"), { inferSchemaLength: 0 }).filter(pl.col("ticker").eq(pl.lit("QQQ")))
    .writeParquet(join(dir, "qqq.parquet"));
  const market = loadMarketData(dir);
  assert.deepEqual(market.load.layouts, {
    orats_strikes: 1,
    smv_strikes: 1,
    cboe_eod_calcs: 1,
    long: 1,
  });
  assertSameMarket(buildChainStore(market), { delta: 1e-12, theta: 1e-12 }, ["mid"]);
});

Deno.test("a single-underlying file reports its missing NYSE session", () => {
  const dir = tempDir();
  const spy = readFileSync(at("long.csv"), "utf8").trimEnd().split("\n")
    .filter((line, i) => i === 0 || line.startsWith("SPY,")).join("\n");
  writeFileSync(join(dir, "spy.csv"), spy + "\n");
  const q = dataQuality(load(join(dir, "spy.csv")));
  assert.deepEqual(q.underlyings, ["SPY"]);
  assert.deepEqual(q.missing_dates, { SPY: ["2024-01-04"] });
  assert.equal(q.missing_days, 1);
});

Deno.test("bad cells name file, row and column in every layout", () => {
  const dir = tempDir();
  const cases: Array<[string, number, string, string, RegExp]> = [
    ["long.csv", 4, "bid", "six", /row 4, column 'bid': Cannot parse "six" as float/],
    ["orats_strikes.csv", 3, "putAskPrice", "x", /row 3, column 'putAskPrice': Cannot parse "x"/],
    [
      "smv/ORATS_SMV_Strikes_20240103.csv",
      5,
      "expirDate",
      "13/45/2024",
      /row 5, column 'expirDate': Cannot parse "13\/45\/2024" as date/,
    ],
    ["snake_long.csv", 7, "option_type", "Q", /row 7, column 'option_type': Expected C or P/],
    [
      "cboe/UnderlyingOptionsEODQuotes_2024-01-02.csv",
      6,
      "open_interest",
      "1.5",
      /row 6, column 'open_interest': Expected a whole number/,
    ],
    [
      "cboe_calcs/UnderlyingOptionsEODCalcs_2024-01-05.csv",
      9,
      "delta_1545",
      "abc",
      /row 9, column 'delta_1545': Cannot parse "abc"/,
    ],
    ["long.csv", 10, "strike", "-5", /row 10, column 'strike': Strike must be a positive number/],
    ["long.csv", 12, "expirDate", "2023-12-01", /row 12, column 'expirDate': Expiry is before/],
    ["snake_long.csv", 2, "trade_date", "", /row 2, column 'trade_date': Value is missing/],
  ];
  for (const [name, line, column, value, pattern] of cases) {
    const dest = join(dir, name.split("/").pop()!);
    withCell(at(name), dest, line, column, value);
    assertDataError(() => load(dest), pattern, dest);
  }
  // The strikes layouts name the source row of a put, too (one row holds a call and a put).
  const wide = withCell(at("orats_strikes.csv"), join(dir, "w.csv"), 6, "putBidPrice", "?");
  assertDataError(() => load(wide), /row 6, column 'putBidPrice'/, wide);
});

Deno.test("bad cells in JSON and Parquet name file, record or row, and column", () => {
  const dir = tempDir();
  const json = JSON.parse(readFileSync(at("orats_strikes.json"), "utf8"));
  json.data[4].callBidPrice = "n/a";
  const jsonFile = join(dir, "bad.json");
  writeFileSync(jsonFile, JSON.stringify(json));
  assertDataError(
    () => load(jsonFile),
    /row 5, column 'callBidPrice': Cannot parse "n\/a"/,
    jsonFile,
  );
  const parquet = join(dir, "bad.parquet");
  pl.readCSV(at("snake_long.csv")).withColumns(
    pl.when(pl.col("strike").eq(470).and(pl.col("option_type").eq(pl.lit("P"))))
      .then(pl.lit(null)).otherwise(pl.col("ticker")).alias("ticker"),
  ).writeParquet(parquet);
  assertDataError(() => load(parquet), /row \d+, column 'ticker': Value is missing/, parquet);
});

Deno.test("corrupt zip, gzip and JSON files are named", () => {
  const dir = tempDir();
  const zip = join(dir, "ORATS_SMV_Strikes_20240102.zip");
  const good = zipSync({
    "ORATS_SMV_Strikes_20240102.csv": strToU8(
      readFileSync(at("smv/ORATS_SMV_Strikes_20240102.csv"), "utf8"),
    ),
  });
  const broken = good.slice();
  broken.fill(0x5a, 120, 400); // inside the deflated data
  writeFileSync(zip, broken);
  assertDataError(() => load(zip), /Cannot read as zip/, zip);
  const gz = join(dir, "chain.csv.gz");
  writeFileSync(gz, gzipSync(readFileSync(at("long.csv"))).slice(0, 200));
  assertDataError(() => load(gz), /Cannot read as gzip/, gz);
  const json = join(dir, "chain.json");
  writeFileSync(json, '{"data": [ {"ticker": "SPY", ');
  assertDataError(() => load(json), /Cannot read as JSON/, json);
  const empty = join(dir, "empty.zip");
  writeFileSync(empty, zipSync({ "readme.txt": strToU8("no chains") }));
  assertDataError(() => load(empty), /holds no \.csv file/, empty);
});

Deno.test("a column map that names a missing column is an error naming it", () => {
  const dir = tempDir();
  const file = join(dir, "m.csv");
  copyFileSync(at("mapped.csv"), file);
  assertDataError(
    () => load(file, { columns: { ticker: "Symbol", tradeDate: "QuoteDate" } }),
    /column 'expirDate': Required column is missing/,
    file,
  );
});

Deno.test("put rows of a strikes layout take put-call parity theta and e^-qT delta", () => {
  const store = load(at("orats_strikes.csv"), { rate: 0.05, dividendYield: 0.02 });
  const c = store.columns;
  let checked = 0;
  for (let i = 0; i < store.rowCount; i++) {
    if (c.type[i] !== TYPE_PUT) continue;
    const call = store.getChain(c.day[i], store.tickers[c.underlying[i]], c.expiry[i], "call");
    for (let j = call.start; j < call.end; j++) {
      if (c.strike[j] !== c.strike[i]) continue;
      const T = (c.expiry[i] - c.day[i]) / 365;
      const K = c.strike[i];
      const S = c.stockPrice[i];
      assert.ok(Math.abs(c.delta[i] - (c.delta[j] - Math.exp(-0.02 * T))) < 1e-15);
      const parity = (0.05 * K * Math.exp(-0.05 * T) - 0.02 * S * Math.exp(-0.02 * T)) / 365;
      assert.ok(Math.abs(c.theta[i] - (c.theta[j] + parity)) < 1e-15);
      assert.equal(c.gamma[i], c.gamma[j]);
      assert.equal(c.vega[i], c.vega[j]);
      checked++;
    }
  }
  assert.equal(checked, 36);
});
