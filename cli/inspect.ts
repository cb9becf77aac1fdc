/**
 * `inspect --data PATH [--json]`: the data-quality report of a data path, with the comparison
 * of the chain's greeks against Black-Scholes.
 *
 * @module
 */
import {
  buildChainStore,
  dataQuality,
  type GreeksCheck,
  greeksCheck,
  loadMarketData,
  type QualityReport,
} from "../lib/mod.ts";
import { parseFlags, UsageError } from "./args.ts";

/** The report `inspect` prints and runs write to data_quality.json. */
export type QualityWithGreeks = QualityReport & { greeks_check: GreeksCheck };

/** Prints a quality report as a table, or as JSON. */
export function printQualityReport(report: QualityWithGreeks, json: boolean): void {
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
  const g = report.greeks_check;
  const f = (x: number | null) => (x === null ? "n/a" : x.toExponential(2));
  console.log(
    `greeks vs Black-Scholes (r = ${g.rate}, ${g.rows_compared} rows): median |Δdelta| ${
      f(g.delta.median)
    }, |Δvega| ${f(g.vega.median)}, IV from mid median |Δ| ${f(g.iv_from_mid.median)} ` +
      `(p99 ${f(g.iv_from_mid.p99)}), mids outside bounds ${g.mid_outside_bounds}`,
  );
  for (const [ticker, c] of Object.entries(report.per_underlying)) {
    console.log(
      `  ${ticker.padEnd(6)} rows ${c.rows}, days ${c.days}, crossed ${c.crossed_quotes}, ` +
        `zero bids ${c.zero_bids}, bad greeks ${c.bad_greeks}, duplicates ${c.duplicates}, ` +
        `missing days ${c.missing_days}`,
    );
  }
}

/** `inspect --data PATH [--json]`. */
export function inspectCommand(args: string[]): void {
  const v = parseFlags(args, { data: { type: "string" }, json: { type: "boolean" } });
  if (!v.data) throw new UsageError("inspect needs --data PATH");
  const json = Boolean(v.json);
  const t0 = performance.now();
  const store = buildChainStore(loadMarketData(String(v.data)));
  printQualityReport({ ...dataQuality(store), greeks_check: greeksCheck(store) }, json);
  if (!json) {
    console.error(`Loaded and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
