/**
 * The exit rule, checked in this order for each open position (a vertical or an iron condor
 * as a whole), from the day after its entry:
 * 1. profit target: the trigger value <= entry credit × (1 - profit_target_pct);
 * 2. stop loss: the trigger value >= entry credit × (1 + stop_loss_pct);
 * 3. time exit: 0 < DTE <= dte_exit;
 *    (the risk rules, rule_exits.ts, when their keys are set: `dte_exit_first` checks the time
 *    exit before 1; a trailing stop comes between 2 and 3, `max_days_held` after 3);
 *    (1-3 need a complete set of quotes that day, and DTE >= 0: a position is never closed
 *    on a missing quote);
 * 4. expiration: DTE <= 0 (on the expiry date, or the first trading day after it when the
 *    expiry date has no snapshot), each leg settled at intrinsic value;
 * 5. end of period: the run's last day.
 * (A circuit breaker may also close every position: `circuit_breaker`, see breakers.ts; a
 * position that none of 1-3 closes may be assigned early at the close: `assignment`, see
 * assignment.ts.)
 * The trigger value is the position's mark (Σ mid of the legs sold − Σ mid of the legs bought:
 * an iron condor's whole value against its total credit) or, with `exit_trigger = "fill"`, its
 * slippage-adjusted close cost as one order of its leg count. Thresholds are inclusive and hold
 * on exact ties (pricing/ties.ts).
 *
 * @module
 */
import { atLeast, atMost } from "../pricing/ties.ts";
import { type SimParams, slippageOf } from "../strategy/params.ts";
import { closeCost, type HeldLeg, spreadMark } from "./execution.ts";
import {
  heldTooLong,
  type RuleExitInput,
  type RuleExitReason,
  trailingStopHit,
} from "./rule_exits.ts";

/** Why a trade ended. */
export type ExitReason =
  | "profit_target"
  | "stop_loss"
  | "time_exit"
  | "expiration"
  | "end_of_period"
  | "circuit_breaker"
  | "assignment"
  | RuleExitReason;

/** What the exit rule reads of an open position (a portfolio Position has it all). */
export interface ExitInput extends RuleExitInput {
  /** Entry calendar index. */
  entryIndex: number;
  /** Expiry day number. */
  expiry: number;
  /** Whether today's snapshot quoted every leg usably. */
  quoted: boolean;
  /** Credit received after slippage, dollars per share. */
  entryCredit: number;
  /** The legs with their last complete set of quotes. */
  legs: readonly HeldLeg[];
}

/**
 * The exit of a position on a day, or null to hold it.
 *
 * @param pos the position, marked for the day (its `quoted` flag and last set of quotes)
 * @param day day number
 * @param d calendar index of the day
 * @param lastDay whether it is the run's last day
 * @param p parameters (targets, dte_exit, exit trigger, slippage)
 * @returns the reason, or null
 *
 * @example A 0.60 credit at a 0.30 mark reaches a 50% profit target
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitReason } from "./exits.ts";
 * const pos = { entryIndex: 0, entryDay: 0, expiry: 30, quoted: true, entryCredit: 0.6, legs: [
 *   { isPut: true, strike: 100, ratio: -1, mark: { bid: 0.5, ask: 0.6 } },
 *   { isPut: true, strike: 95, ratio: 1, mark: { bid: 0.2, ask: 0.3 } },
 * ] } as unknown as Parameters<typeof exitReason>[0];
 * const p = { profitTargetPct: 0.5, stopLossPct: 1, dteExit: 5, exitOnFill: false,
 *   slippage: [0.75, 0.66, 0.56, 0.53] };
 * assert.equal(exitReason(pos, 1, 1, false, p as never), "profit_target");
 * assert.equal(exitReason({ ...pos, quoted: false }, 1, 1, false, p as never), null);
 * ```
 */
export function exitReason(
  pos: ExitInput,
  day: number,
  d: number,
  lastDay: boolean,
  p: SimParams,
): ExitReason | null {
  if (d === pos.entryIndex) return null; // the first check is the next trading day
  const dte = pos.expiry - day;
  if (pos.quoted && dte >= 0) {
    const trigger = p.exitOnFill
      ? closeCost(pos.legs, slippageOf(p, pos.legs.length))
      : spreadMark(pos.legs);
    const rules = p.rules; // the risk rules' exits, when any is on (rule_exits.ts)
    if (rules?.dteExitFirst && dte > 0 && dte <= p.dteExit) return "time_exit";
    if (atMost(trigger, pos.entryCredit * (1 - p.profitTargetPct))) return "profit_target";
    if (atLeast(trigger, pos.entryCredit * (1 + p.stopLossPct))) return "stop_loss";
    if (rules && trailingStopHit(pos, trigger, rules)) return "trailing_stop";
    if (dte > 0 && dte <= p.dteExit) return "time_exit";
    if (rules && heldTooLong(pos, day, dte, rules)) return "max_days_held";
  }
  if (dte <= 0) return "expiration";
  if (lastDay) return "end_of_period";
  return null;
}
