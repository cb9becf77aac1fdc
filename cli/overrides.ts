/**
 * The underlyings flag of every command that loads data, and the override flags of `run`,
 * `validate` and `optimize`: `--ticker SPY[,QQQ]` (the underlyings to trade or load;
 * `--underlyings` is the same flag) and `--set section.key=value` (repeatable, any configuration
 * key, the value read as TOML). The library (configWithOverrides) applies and validates them.
 *
 * @module
 */
import type { Overrides } from "../lib/core.ts";
import { UsageError } from "./args.ts";

/** `--ticker T[,T]`, and `--underlyings`, its alias. */
export const TICKER_FLAGS = {
  ticker: { type: "string" },
  underlyings: { type: "string" },
} as const;

/** The override flags. */
export const OVERRIDE_FLAGS = {
  ...TICKER_FLAGS,
  set: { type: "string", multiple: true },
} as const;

/**
 * The tickers of `--ticker SPY[,QQQ]` (or `--underlyings SPY[,QQQ]`).
 *
 * @param values the parsed flags (with {@link TICKER_FLAGS})
 * @returns the tickers, or null when neither spelling is given
 * @throws UsageError when both spellings are given, or for an empty list or name
 */
export function tickerFlag(values: Record<string, unknown>): string[] | null {
  const { ticker, underlyings } = values;
  if (ticker !== undefined && underlyings !== undefined) {
    throw new UsageError(
      "Give the underlyings once: --ticker and --underlyings are the same flag",
    );
  }
  const value = ticker ?? underlyings;
  if (value === undefined) return null;
  const flag = ticker !== undefined ? "ticker" : "underlyings";
  const tickers = String(value).split(",").map((t) => t.trim());
  if (!tickers.every((t) => t.length > 0)) {
    throw new UsageError(
      `--${flag} needs tickers separated by commas, got ${JSON.stringify(value)}`,
    );
  }
  return tickers;
}

/**
 * The overrides of the parsed flags.
 *
 * @param values the parsed flags (with {@link OVERRIDE_FLAGS})
 * @returns the underlyings and settings to change
 */
export function overridesOf(values: Record<string, unknown>): Overrides {
  return { ticker: tickerFlag(values), set: (values.set as string[] | undefined) ?? [] };
}
