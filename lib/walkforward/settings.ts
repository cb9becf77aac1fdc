/**
 * Walk-forward settings (`[walk_forward]`) and the parameter grid (`[walk_forward.grid]`).
 *
 * Windows: `train_months`, `validate_months`, `test_months`, `roll_months` (defaults 6, 1, 1,
 * 1), or `train_days`, `validate_days`, `test_days` and `roll_days` (trading days; the first
 * three required, `roll_days` defaulting to `test_days`), not both; `anchored = true` for
 * expanding training windows (default rolling). See windows.ts.
 *
 * The grid's named keys: `short_delta` (a value d sets the short-delta band to
 * d ± `delta_band_halfwidth`), and the bands given as [min, max] pairs: `short_delta_band`
 * (the short leg's |delta| band), `dte_range` (the DTE band) and `spread_width_range` (the
 * width band). Any other key naming a numeric setting of `[entry]`, `[exit]`,
 * `[position_sizing]`, `[risk]` or `[simulation]` (e.g. `iv_percentile_min = [0, 25, 50]`,
 * `daily_loss_pct = [0.02, 0.03]`) is swept as well, whether or not the configuration sets it.
 * The call side's own values (`[entry.call]`) are swept by the same keys under `entry.call.`:
 * `entry.call.short_delta`, `entry.call.short_delta_band`, `entry.call.spread_width_range` and
 * any `[entry.call]` key (`entry.call.short_delta_min = [...]`); written as TOML dotted keys
 * they form a nested table, read as the dotted names. Combinations are the cartesian product in
 * the order the keys are written, the last key varying fastest.
 *
 * `[walk_forward.guards]`: the pass/fail thresholds (verdict_guards.ts).
 *
 * `min_train_trades` (default 0): PBO is also reported over the trials (grid combinations run over
 * the whole data) with at least this many trades (trial_set.ts).
 *
 * @module
 */
import { z } from "zod";
import {
  callEntryKey,
  ConfigError,
  numericKeySection,
  type StrategyConfig,
  validateConfig,
} from "../strategy/config.ts";
import { closestName } from "../strategy/suggest.ts";
import { type GuardSettings, guardSettings } from "./verdict_guards.ts";
import type { WindowSpec } from "./windows.ts";

/** Walk-forward settings with defaults. */
export interface WalkForwardSettings {
  /** Training window, calendar months (default 6; NaN when the windows are in days). */
  trainMonths: number;
  /** Validation window, calendar months (default 1; NaN when the windows are in days). */
  validateMonths: number;
  /** Test window, calendar months (default 1; NaN when the windows are in days). */
  testMonths: number;
  /** Step between periods, calendar months (default 1; NaN when the windows are in days). */
  rollMonths: number;
  /** The windows: unit, lengths, roll and anchoring. */
  windows: WindowSpec;
  /** The pass/fail guards. */
  guards: GuardSettings;
  /** Combinations re-run on validation (default 10). */
  topN: number;
  /** Half-width of the short-delta band around a grid delta (default 0.025). */
  deltaBandHalfwidth: number;
  /** PBO is also given over the trials with at least this many trades (default 0). */
  minTrainTrades: number;
  /** Grid keys in order, with their values. */
  grid: Array<{ key: string; values: unknown[] }>;
}

const DEFAULT_GRID: Record<string, unknown[]> = {
  short_delta: [0.08, 0.10, 0.12, 0.15, 0.18],
  profit_target_pct: [0.40, 0.50, 0.60, 0.75],
  stop_loss_pct: [1.0, 1.25, 1.5, 2.0],
  dte_range: [[25, 35], [30, 45], [35, 50]],
};

const length = z.number().int().min(1).optional();

const settingsSchema = z.object({
  train_months: length,
  validate_months: length,
  test_months: length,
  roll_months: length,
  train_days: length,
  validate_days: length,
  test_days: length,
  roll_days: length,
  anchored: z.boolean().default(false),
  top_n: z.number().int().min(1).default(10),
  delta_band_halfwidth: z.number().min(0).default(0.025),
  min_train_trades: z.number().int().min(0).default(0),
  grid: z.record(z.string(), z.unknown()).optional(),
  guards: z.unknown().optional(),
}).strict();

