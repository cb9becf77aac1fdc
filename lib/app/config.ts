/**
 * A configuration file with quick overrides applied, as run, validate and optimize take it:
 * the underlyings to trade (the command line's `--ticker SPY[,QQQ]`) and `section.key=value`
 * settings (`--set`, each value read as TOML), validated by the same schema, so that a bad
 * override is an error naming the key. The overrides are recorded in manifest.json, and the
 * configuration they give is what params.toml holds, so a run folder reproduces the run alone.
 *
 * @module
 */
import { loadConfig, type StrategyConfig } from "../strategy/config.ts";
import {
  applyOverrides,
  blameOverride,
  type ConfigOverride,
  parseOverride,
} from "../strategy/overrides.ts";
import { walkForwardSettings } from "../walkforward/settings.ts";

/** Quick overrides of a configuration. */
export interface Overrides {
  /** The underlyings to trade instead of `[strategy] underlying` (null or absent: as written). */
  ticker?: string[] | null;
  /** `section.key=value` settings, applied in order after `ticker`. */
  set?: string[];
}

/** What changed a configuration, as manifest.json records it. */
export interface AppliedOverrides {
  /** The underlyings given, or null. */
  ticker: string[] | null;
  /** Each `section.key=value` setting, in order. */
  set: string[];
}

/** A configuration with the overrides that made it. */
export interface OverriddenConfig {
  /** The configuration, overrides applied and validated. */
  config: StrategyConfig;
  /** The overrides, for the manifest. */
  overrides: AppliedOverrides;
}

/**
 * Loads a configuration file and applies overrides; a bad `[walk_forward]` is reported here when
 * `walkForward` is set (optimize), before any data is loaded.
 *
 * @param path the configuration (or params.toml) file
 * @param overrides the underlyings and settings to change
 * @param walkForward whether to check the walk-forward settings too (default false)
 * @returns the configuration and the overrides
 * @throws ConfigError naming the file, the setting and the key
 *
 * @example One underlying and a profit target
 * ```ts
 * import assert from "node:assert/strict";
 * import { configWithOverrides } from "./config.ts";
 * const { config, overrides } = configWithOverrides("config/test_config.toml", {
 *   ticker: ["QQQ"],
 *   set: ["exit.profit_target_pct=0.6"],
 * });
 * assert.equal(config.strategy.underlying, "QQQ");
 * assert.equal(config.exit.profit_target_pct, 0.6);
 * assert.deepEqual(overrides, { ticker: ["QQQ"], set: ["exit.profit_target_pct=0.6"] });
 * ```
 */
export function configWithOverrides(
  path: string,
  overrides: Overrides = {},
  walkForward = false,
): OverriddenConfig {
  const ticker = overrides.ticker ?? null;
  const set = overrides.set ?? [];
  const changes: ConfigOverride[] = [];
  if (ticker) {
    const value = ticker.length === 1 ? ticker[0] : ticker;
    changes.push({
      key: "strategy.underlying",
      value,
      text: `strategy.underlying=${JSON.stringify(value)}`,
    });
  }
  changes.push(...set.map(parseOverride));
  const config = applyOverrides(loadConfig(path), changes, path);
  if (walkForward) {
    try {
      walkForwardSettings(config, path);
    } catch (err) {
      throw blameOverride(err, changes, path);
    }
  }
  return { config, overrides: { ticker, set } };
}
