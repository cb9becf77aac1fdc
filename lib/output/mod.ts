/**
 * Output layer: a backtest with its frames and metrics (runBacktest), the metrics (overall, by
 * VIX regime, by underlying), the trade log and daily state as frames, the diagnostics, the
 * tear sheet's frames and the trade analytics, the notebooks' frames (market, pricing, scanner,
 * walk-forward, regimes, findings), the data-quality report, the files of run and optimize
 * folders, exports, and the atomic writer.
 *
 * @module
 */
export { type BacktestOptions, type BacktestResult, runBacktest } from "./backtest.ts";
export {
  computeMetrics,
  type DayStats,
  dayStats,
  METRIC_CONVENTIONS,
  type Metrics,
  type MetricsOptions,
  type RegimeStats,
  type TradeStats,
  tradeStats,
  VIX_REGIMES,
  vixRegime,
} from "./metrics.ts";
export {
  type RuleMetrics,
  ruleMetrics,
  TARGET_KEYS,
  type TargetCheck,
  targetChecks,
  type TargetInputs,
  targetLines,
  targetSummary,
} from "./rule_metrics.ts";
export {
  CONDOR_FIELDS,
  EQUITY_FIELDS,
  equityFrame,
  HALT_FIELDS,
  LEG_FIELDS,
  TRADE_EXTRA_FIELDS,
  TRADE_FIELDS,
  tradeLegsFrame,
  tradesFrame,
} from "./trade_log.ts";
export {
  COMPARED_STRATEGIES,
  type ComparedStrategy,
  type CompareOptions,
  compareStrategies,
  type ComparisonBootstrap,
  strategyEquityFrame,
  strategyExitFrame,
  strategyFindingRows,
  strategyFindingsFrame,
  strategyRegimeFrame,
  type StrategyRun,
  worstTradesFrame,
} from "./strategy_comparison.ts";
export {
  marketRegimeBreakdown,
  type MarketRegimeOptions,
  marketRegimesFrame,
  type MarketRegimesFrameOptions,
  marketUnderlying,
  regimeBreakdownFrame,
  withMarketRegimes,
} from "./market_regimes.ts";
export { runDiagnostics, type RunDiagnosticsOptions } from "./diagnostics.ts";
export { type DataQualityReport, greeksCheck, qualityReport } from "./data_quality.ts";
export { type ManifestInfo, manifestText, runOutputFiles, TOOL_VERSION } from "./run_outputs.ts";
export {
  gridResultsFrame,
  type Stitching,
  stitching,
  walkForwardFiles,
  walkForwardJson,
  walkForwardMetrics,
  type WalkForwardRun,
  walkForwardRun,
  wfeJson,
} from "./walk_forward.ts";
export {
  annualReturnsFrame,
  dailyReturnsFrame,
  type DrawdownOptions,
  drawdownsFrame,
  type EquitySpan,
  equitySpan,
  exposureFrame,
  type HistogramOptions,
  monthlyReturnsFrame,
  returnHistogramFrame,
  rollingSharpeFrame,
  type RollingSharpeOptions,
  type SpanOptions,
  TRADING_DAYS_PER_MONTH,
} from "./tear_sheet_frames.ts";
export { benchmarkFrame, type BenchmarkOptions } from "./benchmark.ts";
export {
  type BucketOptions,
  EXIT_REASONS,
  exitReasonFrame,
  pnlByBucketFrame,
} from "./trade_analytics.ts";
export { exitReasonStats, storeHasDividends } from "./exit_reason_metrics.ts";
export { type AssignmentImpact, assignmentImpact, withoutDividends } from "./assignment_impact.ts";
export {
  type TearSheet,
  tearSheet,
  type TearSheetOptions,
  type TearSheetRun,
} from "./tear_sheet.ts";
export {
  closesFrame,
  dataFindingsFrame,
  flagProfileFrame,
  greeksCheckFrame,
  qualityFrame,
  snapshotFrame,
  type SnapshotOptions,
  vixFrame,
  vixRegimeDaysFrame,
} from "./market_frames.ts";
export {
  ivCheckFrame,
  type IvCheckOptions,
  ivRoundTripFrame,
  pricingFindingsFrame,
  putSpreadFrame,
  type PutSpreadOptions,
  type RoundTripOptions,
  smileFrame,
  type SmileOptions,
  termStructureFrame,
} from "./pricing_frames.ts";
export {
  candidateCountsFrame,
  type CandidateCountsOptions,
  creditBoundFrame,
  type CreditBoundOptions,
  funnelFrame,
} from "./scan_frames.ts";
export {
  gridHeatFrame,
  gridValue,
  verdictFrame,
  walkForwardEfficiencyFrame,
  type WalkForwardFrames,
  walkForwardFrames,
  walkForwardOnWorkers,
  type WorkerRun,
  workerRunsFrame,
} from "./walk_forward_frames.ts";
export {
  pnlByGroupFrame,
  regimeExitFrame,
  regimeSharpeFrame,
  type RegimeSharpeOptions,
  regimeStatsFrame,
} from "./regime_frames.ts";
export {
  type EquityLandmarks,
  equityLandmarks,
  type FindingRow,
  findingRowsFrame,
  findingsFrame,
  type FindingsInput,
  type FindingUnit,
} from "./findings.ts";
export {
  EXPORT_FORMATS,
  EXPORT_TABLES,
  type ExportFormat,
  type ExportTable,
  exportTable,
  tablesOf,
} from "./export.ts";
export {
  checkOutDir,
  OutputError,
  type OutputFile,
  sha256File,
  sha256Text,
  toJson,
  writeRunFiles,
  type WriteRunOptions,
} from "./write_run.ts";
