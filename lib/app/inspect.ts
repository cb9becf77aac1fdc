/**
 * `inspect` as a library function: the data-quality report of a data path — quality flags, the
 * NYSE sessions each underlying lacks, contracts skipped or with computed greeks — with the
 * comparison of the chain's greeks and IV against Black-Scholes.
 *
 * @module
 */
import { loadConfig } from "../strategy/config.ts";
import { type DataQualityReport, qualityReport } from "../output/data_quality.ts";
import { type DividendSummary, dividendSummary } from "../data/dividends.ts";
import { type ConfigData, type ConfigDataOptions, loadConfigData } from "./load.ts";

/** Options of {@link inspectData}. */
export interface InspectOptions {
  /** Load as this configuration would (underlyings, DTE limit, `[data]`); default everything. */
  configPath?: string;
  /** First day, YYYY-MM-DD. */
  from?: string;
  /** Last day, YYYY-MM-DD. */
  to?: string;
  /** Only these underlyings (without a configuration; default all). */
  underlyings?: string[];
  /** Whether to use the binary cache (default: the configuration's `[data] cache`, else on). */
  cache?: boolean;
  /** Called as chain files are read. */
  onLoadProgress?: ConfigDataOptions["onProgress"];
  /** Called once the data is loaded. */
  onLoaded?: (data: ConfigData) => void;
}

/** A data path's quality report, with the data it was computed on. */
export interface InspectedData {
  /** The data loaded. */
  data: ConfigData;
  /** The report, as data_quality.json holds it. */
  report: DataQualityReport;
  /** The dividends found, per ticker (empty: the data has no dividends.csv). */
  dividends: DividendSummary[];
}

/**
 * Loads a data path and reports its quality.
 *
 * @param dataPath chain file, folder or data folder
 * @param options configuration, window, underlyings, cache and callbacks
 * @returns the data and its quality report
 * @throws ConfigError or DataError naming what was wrong
 *
 * @example A generated month of SPY, with the sessions the generator leaves out on purpose
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSample } from "../mod.ts";
 * import { inspectData } from "./inspect.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-28", seed: 3 });
 * const { report, dividends } = await inspectData(dir, { underlyings: ["SPY"], cache: false });
 * assert.deepEqual(report.underlyings, ["SPY"]);
 * assert.equal(report.first_date, "2024-03-01");
 * assert.equal(report.missing_days, report.missing_dates.SPY.length);
 * assert.deepEqual(dividends.map((d) => d.ticker), ["SPY"]); // the sample's March ex-date
 * ```
 */
export async function inspectData(
  dataPath: string,
  options: InspectOptions = {},
): Promise<InspectedData> {
  const data = await loadConfigData(dataPath, {
    config: options.configPath ? loadConfig(options.configPath) : undefined,
    from: options.from,
    to: options.to,
    underlyings: options.underlyings,
    cache: options.cache,
    onProgress: options.onLoadProgress,
  });
  options.onLoaded?.(data);
  // The dividends of the underlyings loaded.
  const tickers = new Set(data.store.tickers);
  const dividends = dividendSummary(data.dividends).filter((d) => tickers.has(d.ticker));
  return { data, report: qualityReport(data.store), dividends };
}
