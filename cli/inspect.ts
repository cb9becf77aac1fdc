/**
 * `inspect --data PATH [--json] [--config FILE] [--from DATE] [--to DATE] [--ticker LIST]
 * [--no-cache]`: prints the data-quality report of a data path (lib/app inspectData) — quality
 * flags, the NYSE sessions each underlying lacks, contracts skipped or with computed greeks —
 * with the comparison of the chain's greeks against Black-Scholes.
 *
 * @module
 */
import { type DataQualityReport, type DividendSummary, inspectData } from "../lib/core.ts";
import { dateFlag, parseFlags, UsageError } from "./args.ts";
import { TICKER_FLAGS, tickerFlag } from "./overrides.ts";
import { commandProgress } from "./progress.ts";

/** Missing sessions as a short text: every date up to `limit`, then a count. */
function listDates(dates: string[], limit = 12): string {
  if (dates.length <= limit) return dates.join(", ");
  return `${dates.slice(0, limit).join(", ")} and ${dates.length - limit} more`;
}

/** The dividends found, one line per ticker, or that there are none. */
function printDividends(dividends: DividendSummary[]): void {
  if (dividends.length === 0) {
    console.log(`${"dividends".padEnd(31)} none (no dividends.csv: no early assignment)`);
    return;
  }
  for (const d of dividends) {
    console.log(
      `${"dividends".padEnd(31)} ${d.ticker}: ${d.count} ex-dates ${d.first} to ${d.last}, ` +
        `$${d.total.toFixed(2)} a share in all`,
    );
  }
}

/** Prints a quality report (and the dividends found) as a table, or as JSON. */
function printQualityReport(
  report: DataQualityReport,
  dividends: DividendSummary[],
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify({ ...report, dividends }, null, 2));
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
    ["missing NYSE sessions", report.missing_days],
    ["days with no NYSE session", report.non_session_days],
    ["vanished strikes", report.vanished_strikes],
    ["rows excluded from scanning", report.excluded_rows],
    ["skipped (beyond any DTE range)", report.skipped_dte],
    ["greeks computed from the mid", report.greeks_computed],
    ["IV not found (excluded)", report.iv_not_found],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(31)} ${v}`);
  printDividends(dividends);
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
        `missing sessions ${c.missing_days}` +
        (c.greeks_computed
          ? `, greeks computed ${c.greeks_computed} (IV not found ${c.iv_not_found})`
          : "") +
        (c.skipped_dte ? `, skipped ${c.skipped_dte}` : ""),
    );
    const missing = report.missing_dates[ticker] ?? [];
    if (missing.length) console.log(`         missing: ${listDates(missing)}`);
  }
}

/** `inspect --data PATH [--json] [--config FILE] [--from] [--to] [--ticker] [--no-cache]`. */
export async function inspectCommand(args: string[]): Promise<void> {
  const v = parseFlags(args, {
    data: { type: "string" },
    json: { type: "boolean" },
    config: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    ...TICKER_FLAGS,
    "no-cache": { type: "boolean" },
  });
  if (!v.data) throw new UsageError("inspect needs --data PATH");
  const json = Boolean(v.json);
  const t0 = performance.now();
  const progress = commandProgress({ quiet: json });
  let report: DataQualityReport;
  let dividends: DividendSummary[];
  try {
    ({ report, dividends } = await inspectData(String(v.data), {
      configPath: v.config ? String(v.config) : undefined,
      from: dateFlag("from", v.from),
      to: dateFlag("to", v.to),
      underlyings: tickerFlag(v) ?? undefined,
      cache: v["no-cache"] ? false : undefined,
      ...progress.callbacks,
    }));
  } finally {
    progress.stop();
  }
  printQualityReport(report, dividends, json);
  if (!json) {
    console.error(`Loaded and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
