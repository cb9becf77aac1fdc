/**
 * Step (a) of a walk-forward: its plan, known before any simulation (the settings, every
 * combination's validated parameters, the span and the periods), and the work it consists of.
 * The plan depends on the configuration and a trading calendar only, so a shard and the merge
 * derive the same one.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { paramsFromConfig, type SimParams } from "../strategy/params.ts";
import { requireUnderlyings } from "../strategy/tradable.ts";
import { calendarSpan } from "../simulation/window.ts";
import { requirePeriods } from "./guards.ts";
import type { Period } from "./periods.ts";
import {
  applyCombination,
  combinationCount,
  type WalkForwardSettings,
  walkForwardSettings,
} from "./settings.ts";
import { planPeriods } from "./windows.ts";

/**
 * What a walk-forward is made of, known before any simulation: the settings, every
 * combination's validated parameters, the span and the periods. It depends on the configuration
 * and the store's calendar only, so a shard and the merge derive the same plan.
 */
export interface WalkForwardPlan {
  /** The base configuration. */
  config: StrategyConfig;
  /** Its walk-forward settings. */
  settings: WalkForwardSettings;
  /** Number of grid combinations. */
  combinations: number;
  /** Every combination's simulation parameters, by combination index. */
  comboParams: SimParams[];
  /** The base configuration's parameters. */
  base: SimParams;
  /** The top N re-run on validation (at most the combination count). */
  topN: number;
  /** Calendar indexes of the first and last day used. */
  span: { fromIndex: number; toIndex: number };
  /** The periods, in order. */
  periods: Period[];
  /** Periods not formed: test window past the data's end, or a window without trading days. */
  dropped: { past_end: number; empty_window: number };
}

/**
 * Step (a) of the walk-forward: its plan, from the configuration and a calendar (a store's, or
 * one recorded by a shard).
 *
 * @param source the store, or its calendar
 * @param config base configuration with its `[walk_forward]` section
 * @param window first and last day to use (ISO)
 * @returns the plan
 * @throws ConfigError for a bad grid, an Error when no period fits the span
 *
 * @example Six months of NYSE days, 2-month training windows: three periods of a 2 × 2 grid
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoToDay, nyseTradingDays } from "../data/dates.ts";
 * import { loadConfig } from "../strategy/config.ts";
 * import { allWork, planWalkForward } from "./plan.ts";
 * const days = Int32Array.from(nyseTradingDays(isoToDay("2024-01-02"), isoToDay("2024-06-28")));
 * const plan = planWalkForward(days, loadConfig("config/test_config.toml"));
 * assert.equal(plan.combinations, 4);
 * assert.deepEqual(plan.periods.map((p) => p.test.start), ["2024-04-01", "2024-05-01", "2024-06-01"]);
 * assert.deepEqual(allWork(plan), { periods: [0, 1, 2], fullRuns: [0, 1, 2, 3] });
 * ```
 */
export function planWalkForward(
  source: ChainStore | Int32Array,
  config: StrategyConfig,
  window: { from?: string; to?: string } = {},
): WalkForwardPlan {
  const settings = walkForwardSettings(config);
  const calendar = source instanceof Int32Array ? source : source.calendar;
  if (!(source instanceof Int32Array)) {
    requireUnderlyings(source, paramsFromConfig(config).underlyings);
  }
  const combinations = combinationCount(settings);
  // Every combination's parameters, validated once here: a bad grid fails before any worker
  // starts, and workers receive plain records.
  const comboParams = Array.from(
    { length: combinations },
    (_, c) => paramsFromConfig(applyCombination(config, settings, c)),
  );
  const span = calendarSpan(calendar, window.from, window.to);
  const plan = planPeriods(calendar, settings.windows, span);
  requirePeriods(calendar.subarray(span.fromIndex, span.toIndex + 1), settings, plan.periods, plan);
  return {
    config,
    settings,
    combinations,
    comboParams,
    base: paramsFromConfig(config),
    topN: Math.min(settings.topN, combinations),
    span,
    periods: plan.periods,
    dropped: { past_end: plan.pastEnd, empty_window: plan.emptyWindow },
  };
}

/** A part of a walk-forward: whole periods, and full-data runs by combination. */
export interface WalkForwardWork {
  /** Period indexes (train, validate and test of each). */
  periods: number[];
  /** Combinations whose full-data run (behind PBO and the DSR's trials) to do. */
  fullRuns: number[];
}

/**
 * The whole of a plan's work: every period and every combination's full-data run.
 *
 * @param plan the walk-forward plan
 * @returns all of its periods and full-data runs, ascending
 */
export function allWork(plan: WalkForwardPlan): WalkForwardWork {
  return {
    periods: plan.periods.map((p) => p.index),
    fullRuns: Array.from({ length: plan.combinations }, (_, c) => c),
  };
}
