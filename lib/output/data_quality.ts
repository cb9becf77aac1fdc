/**
 * The data-quality report of data_quality.json: the data layer's counts, the comparison of the
 * chain's published greeks and IV with the pricing layer's, and (for a run) the position-days
 * on which a held spread had no usable pair of quotes.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { memoizeForStore } from "../data/derived.ts";
import { yearFraction } from "../data/conventions.ts";
import { dataQuality, type QualityReport } from "../data/quality.ts";
import { tickerDividendsPresentValue } from "../data/dividends.ts";
import { compareGreeks, type GreeksCheck, type PublishedOption } from "../pricing/greeks_check.ts";
import { optionTypeOf } from "../strategy/_legs.ts";

/**
 * Compares a chain's published greeks and IV with this library's Black-Scholes values on an
 * evenly spaced sample of usable rows (unflagged, DTE >= 1): our greeks at the row's IV, and
 * the IV implied by the row's mid. With dividends in the data, the spot is the
 * escrowed-dividend spot: the stock price less the present value of the dividends going ex
 * before the expiry.
 *
 * @param store the chain
 * @param options `rate` (annual decimal, default 0: the chain's own rate is not in the data)
 *   and `sample` (rows at most, default 20,000)
 * @returns the distributions of the differences
 */
export function greeksCheck(
  store: ChainStore,
  options: { rate?: number; sample?: number } = {},
): GreeksCheck {
  const c = store.columns;
  const step = Math.max(1, Math.floor(store.rowCount / (options.sample ?? 20000)));
  const rate = options.rate ?? 0;
  function* rows(): Generator<PublishedOption> {
    for (let i = 0; i < store.rowCount; i += step) {
      const dte = c.expiry[i] - c.day[i];
      if (c.flags[i] !== 0 || dte < 1) continue;
      yield {
        type: optionTypeOf(c.type[i]),
        spot: c.stockPrice[i] -
          tickerDividendsPresentValue(store.data, c.underlying[i], c.day[i], c.expiry[i], rate),
        strike: c.strike[i],
        years: yearFraction(dte),
        mid: c.mid[i],
        iv: c.iv[i],
        delta: c.delta[i],
        gamma: c.gamma[i],
        theta: c.theta[i],
        vega: c.vega[i],
      };
    }
  }
  return compareGreeks(rows(), options.rate ?? 0);
}

/** The content of data_quality.json. */
export type DataQualityReport = QualityReport & {
  /** The greeks and IV comparison. */
  greeks_check: GreeksCheck;
  /**
   * Position-days on which a held spread's leg had no usable quote that day, so the spread
   * kept its last complete pair (written by run, validate and optimize).
   */
  missing_leg_quotes?: number;
};

/**
 * Name and version of the report kept beside a cache entry: change the version whenever the
 * report's computation changes, so that entries written before compute it again.
 */
const QUALITY_REPORT = "data-quality-v2"; // v2: the greeks check's IVs from the one-step kernel

/**
 * The data-quality report of a store, with the greeks check: computed once per cache entry
 * (and slice of it) and kept beside the entry, so that a repeated command reads it back.
 *
 * @param store the chain
 * @returns the report (without missing_leg_quotes, which a run adds)
 *
 * @example The report of a month of the sample market
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadMarketData } from "../mod.ts";
 * import { qualityReport } from "./data_quality.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-03-01", end: "2024-03-29", seed: 5 });
 * const report = qualityReport(buildChainStore(loadMarketData(dir)));
 * assert.deepEqual(report.underlyings, ["IWM", "QQQ", "SPY"]);
 * assert.ok(report.greeks_check.rows_compared > 1000 && report.greeks_check.delta.median! < 0.05);
 * assert.ok(report.excluded_rows > 0); // the sample's seeded defects are flagged
 * ```
 */
export function qualityReport(store: ChainStore): DataQualityReport {
  return memoizeForStore(
    store,
    QUALITY_REPORT,
    () => ({ ...dataQuality(store), greeks_check: greeksCheck(store) }),
  );
}
