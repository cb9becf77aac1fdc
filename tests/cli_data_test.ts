import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { strToU8, zipSync } from "fflate";
import {
  buildChainStore,
  dayToIso,
  generateSample,
  loadConfig,
  loadMarketData,
  runBacktest,
} from "../lib/mod.ts";
import { fixturePath } from "./helpers/fixtures.ts";
import { runCli } from "./helpers/cli.ts";

/** Runs the CLI with its own cache folder (never the user's). */
const cli = (cacheDir: string, ...args: string[]) => runCli(args, { MAHLER_CACHE_DIR: cacheDir });

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** A configuration that trades often on a few months of the sample (no IV-percentile history). */
function tradingConfig(dir: string, extra = ""): string {
  const text = readFileSync(new URL("../config/default.toml", import.meta.url), "utf8")
    .replace(/iv_percentile_min = .*/, "iv_percentile_min = 0")
    .replace(/min_credit_pct = .*/, "min_credit_pct = 0.05")
    .replace(/short_delta_max = .*/, "short_delta_max = 0.30")
    .replace(/max_bid_ask_pct = .*/, "max_bid_ask_pct = 1.0")
    .replace(/max_entries_per_day = .*/, "max_entries_per_day = 2") + extra;
  const file = join(dir, "trading.toml");
  writeFileSync(file, text);
  return file;
}

/** The sample's chains rewritten as CBOE Option EOD "Calcs" files, one zip per day. */
function asCboeCalcs(sampleDir: string, outDir: string): void {
  const header =
    "underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,trade_volume,bid_size_1545,bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,implied_underlying_price_1545,active_underlying_price_1545,implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,rho_1545,bid_size_eod,bid_eod,ask_size_eod,ask_eod,underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code";
  const store = buildChainStore(loadMarketData(sampleDir));
  const c = store.columns;
  const byDay = new Map<number, string[]>();
  // CBOE's order: by expiry and strike, the call then the put.
  const order = Array.from({ length: store.rowCount }, (_, i) => i).sort((a, b) =>
    c.day[a] - c.day[b] || c.underlying[a] - c.underlying[b] || c.expiry[a] - c.expiry[b] ||
    c.strike[a] - c.strike[b] || c.type[a] - c.type[b] || a - b
  );
  for (const i of order) {
    const line = [
      store.tickers[c.underlying[i]],
      dayToIso(c.day[i]),
      store.tickers[c.underlying[i]],
      dayToIso(c.expiry[i]),
      c.strike[i].toFixed(3),
      c.type[i] ? "P" : "C",
      0,
      0,
      0,
      0,
      c.volume[i],
      10,
      c.bid[i],
      10,
      c.ask[i],
      c.stockPrice[i],
      c.stockPrice[i],
      c.stockPrice[i],
      c.stockPrice[i],
      c.iv[i],
      c.delta[i],
      c.gamma[i],
      c.theta[i],
      c.vega[i],
      0,
      10,
      c.bid[i],
      10,
      c.ask[i],
      c.stockPrice[i],
      c.stockPrice[i],
      0,
      c.openInterest[i],
      "",
    ].join(",");
    const list = byDay.get(c.day[i]) ?? [];
    list.push(line);
    byDay.set(c.day[i], list);
  }
  mkdirSync(join(outDir, "chains"), { recursive: true });
  for (const [day, lines] of byDay) {
    const name = `UnderlyingOptionsEODCalcs_${dayToIso(day)}`;
    writeFileSync(
      join(outDir, "chains", `${name}.zip`),
      zipSync({ [`${name}.csv`]: strToU8([header, ...lines].join("\n") + "\n") }),
    );
  }
  mkdirSync(join(outDir, "bars"));
  for (const f of readdirSync(join(sampleDir, "bars"))) {
    writeFileSync(join(outDir, "bars", f), readFileSync(join(sampleDir, "bars", f)));
  }
  writeFileSync(join(outDir, "vix.csv"), readFileSync(join(sampleDir, "vix.csv")));
}

const root = temp("mahler-cli-data-");
const sample = join(root, "sample");
generateSample({ outDir: sample, start: "2019-01-02", end: "2020-06-30", seed: 3 });

Deno.test("inspect reports the missing NYSE session of a single-underlying file", async () => {
  const dir = temp("mahler-cli-inspect-");
  const spy = readFileSync(fixturePath("layouts/long.csv"), "utf8").trimEnd().split("\n")
    .filter((line, i) => i === 0 || line.startsWith("SPY,")).join("\n");
  const file = join(dir, "spy.csv");
  writeFileSync(file, spy + "\n");
  const json = await cli(temp("mahler-cache-"), "inspect", "--data", file, "--json");
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.missing_dates, { SPY: ["2024-01-04"] });
  assert.equal(report.missing_days, 1);
  const text = await cli(temp("mahler-cache-"), "inspect", "--data", file);
  assert.match(text.stdout, /missing NYSE sessions\s+1/);
  assert.match(text.stdout, /missing: 2024-01-04/);
});

