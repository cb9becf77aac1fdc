/**
 * The risk rules' exits (each off unless its `[exit]` key is set), checked by exits.ts on a day
 * whose quotes are complete, after the profit target and the stop:
 * - trailing stop (`trailing_stop`): the profit is the credit less the trigger value (the mark,
 *   or the close cost with `exit_trigger = "fill"`), per share; its peak is the highest profit
 *   of the days checked so far, today included. Once the peak has reached
 *   `trailing_activation_pct` × credit, the position closes on the first day its profit is at
 *   most the peak × (1 − `trailing_giveback_pct`). Like the profit target it is checked up to
 *   the expiry date (DTE >= 0).
 * - maximum holding period (`max_days_held`): closes when the calendar days since entry reach
 *   `max_days_held` and 0 < DTE (checked after the time exit: on a day both fire, the reason
 *   is `time_exit`).
 * `dte_exit_first` moves the time exit before the profit target and the stop (exits.ts); its
 * reason stays `time_exit`.
 * Thresholds are inclusive and hold on exact ties (pricing/ties.ts).
 *
 * @module
 */
import { atLeast, atMost } from "../pricing/ties.ts";
import type { RuleParams } from "../strategy/params.ts";

/** The exits of the risk rules. */
export type RuleExitReason = "trailing_stop" | "max_days_held";

/** What the rules' exits read and keep of an open position. */
export interface RuleExitInput {
  /** Entry day number. */
  entryDay: number;
  /** Credit received after slippage, dollars per share. */
  entryCredit: number;
  /** Highest profit per share of the days checked so far (absent or NaN: none yet). */
  peakProfit?: number;
}

/**
 * Whether the trailing stop closes a position today, after the profit target and the stop did
 * not; updates the position's peak profit first (when the trailing stop is on).
 *
 * @param pos the position (its peak profit is updated)
 * @param trigger today's trigger value, dollars per share (mark or close cost)
 * @param p parameters (`trailingGivebackPct`, `trailingActivationPct`; NaN: off)
 * @returns whether it closes
 *
 * @example A 1.00 credit: the profit peaks at 0.60 (active at 50%), then gives back half
 * ```ts
 * import assert from "node:assert/strict";
 * import { trailingStopHit } from "./rule_exits.ts";
 * const p = { trailingActivationPct: 0.5, trailingGivebackPct: 0.5 } as never;
 * const pos = { entryDay: 0, entryCredit: 1 };
 * assert.equal(trailingStopHit(pos, 0.4, p), false); // peak 0.60
 * assert.equal(trailingStopHit(pos, 0.65, p), false); // profit 0.35 > 0.30
 * assert.equal(trailingStopHit(pos, 0.7, p), true); // 0.30 <= 0.60 × (1 - 0.5)
 * ```
 */
export function trailingStopHit(pos: RuleExitInput, trigger: number, p: RuleParams): boolean {
  if (!(p.trailingGivebackPct >= 0)) return false;
  const profit = pos.entryCredit - trigger;
  const last = pos.peakProfit;
  const peak = last === undefined || !(last >= profit) ? profit : last;
  pos.peakProfit = peak;
  return atLeast(peak, p.trailingActivationPct * pos.entryCredit) &&
    atMost(profit, peak * (1 - p.trailingGivebackPct));
}

/**
 * Whether the holding-period limit closes a position today (0 < DTE and the calendar days
 * held at least `max_days_held`).
 *
 * @param pos the position
 * @param day today's day number
 * @param dte calendar days to expiry
 * @param p parameters (`maxDaysHeld`: NaN off)
 * @returns whether it closes
 *
 * @example Entered on day 100, held 21 days on day 121
 * ```ts
 * import assert from "node:assert/strict";
 * import { heldTooLong } from "./rule_exits.ts";
 * const pos = { entryDay: 100, entryCredit: 1 };
 * assert.equal(heldTooLong(pos, 121, 9, { maxDaysHeld: 21 } as never), true);
 * assert.equal(heldTooLong(pos, 120, 10, { maxDaysHeld: 21 } as never), false);
 * assert.equal(heldTooLong(pos, 121, 9, { maxDaysHeld: NaN } as never), false); // off
 * ```
 */
export function heldTooLong(pos: RuleExitInput, day: number, dte: number, p: RuleParams): boolean {
  return dte > 0 && day - pos.entryDay >= p.maxDaysHeld;
}
