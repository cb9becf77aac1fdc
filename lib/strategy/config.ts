/**
 * Strategy configuration: the TOML file's schema, defaults and validation.
 *
 * Units: every `*_pct` key is a fraction (0.02 = 2%), except `iv_percentile_min`, a percentile
 * from 0 to 100. Deltas are absolute values (0.10 means a 10-delta short leg for puts and
 * calls alike). Widths and strikes are in dollars, DTE in calendar days.
 *
 * @module
 */
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { z } from "zod";
import { LONG_COLUMNS } from "../data/layouts.ts";

/** The columns `[data.columns]` may map: the long layout's, and dividends.csv's own. */
const MAPPABLE_COLUMNS = [...LONG_COLUMNS, "ex_date", "amount"];
import { readTextFile } from "../data/text_file.ts";
import { closestName } from "./suggest.ts";
import {
  ENTRY_RULE_SHAPE,
  type EntryRules,
  EXIT_RULE_SHAPE,
  type ExitRules,
  ruleIssues,
  SIZING_RULE_SHAPE,
  type SizingRules,
  type Targets,
  targetsSchema,
} from "./rules_config.ts";

const fraction = z.number().min(0);
const positiveInt = z.number().int().min(1);

/** The vertical spreads, each a strategy type of its own or one of a list. */
export const VERTICAL_TYPES = ["bull_put_spread", "bear_call_spread"] as const;
/** A vertical spread's strategy type. */
export type VerticalType = (typeof VERTICAL_TYPES)[number];
/** The strategy types a configuration may name alone. */
export const STRATEGY_TYPES = [...VERTICAL_TYPES, "iron_condor"] as const;
/** `[strategy] strategy_type`: one type, or a list of the two verticals (both sides). */
export type StrategyType = (typeof STRATEGY_TYPES)[number] | VerticalType[];

const STRATEGY_TYPE_RULE =
  'must be "bull_put_spread", "bear_call_spread", "iron_condor" or a list of the verticals ' +
  '(["bull_put_spread", "bear_call_spread"])';

const strategyTypeSchema = z.union([
  z.enum(STRATEGY_TYPES),
  z.array(z.enum(VERTICAL_TYPES)).min(1, "must list at least one vertical").refine(
    (xs) => new Set(xs).size === xs.length,
    "must not name a vertical twice",
  ),
], { errorMap: () => ({ message: STRATEGY_TYPE_RULE }) });

const strategySchema = z.object({
  /** One ticker or a list; each is scanned every day. */
  underlying: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** See {@link StrategyType}. */
  strategy_type: strategyTypeSchema,
}).strict();

/** `[entry.call]`: the call side's own values of these `[entry]` keys (absent: [entry]'s). */
const callEntrySchema = z.object({
  short_delta_min: z.number().min(0).max(1).optional(),
  short_delta_max: z.number().min(0).max(1).optional(),
  spread_width_min: z.number().positive().optional(),
  spread_width_max: z.number().positive().optional(),
  min_credit_pct: fraction.max(1).optional(),
  min_open_interest: z.number().int().min(0).optional(),
  min_volume: z.number().int().min(0).optional(),
  max_bid_ask_pct: fraction.optional(),
}).strict();

/** The `[entry]` keys that `[entry.call]` may override, in order. */
export const CALL_ENTRY_KEYS: readonly (keyof CallEntry)[] = [
  "short_delta_min",
  "short_delta_max",
  "spread_width_min",
  "spread_width_max",
  "min_credit_pct",
  "min_open_interest",
  "min_volume",
  "max_bid_ask_pct",
];

const entrySchema = z.object({
  dte_min: z.number().int().min(0),
  dte_max: z.number().int().min(0),
  short_delta_min: z.number().min(0).max(1),
  short_delta_max: z.number().min(0).max(1),
  spread_width_min: z.number().positive(),
  spread_width_max: z.number().positive(),
  min_credit_pct: fraction.max(1),
  iv_percentile_min: z.number().min(0).max(100),
  min_open_interest: z.number().int().min(0),
  min_volume: z.number().int().min(0),
  max_bid_ask_pct: fraction,
  iv_history_days: positiveInt.default(252),
  call: callEntrySchema.optional(),
  ...ENTRY_RULE_SHAPE,
  // Dividends (issue 20, item 1): absent means off, and params.toml stays as it was.
  avoid_ex_dividend_days: z.number().int().min(0).optional(),
}).strict();

