/**
 * Walk-forward settings (`[walk_forward]`) and the parameter grid (`[walk_forward.grid]`).
 *
 * The grid's named keys: `short_delta` (a value d sets the short-delta band to
 * d ± `delta_band_halfwidth`), `profit_target_pct`, `stop_loss_pct`, `dte_range` ([min, max]
 * pairs). Any other key naming a numeric `[entry]`, `[exit]` or `[position_sizing]` setting
 * (e.g. `spread_width_max = [5, 10]`) is swept as well. Combinations are the cartesian product
 * in the order the keys are written, the last key varying fastest.
 *
 * @module
 */
import { z } from "zod";
import { ConfigError, type StrategyConfig, validateConfig } from "../strategy/config.ts";
import { closestName } from "../strategy/suggest.ts";

/** Walk-forward settings with defaults. */
export interface WalkForwardSettings {
  /** Training window, calendar months (default 6). */
  trainMonths: number;
  /** Validation window, calendar months (default 1). */
  validateMonths: number;
  /** Test window, calendar months (default 1). */
  testMonths: number;
  /** Step between periods, calendar months (default 1). */
  rollMonths: number;
  /** Combinations re-run on validation (default 10). */
  topN: number;
  /** Half-width of the short-delta band around a grid delta (default 0.025). */
  deltaBandHalfwidth: number;
  /** Grid keys in order, with their values. */
  grid: Array<{ key: string; values: unknown[] }>;
}

const DEFAULT_GRID: Record<string, unknown[]> = {
  short_delta: [0.08, 0.10, 0.12, 0.15, 0.18],
  profit_target_pct: [0.40, 0.50, 0.60, 0.75],
  stop_loss_pct: [1.0, 1.25, 1.5, 2.0],
  dte_range: [[25, 35], [30, 45], [35, 50]],
};

const settingsSchema = z.object({
  train_months: z.number().int().min(1).default(6),
  validate_months: z.number().int().min(1).default(1),
  test_months: z.number().int().min(1).default(1),
  roll_months: z.number().int().min(1).default(1),
  top_n: z.number().int().min(1).default(10),
  delta_band_halfwidth: z.number().min(0).default(0.025),
  grid: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
}).strict();

const SECTIONS = ["entry", "exit", "position_sizing"] as const;

/** The section holding a generic grid key, or null. */
function sectionOf(config: StrategyConfig, key: string): (typeof SECTIONS)[number] | null {
  for (const s of SECTIONS) {
    if (typeof (config[s] as Record<string, unknown>)[key] === "number") return s;
  }
  return null;
}

/**
 * Reads the `[walk_forward]` section of a configuration (defaults: 6/1/1/1 months, top 10,
 * band ±0.025, the 240-combination default grid).
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
  const gridObject = s.grid ?? DEFAULT_GRID;
  const grid = Object.entries(gridObject).map(([key, values]) => ({ key, values }));
  for (const { key, values } of grid) {
    const where = `walk_forward.grid.${key}`;
    if (key === "dte_range") {
      for (const v of values) {
        if (
          !Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x)) || v[0] > v[1]
        ) {
          throw new ConfigError(
            file,
            where,
            "Each value must be [dte_min, dte_max] with dte_min <= dte_max",
          );
        }
      }
    } else if (
      key === "short_delta" || key === "profit_target_pct" || key === "stop_loss_pct" ||
      sectionOf(config, key)
    ) {
      if (!values.every((v) => typeof v === "number")) {
        throw new ConfigError(file, where, "Values must be numbers");
      }
    } else {
      throw new ConfigError(
        file,
        where,
        "Unknown grid key (not a numeric [entry], [exit] or [position_sizing] setting)",
      );
    }
  }
  return {
    trainMonths: s.train_months,
    validateMonths: s.validate_months,
    testMonths: s.test_months,
    rollMonths: s.roll_months,
    topN: s.top_n,
    deltaBandHalfwidth: s.delta_band_halfwidth,
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
  for (const [key, value] of Object.entries(values)) {
    if (key === "short_delta") {
      const d = value as number;
      next.entry.short_delta_min = Math.max(0, d - settings.deltaBandHalfwidth);
      next.entry.short_delta_max = Math.min(1, d + settings.deltaBandHalfwidth);
    } else if (key === "dte_range") {
      const [lo, hi] = value as [number, number];
      next.entry.dte_min = lo;
      next.entry.dte_max = hi;
    } else if (key === "profit_target_pct" || key === "stop_loss_pct") {
      next.exit[key] = value as number;
    } else {
      const section = sectionOf(config, key)!;
      (next[section] as Record<string, unknown>)[key] = value;
    }
  }
  return validateConfig(next);
}
