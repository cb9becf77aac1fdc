/**
 * Mahler: an options credit-spread backtester and research kit.
 *
 * The library is layered — data, pricing, stats, strategy, simulation, walk-forward, output,
 * viz — and each layer imports only from the layers before it. This module is the public API:
 * the functions and types notebooks, scripts and the command line use, named layer by layer.
 * Internals (typed-array kernels, the worker pool, `_`-prefixed modules) stay in their layers.
 *
 * The notebook path in five calls:
 * `loadMarketData` → `buildChainStore` → `loadConfig` → `scan` / `runBacktest` /
 * `optimizeWalkForward` → `computeMetrics`, `tradesFrame`, `equityFrame`.
 *
 * @module
 */

// Data: loading, validation, the ChainStore, calendars, quality, the sample market.
export * from "./data/mod.ts";
export { barCloseOn } from "./data/bar_closes.ts";
export { readTextFile } from "./data/text_file.ts";

// Pricing.
export {
  atLeast,
  atMost,
  blackImpliedVolatility,
  blackPrice,
  bsGreeks,
  bsPrice,
  bsPriceArray,
  buyFill,
  chainGreeks,
  type ChainGreeksOutput,
  compareGreeks,
  type DiffSummary,
  type Greeks,
  type GreeksCheck,
  impliedVol,
  impliedVolArray,
  intrinsic,
  inverseNormCdf,
  normCdf,
  normCdfAbramowitzStegun,
  normPdf,
  type OptionArrays,
  type OptionType,
  probItm,
  type PublishedOption,
  sellFill,
  spreadGreeks,
  TIE_TOLERANCE,
  wholeUnits,
} from "./pricing/mod.ts";

// Statistics of return series.
export {
  annualGrowth,
  type BootstrapOptions,
  type BootstrapResult,
  EULER_GAMMA,
  expectedMaxSharpe,
  type Interval,
  maxDrawdown,
  type Moments,
  moments,
  monthlyReturns,
  type PboResult,
  periodReturns,
  probabilisticSharpe,
  probabilityOfOverfitting,
  type ReturnDiagnostics,
  returnDiagnostics,
  type ReturnDiagnosticsOptions,
  type SharpeInference,
  sharpeInference,
  sharpeRatio,
  sortinoRatio,
  stationaryBootstrap,
} from "./stats/mod.ts";

// Strategy: configuration, parameters, IV percentile, spreads and the scanner.
export {
  ATM_IV_DAYS,
  atmIv30,
  blockingFilter,
  ConfigError,
  configToToml,
  type CreditSpread,
  type EntryFunnel,
  type EntryRationale,
  type FilterCheck,
  funnelOf,
  ivPercentile,
  ivPercentileTable,
  type LegQuote,
  loadConfig,
  numericKeySection,
  paramsFromConfig,
  parseConfig,
  scan,
  scanCandidates,
  type ScoreTerms,
  type SimParams,
  type SpreadCandidate,
  type SpreadLeg,
  type SpreadType,
  type StrategyConfig,
  type SweepableSection,
  underlyingsOf,
  validateConfig,
  vixPercentileRank,
  vixRankTable,
} from "./strategy/mod.ts";

// Simulation: the daily engine and its parts.
export {
  addPositionGreeks,
  allowedContracts,
  type Breaker,
  type BreakerDecision,
  BREAKERS,
  breakersOn,
  CircuitBreakers,
  closeCost,
  type DailyState,
  type EntryRecord,
  type ExitReason,
  exitReason,
  type HaltLog,
  hasRoom,
  type LegMark,
  type LegQuotes,
  type NetGreeks,
  type Position,
  type PositionDay,
  positionValue,
  type Quote,
  settle,
  type Settlement,
  settlementPrice,
  simulate,
  type SimulateOptions,
  type SimulationResult,
  type SlippageSweep,
  slippageSweep,
  spreadCommission,
  spreadMark,
  type SweepPoint,
  type Trade,
  unrealizedPnl,
  weekOf,
  windowIndexes,
} from "./simulation/mod.ts";

// Walk-forward optimization.
export {
  type AlphaDecay,
  alphaDecay,
  applyCombination,
  buildPeriods,
  combinationCount,
  combinationValues,
  type OptimizeOptions,
  optimizeWalkForward,
  type ParameterStability,
  parameterStability,
  type Period,
  type PeriodResult,
  type RankedCombination,
  type WalkForwardResult,
  type WalkForwardSettings,
  walkForwardSettings,
  type Window,
  windowSharpe,
} from "./walkforward/mod.ts";

// Output: backtests with frames and metrics, run files, exports.
export {
  type BacktestOptions,
  type BacktestResult,
  computeMetrics,
  type DataQualityReport,
  type DayStats,
  dayStats,
  EQUITY_FIELDS,
  equityFrame,
  EXPORT_FORMATS,
  EXPORT_TABLES,
  type ExportFormat,
  type ExportTable,
  exportTable,
  greeksCheck,
  gridResultsFrame,
  HALT_FIELDS,
  type ManifestInfo,
  manifestText,
  type Metrics,
  type MetricsOptions,
  type OutputFile,
  qualityReport,
  type RegimeStats,
  runBacktest,
  runDiagnostics,
  runOutputFiles,
  sha256File,
  sha256Text,
  tablesOf,
  toJson,
  TOOL_VERSION,
  TRADE_EXTRA_FIELDS,
  TRADE_FIELDS,
  tradesFrame,
  type TradeStats,
  tradeStats,
  VIX_REGIMES,
  vixRegime,
  walkForwardFiles,
  walkForwardJson,
  walkForwardMetrics,
  writeRunFiles,
} from "./output/mod.ts";

// Notebook display.
export {
  aq,
  type Displayable,
  embedPlotly,
  escapeHtml,
  html,
  pl,
  Plot,
  plotly,
  type PlotlyObject,
  plotlySource,
  plotSvg,
  selfContainedPage,
  show,
  table,
} from "./viz/mod.ts";

// The deterministic sample markets (the default sample and the full-density market).
export * from "./sample/mod.ts";
