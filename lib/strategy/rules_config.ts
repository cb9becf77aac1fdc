/**
 * The trader's risk rules in the configuration: the keys of the entry filters, exits and
 * portfolio constraints beyond the spec's, and the `[targets]` section. Every key is optional
 * and off when absent, so a configuration without them (and its params.toml) is unchanged.
 *
 * - `[entry]`: `iv_rank_min` (min-max IV rank, 0-100, over `iv_history_days`),
 *   `iv_hv_ratio_min` (30-day ATM IV over 20-day close-to-close realized volatility),
 *   `vix_min`, `vix_max` (the day's VIX close), `require_contango` (the front expiry's ATM IV at
 *   or below the next expiry's).
 * - `[exit]`: `dte_exit_first` (the DTE exit before the profit target and the stop),
 *   `max_days_held` (calendar days), `trailing_activation_pct` and `trailing_giveback_pct`
 *   (set together: a trailing profit stop).
 * - `[position_sizing]`: `max_net_delta_pct`, `min_net_theta`, `max_risk_per_underlying_pct`,
 *   `max_contracts`, `max_volume_share`.
 * - `[targets]`: the spec's targets of the metrics (defaults in {@link DEFAULT_TARGETS}).
 *
 * @module
 */
import { z } from "zod";

const fraction = z.number().min(0);

/** The `[entry]` filter keys of the risk rules (each off when absent). */
export const ENTRY_RULE_SHAPE = {
  iv_rank_min: z.number().min(0).max(100).optional(),
  iv_hv_ratio_min: z.number().min(0).optional(),
  vix_min: z.number().min(0).optional(),
  vix_max: z.number().min(0).optional(),
  require_contango: z.boolean().optional(),
};

/** The `[exit]` keys of the risk rules (each off when absent). */
export const EXIT_RULE_SHAPE = {
  dte_exit_first: z.boolean().optional(),
  max_days_held: z.number().int().min(1).optional(),
  trailing_activation_pct: fraction.optional(),
  trailing_giveback_pct: fraction.max(1).optional(),
};

/** The `[position_sizing]` constraint keys of the risk rules (each off when absent). */
export const SIZING_RULE_SHAPE = {
  max_net_delta_pct: fraction.optional(),
  min_net_theta: z.number().optional(),
  max_risk_per_underlying_pct: fraction.max(1).optional(),
  max_contracts: z.number().int().min(1).optional(),
  max_volume_share: z.number().positive().optional(),
};

/** `[targets]`: what the metrics should reach (absent keys: {@link DEFAULT_TARGETS}). */
export const targetsSchema = z.object({
  win_rate_min: fraction.max(1).optional(),
  profit_factor_min: z.number().optional(),
  sharpe_min: z.number().optional(),
  sortino_min: z.number().optional(),
  max_drawdown_max: fraction.max(1).optional(),
  cagr_min: z.number().optional(),
  average_days_held_min: z.number().min(0).optional(),
  average_days_held_max: z.number().min(0).optional(),
}).strict();

/** The `[entry]` keys of the risk rules. */
export interface EntryRules {
  /** Minimum IV rank, 0-100: (IV − min) / (max − min) over `iv_history_days` (absent: off). */
  iv_rank_min?: number;
  /** Minimum 30-day ATM IV / 20-day realized volatility of the closes (absent: off). */
  iv_hv_ratio_min?: number;
  /** No entries on a day whose VIX close is below this (absent: off). */
  vix_min?: number;
  /** No entries on a day whose VIX close is above this (absent: off). */
  vix_max?: number;
  /** Enter only when the front expiry's ATM IV is at or below the next one's (absent: false). */
  require_contango?: boolean;
}

/** The `[exit]` keys of the risk rules. */
export interface ExitRules {
  /** Check the DTE exit before the profit target and the stop (absent: false). */
  dte_exit_first?: boolean;
  /** Close after this many calendar days held (absent: off). */
  max_days_held?: number;
  /** A trailing stop activates once the profit reaches this share of the credit. */
  trailing_activation_pct?: number;
  /** Once active, close when the profit gives back this share of its peak. */
  trailing_giveback_pct?: number;
}

