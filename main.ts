/**
 * Mahler command line.
 *
 *   mahler                      the main job on the sample data (generated on first use)
 *   mahler inspect --data PATH [--json]
 *   mahler sample [--out DIR] [--seed N]
 *
 * Unknown commands, unknown flags and bad values exit with code 2 and a message on stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import {
  buildChainStore,
  DataError,
  dataQuality,
  generateSample,
  loadMarketData,
  type QualityReport,
} from "./lib/mod.ts";

const SAMPLE_DIR = "data/sample";

const USAGE = `Usage: mahler <command> [options]

Commands:
  (none)     Run the main job on the sample data (generates data/sample on first use)
  inspect    Data-quality report of a data path
             --data PATH   chain file, directory of chain files, or data directory (required)
             --json        print the report as JSON
  sample     Generate the deterministic sample market
             --out DIR     output directory (default ${SAMPLE_DIR})
             --seed N      integer seed (default 42)
  help       Show this message
`;

/** A usage error: printed with the usage line, exit code 2. */
class UsageError extends Error {}

function parse(args: string[], options: Record<string, { type: "string" | "boolean" }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function printReport(report: QualityReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const rows: Array<[string, string | number]> = [
    ["rows", report.rows],
    ["trading days", report.days],
    ["underlyings", report.underlyings.join(", ")],
    ["date range", `${report.first_date} to ${report.last_date}`],
    ["crossed quotes", report.crossed_quotes],
    ["zero bids", report.zero_bids],
    ["bad greeks / IV", report.bad_greeks],
    ["duplicate contracts", report.duplicates],
    ["missing days", report.missing_days],
    ["vanished strikes", report.vanished_strikes],
    ["rows excluded from scanning", report.excluded_rows],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(28)} ${v}`);
  for (const [ticker, c] of Object.entries(report.per_underlying)) {
    console.log(
      `  ${
        ticker.padEnd(6)
      } rows ${c.rows}, days ${c.days}, crossed ${c.crossed_quotes}, zero bids ${c.zero_bids}, bad greeks ${c.bad_greeks}, duplicates ${c.duplicates}, missing days ${c.missing_days}`,
    );
  }
}

function inspect(dataPath: string, json: boolean): void {
  const t0 = performance.now();
  const store = buildChainStore(loadMarketData(dataPath));
  const report = dataQuality(store);
  printReport(report, json);
  if (!json) {
    console.error(`Loaded and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

function ensureSample(): void {
  if (existsSync(SAMPLE_DIR)) return;
  console.error(`Generating the sample market in ${SAMPLE_DIR} (seed 42)...`);
  const s = generateSample({ outDir: SAMPLE_DIR });
  console.error(`Wrote ${s.rows} contract rows over ${s.days} trading days.`);
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined: {
      ensureSample();
      inspect(SAMPLE_DIR, false);
      return 0;
    }
    case "inspect": {
      const v = parse(rest, { data: { type: "string" }, json: { type: "boolean" } });
      if (!v.data) throw new UsageError("inspect needs --data PATH");
      inspect(String(v.data), Boolean(v.json));
      return 0;
    }
    case "sample": {
      const v = parse(rest, { out: { type: "string" }, seed: { type: "string" } });
      const seed = v.seed === undefined ? 42 : Number(v.seed);
      if (!Number.isInteger(seed)) {
        throw new UsageError(`--seed must be an integer, got ${JSON.stringify(v.seed)}`);
      }
      const t0 = performance.now();
      const s = generateSample({ outDir: v.out ? String(v.out) : SAMPLE_DIR, seed });
      console.log(
        `Wrote ${s.rows} contract rows, ${s.days} trading days, ${s.files.length} files to ${s.outDir} in ${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s`,
      );
      return 0;
    }
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(main(Deno.args));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    if (err instanceof DataError) {
      console.error(`Error: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
}
