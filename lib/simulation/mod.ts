/**
 * Simulation layer: the daily engine over the ChainStore and its parts — execution (marks,
 * fills, commission, settlement of a position of N legs), the portfolio (positions and their
 * legs, marks, daily state), the exit rule and
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
  type ExitFill,
  type LegMark,
  type NetGreeks,
  type Position,
  type PositionDay,
  type PositionLeg,
  positionValue,
  type Trade,
  type TradeLeg,
  unrealizedPnl,
} from "./portfolio.ts";
export { type ExitInput, type ExitReason, exitReason } from "./exits.ts";
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
  exitFills,
  type HeldLeg,
  orderCommission,
  type Quote,
  settle,
  type Settlement,
  settlementPrice,
  spreadMark,
} from "./execution.ts";
export { calendarSpan, windowIndexes } from "./window.ts";
export {
  assignedLeg,
  assignmentFills,
  type AssignmentInput,
  exercisedEarly,
} from "./assignment.ts";
export {
  heldTooLong,
  type RuleExitInput,
  type RuleExitReason,
  trailingStopHit,
} from "./rule_exits.ts";
export { type LimitCandidate, limitContracts, limitsOn } from "./rule_constraints.ts";
export { type SlippageSweep, slippageSweep, type SweepPoint } from "./sweep.ts";
