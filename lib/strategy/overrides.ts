/**
 * Quick overrides of a configuration: `section.key=value` settings (the command line's
 * `--set`), each value read as a TOML value (`0.6`, `[0.15, 0.25]`, `"SPY"`, `true`; a bare word
 * such as `bear_call_spread` is taken as a string), applied to a validated configuration and
 * validated again by the same schema, so an error names the key.
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { ConfigError, type StrategyConfig, validateConfig } from "./config.ts";

/** One override: a dotted key path and its value. */
export interface ConfigOverride {
  /** Dotted path, e.g. "exit.profit_target_pct" or "walk_forward.guards.min_wfe". */
  key: string;
  /** The value, as TOML read it. */
  value: unknown;
  /** The text given, e.g. "exit.profit_target_pct=0.6" (for messages and the manifest). */
  text: string;
}

/**
 * Parses `section.key=value`.
 *
 * @param text the setting
 * @returns the override
 * @throws ConfigError when there is no `=`, or the key is not a dotted path of names
 *
 * @example Numbers, arrays, quoted and bare strings
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseOverride } from "./overrides.ts";
 * assert.equal(parseOverride("exit.profit_target_pct=0.6").value, 0.6);
 * assert.deepEqual(parseOverride("strategy.underlying=[\"SPY\", \"QQQ\"]").value, ["SPY", "QQQ"]);
 * assert.equal(parseOverride("strategy.strategy_type=bear_call_spread").value, "bear_call_spread");
 * assert.throws(() => parseOverride("exit.profit_target_pct"), /--set exit\.profit_target_pct: .*section\.key=value/);
 * ```
 */
export function parseOverride(text: string): ConfigOverride {
  const eq = text.indexOf("=");
  const key = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (eq < 0 || !/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(key)) {
    throw new ConfigError(
      `--set ${text}`,
      "",
      "Expected section.key=value (e.g. exit.profit_target_pct=0.6)",
    );
  }
  const raw = text.slice(eq + 1).trim();
  let value: unknown;
  try {
    value = (parseToml(`value = ${raw}`) as { value: unknown }).value;
  } catch {
    value = raw; // a bare word: a string
  }
  return { key, value, text };
}

/**
 * Applies overrides to a configuration and validates the result.
 *
 * @param config a validated configuration
 * @param overrides the settings, in order (a later one wins)
 * @param file the configuration's file, for messages
 * @returns the validated configuration with the overrides
 * @throws ConfigError naming the `--set` and the key when the result is invalid
 *
 * @example A changed profit target, and a misspelt key named with its --set
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./config.ts";
 * import { applyOverrides, parseOverride } from "./overrides.ts";
 * const base = loadConfig("config/sample.toml");
 * const next = applyOverrides(base, [parseOverride("exit.profit_target_pct=0.6")]);
 * assert.equal(next.exit.profit_target_pct, 0.6);
 * assert.equal(base.exit.profit_target_pct, 0.5); // the input is unchanged
 * assert.throws(
 *   () => applyOverrides(base, [parseOverride("exit.profit_targt_pct=0.6")], "s.toml"),
 *   /s\.toml with --set exit\.profit_targt_pct=0\.6: exit\.profit_targt_pct: unknown key/,
 * );
 * ```
 */
export function applyOverrides(
  config: StrategyConfig,
  overrides: ConfigOverride[],
  file = "(config)",
): StrategyConfig {
  if (!overrides.length) return config;
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  for (const o of overrides) {
    const path = o.key.split(".");
    let node = next;
    for (let i = 0; i < path.length - 1; i++) {
      const child = node[path[i]];
      if (child === undefined) node[path[i]] = {};
      else if (typeof child !== "object" || child === null || Array.isArray(child)) {
        throw new ConfigError(
          `${file} with --set ${o.text}`,
          path.slice(0, i + 1).join("."),
          "Not a section",
        );
      }
      node = node[path[i]] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = o.value;
  }
  try {
    return validateConfig(next, file);
  } catch (err) {
    throw blameOverride(err, overrides, file);
  }
}

/**
 * A configuration error raised after overrides were applied, restated to name the `--set` whose
 * key it is about (the error unchanged when no override touches that key).
 *
 * @param err the error (a ConfigError "file: key: what", or anything else)
 * @param overrides the overrides applied
 * @param file the configuration's file
 * @returns the error to throw
 *
 * @example A bad walk-forward key set on the command line
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError } from "./config.ts";
 * import { blameOverride, parseOverride } from "./overrides.ts";
 * const err = new ConfigError("s.toml", "walk_forward.trian_months", "unknown key");
 * const blamed = blameOverride(err, [parseOverride("walk_forward.trian_months=3")], "s.toml");
 * assert.equal(blamed.message,
 *   "s.toml with --set walk_forward.trian_months=3: walk_forward.trian_months: unknown key");
 * ```
 */
export function blameOverride(err: unknown, overrides: ConfigOverride[], file: string): Error {
  if (!(err instanceof ConfigError) || !err.message.startsWith(`${file}: `)) return err as Error;
  const detail = err.message.slice(file.length + 2);
  const key = detail.split(":")[0].replace(/^\[(.*)\]$/, "$1"); // "[exits]": a section
  const culprit = [...overrides].reverse().find((o) =>
    key === o.key || key.startsWith(`${o.key}.`) || o.key.startsWith(`${key}.`)
  );
  return culprit ? new ConfigError(`${file} with --set ${culprit.text}`, "", detail) : err;
}