const exitSchema = z.object({
  profit_target_pct: fraction.max(1),
  stop_loss_pct: fraction,
  dte_exit: z.number().int().min(0),
  ...EXIT_RULE_SHAPE,
}).strict();

const sizingSchema = z.object({
  max_risk_per_trade_pct: fraction.max(1),
  max_portfolio_heat_pct: fraction.max(1),
  max_positions: positiveInt,
  max_correlated_exposure_pct: fraction.max(1),
  correlation_groups: z.array(z.array(z.string().min(1))).default([["SPY", "QQQ", "IWM"]]),
  sizing: z.enum(["fixed_risk", "vix_rank"]).optional(),
  vix_rank_lookback: positiveInt.optional(),
  ...SIZING_RULE_SHAPE,
}).strict();

const simulationSchema = z.object({
  starting_equity: z.number().positive().default(100000),
  commission_per_contract: z.number().min(0).default(1.0),
  slippage_pct: z.array(z.number().min(0).max(1)).length(4).default([0.75, 0.66, 0.56, 0.53]),
  exit_trigger: z.enum(["mid", "fill"]).default("mid"),
  max_entries_per_day: positiveInt.default(1),
  risk_free_rate: z.number().default(0),
  // Early assignment (issue 20, item 1): absent means $0.
  stock_commission: z.number().min(0).optional(),
}).strict();

const riskSchema = z.object({
  daily_loss_pct: fraction.max(1).optional(),
  weekly_loss_pct: fraction.max(1).optional(),
  max_drawdown_pct: fraction.max(1).optional(),
  vix_halt_level: z.number().min(0).optional(),
  close_on_halt: z.boolean().optional(),
}).strict();

const scoringSchema = z.object({
  expected_value: z.number().default(0.4),
  iv_percentile: z.number().default(0.2),
  delta_distance: z.number().default(0.2),
  credit_width: z.number().default(0.2),
}).strict();

const diagnosticsSchema = z.object({
  bootstrap_resamples: positiveInt.default(1000),
  bootstrap_mean_block: z.number().min(1).default(10),
  bootstrap_level: z.number().gt(0).lt(1).default(0.9),
  seed: z.number().int().default(7),
  pbo_blocks: z.number().int().min(2).max(24).refine((x) => x % 2 === 0, "must be even").default(
    16,
  ),
  slippage_sweep: z.array(z.number().min(0).max(1)).min(2).default([
    0,
    0.25,
    0.5,
    0.66,
    0.75,
    0.9,
    1,
  ]),
}).strict();

const dataSchema = z.object({
  /** Long-layout column name -> the file's column name, for any other layout (default none). */
  columns: z.record(
    z.string().refine((k) => (MAPPABLE_COLUMNS as readonly string[]).includes(k), {
      message: `must be a long-layout column (${
        LONG_COLUMNS.join(", ")
      }) or a dividends column (ex_date, amount)`,
    }),
    z.string().min(1),
  ).default({}),
  /** Continuous dividend yield, annual decimal, for greeks the loader derives (default 0). */
  dividend_yield: z.number().min(0).max(1).default(0),
  /** Keep loaded chains in the binary cache between commands (default true). */
  cache: z.boolean().default(true),
}).strict();

/** The sections of a configuration file, with the keys each takes (walk_forward: see settings). */
const SECTIONS: Record<string, readonly string[] | null> = {
  strategy: Object.keys(strategySchema.shape),
  entry: Object.keys(entrySchema.shape),
  exit: Object.keys(exitSchema.shape),
  position_sizing: Object.keys(sizingSchema.shape),
  risk: Object.keys(riskSchema.shape),
  simulation: Object.keys(simulationSchema.shape),
  scoring: Object.keys(scoringSchema.shape),
  diagnostics: Object.keys(diagnosticsSchema.shape),
  walk_forward: null,
  data: Object.keys(dataSchema.shape),
  targets: Object.keys(targetsSchema.shape),
};

