/**
 * Strategy layer: the configuration (TOML text to a validated object; strategy types and the
 * call side's keys), the flat parameters of a simulation, the IV percentile, the spread types
 * and their legs, the expected value at expiry, the scanner and its entry funnel.
 *
 * The scanner's typed-array kernel (`_scanner.ts`) and the rationale builder (`_rationale.ts`)
 * are internal: the simulation layer runs them; their buffer (`CandidateBuffer`, which the
 * engine may reuse across runs) and the entry quote a trade records are public types.
 *
 * @module
 */
export {
  CALL_ENTRY_KEYS,
  type CallEntry,
  callEntryKey,
  callEntryOf,
  ConfigError,
  configToToml,
  loadConfig,
  numericKeySection,
  parseConfig,
  STRATEGY_TYPES,
  type StrategyConfig,
  type StrategyType,
  strategyTypesOf,
  type SweepableSection,
  underlyingsOf,
  validateConfig,
  VERTICAL_TYPES,
  type VerticalType,
} from "./config.ts";
export {
  paramsFromConfig,
  type RuleParams,
  ruleParamsOf,
  type SideParams,
  sidesOf,
  type SimParams,
  slippageOf,
  type StrategyKind,
} from "./params.ts";
export { condorExpectedValue, type CondorSide, sideExpectedLoss } from "./expected_value.ts";
export { ATM_IV_DAYS, atmIv30, ivPercentile, ivPercentileTable } from "./iv_rank.ts";
export {
  type CreditSpread,
  type EntryRationale,
  type FilterCheck,
  isPutLeg,
  isShortLeg,
  type LegQuote,
  type LegRole,
  LEGS_OF,
  type ScoreTerms,
  type SpreadCandidate,
  type SpreadLeg,
  type SpreadType,
} from "./spread.ts";
export { scan, scanCandidates } from "./scan.ts";
export { CandidateBuffer, type SideBuffer } from "./_scanner.ts";
export type { EntryQuote, SideQuote } from "./_rationale.ts";
export { blockingFilter, type EntryFunnel, funnelCounts, funnelOf, sumFunnels } from "./funnel.ts";
export {
  DEFAULT_TARGETS,
  type EntryRules,
  type ExitRules,
  type SizingRules,
  type Targets,
  targetsOf,
} from "./rules_config.ts";
export { contangoTable, HV_DAYS, ivRank, realizedVol } from "./rule_filters.ts";
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
