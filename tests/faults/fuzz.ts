/**
 * Fuzzed input: fast-check properties over the bytes of each input layout (CSV, gzip, zip, JSON,
 * Parquet, TOML), seeded (MAHLER_FAULT_SEED) with MAHLER_FAULT_FUZZ_RUNS cases per layout and
 * mutation family (default 100).
 *
 * - Bytes: truncated, with bytes inserted, deleted or flipped. The load either succeeds or fails
 *   with a DataError or ConfigError whose message is one line naming the file; never another
 *   error (a stack trace on the command line), never longer than MAX_CASE_MS.
 * - Fields (CSV, JSON, Parquet): one row's strike, stock price, bid, trade date or expiry set out
 *   of range (NaN, negative, zero, huge, infinite, far past or future), or two rows swapped. The
 *   load either fails in one line naming the file, the row and the column, or succeeds with the
 *   row counted among the excluded or skipped rows of the quality report (data_quality.json);
 *   swapped rows load the same market as the original.
 *
 * Usage: `deno run -A tests/faults/fuzz.ts` (run_faults.ts runs it).
 *
 * @module
 */
import { join } from "node:path";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { gzipSync, strToU8, zipSync } from "fflate";
import pl from "nodejs-polars";
import {
  buildChainStore,
  ConfigError,
  DataError,
  dataQuality,
  loadConfig,
  loadMarketData,
  type QualityReport,
} from "../../lib/mod.ts";
import { expect, type Figures, figures, kindSeed, report, ROOT } from "./_common.ts";

const RUNS = Number(Deno.env.get("MAHLER_FAULT_FUZZ_RUNS") ?? 100);
/** A case taking longer than this is a hang. */
const MAX_CASE_MS = 10_000;
const work = Deno.makeTempDirSync({ prefix: "mahler-faults-fuzz-" });
const csvText = readFileSync(join(ROOT, "tests/fixtures/layouts/orats_strikes.csv"), "utf8");
const csv = strToU8(csvText);
const json = readFileSync(join(ROOT, "tests/fixtures/layouts/orats_strikes.json"));
const parquetPath = join(work, "source.parquet");
pl.readCSV(csvText).writeParquet(parquetPath);
const parquet = readFileSync(parquetPath);
const toml = readFileSync(join(ROOT, "config/test_config.toml"));

/** Each layout: its file name and original bytes, and how it is read. */
const layouts: { name: string; file: string; bytes: Uint8Array; config?: boolean }[] = [
  { name: "CSV", file: "orats_strikes.csv", bytes: csv },
  { name: "gzip", file: "orats_strikes.csv.gz", bytes: gzipSync(csv) },
  { name: "zip", file: "orats_strikes.zip", bytes: zipSync({ "orats_strikes.csv": csv }) },
  { name: "JSON", file: "orats_strikes.json", bytes: json },
  { name: "Parquet", file: "orats_strikes.parquet", bytes: parquet },
  { name: "TOML", file: "config.toml", bytes: toml, config: true },
];

/** What a load gave: a quality report, or an expected error's message. */
type Outcome = { quality: QualityReport } | { error: string };

/** Loads a file as the commands do (a DTE limit: far expiries are skipped and counted). */
function load(path: string, config: boolean): Outcome {
  try {
    if (config) {
      loadConfig(path);
      return { quality: {} as QualityReport };
    }
    const market = loadMarketData(path, { maxDte: 60 });
    return { quality: dataQuality(buildChainStore(market)) };
  } catch (err) {
    if (err instanceof DataError || err instanceof ConfigError) return { error: err.message };
    throw new Error(`unexpected ${(err as Error)?.name}: ${String((err as Error)?.message)}`);
  }
}

