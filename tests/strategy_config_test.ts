import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, configToToml, loadConfig, validateConfig } from "../lib/mod.ts";

const base = loadConfig("config/default.toml");

function assertConfigError(raw: unknown, pattern: RegExp) {
  assert.throws(() => validateConfig(raw, "x.toml"), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("config/default.toml loads with the documented defaults", () => {
  assert.equal(base.strategy.strategy_type, "bull_put_spread");
  assert.deepEqual(base.simulation.slippage_pct, [0.75, 0.66, 0.56, 0.53]);
  assert.equal(base.simulation.exit_trigger, "mid");
  assert.equal(base.entry.iv_history_days, 252);
  assert.deepEqual(base.position_sizing.correlation_groups, [["SPY", "QQQ", "IWM"]]);
});

Deno.test("config errors name the key: unknown, missing, wrong type, inconsistent", () => {
  assertConfigError(
    { ...base, entry: { ...base.entry, dte_mni: 3 } },
    /x\.toml: entry\.dte_mni: Unknown key/,
  );
  assertConfigError({ ...base, surprise: {} }, /x\.toml: surprise: Unknown key/);
  const { stop_loss_pct: _, ...exitWithout } = base.exit;
  assertConfigError({ ...base, exit: exitWithout }, /exit\.stop_loss_pct: Required key is missing/);
  assertConfigError(
    { ...base, exit: { ...base.exit, dte_exit: "21" } },
    /exit\.dte_exit: Expected number/,
  );
  assertConfigError(
    { ...base, strategy: { ...base.strategy, strategy_type: "iron_condor" } },
    /strategy\.strategy_type/,
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

Deno.test("a TOML syntax error names the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-cfg-"));
  const file = join(dir, "bad.toml");
  writeFileSync(file, "[entry\ndte_min = 3\n");
  assert.throws(() => loadConfig(file), new RegExp(`${file.replaceAll("/", "\\/")}: Invalid TOML`));
});

import { buildChainStore, generateSample, loadMarketData, scan } from "../lib/mod.ts";

Deno.test("scan() returns typed frames, empty ones included, best score first", () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-scan-"));
  generateSample({ outDir: join(dir, "s"), start: "2020-02-03", end: "2020-03-31", seed: 2 });
  const store = buildChainStore(loadMarketData(join(dir, "s")));
  const open = validateConfig({ ...base, entry: { ...base.entry, iv_percentile_min: 0 } });
  const some = scan(store, "2020-03-02", open);
  assert.ok(some.height > 0);
  assert.equal(String(some.getColumn("expiration").dtype), "DataType(Date)");
  const scores = some.getColumn("score").toArray() as number[];
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1]);
  // With a year of IV history required, nothing qualifies in a two-month data set.
  const none = scan(store, "2020-03-02", base);
  assert.equal(none.height, 0);
  assert.equal(String(none.getColumn("expiration").dtype), "DataType(Date)");
  assert.equal(none.columns.length, some.columns.length);
});
