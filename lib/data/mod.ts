/**
 * Data layer: loads option chains in every layout users hold (the long layout, ORATS strikes
 * as CSV, Parquet or API JSON, ORATS SMV Strikes, the snake_case layout and its ticker-year
 * Parquet tree, CBOE Option EOD with or without Calcs, any other layout through a column map;
 * CSV, gzip, zip, Parquet or JSON, in any mix), underlying bars and VIX; streams them into the
 * typed-array ChainStore with a memory-mapped binary cache; reports data quality against the NYSE
 * calendar. The market conventions (contract multiplier, days in a year) are named here for
 * every layer above.
 *
 * The loading internals (`_`-prefixed modules), the layouts' column lists and the file helpers
 * other layers use (text_file.ts, file_size.ts, file_hash.ts, sorted.ts) are not part of it.
 *
 * @module
 */
export {
  CALENDAR_DAYS_PER_YEAR,
  CONTRACT_MULTIPLIER,
  MONTHS_PER_YEAR,
  TRADING_DAYS_PER_YEAR,
  yearFraction,
} from "./conventions.ts";
export * from "./dates.ts";
export {
  isNyseSession,
  NYSE_CLOSURES,
  NYSE_EARLY_CLOSES_UNSCHEDULED,
  nyseEarlyCloses,
} from "./calendar.ts";
export { DataError, type DataErrorLocation } from "./errors.ts";
export { type ColumnMap, detectLayout, type LayoutName, LONG_COLUMNS } from "./layouts.ts";
export {
  type ChainGroups,
  type ComputeGreeks,
  loadBars,
  type LoadedChains,
  loadMarketData,
  loadMarketDataAsync,
  type LoadOptions,
  type LoadProgress,
  type LoadReport,
  loadVix,
  type MarketData,
} from "./load.ts";
export { clearCache, defaultCacheDir } from "./cache.ts";
export { type CacheWarningListener, onCacheWarning } from "./cache_warnings.ts";
export { memoizeFloat64ForStore, memoizeForStore } from "./derived.ts";
export {
  buildChainStore,
  type ChainColumns,
  type ChainIndex,
  type ChainOrigin,
  ChainStore,
  type ChainStoreData,
  type DailySeries,
  FLAG_BAD_GREEKS,
  FLAG_CROSSED,
  FLAG_DUPLICATE,
  FLAG_ZERO_BID,
  type MarketParts,
  type PortableColumn,
  type PortableStore,
  type RowRange,
  type SnapshotCounts,
  toDay,
  TYPE_CALL,
  TYPE_PUT,
} from "./chain_store.ts";
export { barCloseOn } from "./bar_closes.ts";
export {
  DIVIDEND_COLUMNS,
  type Dividends,
  DIVIDENDS_FILE,
  type DividendSchedule,
  dividendSchedules,
  type DividendSeries,
  dividendSeries,
  dividendsPresentValue,
  type DividendSummary,
  dividendSummary,
  dividendTomorrow,
  loadDividends,
  NO_EX_DATE,
  tickerDividendsPresentValue,
} from "./dividends.ts";
export { dataQuality, type QualityCounts, type QualityReport } from "./quality.ts";
export { Random } from "./random.ts";
export { type ChainDays, type ChainFileSpan, scanChainDays } from "./chain_days.ts";
