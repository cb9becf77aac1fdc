import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyCombination,
  combinationCount,
  ConfigError,
  configToToml,
  loadConfig,
  trialBudget,
  validateConfig,
  walkForwardSettings,
} from "../../lib/mod.ts";

const base = loadConfig("config/default.toml");

function assertConfigError(raw: unknown, pattern: RegExp) {
  assert.throws(() => validateConfig(raw, "x.toml"), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("config/spec_example.toml carries the published example's values verbatim", () => {
  const example = loadConfig("config/spec_example.toml");
  assert.equal(example.entry.short_delta_min, 0.1);
  assert.equal(example.entry.short_delta_max, 0.15);
  assert.equal(example.entry.min_credit_pct, 0.25);
  assert.equal(example.entry.iv_percentile_min, 50);
  assert.equal(example.entry.max_bid_ask_pct, 0.08);
  assert.deepEqual([example.entry.dte_min, example.entry.dte_max], [30, 45]);
  assert.deepEqual([example.exit.profit_target_pct, example.exit.stop_loss_pct], [0.5, 1.25]);
  assert.equal(example.exit.dte_exit, 21);
  assert.equal(example.position_sizing.max_correlated_exposure_pct, 0.5);
  assert.equal(example.strategy.strategy_type, "bull_put_spread");
  assert.deepEqual(example.simulation.slippage_pct, [0.75, 0.66, 0.56, 0.53]);
  assert.equal(example.simulation.exit_trigger, "mid");
  assert.equal(example.entry.iv_history_days, 252);
  assert.deepEqual(example.position_sizing.correlation_groups, [["SPY", "QQQ", "IWM"]]);
});

Deno.test("config/default.toml is the published example with min_credit_pct = 0.10, and says why", () => {
  const example = loadConfig("config/spec_example.toml");
  assert.equal(base.entry.min_credit_pct, 0.1);
  assert.deepEqual(base, { ...example, entry: { ...example.entry, min_credit_pct: 0.1 } });
  const header = readFileSync("config/default.toml", "utf8").split("\n[strategy]")[0];
  assert.match(header, /min_credit_pct = 0\.10/);
  assert.match(header, /probability of\s+# finishing in the money/);
  assert.match(header, /about the short delta/);
  assert.match(header, /trades live/);
});

Deno.test("config/live.toml holds the author's walk-forward-validated live values", () => {
  const live = loadConfig("config/live.toml");
  assert.deepEqual([live.exit.profit_target_pct, live.exit.stop_loss_pct], [0.75, 2]);
  assert.deepEqual([live.entry.short_delta_min, live.entry.short_delta_max], [0.25, 0.3]);
  assert.equal(live.entry.min_credit_pct, 0.1);
  assert.deepEqual([live.entry.dte_min, live.entry.dte_max, live.exit.dte_exit], [30, 45, 7]);
  assert.equal(live.entry.iv_percentile_min, 50);
  const w = walkForwardSettings(live);
  assert.deepEqual([w.trainMonths, w.validateMonths, w.testMonths, w.rollMonths], [24, 3, 3, 3]);
  // The grid stays within what a 24-month training window supports, the live band included.
  const budget = trialBudget(w);
  assert.equal(budget.exceeded, false);
  assert.ok(
    Array.from({ length: combinationCount(w) }, (_, c) => applyCombination(live, w, c))
      .some((c) =>
        Math.abs(c.entry.short_delta_min - 0.25) < 1e-12 &&
        Math.abs(c.entry.short_delta_max - 0.3) < 1e-12 &&
        c.exit.profit_target_pct === 0.75
      ),
  );
});

Deno.test("config errors name the key: unknown, missing, wrong type, inconsistent", () => {
  assertConfigError(
    { ...base, entry: { ...base.entry, dte_mni: 3 } },
    /x\.toml: entry\.dte_mni: unknown key, did you mean dte_min\?/,
  );
  assertConfigError({ ...base, surprise: {} }, /x\.toml: \[surprise\]: unknown section$/);
  const { stop_loss_pct: _, ...exitWithout } = base.exit;
  assertConfigError({ ...base, exit: exitWithout }, /exit\.stop_loss_pct: Required key is missing/);
  assertConfigError(
    { ...base, exit: { ...base.exit, dte_exit: "21" } },
    /exit\.dte_exit: Expected number/,
  );
  assertConfigError(
    { ...base, strategy: { ...base.strategy, strategy_type: "iron_butterfly" } },
    /strategy\.strategy_type: must be "bull_put_spread", "bear_call_spread", "iron_condor" or a list/,
  );
  assertConfigError(
    { ...base, entry: { ...base.entry, dte_min: 50, dte_max: 40 } },
    /entry\.dte_min: must not exceed dte_max/,
  );
});

Deno.test("params.toml round-trips through configToToml and loadConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cfg-"));
  const file = join(dir, "params.toml");
  writeFileSync(file, configToToml(base));
  assert.deepEqual(loadConfig(file), base);
});

Deno.test("every setting of the default, example and live configurations carries a comment", () => {
  for (const file of ["config/default.toml", "config/spec_example.toml", "config/live.toml"]) {
    const lines = readFileSync(file, "utf8").split("\n");
    const grid = lines.findIndex((l) => l.startsWith("[walk_forward.grid]"));
    assert.match(lines[grid], /# [\d x]+ = \d+ combinations/, file);
    // Above the grid (whose section comment describes its lists), every key = value has a comment.
    const uncommented = lines.slice(0, grid).filter((l) =>
      /^[a-z_]+ = /.test(l) && !l.includes("#")
    );
    assert.deepEqual(uncommented, [], file);
  }
});

Deno.test("the shipped configurations load: default, example, live, sample and test", () => {
  const files = [
    "config/default.toml",
    "config/spec_example.toml",
    "config/live.toml",
    "config/sample.toml",
    "config/test_config.toml",
  ];
  for (const file of files) {
    assert.ok(loadConfig(file).entry.dte_max > 0, file);
  }
});

Deno.test("a missing file and a TOML syntax error name the file", () => {
  assert.throws(() => loadConfig("no/such.toml"), /no\/such\.toml: File not found/);
  const dir = mkdtempSync(join(tmpdir(), "mahler-cfg-"));
  const file = join(dir, "bad.toml");
  writeFileSync(file, "[entry\ndte_min = 3\n");
  assert.throws(
    () => loadConfig(file),
    new RegExp(`${file.replaceAll("/", "\\/")}: line 1, column \\d+: Invalid TOML: `),
  );
});

Deno.test("unknown sections and keys are named with the likely intended name", () => {
  const { exit, ...rest } = base;
  assertConfigError(
    { ...rest, exits: exit },
    /^x\.toml: \[exits\]: unknown section, did you mean \[exit\]\?$/,
  );
  assertConfigError(
    { ...base, position_sizing: { ...base.position_sizing, max_postions: 3 } },
    /^x\.toml: position_sizing\.max_postions: unknown key, did you mean max_positions\?$/,
  );
  // A key in the wrong section says where it belongs.
  assertConfigError(
    { ...base, entry: { ...base.entry, profit_target_pct: 0.5 } },
    /^x\.toml: entry\.profit_target_pct: unknown key \(profit_target_pct belongs in \[exit\]\)$/,
  );
  const dir = mkdtempSync(join(tmpdir(), "mahler-cfg-"));
  const file = join(dir, "typo.toml");
  writeFileSync(file, readFileSync("config/sample.toml", "utf8").replace("[exit]", "[exits]"));
  assert.throws(
    () => loadConfig(file),
    /typo\.toml: \[exits\]: unknown section, did you mean \[exit\]\?/,
  );
});
