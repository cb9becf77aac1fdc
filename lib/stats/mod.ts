/**
 * Statistics of return series, with no domain types: returns and the ratios built on them
 * (Sharpe, Sortino, growth, drawdown), sample moments, the Probabilistic and Deflated Sharpe
 * Ratio, the Probability of Backtest Overfitting (CSCV) and stationary-bootstrap intervals.
 *
 * @module
 */
export * from "./returns.ts";
export { type Moments, moments } from "./moments.ts";
export { median } from "./median.ts";
export { DEVIATION_RESIDUE, hasDeviation } from "./deviation.ts";
export {
  EULER_GAMMA,
  expectedMaxSharpe,
  probabilisticSharpe,
  type SharpeInference,
  sharpeInference,
} from "./sharpe_inference.ts";
export { type PboOptions, type PboResult, probabilityOfOverfitting } from "./pbo.ts";
export { maxIndependentTrials, minimumBacktestLength } from "./min_btl.ts";
export { pickColumns, type UniqueColumns, uniqueColumns } from "./columns.ts";
export {
  type BootstrapOptions,
  type BootstrapResult,
  type Interval,
  stationaryBootstrap,
} from "./bootstrap.ts";
export {
  type PairedBootstrapOptions,
  pairedSharpeDifference,
  type SharpeDifference,
} from "./paired_bootstrap.ts";
export {
  type ReturnDiagnostics,
  returnDiagnostics,
  type ReturnDiagnosticsOptions,
} from "./diagnostics.ts";