/** The grid's band keys: [min, max] pairs, with the keys they set. */
const BAND_KEYS: Record<string, { min: string; max: string; integer: boolean }> = {
  dte_range: { min: "dte_min", max: "dte_max", integer: true },
  short_delta_band: { min: "short_delta_min", max: "short_delta_max", integer: false },
  spread_width_range: { min: "spread_width_min", max: "spread_width_max", integer: false },
};

/** The call side's prefix of a grid key (`entry.call.short_delta_band`). */
const CALL_PREFIX = "entry.call.";

/**
 * The grid's keys with their lists, nested tables (TOML dotted keys such as
 * `entry.call.short_delta_min = [...]`) read as dotted names, in the order written.
 */
function flatGrid(
  grid: Record<string, unknown>,
  file: string,
  prefix = "",
): Array<{ key: string; values: unknown[] }> {
  return Object.entries(grid).flatMap(([name, value]) => {
    const key = prefix + name;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return flatGrid(value as Record<string, unknown>, file, `${key}.`);
    }
    if (!Array.isArray(value) || value.length === 0) {
      throw new ConfigError(
        file,
        `walk_forward.grid.${key}`,
        "Expected a non-empty list of values",
      );
    }
    return [{ key, values: value }];
  });
}

/** The windows of a parsed `[walk_forward]`: in months or in days, not both. */
function windowsOf(s: z.infer<typeof settingsSchema>, file: string): WindowSpec {
  const days = [s.train_days, s.validate_days, s.test_days, s.roll_days];
  const months = [s.train_months, s.validate_months, s.test_months, s.roll_months];
  if (days.every((x) => x === undefined)) {
    const [train = 6, validate = 1, test = 1, roll = 1] = months;
    return { unit: "months", train, validate, test, roll, anchored: s.anchored };
  }
  if (months.some((x) => x !== undefined)) {
    throw new ConfigError(
      file,
      "walk_forward",
      "Give the window lengths in months (train_months, ...) or in days (train_days, ...), not both",
    );
  }
  for (const key of ["train_days", "validate_days", "test_days"] as const) {
    if (s[key] === undefined) {
      throw new ConfigError(
        file,
        `walk_forward.${key}`,
        "Required key is missing (windows in days)",
      );
    }
  }
  return {
    unit: "days",
    train: s.train_days!,
    validate: s.validate_days!,
    test: s.test_days!,
    roll: s.roll_days ?? s.test_days!,
    anchored: s.anchored,
  };
}

/**
 * Reads the `[walk_forward]` section of a configuration (defaults: 6/1/1/1 months rolling, top
 * 10, band ±0.025, the 240-combination default grid, the default guards).
 *
 * @throws ConfigError naming the bad key
 */
export function walkForwardSettings(
  config: StrategyConfig,
  file = "(config)",
): WalkForwardSettings {
  const parsed = settingsSchema.safeParse(config.walk_forward ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    const near = issue.code === "unrecognized_keys"
      ? closestName(String(issue.keys[0]), Object.keys(settingsSchema.shape))
      : null;
    throw new ConfigError(
      file,
      ["walk_forward", ...key].join("."),
      issue.code === "unrecognized_keys"
        ? `unknown key${near ? `, did you mean ${near}?` : ""}`
        : issue.message,
    );
  }
  const s = parsed.data;
  const grid = flatGrid(s.grid ?? DEFAULT_GRID, file);
  for (const { key: fullKey, values } of grid) {
    const where = `walk_forward.grid.${fullKey}`;
    // A call-side key is checked as the key it names (its band or short_delta, or a number).
    const call = fullKey.startsWith(CALL_PREFIX);
    const key = call ? fullKey.slice(CALL_PREFIX.length) : fullKey;
    if (call && key === "dte_range") {
      throw new ConfigError(file, where, "The DTE band is both sides': use dte_range");
    }
    const band = Object.hasOwn(BAND_KEYS, key) ? BAND_KEYS[key] : undefined;
    if (band) {
      for (const v of values) {
        if (
          !Array.isArray(v) || v.length !== 2 ||
          !v.every((x) => band.integer ? Number.isInteger(x) : typeof x === "number") ||
          v[0] > v[1]
        ) {
          throw new ConfigError(
            file,
            where,
            `Each value must be [${band.min}, ${band.max}] with ${band.min} <= ${band.max}`,
          );
        }
      }
    } else if (key === "short_delta" || (call ? callEntryKey(fullKey) : numericKeySection(key))) {
      if (!values.every((v) => typeof v === "number")) {
        throw new ConfigError(file, where, "Values must be numbers");
      }
    } else {
      throw new ConfigError(
        file,
        where,
        call
          ? "Unknown call-side grid key (not short_delta, short_delta_band, " +
            "spread_width_range or an [entry.call] key)"
          : "Unknown grid key (not a band, short_delta, or a numeric [entry], [exit], " +
            "[position_sizing], [risk] or [simulation] setting)",
      );
    }
  }
  const windows = windowsOf(s, file);
  const inMonths = windows.unit === "months";
  return {
    trainMonths: inMonths ? windows.train : NaN,
    validateMonths: inMonths ? windows.validate : NaN,
    testMonths: inMonths ? windows.test : NaN,
    rollMonths: inMonths ? windows.roll : NaN,
    windows,
    guards: guardSettings(s.guards, file),
    topN: s.top_n,
    deltaBandHalfwidth: s.delta_band_halfwidth,
    minTrainTrades: s.min_train_trades,
    grid,
  };
}