/** ", did you mean X?" for a misspelt name, or "". */
function didYouMean(name: string, candidates: readonly string[], show = (x: string) => x): string {
  const near = closestName(name, candidates);
  return near === null ? "" : `, did you mean ${show(near)}?`;
}

/**
 * Names the first unknown section or key of a parsed file, with the likely intended name
 * ("[exits]: unknown section, did you mean [exit]?"), before the schema reports what is
 * missing because of it.
 */
function checkNames(raw: unknown, file: string): void {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return;
  const sections = Object.keys(SECTIONS);
  for (const [name, value] of Object.entries(raw)) {
    const keys = SECTIONS[name];
    if (keys === undefined) {
      throw new ConfigError(
        file,
        `[${name}]`,
        `unknown section${didYouMean(name, sections, (x) => `[${x}]`)}`,
      );
    }
    if (keys === null || value === null || typeof value !== "object" || Array.isArray(value)) {
      continue;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (name === "entry" && key === "call") checkCallNames(inner, file);
      if (keys.includes(key)) continue;
      const elsewhere = sections.find((s) => SECTIONS[s]?.includes(key));
      throw new ConfigError(
        file,
        `${name}.${key}`,
        `unknown key${didYouMean(key, keys)}${
          elsewhere && !closestName(key, keys) ? ` (${key} belongs in [${elsewhere}])` : ""
        }`,
      );
    }
  }
}

/** Names the first key of `[entry.call]` that no call side has, with the likely intended one. */
function checkCallNames(call: unknown, file: string): void {
  if (call === null || typeof call !== "object" || Array.isArray(call)) return;
  const keys: readonly string[] = CALL_ENTRY_KEYS;
  for (const key of Object.keys(call)) {
    if (keys.includes(key)) continue;
    const entryKey = Object.hasOwn(entrySchema.shape, key);
    throw new ConfigError(
      file,
      `entry.call.${key}`,
      entryKey
        ? `not a call-side key ([entry.call] takes ${
          keys.join(", ")
        }; ${key} is [entry]'s for both sides)`
        : `unknown key${didYouMean(key, keys)}`,
    );
  }
}

/** A band [min, max] that must not be inverted, checked for the put and the call side. */
const BANDS = [
  ["dte_min", "dte_max"],
  ["short_delta_min", "short_delta_max"],
  ["spread_width_min", "spread_width_max"],
] as const;

const configSchema: z.ZodType<StrategyConfig, z.ZodTypeDef, unknown> = z.object({
  strategy: strategySchema,
  entry: entrySchema,
  exit: exitSchema,
  position_sizing: sizingSchema,
  risk: riskSchema.optional(),
  simulation: simulationSchema.default({}),
  scoring: scoringSchema.default({}),
  diagnostics: diagnosticsSchema.default({}),
  walk_forward: z.record(z.string(), z.unknown()).optional(),
  data: dataSchema.optional(),
  targets: targetsSchema.optional(),
}).strict().superRefine((c, ctx) => {
  for (const issue of ruleIssues(c)) ctx.addIssue({ code: "custom", ...issue });
  const call = callEntryOf(c as StrategyConfig);
  for (const [min, max] of BANDS) {
    if (c.entry[min] > c.entry[max]) {
      ctx.addIssue({ code: "custom", path: ["entry", min], message: `must not exceed ${max}` });
    } else if (min !== "dte_min" && call[min] > call[max]) {
      // The call side's band, from [entry.call] where it sets a bound and [entry] otherwise.
      const set = c.entry.call?.[min] !== undefined ? min : max;
      ctx.addIssue({
        code: "custom",
        path: ["entry", "call", set],
        message: `the call side's ${min} (${call[min]}) must not exceed its ${max} (${call[max]})`,
      });
    }
  }
});

/** A section a grid may sweep: [entry], [exit], [position_sizing], [risk] or [simulation]. */
export type SweepableSection = "entry" | "exit" | "position_sizing" | "risk" | "simulation";

