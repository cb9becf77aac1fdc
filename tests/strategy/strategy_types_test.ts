/**
 * Strategy types and the call side's keys: what a configuration accepts, what it refuses (with
 * the key named), and the parameters the scanner reads.
 */
import assert from "node:assert/strict";
import {
  callEntryOf,
  ConfigError,
  configToToml,
  loadConfig,
  paramsFromConfig,
  parseConfig,
  slippageOf,
  type StrategyConfig,
  validateConfig,
} from "../../lib/mod.ts";

const base = loadConfig("config/test_config.toml");

function withStrategy(strategy_type: unknown, call?: Record<string, unknown>): unknown {
  return {
    ...base,
    strategy: { ...base.strategy, strategy_type },
    entry: call ? { ...base.entry, call } : base.entry,
  };
}

function assertConfigError(raw: unknown, pattern: RegExp) {
  assert.throws(() => validateConfig(raw, "x.toml"), (err: unknown) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("strategy_type takes the verticals, iron_condor and a list of the two verticals", () => {
  const kinds = [
    ["bull_put_spread", "bull_put"],
    ["bear_call_spread", "bear_call"],
    ["iron_condor", "iron_condor"],
    [["bull_put_spread", "bear_call_spread"], "both"],
    [["bear_call_spread", "bull_put_spread"], "both"],
    [["bear_call_spread"], "bear_call"],
  ] as const;
  for (const [type, kind] of kinds) {
    const p = paramsFromConfig(validateConfig(withStrategy(type)));
    assert.equal(p.strategy, kind, JSON.stringify(type));
  }
});

Deno.test("strategy_type refuses other names, a condor in a list and a vertical twice", () => {
  const rule = /x\.toml: strategy\.strategy_type: must be .*a list of the verticals/;
  assertConfigError(withStrategy("straddle"), rule);
  assertConfigError(withStrategy(["bull_put_spread", "iron_condor"]), rule);
  assertConfigError(
    withStrategy(["bull_put_spread", "bull_put_spread"]),
    /x\.toml: strategy\.strategy_type: must not name a vertical twice/,
  );
  assertConfigError(
    withStrategy([]),
    /x\.toml: strategy\.strategy_type: must list at least one vertical/,
  );
});

Deno.test("[entry.call] overrides the put side's keys for the call side only", () => {
  const config = validateConfig(withStrategy("iron_condor", {
    short_delta_min: 0.05,
    short_delta_max: 0.12,
    spread_width_max: 10,
    min_open_interest: 7,
    max_bid_ask_pct: 0.9,
  }));
  const p = paramsFromConfig(config);
  assert.deepEqual(
    [p.put.deltaMin, p.put.deltaMax, p.put.widthMax, p.put.minOpenInterest, p.put.maxBidAskPct],
    [0.1, 0.25, 5, 50, 0.5],
  );
  assert.deepEqual(
    [
      p.call.deltaMin,
      p.call.deltaMax,
      p.call.widthMax,
      p.call.minOpenInterest,
      p.call.maxBidAskPct,
    ],
    [0.05, 0.12, 10, 7, 0.9],
  );
  // Keys [entry.call] leaves alone are [entry]'s.
  assert.equal(p.call.widthMin, base.entry.spread_width_min);
  assert.equal(p.call.minVolume, base.entry.min_volume);
  assert.equal(p.call.minCreditPct, base.entry.min_credit_pct);
  assert.equal(p.put.isPut && !p.call.isPut, true);
  assert.equal(callEntryOf(config).spread_width_max, 10);
});

Deno.test("[entry.call] errors name the key: unknown, a both-sides key, an inverted band", () => {
  assertConfigError(
    withStrategy("iron_condor", { short_delta_mx: 0.2 }),
    /x\.toml: entry\.call\.short_delta_mx: unknown key, did you mean short_delta_max\?/,
  );
  assertConfigError(
    withStrategy("iron_condor", { dte_min: 10 }),
    /x\.toml: entry\.call\.dte_min: not a call-side key .*dte_min is \[entry\]'s for both sides/,
  );
  // Inverted by the override against [entry]'s other bound (short_delta_max 0.25).
  assertConfigError(
    withStrategy("iron_condor", { short_delta_min: 0.3 }),
    /x\.toml: entry\.call\.short_delta_min: the call side's short_delta_min \(0\.3\) must not exceed its short_delta_max \(0\.25\)/,
  );
  assertConfigError(
    withStrategy("iron_condor", { spread_width_max: 0.5 }),
    /x\.toml: entry\.call\.spread_width_max: the call side's spread_width_min \(1\) must not exceed/,
  );
});

Deno.test("a configuration with [entry.call] and a list of strategies round-trips through TOML", () => {
  const config = validateConfig(
    withStrategy(["bull_put_spread", "bear_call_spread"], { short_delta_max: 0.2 }),
  );
  const text = configToToml(config);
  assert.match(text, /\[entry\.call\]\nshort_delta_max = 0\.2\n/);
  assert.deepEqual(parseConfig(text), config);
});

Deno.test("orders slip by their leg count: 66% for a vertical, 53% for an iron condor", () => {
  const p = paramsFromConfig(validateConfig(withStrategy("iron_condor")) as StrategyConfig);
  assert.deepEqual([1, 2, 3, 4].map((n) => slippageOf(p, n)), [0.75, 0.66, 0.56, 0.53]);
});
