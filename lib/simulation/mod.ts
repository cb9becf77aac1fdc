/**
 * Simulation layer: the daily engine over the ChainStore and its parts — execution (fills,
 * commission, settlement), the portfolio (positions, marks, daily state), the exit rule and
 * the portfolio constraints — and the slippage sweep. runBacktest (lib/output) wraps the
 * engine for notebooks, with frames and metrics.
 *
 * @module
 */
export { simulate, type SimulateOptions, type SimulationResult } from "./engine.ts";
export {
  addPositionGreeks,
  type DailyState,
  type EntryRecord,
  type LegMark,
  type NetGreeks,
  type Position,
  type PositionDay,
  positionValue,
  spreadMark,
  type Trade,
  unrealizedPnl,
} from "./portfolio.ts";
export { type ExitReason, exitReason } from "./exits.ts";
export { allowedContracts, hasRoom } from "./constraints.ts";
export {
  type Breaker,
  type BreakerDecision,
  BREAKERS,
  breakersOn,
  CircuitBreakers,
  type HaltLog,
  weekOf,
} from "./breakers.ts";
export {
  closeCost,
  type LegQuotes,
  type Quote,
  settle,
  type Settlement,
  settlementPrice,
  spreadCommission,
} from "./execution.ts";
export { windowIndexes } from "./window.ts";
export { type SlippageSweep, slippageSweep, type SweepPoint } from "./sweep.ts";