/** The sections whose keys a walk-forward grid may sweep, by name. */
const SWEEPABLE_SECTIONS: Record<SweepableSection, z.AnyZodObject> = {
  entry: entrySchema,
  exit: exitSchema,
  position_sizing: sizingSchema,
  risk: riskSchema,
  simulation: simulationSchema,
};

/** Whether a schema (under its optional/default wrappers) takes a number. */
function takesNumber(schema: z.ZodTypeAny): boolean {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodEffects) {
    s = s instanceof z.ZodEffects ? s.innerType() : s._def.innerType;
  }
  return s instanceof z.ZodNumber;
}

/**
 * The section holding a numeric key of [entry], [exit], [position_sizing], [risk] or
 * [simulation], whether or not a configuration sets it (the keys a walk-forward grid may sweep).
 *
 * @param key a key, e.g. "iv_percentile_min" or "daily_loss_pct"
 * @returns the section's name, or null when no section has a numeric key of that name
 *
 * @example Numeric keys are found in their sections; others are not sweepable
 * ```ts
 * import assert from "node:assert/strict";
 * import { numericKeySection } from "./config.ts";
 * assert.equal(numericKeySection("iv_percentile_min"), "entry");
 * assert.equal(numericKeySection("daily_loss_pct"), "risk");
 * assert.equal(numericKeySection("commission_per_contract"), "simulation");
 * assert.equal(numericKeySection("exit_trigger"), null); // a string
 * ```
 */
export function numericKeySection(key: string): SweepableSection | null {
  for (const [name, schema] of Object.entries(SWEEPABLE_SECTIONS)) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    if (Object.hasOwn(shape, key) && takesNumber(shape[key])) return name as SweepableSection;
  }
  return null;
}

/** The `[entry]` keys a call side may set apart from the put side (see `[entry.call]`). */
export interface CallEntry {
  /** Lower bound of the short call's |delta| band. */
  short_delta_min: number;
  /** Upper bound of the short call's |delta| band. */
  short_delta_max: number;
  /** Narrowest width of the call side, dollars. */
  spread_width_min: number;
  /** Widest width of the call side, dollars. */
  spread_width_max: number;
  /** Minimum credit of a bear call after slippage as a fraction of its width. */
  min_credit_pct: number;
  /** Minimum open interest of each call leg, contracts. */
  min_open_interest: number;
  /** Minimum volume of each call leg, contracts. */
  min_volume: number;
  /** Maximum (ask - bid) / mid of each call leg. */
  max_bid_ask_pct: number;
}