Deno.test("the same market as long-layout Parquet and as zipped CBOE files trades identically", async () => {
  const cboe = join(root, "cboe");
  asCboeCalcs(sample, cboe);
  const config = tradingConfig(root);
  const outA = join(root, "run-parquet");
  const outB = join(root, "run-cboe");
  const a = await cli(
    temp("mahler-cache-"),
    "run",
    "--config",
    config,
    "--data",
    sample,
    "--out",
    outA,
  );
  assert.equal(a.code, 0, a.stderr);
  const b = await cli(
    temp("mahler-cache-"),
    "run",
    "--config",
    config,
    "--data",
    cboe,
    "--out",
    outB,
  );
  assert.equal(b.code, 0, b.stderr);
  const tradesA = pl.readParquet(join(outA, "trades.parquet"));
  assert.ok(tradesA.height > 20, `${tradesA.height} trades`);
  assert.ok(
    readFileSync(join(outA, "trades.parquet")).equals(readFileSync(join(outB, "trades.parquet"))),
    "trades.parquet byte-identical",
  );
  assert.equal(
    readFileSync(join(outA, "equity_curve.csv"), "utf8"),
    readFileSync(join(outB, "equity_curve.csv"), "utf8"),
  );
});

Deno.test("outputs are byte-identical with and without the cache, cold or warm", async () => {
  const config = tradingConfig(root);
  const noCache = tradingConfig(temp("mahler-nocache-"), "\n[data]\ncache = false\n");
  const cache = temp("mahler-cache-");
  const runs = [
    ["cold", config, cache],
    ["warm", config, cache],
    ["off", noCache, temp("mahler-cache-")],
  ] as const;
  const outs: string[] = [];
  for (const [name, file, dir] of runs) {
    const out = join(root, `cache-${name}`);
    const r = await cli(dir, "run", "--config", file, "--data", sample, "--out", out);
    assert.equal(r.code, 0, r.stderr);
    outs.push(out);
    if (name === "warm") assert.match(r.stderr, /from the cache/);
    if (name === "off") {
      const entries = readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n));
      assert.equal(entries.length, 0, "no cache entry");
    }
  }
  for (const f of ["trades.parquet", "equity_curve.csv", "metrics.json", "data_quality.json"]) {
    const [cold, warm] = outs.map((o) => readFileSync(join(o, f)));
    assert.ok(cold.equals(warm), `${f}: cold and warm differ`);
  }
  // [data] cache = false writes params.toml with its [data] section; the results are the same.
  for (const f of ["trades.parquet", "equity_curve.csv", "metrics.json", "data_quality.json"]) {
    assert.ok(readFileSync(join(outs[0], f)).equals(readFileSync(join(outs[2], f))), f);
  }
});

Deno.test("run --from/--to reads only the window (and the IV history) yet trades as on all the data", async () => {
  const config = tradingConfig(root, "");
  const out = join(root, "run-window");
  const r = await cli(
    temp("mahler-cache-"),
    "run",
    "--config",
    config,
    "--data",
    sample,
    "--out",
    out,
    "--from",
    "2020-03-02",
    "--to",
    "2020-05-29",
  );
  assert.equal(r.code, 0, r.stderr);
  const got = pl.readParquet(join(out, "trades.parquet"));
  const want = runBacktest(
    buildChainStore(loadMarketData(sample)),
    loadConfig(config),
    { from: "2020-03-02", to: "2020-05-29" },
  ).trades;
  assert.ok(want.height > 5);
  assert.deepEqual(got.toRecords(), want.toRecords());
});

Deno.test("sample --profile full writes the full-density market for a short range", async () => {
  const out = join(temp("mahler-full-"), "full");
  const r = await cli(
    temp("mahler-cache-"),
    "sample",
    "--profile",
    "full",
    "--from",
    "2023-01-03",
    "--to",
    "2023-01-05",
    "--out",
    out,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Wrote \d+ contract rows, 3 trading days/);
  const bad = await cli(temp("mahler-cache-"), "sample", "--profile", "huge");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--profile must be sample or full/);
});

Deno.test("bad input in a new layout exits 1 naming file, row and column", async () => {
  const dir = temp("mahler-cli-bad-");
  const lines = readFileSync(fixturePath("layouts/smv/ORATS_SMV_Strikes_20240103.csv"), "utf8")
    .split("\n");
  lines[3] = lines[3].replace(/,01\/03\/2024$/, ",2024-13-03");
  const file = join(dir, "ORATS_SMV_Strikes_20240103.csv");
  writeFileSync(file, lines.join("\n"));
  const r = await cli(temp("mahler-cache-"), "inspect", "--data", file);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /ORATS_SMV_Strikes_20240103\.csv, row 4, column 'trade_date': Cannot parse/,
  );
});
