/**
 * Quick overrides shared by `run`, `validate` and `optimize`: `--ticker SPY[,QQQ]` (the
 * underlyings to trade) and `--set section.key=value` (repeatable, any configuration key, the
 * value read as TOML), applied to the configuration file and validated by the same schema, so a
 * bad override is an error naming the key. The overrides are recorded in manifest.json, and the
 * configuration they give is what params.toml holds, so a run folder reproduces the run alone.
 *
 * @module
 */
import {
  applyOverrides,
  blameOverride,
  type ConfigOverride,
  loadConfig,
  parseOverride,
  type StrategyConfig,
  walkForwardSettings,
} from "../lib/core.ts";
import { UsageError } from "./args.ts";

/** The override flags. */
export const OVERRIDE_FLAGS = {
  ticker: { type: "string" },
  set: { type: "string", multiple: true },
} as const;

/** A configuration with the overrides that made it, for the manifest. */
export interface OverriddenConfig {
  /** The configuration, overrides applied and validated. */
  config: StrategyConfig;
  /** What the command line changed: `--ticker` (as a list) and each `--set`, in order. */
  overrides: { ticker: string[] | null; set: string[] };
}

/**
 * The tickers of `--ticker SPY[,QQQ]`.
 *
 * @throws UsageError for an empty list or name
 */
export function tickerFlag(value: unknown): string[] | null {
  if (value === undefined) return null;
  const tickers = String(value).split(",").map((t) => t.trim());
  if (!tickers.every((t) => t.length > 0)) {
    throw new UsageError(
      `--ticker needs tickers separated by commas, got ${JSON.stringify(value)}`,
    );
  }
  return tickers;
}

/**
 * Loads a configuration file and applies the command line's overrides; a bad `[walk_forward]`
 * is reported here when `walkForward` is set (optimize), before any data is loaded.
 *
 * @param path the configuration (or params.toml) file
 * @param values the parsed flags (with {@link OVERRIDE_FLAGS})
 * @param walkForward whether to check the walk-forward settings too
 * @returns the configuration and the overrides
 * @throws ConfigError naming the file, the `--set` and the key
 */
export function configWithOverrides(
  path: string,
  values: Record<string, unknown>,
  walkForward = false,
): OverriddenConfig {
  const ticker = tickerFlag(values.ticker);
  const set = (values.set as string[] | undefined) ?? [];
  const overrides: ConfigOverride[] = [];
  if (ticker) {
    const value = ticker.length === 1 ? ticker[0] : ticker;
    overrides.push({
      key: "strategy.underlying",
      value,
      text: `strategy.underlying=${JSON.stringify(value)}`,
    });
  }
  overrides.push(...set.map(parseOverride));
  const config = applyOverrides(loadConfig(path), overrides, path);
  if (walkForward) {
    try {
      walkForwardSettings(config, path);
    } catch (err) {
      throw blameOverride(err, overrides, path);
    }
  }
  return { config, overrides: { ticker, set } };
}