/** A validated configuration with defaults filled (see config/default.toml for a commented file). */
export interface StrategyConfig {
  /** What to trade. */
  strategy: {
    /** One ticker or a list, scanned every day. */
    underlying: string | string[];
    /**
     * "bull_put_spread" (short put above a long put), "bear_call_spread" (short call below a
     * long call), "iron_condor" (both on one expiry, one 4-leg order), or a list of the two
     * verticals: both sides scanned every day, each entered as its own position.
     */
    strategy_type: StrategyType;
  };
  /**
   * Entry filters: the put side's, and the call side's unless `[entry.call]` sets its own
   * (see {@link callEntryOf}).
   */
  entry: {
    /** DTE band of the expiry, calendar days. */
    dte_min: number;
    dte_max: number;
    /** |delta| band of the short leg. */
    short_delta_min: number;
    short_delta_max: number;
    /** Width band, dollars. */
    spread_width_min: number;
    spread_width_max: number;
    /** Minimum credit after slippage as a fraction of width. */
    min_credit_pct: number;
    /** Minimum IV percentile, 0-100; 0 turns the filter off. */
    iv_percentile_min: number;
    /** Minimum open interest of each leg, contracts. */
    min_open_interest: number;
    /** Minimum volume of each leg, contracts. */
    min_volume: number;
    /** Maximum (ask - bid) / mid of each leg. */
    max_bid_ask_pct: number;
    /** IV percentile look-back, trading days (default 252). */
    iv_history_days: number;
    /** The call side's own values (absent keys: the ones above). */
    call?: Partial<CallEntry>;
    /**
     * Skip call sides (bear calls, an iron condor's, both sides' call side) whose expiry spans
     * an ex-dividend date at most this many calendar days after the entry day (absent or 0: off).
     */
    avoid_ex_dividend_days?: number;
  } & EntryRules;
  /** Exit rules, checked in this order. */
  exit: {
    /** Close when the spread's value falls to credit × (1 - this). */
    profit_target_pct: number;
    /** Close when the spread's value reaches credit × (1 + this). */
    stop_loss_pct: number;
    /** Close when 0 < DTE <= this. */
    dte_exit: number;
  } & ExitRules;
  /** Sizing and portfolio constraints (fractions of equity). */
  position_sizing: {
    max_risk_per_trade_pct: number;
    max_portfolio_heat_pct: number;
    max_positions: number;
    /** A group's open max loss <= this × max_portfolio_heat_pct × equity. */
    max_correlated_exposure_pct: number;
    /** Groups of correlated tickers (default one group SPY/QQQ/IWM). */
    correlation_groups: string[][];
    /**
     * "fixed_risk" (absent: the default) or "vix_rank": the risk-per-trade contracts scaled by
     * 1 - the VIX percentile rank (see lib/strategy/vix_rank.ts).
     */
    sizing?: "fixed_risk" | "vix_rank";
    /** Look-back of the VIX percentile rank, trading days (absent: 252). */
    vix_rank_lookback?: number;
  } & SizingRules;
  /**
   * Circuit breakers (absent, or any key absent: off; see lib/simulation/breakers.ts). Loss
   * thresholds are fractions of equity.
   */
  risk?: {
    /** Halt for the day when equity falls this far below the previous day's close. */
    daily_loss_pct?: number;
    /** Halt for the calendar week when equity falls this far below the last week's close. */
    weekly_loss_pct?: number;
    /** Halt for the rest of the run when equity falls this far below its running peak. */
    max_drawdown_pct?: number;
    /** No new positions on a day whose VIX close is above this level. */
    vix_halt_level?: number;
    /** Whether a daily or weekly loss halt closes every open position (absent: true). */
    close_on_halt?: boolean;
  };
  /** Simulation settings. */
  simulation: {
    /** Dollars (default 100000). */
    starting_equity: number;
    /** Dollars per contract per leg (default 1.0). */
    commission_per_contract: number;
    /** Fraction of the bid-ask given up for 1, 2, 3, 4-leg orders (default ORATS). */
    slippage_pct: number[];
    /** Exit triggers on the mid mark or on the slippage-adjusted close cost (default "mid"). */
    exit_trigger: "mid" | "fill";
    /** New positions per day at most (default 1). */
    max_entries_per_day: number;
    /** Annual decimal (default 0). */
    risk_free_rate: number;
    /**
     * Dollars per assignment of a short option, per contract: the stock trade that an early
     * assignment delivers or takes (absent: 0).
     */
    stock_commission?: number;
  };
  /** Candidate score weights. */
  scoring: {
    /** Weight of EV / max loss (default 0.4). */
    expected_value: number;
    /** Weight of IV percentile / 100 (default 0.2). */
    iv_percentile: number;
    /** Weight of the short delta's distance below the band's upper edge, over the band width (default 0.2). */
    delta_distance: number;
    /** Weight of credit / width (default 0.2). */
    credit_width: number;
  };
  /** Overfitting diagnostics and confidence intervals. */
  diagnostics: {
    /** Stationary-bootstrap resamples (default 1000). */
    bootstrap_resamples: number;
    /** Mean bootstrap block length, trading days (default 10). */
    bootstrap_mean_block: number;
    /** Confidence level of the intervals (default 0.9). */
    bootstrap_level: number;
    /** Seed of the bootstrap (default 7). */
    seed: number;
    /** Time blocks S of the CSCV split for PBO, even, 2-24 (default 16). */
    pbo_blocks: number;
    /** Two-leg slippage fractions for `run --slippage-sweep` (default 0 to 1). */
    slippage_sweep: number[];
  };
  /** Walk-forward settings (read by the optimizer). */
  walk_forward?: Record<string, unknown>;
  /** How the data loads (defaults: no column map, dividend yield 0, cache on). */
  data?: {
    /** Long-layout column name -> the file's column name, for any other layout. */
    columns: Record<string, string>;
    /** Continuous dividend yield, annual decimal. */
    dividend_yield: number;
    /** Keep loaded chains in the binary cache between commands. */
    cache: boolean;
  };
  /** The targets of the metrics (absent keys: the spec's; see rules_config.ts). */
  targets?: Partial<Targets>;
}

