/**
 * Circuit breakers (`[risk]`), the live trading system's halts, checked every day right after
 * the portfolio-state step (exits executed, open positions at mark) and before any entry. Each
 * is off unless its key is set. With E the equity after the day's exits (cash + open positions
 * at mid), thresholds inclusive:
 *
 * - `daily_loss_pct`: E ≤ (1 − pct) × the previous trading day's closing equity (the starting
 *   equity on a run's first day). Halts the rest of that day; trading resumes the next day.
 * - `weekly_loss_pct`: E ≤ (1 − pct) × the closing equity of the last trading day of the
 *   previous calendar week (weeks run Monday to Sunday; the starting equity during a run's first
 *   week). Halts the rest of that calendar week; trading resumes on the next week's first day.
 * - `max_drawdown_pct`: E ≤ (1 − pct) × the running peak of closing equity (the starting equity
 *   included). Halts new entries for the rest of the run (a reset is a manual decision; a
 *   walk-forward window is a run of its own and starts afresh).
 * - `vix_halt_level`: the day's VIX close above the level (strictly; unknown VIX never halts).
 *   No new entries that day.
 *
 * A halted day takes no entries, the triggering day included. When a daily or weekly loss halt
 * trips and `close_on_halt` is true (its default), every open position is closed that day at its
 * slippage-adjusted close cost from its last complete pair of quotes (today's when both legs are
 * quoted, else the last day that quoted both), with the exit commission; the trade log records
 * them with exit reason `circuit_breaker`. The drawdown and VIX halts only block entries, as the
 * live system does; open positions then run to their own exits.
 *
 * @module
 */
import { atMost } from "../pricing/ties.ts";
import type { SimParams } from "../strategy/params.ts";

/** The breakers, in the order their names are listed in a halt's reason. */
export const BREAKERS = ["max_drawdown", "weekly_loss", "daily_loss", "vix"] as const;

/** A breaker's name. */
export type Breaker = (typeof BREAKERS)[number];

/** What the breakers decided for a day. */
export interface BreakerDecision {
  /** Whether entries are blocked today. */
  halted: boolean;
  /** Whether every open position is to be closed today (a daily or weekly loss halt tripped). */
  closeAll: boolean;
}

/** A day's halt, as logged in the daily state. */
export interface HaltLog {
  /** Whether entries were blocked that day. */
  halted: boolean;
  /** The halts in force, `+`-joined in {@link BREAKERS} order (null when none). */
  haltReason: string | null;
  /** The breakers that tripped that day, with the values that tripped them (null when none). */
  haltTrigger: string | null;
}

/**
 * Calendar week number (Monday to Sunday) of a day number: day 0, 1970-01-01, was a Thursday.
 *
 * @param day days since 1970-01-01
 * @returns weeks since the week of 1969-12-29
 *
 * @example Sunday and the following Monday are in different weeks
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay } from "../data/dates.ts";
 * import { weekOf } from "./breakers.ts";
 * assert.equal(weekOf(isoToDay("2024-01-01")), weekOf(isoToDay("2024-01-07"))); // Mon, Sun
 * assert.equal(weekOf(isoToDay("2024-01-08")), weekOf(isoToDay("2024-01-07")) + 1);
 * ```
 */
export function weekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** Whether any breaker of the parameters is on. */
export function breakersOn(p: SimParams): boolean {
  return !Number.isNaN(p.dailyLossPct) || !Number.isNaN(p.weeklyLossPct) ||
    !Number.isNaN(p.maxDrawdownPct) || !Number.isNaN(p.vixHaltLevel);
}

const money = (x: number) => x.toFixed(2);

