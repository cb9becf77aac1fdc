/**
 * The pass/fail guards of a walk-forward (`[walk_forward.guards]`): a result passes only when
 * every guard holds, else it is rejected with the failing guards named. Defaults, as the
 * strategy's practitioners run it:
 *
 * | key                     | default | guard                                                        |
 * | ----------------------- | ------- | ------------------------------------------------------------ |
 * | `min_wfe`               | 0.50    | WFE, mean test Sharpe / mean training Sharpe, > this         |
 * | `min_mean_oos_sharpe`   | 0       | mean test-window Sharpe > this                               |
 * | `min_trades_per_window` | 20      | out-of-sample trades per test window, on average, >= this    |
 * | `min_win_rate`          | 0.30    | out-of-sample win rate >= this                               |
 * | `max_drawdown_pct`      | 0.50    | depth of the stitched out-of-sample drawdown < this          |
 *
 * The WFE is a ratio of means over the periods with a selection (efficiency.ts). A guard whose
 * value is undefined (no selection, no test Sharpe, no trade) fails.
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../strategy/config.ts";
import { closestName } from "../strategy/suggest.ts";

/** Guard thresholds. */
export interface GuardSettings {
  /** The WFE (mean test Sharpe / mean training Sharpe) must exceed this (default 0.5). */
  minWfe: number;
  /** Mean test-window Sharpe must exceed this (default 0). */
  minMeanOosSharpe: number;
  /** Out-of-sample trades per test window must average at least this (default 20). */
  minTradesPerWindow: number;
  /** Out-of-sample win rate must be at least this, a fraction (default 0.3). */
  minWinRate: number;
  /** The out-of-sample drawdown's depth must stay below this, a fraction (default 0.5). */
  maxDrawdownPct: number;
}

/** The default guards. */
export const DEFAULT_GUARDS: GuardSettings = {
  minWfe: 0.5,
  minMeanOosSharpe: 0,
  minTradesPerWindow: 20,
  minWinRate: 0.3,
  maxDrawdownPct: 0.5,
};

const guardsSchema = z.object({
  min_wfe: z.number().default(DEFAULT_GUARDS.minWfe),
  min_mean_oos_sharpe: z.number().default(DEFAULT_GUARDS.minMeanOosSharpe),
  min_trades_per_window: z.number().min(0).default(DEFAULT_GUARDS.minTradesPerWindow),
  min_win_rate: z.number().min(0).max(1).default(DEFAULT_GUARDS.minWinRate),
  max_drawdown_pct: z.number().gt(0).max(1).default(DEFAULT_GUARDS.maxDrawdownPct),
}).strict();

/**
 * Reads `[walk_forward.guards]` (absent: the defaults).
 *
 * @param raw the section's value
 * @param file the configuration's file, for messages
 * @returns the thresholds
 * @throws ConfigError naming the bad key
 *
 * @example Defaults, one changed threshold, a misspelt key
 * ```ts
 * import assert from "node:assert/strict";
 * import { guardSettings } from "./verdict_guards.ts";
 * assert.equal(guardSettings(undefined).minTradesPerWindow, 20);
 * assert.equal(guardSettings({ min_wfe: 0.4 }).minWfe, 0.4);
 * assert.throws(() => guardSettings({ min_wef: 0.4 }, "x.toml"),
 *   /x\.toml: walk_forward\.guards\.min_wef: unknown key, did you mean min_wfe\?/);
 * ```
 */
export function guardSettings(raw: unknown, file = "(config)"): GuardSettings {
  const parsed = guardsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    const near = issue.code === "unrecognized_keys"
      ? closestName(String(issue.keys[0]), Object.keys(guardsSchema.shape))
      : null;
    throw new ConfigError(
      file,
      ["walk_forward", "guards", ...key].join("."),
      issue.code === "unrecognized_keys"
        ? `unknown key${near ? `, did you mean ${near}?` : ""}`
        : issue.message,
    );
  }
  const g = parsed.data;
  return {
    minWfe: g.min_wfe,
    minMeanOosSharpe: g.min_mean_oos_sharpe,
    minTradesPerWindow: g.min_trades_per_window,
    minWinRate: g.min_win_rate,
    maxDrawdownPct: g.max_drawdown_pct,
  };
}