/** A configuration error naming the file and the key. */
export class ConfigError extends Error {
  /** Builds the message "file: key: what". */
  constructor(file: string, key: string, what: string) {
    super(`${file}: ${key ? `${key}: ` : ""}${what}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates a parsed configuration object, filling defaults.
 *
 * @param raw the object (e.g. parsed TOML)
 * @param file name for messages
 * @returns the validated configuration
 * @throws ConfigError naming the first offending key; an unknown section or key first, with
 *   the likely intended name
 *
 * @example A changed copy of a configuration, checked again; a misspelt key is named
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig, validateConfig } from "./config.ts";
 * const base = loadConfig("config/default.toml");
 * const wider = validateConfig({ ...base, entry: { ...base.entry, short_delta_max: 0.2 } });
 * assert.equal(wider.entry.short_delta_max, 0.2);
 * assert.throws(
 *   () => validateConfig({ ...base, exit: { ...base.exit, stop_los_pct: 1 } }, "x.toml"),
 *   /^ConfigError: x\.toml: exit\.stop_los_pct: unknown key, did you mean stop_loss_pct\?$/,
 * );
 * const { exit, ...rest } = base;
 * assert.throws(
 *   () => validateConfig({ ...rest, exits: exit }, "x.toml"),
 *   /^ConfigError: x\.toml: \[exits\]: unknown section, did you mean \[exit\]\?$/,
 * );
 * ```
 */
export function validateConfig(raw: unknown, file = "(config)"): StrategyConfig {
  checkNames(raw, file);
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let key = issue.path.join(".");
  let what = issue.message;
  if (issue.code === "unrecognized_keys") {
    key = [...issue.path, issue.keys[0]].join(".");
    what = "Unknown key";
  } else if (issue.code === "invalid_type" && issue.received === "undefined") {
    what = "Required key is missing";
  }
  throw new ConfigError(file, key, what);
}

/**
 * Parses and validates the text of a TOML configuration.
 *
 * @param text the TOML text
 * @param file name for messages
 * @returns the validated configuration, defaults filled
 * @throws ConfigError naming the file and the first offending key
 *
 * @example A configuration needs its four sections; the rest has defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 * const text = Deno.readTextFileSync("config/test_config.toml");
 * const config = parseConfig(text, "config/test_config.toml");
 * assert.equal(config.simulation.slippage_pct[1], 0.66);
 * assert.throws(
 *   () => parseConfig("[strategy]\nunderlying = SPY\n", "x.toml"),
 *   /^ConfigError: x\.toml: line 2, column 14: Invalid TOML: invalid value$/,
 * );
 * ```
 */
export function parseConfig(text: string, file = "(config)"): StrategyConfig {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    const e = err as Error & { line?: number; column?: number };
    const what = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    const where = typeof e.line === "number" ? `line ${e.line}, column ${e.column}` : "";
    throw new ConfigError(file, where, `Invalid TOML: ${what}`);
  }
  return validateConfig(raw, file);
}

/**
 * Reads and validates a TOML configuration file (read by the data layer, parsed here).
 *
 * @param path the file, e.g. config/default.toml or a run's params.toml
 * @returns the validated configuration, defaults filled
 * @throws ConfigError naming the file and the first offending key, or "File not found"
 *
 * @example The spec's example values
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "./config.ts";
 * const config = loadConfig("config/default.toml");
 * assert.equal(config.entry.min_credit_pct, 0.1);
 * assert.equal(config.simulation.commission_per_contract, 1);
 * ```
 */
export function loadConfig(path: string): StrategyConfig {
  const text = readTextFile(path);
  if (text === null) throw new ConfigError(path, "", "File not found");
  return parseConfig(text, path);
}

/**
 * The configuration as TOML (for params.toml); {@link parseConfig} reads it back.
 *
 * @param config a validated configuration
 * @returns TOML text ending in a newline
 *
 * @example A round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { configToToml, loadConfig, parseConfig } from "./config.ts";
 * const config = loadConfig("config/default.toml");
 * assert.deepEqual(parseConfig(configToToml(config)), config);
 * ```
 */
export function configToToml(config: StrategyConfig): string {
  return stringifyToml(config as unknown as Record<string, unknown>) + "\n";
}

/**
 * The underlyings of a configuration as a list.
 *
 * @param config a validated configuration
 * @returns the tickers, in the order written
 */
export function underlyingsOf(config: StrategyConfig): string[] {
  const u = config.strategy.underlying;
  return typeof u === "string" ? [u] : [...u];
}

/**
 * The call side's entry filters: `[entry.call]` where it sets a key, `[entry]` otherwise.
 *
 * @param config a validated configuration
 * @returns the call side's values of the keys `[entry.call]` may set
 *
 * @example A call side with its own delta band, and the put side's width
 * ```ts
 * import assert from "node:assert/strict";
 * import { callEntryOf, loadConfig, validateConfig } from "./config.ts";
 * const base = loadConfig("config/test_config.toml");
 * const config = validateConfig({
 *   ...base,
 *   entry: { ...base.entry, call: { short_delta_min: 0.05, short_delta_max: 0.15 } },
 * });
 * assert.equal(callEntryOf(config).short_delta_max, 0.15);
 * assert.equal(callEntryOf(config).spread_width_max, base.entry.spread_width_max);
 * ```
 */
export function callEntryOf(config: StrategyConfig): CallEntry {
  const e = config.entry;
  const call = e.call ?? {};
  return {
    short_delta_min: call.short_delta_min ?? e.short_delta_min,
    short_delta_max: call.short_delta_max ?? e.short_delta_max,
    spread_width_min: call.spread_width_min ?? e.spread_width_min,
    spread_width_max: call.spread_width_max ?? e.spread_width_max,
    min_credit_pct: call.min_credit_pct ?? e.min_credit_pct,
    min_open_interest: call.min_open_interest ?? e.min_open_interest,
    min_volume: call.min_volume ?? e.min_volume,
    max_bid_ask_pct: call.max_bid_ask_pct ?? e.max_bid_ask_pct,
  };
}

/**
 * The strategy types of a configuration as a list (one type, or the verticals of a list).
 *
 * @param config a validated configuration
 * @returns e.g. ["iron_condor"] or ["bull_put_spread", "bear_call_spread"]
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig, strategyTypesOf } from "./config.ts";
 * assert.deepEqual(strategyTypesOf(loadConfig("config/test_config.toml")), ["bull_put_spread"]);
 * ```
 */
export function strategyTypesOf(config: StrategyConfig): Array<(typeof STRATEGY_TYPES)[number]> {
  const t = config.strategy.strategy_type;
  return typeof t === "string" ? [t] : [...t];
}

/**
 * Whether a key names a numeric `[entry.call]` setting, as a grid or `--set` writes it
 * ("entry.call.short_delta_min").
 *
 * @param key a dotted key
 * @returns the call-side key ("short_delta_min"), or null
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { callEntryKey } from "./config.ts";
 * assert.equal(callEntryKey("entry.call.min_volume"), "min_volume");
 * assert.equal(callEntryKey("entry.call.dte_min"), null); // the DTE band is both sides'
 * assert.equal(callEntryKey("short_delta_min"), null);
 * ```
 */
export function callEntryKey(key: string): keyof CallEntry | null {
  const prefix = "entry.call.";
  if (!key.startsWith(prefix)) return null;
  const rest = key.slice(prefix.length);
  return (CALL_ENTRY_KEYS as readonly string[]).includes(rest) ? rest as keyof CallEntry : null;
}
