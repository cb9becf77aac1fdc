import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, configToToml, loadConfig, validateConfig } from "../../lib/mod.ts";

const base = loadConfig("config/default.toml");

function assertConfigError(raw: unknown, pattern: RegExp) {
  assert.throws(() => validateConfig(raw, "x.toml"), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("config/default.toml carries the spec's example values", () => {
  assert.equal(base.entry.short_delta_max, 0.15);
  assert.equal(base.entry.min_credit_pct, 0.25);
  assert.equal(base.entry.iv_percentile_min, 50);
  assert.equal(base.entry.max_bid_ask_pct, 0.08);
  assert.equal(base.position_sizing.max_correlated_exposure_pct, 0.5);
  assert.equal(base.strategy.strategy_type, "bull_put_spread");
  assert.deepEqual(base.simulation.slippage_pct, [0.75, 0.66, 0.56, 0.53]);
  assert.equal(base.simulation.exit_trigger, "mid");
  assert.equal(base.entry.iv_history_days, 252);
  assert.deepEqual(base.position_sizing.correlation_groups, [["SPY", "QQQ", "IWM"]]);
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

Deno.test("every setting of config/default.toml carries a comment", () => {
  const lines = readFileSync("config/default.toml", "utf8").split("\n");
  const grid = lines.findIndex((l) => l.startsWith("[walk_forward.grid]"));
  assert.match(lines[grid], /# 5 x 4 x 4 x 3 = 240 combinations/);
  // Above the grid (whose section comment describes its lists), every key = value has a comment.
  const uncommented = lines.slice(0, grid).filter((l) => /^[a-z_]+ = /.test(l) && !l.includes("#"));
  assert.deepEqual(uncommented, []);
});

Deno.test("the shipped configurations load: default, sample and test", () => {
  for (const file of ["config/default.toml", "config/sample.toml", "config/test_config.toml"]) {
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
