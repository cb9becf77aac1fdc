/**
 * Strategy layer: the configuration (TOML text to a validated object), the flat parameters of
 * a simulation, the IV percentile, the spread and candidate types, the scanner and its entry
 * funnel.
 *
 * The scanner's typed-array kernel (`_scanner.ts`) and the rationale builder (`_rationale.ts`)
 * are internal: the simulation layer runs them.
 *
 * @module
 */
export {
  ConfigError,
  configToToml,
  loadConfig,
  numericKeySection,
  parseConfig,
  type StrategyConfig,
  type SweepableSection,
  underlyingsOf,
  validateConfig,
} from "./config.ts";
export { paramsFromConfig, type SimParams } from "./params.ts";
export { ATM_IV_DAYS, atmIv30, ivPercentile, ivPercentileTable } from "./iv_rank.ts";
export type {
  CreditSpread,
  EntryRationale,
  FilterCheck,
  LegQuote,
  ScoreTerms,
  SpreadCandidate,
  SpreadLeg,
  SpreadType,
} from "./spread.ts";
export { scan, scanCandidates } from "./scan.ts";
export { blockingFilter, type EntryFunnel, funnelOf } from "./funnel.ts";
export {
  MARKET_REGIME_RULE,
  MARKET_REGIMES,
  type MarketRegime,
  marketRegime,
  type MarketRegimeTable,
  marketRegimeTable,
  regimeOn,
} from "./market_regime.ts";
export { vixPercentileRank, vixRankTable } from "./vix_rank.ts";
export { applyOverrides, blameOverride, type ConfigOverride, parseOverride } from "./overrides.ts";
export { firstEntryIndex, requireUnderlyings } from "./tradable.ts";