/**
 * Number of grid combinations: the product of the value counts.
 *
 * @example The default grid: 5 × 4 × 4 × 3
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { combinationCount, walkForwardSettings } from "./settings.ts";
 * assert.equal(combinationCount(walkForwardSettings(loadConfig("config/default.toml"))), 240);
 * ```
 */
export function combinationCount(settings: WalkForwardSettings): number {
  return settings.grid.reduce((n, g) => n * g.values.length, 1);
}

/**
 * The grid values of combination `index` (mixed radix, last key fastest), by key.
 *
 * @example The test configuration's 2 × 2 grid
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "../strategy/config.ts";
 * import { combinationValues, walkForwardSettings } from "./settings.ts";
 * const s = walkForwardSettings(loadConfig("config/test_config.toml"));
 * assert.deepEqual(combinationValues(s, 1), { short_delta: 0.12, profit_target_pct: 0.75 });
 * assert.deepEqual(combinationValues(s, 2), { short_delta: 0.18, profit_target_pct: 0.5 });
 * ```
 */
export function combinationValues(
  settings: WalkForwardSettings,
  index: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let rest = index;
  for (let k = settings.grid.length - 1; k >= 0; k--) {
    const { key, values } = settings.grid[k];
    out[key] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  return Object.fromEntries(settings.grid.map((g) => [g.key, out[g.key]]));
}

/**
 * The configuration of combination `index`: the base configuration with the grid's values
 * applied, validated again.
 */
export function applyCombination(
  config: StrategyConfig,
  settings: WalkForwardSettings,
  index: number,
): StrategyConfig {
  const values = combinationValues(settings, index);
  const next = structuredClone(config) as StrategyConfig;
  for (const [fullKey, value] of Object.entries(values)) {
    const call = fullKey.startsWith(CALL_PREFIX);
    const key = call ? fullKey.slice(CALL_PREFIX.length) : fullKey;
    // The section the entry keys go to: [entry], or [entry.call] for the call side.
    const entry = (call ? (next.entry.call ??= {}) : next.entry) as Record<string, unknown>;
    if (key === "short_delta") {
      const d = value as number;
      entry.short_delta_min = Math.max(0, d - settings.deltaBandHalfwidth);
      entry.short_delta_max = Math.min(1, d + settings.deltaBandHalfwidth);
    } else if (Object.hasOwn(BAND_KEYS, key)) {
      const [lo, hi] = value as [number, number];
      entry[BAND_KEYS[key].min] = lo;
      entry[BAND_KEYS[key].max] = hi;
    } else if (call) {
      entry[key] = value;
    } else {
      const section = numericKeySection(key)!;
      const target = next as unknown as Record<string, Record<string, unknown> | undefined>;
      (target[section] ??= {})[key] = value;
    }
  }
  return validateConfig(next);
}