/**
 * The breakers of one run: their state from day to day.
 *
 * @example A 2% daily loss halts the day and asks for the positions to close
 * ```ts
 * import assert from "node:assert/strict";
 * import { CircuitBreakers } from "./breakers.ts";
 * const p = { dailyLossPct: 0.02, weeklyLossPct: NaN, maxDrawdownPct: NaN, vixHaltLevel: NaN,
 *   closeOnHalt: true };
 * const b = new CircuitBreakers(p as never, 100000);
 * assert.deepEqual(b.check(19724, 98000, 100000, 100000, 15), { halted: true, closeAll: true });
 * assert.equal(b.log().haltReason, "daily_loss");
 * assert.deepEqual(b.check(19725, 97000, 98000, 100000, 15), { halted: false, closeAll: false });
 * ```
 */
export class CircuitBreakers {
  readonly #p: SimParams;
  #week = NaN;
  #weekReference: number;
  #weekHalted = false;
  #drawdownHalted = false;
  #log: HaltLog = { halted: false, haltReason: null, haltTrigger: null };

  /**
   * The breakers of a run starting with `startingEquity`.
   *
   * @param p the run's parameters (`dailyLossPct`, `weeklyLossPct`, `maxDrawdownPct`,
   *   `vixHaltLevel`: NaN when off; `closeOnHalt`)
   * @param startingEquity dollars
   */
  constructor(p: SimParams, startingEquity: number) {
    this.#p = p;
    this.#weekReference = startingEquity;
  }

  /**
   * Checks the breakers on a day, after its exits and before its entries.
   *
   * @param day day number
   * @param equity equity after the day's exits, at mark, dollars
   * @param previousEquity the previous trading day's closing equity (the starting equity on the
   *   run's first day)
   * @param peak the running peak of closing equity before today (the starting equity included)
   * @param vix the day's VIX close (NaN when unknown)
   * @returns whether entries are blocked and whether every open position is to close
   */
  check(
    day: number,
    equity: number,
    previousEquity: number,
    peak: number,
    vix: number,
  ): BreakerDecision {
    const p = this.#p;
    const week = weekOf(day);
    if (week !== this.#week) {
      if (!Number.isNaN(this.#week)) this.#weekReference = previousEquity;
      this.#week = week;
      this.#weekHalted = false;
    }
    const reasons: Breaker[] = [];
    const triggers: string[] = [];
    let closeAll = false;
    const below = (reference: number, pct: number) => atMost(equity, reference * (1 - pct));
    if (!this.#drawdownHalted && below(peak, p.maxDrawdownPct)) {
      this.#drawdownHalted = true;
      triggers.push(
        `max_drawdown: equity ${money(equity)} <= ${money(peak * (1 - p.maxDrawdownPct))} ` +
          `(peak ${money(peak)})`,
      );
    }
    if (this.#drawdownHalted) reasons.push("max_drawdown");
    if (!this.#weekHalted && below(this.#weekReference, p.weeklyLossPct)) {
      this.#weekHalted = true;
      closeAll = p.closeOnHalt;
      triggers.push(
        `weekly_loss: equity ${money(equity)} <= ` +
          `${money(this.#weekReference * (1 - p.weeklyLossPct))} ` +
          `(last week's close ${money(this.#weekReference)})`,
      );
    }
    if (this.#weekHalted) reasons.push("weekly_loss");
    if (below(previousEquity, p.dailyLossPct)) {
      closeAll ||= p.closeOnHalt;
      reasons.push("daily_loss");
      triggers.push(
        `daily_loss: equity ${money(equity)} <= ${
          money(previousEquity * (1 - p.dailyLossPct))
        } (previous close ${money(previousEquity)})`,
      );
    }
    if (vix > p.vixHaltLevel) {
      reasons.push("vix");
      triggers.push(`vix: ${vix} > ${p.vixHaltLevel}`);
    }
    const halted = reasons.length > 0;
    this.#log = {
      halted,
      haltReason: halted ? reasons.join("+") : null,
      haltTrigger: triggers.length ? triggers.join("; ") : null,
    };
    return { halted, closeAll };
  }

  /** The last checked day's halt, for the daily state. */
  log(): HaltLog {
    return this.#log;
  }
}