/** Writes `bytes` as the layout's file and loads it; checks the time and the error's form. */
function attempt(file: string, bytes: Uint8Array, config: boolean): Outcome {
  const dir = join(work, `case-${cases++}`);
  Deno.mkdirSync(dir);
  const path = join(dir, file);
  writeFileSync(path, bytes);
  const t0 = performance.now();
  try {
    const outcome = load(path, config);
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    expect(ms < MAX_CASE_MS, `took ${ms.toFixed(0)} ms`);
    if ("error" in outcome) {
      expect(!outcome.error.includes("\n"), `not one line: ${outcome.error}`);
      expect(outcome.error.includes(file), `does not name the file: ${outcome.error}`);
    }
    return outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let cases = 0;
let slowest = 0;

/** A byte mutation: truncate, insert, delete or flip, at positions from fast-check. */
const byteMutation = fc.oneof(
  fc.record({
    op: fc.constant("truncate" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    op: fc.constant("delete" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({
    op: fc.constant("flip" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
);
type ByteMutation = typeof byteMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: ByteMutation): Uint8Array {
  const at = Math.min(bytes.length - 1, Math.floor(m.at * bytes.length));
  switch (m.op) {
    case "truncate":
      return bytes.slice(0, at);
    case "insert":
      return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case "delete":
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    case "flip": {
      const out = bytes.slice();
      out[at] ^= m.mask;
      return out;
    }
  }
}

/** Runs a property for a kind's figures: each case counts as a fault injected. */
function property<T>(f: Figures, arb: fc.Arbitrary<T>, check: (value: T) => void): void {
  const seed = kindSeed(f.kind);
  fc.assert(
    fc.property(arb, (value) => {
      f.injected++;
      try {
        check(value);
        f.survived++;
      } catch (err) {
        f.failures.push(`${JSON.stringify(value)}: ${(err as Error).message}`);
      }
    }),
    { seed, numRuns: RUNS },
  );
}

try {
  for (const layout of layouts) {
    const f = figures(`fuzzed bytes: ${layout.name}`);
    property(f, byteMutation, (m) => {
      attempt(layout.file, mutate(layout.bytes, m), layout.config === true);
    });
    report(f);
  }

  // Field values out of range, in the three table layouts.
  const header = csvText.split("\n")[0].split(",");
  const lines = csvText.trimEnd().split("\n");
  const baseline = (attempt("orats_strikes.csv", csv, false) as { quality: QualityReport })
    .quality;
  const flagged = (q: QualityReport) => q.excluded_rows + q.skipped_dte;
  const fields = {
    strike: ["NaN", "-5", "0", "1e300", "Infinity", "-Infinity"],
    stockPrice: ["NaN", "-5", "0", "1e300", "Infinity"],
    callBidPrice: ["NaN", "-5", "1e300", "Infinity"],
    tradeDate: ["1900-01-02", "2999-01-04", "2024-13-45"],
    expirDate: ["2999-01-15", "1900-01-19", "2024-01-01"],
  };
  const fieldCase = fc.record({
    row: fc.integer({ min: 1, max: lines.length - 1 }),
    field: fc.constantFrom(...(Object.keys(fields) as (keyof typeof fields)[])),
    pick: fc.nat(),
    swapWith: fc.integer({ min: 1, max: lines.length - 1 }),
    swap: fc.boolean(),
  });
  /** The layout's bytes of the CSV's lines. */
  const encode: Record<string, (text: string) => Uint8Array> = {
    CSV: (text) => strToU8(text),
    JSON: (text) => {
      const df = pl.readCSV(text, { inferSchemaLength: 0 });
      const rows = df.toRecords().map((r) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) {
          const n = Number(v);
          o[k] = v === null || v === "" ? null : /Date$|At$|ticker/.test(k) ? v : n;
        }
        return o;
      });
      return strToU8(JSON.stringify({ data: rows }));
    },
    Parquet: (text) => {
      const path = join(work, `field-${cases}.parquet`);
      pl.readCSV(text, { inferSchemaLength: 0 }).select(
        ...header.map((h) =>
          /Date$|At$|ticker/.test(h) ? pl.col(h) : pl.col(h).cast(pl.Float64, false)
        ),
      ).writeParquet(path);
      const bytes = readFileSync(path);
      rmSync(path);
      return bytes;
    },
  };
  const files: Record<string, string> = {
    CSV: "orats_strikes.csv",
    JSON: "orats_strikes.json",
    Parquet: "orats_strikes.parquet",
  };
  for (const name of ["CSV", "JSON", "Parquet"]) {
    const f = figures(`fuzzed fields: ${name}`);
    property(f, fieldCase, (c) => {
      const edited = [...lines];
      let value = "";
      if (c.swap) {
        [edited[c.row], edited[c.swapWith]] = [edited[c.swapWith], edited[c.row]];
      } else {
        const cells = edited[c.row].split(",");
        const values = fields[c.field];
        value = values[c.pick % values.length];
        cells[header.indexOf(c.field)] = value;
        edited[c.row] = cells.join(",");
      }
      let bytes: Uint8Array;
      try {
        bytes = encode[name](edited.join("\n") + "\n");
      } catch {
        // A value the layout cannot hold (polars refuses it): not a case of this layout.
        f.injected--;
        f.survived--;
        return;
      }
      const outcome = attempt(files[name], bytes, false);
      if (c.swap) {
        expect(
          "quality" in outcome,
          `swapped rows failed: ${(outcome as { error: string }).error}`,
        );
        expect(
          JSON.stringify(outcome.quality) === JSON.stringify(baseline),
          "swapped rows load another market",
        );
        return;
      }
      if ("error" in outcome) {
        expect(
          outcome.error.includes(c.field) || outcome.error.includes("expir"),
          `does not name the column: ${outcome.error}`,
        );
        expect(/row \d+/.test(outcome.error), `does not name the row: ${outcome.error}`);
        return;
      }
      expect(
        flagged(outcome.quality) > flagged(baseline),
        `${c.field} = ${value} in row ${c.row} loaded unflagged`,
      );
    });
    report(f);
  }
  console.error(`fuzz: ${cases} cases, slowest ${slowest.toFixed(0)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
