/**
 * Output layer: a backtest with its frames and metrics (runBacktest), the metrics (overall, by
 * VIX regime, by underlying), the trade log and daily state as frames, the diagnostics, the
 * data-quality report, the files of run and optimize folders, exports, and the atomic writer.
 *
 * @module
 */
export { type BacktestOptions, type BacktestResult, runBacktest } from "./backtest.ts";
export {
  computeMetrics,
  type DayStats,
  dayStats,
  type Metrics,
  type MetricsOptions,
  type RegimeStats,
  type TradeStats,
  tradeStats,
  VIX_REGIMES,
  vixRegime,
} from "./metrics.ts";
export {
  EQUITY_FIELDS,
  equityFrame,
  HALT_FIELDS,
  TRADE_EXTRA_FIELDS,
  TRADE_FIELDS,
  tradesFrame,
} from "./trade_log.ts";
export { runDiagnostics } from "./diagnostics.ts";
export {
  marketRegimeBreakdown,
  type MarketRegimeOptions,
  marketRegimesFrame,
  type MarketRegimesFrameOptions,
  marketUnderlying,
  regimeBreakdownFrame,
  withMarketRegimes,
} from "./market_regimes.ts";
export { verdictFrame, walkForwardEfficiencyFrame } from "./walk_forward_frames.ts";
export { type DataQualityReport, greeksCheck, qualityReport } from "./data_quality.ts";
export { type ManifestInfo, manifestText, runOutputFiles, TOOL_VERSION } from "./run_outputs.ts";
export {
  gridResultsFrame,
  walkForwardFiles,
  walkForwardJson,
  walkForwardMetrics,
} from "./walk_forward.ts";
export {
  EXPORT_FORMATS,
  EXPORT_TABLES,
  type ExportFormat,
  type ExportTable,
  exportTable,
  tablesOf,
} from "./export.ts";
export { type OutputFile, sha256File, sha256Text, toJson, writeRunFiles } from "./write_run.ts";