/** The `[position_sizing]` constraint keys of the risk rules. */
export interface SizingRules {
  /** |Σ delta × 100 × contracts × spot| after an entry within this share of equity (absent: off). */
  max_net_delta_pct?: number;
  /** Net theta after an entry, dollars per day, at least this (absent: off). */
  min_net_theta?: number;
  /** An underlying's open max loss within this share of equity (absent: off). */
  max_risk_per_underlying_pct?: number;
  /** Contracts of a position at most (absent: off). */
  max_contracts?: number;
  /** Contracts of each leg at most this share of its volume that day (absent: off). */
  max_volume_share?: number;
}

/** `[targets]`: the spec's targets of the metrics. */
export interface Targets {
  /** Win rate at least (0.70). */
  win_rate_min: number;
  /** Profit factor at least (1.5). */
  profit_factor_min: number;
  /** Sharpe ratio (monthly × √12) at least (1.0). */
  sharpe_min: number;
  /** Sortino ratio (monthly × √12) at least (1.5). */
  sortino_min: number;
  /** Maximum drawdown at most this fraction (0.15). */
  max_drawdown_max: number;
  /** CAGR at least (0.15). */
  cagr_min: number;
  /** Average days held at least (15). */
  average_days_held_min: number;
  /** Average days held at most (30). */
  average_days_held_max: number;
}

/** The spec's table of targets. */
export const DEFAULT_TARGETS: Readonly<Targets> = Object.freeze({
  win_rate_min: 0.7,
  profit_factor_min: 1.5,
  sharpe_min: 1.0,
  sortino_min: 1.5,
  max_drawdown_max: 0.15,
  cagr_min: 0.15,
  average_days_held_min: 15,
  average_days_held_max: 30,
});

/**
 * The targets of a configuration: its `[targets]` keys over the spec's defaults.
 *
 * @param targets the configuration's `[targets]` section, or undefined
 * @returns every target
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { targetsOf } from "./rules_config.ts";
 * assert.equal(targetsOf(undefined).sharpe_min, 1);
 * assert.equal(targetsOf({ sharpe_min: 2 }).sharpe_min, 2);
 * assert.equal(targetsOf({ sharpe_min: 2 }).win_rate_min, 0.7);
 * ```
 */
export function targetsOf(targets: Partial<Targets> | undefined): Targets {
  const out = { ...DEFAULT_TARGETS };
  for (const [k, v] of Object.entries(targets ?? {})) {
    if (v !== undefined) out[k as keyof Targets] = v;
  }
  return out;
}

/** One inconsistency of the risk rules: where (a path) and what. */
export interface RuleIssue {
  /** The key's path, e.g. ["exit", "trailing_giveback_pct"]. */
  path: string[];
  /** What is wrong. */
  message: string;
}

/**
 * The inconsistencies between the risk rules' keys: a trailing stop needs both of its keys,
 * and the VIX and days-held bands must not be inverted.
 *
 * @param c the parsed sections
 * @returns the issues (empty when consistent)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ruleIssues } from "./rules_config.ts";
 * assert.deepEqual(ruleIssues({ entry: {}, exit: {} }), []);
 * assert.equal(ruleIssues({ entry: {}, exit: { trailing_activation_pct: 0.5 } })[0].path[1],
 *   "trailing_giveback_pct");
 * assert.equal(ruleIssues({ entry: { vix_min: 30, vix_max: 20 }, exit: {} }).length, 1);
 * ```
 */
export function ruleIssues(
  c: { entry: EntryRules; exit: ExitRules; targets?: Partial<Targets> },
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const x = c.exit;
  if ((x.trailing_activation_pct === undefined) !== (x.trailing_giveback_pct === undefined)) {
    const missing = x.trailing_activation_pct === undefined
      ? "trailing_activation_pct"
      : "trailing_giveback_pct";
    issues.push({
      path: ["exit", missing],
      message: "a trailing stop needs both trailing_activation_pct and trailing_giveback_pct",
    });
  }
  const e = c.entry;
  if (e.vix_min !== undefined && e.vix_max !== undefined && e.vix_min > e.vix_max) {
    issues.push({ path: ["entry", "vix_min"], message: "must not exceed vix_max" });
  }
  const t = targetsOf(c.targets);
  if (t.average_days_held_min > t.average_days_held_max) {
    issues.push({
      path: ["targets", "average_days_held_min"],
      message: "must not exceed average_days_held_max",
    });
  }
  return issues;
}
