/**
 * A walk-forward of iron condors over a grid of both sides' short deltas (`short_delta` for the
 * put side, `entry.call.short_delta` for the call side, written as TOML dotted keys): the same
 * files byte for byte with 1 and 2 workers and as 2 shards merged (manifest.json aside).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { loadConfig, walkForwardSettings } from "../../lib/mod.ts";
import { runCli } from "../helpers/cli.ts";
import { assertSameOutputs } from "../helpers/outputs.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-condor-grid-"));

/** test_config.toml trading iron condors, its grid over both sides' deltas. */
function condorConfig(): string {
  const text = readFileSync("config/test_config.toml", "utf8")
    .replace('strategy_type = "bull_put_spread"', 'strategy_type = "iron_condor"')
    .replace(/\[walk_forward\.grid\]\n(?:(?!\[)[^\n]*\n)*/, "");
  const file = join(dir, "condor.toml");
  writeFileSync(
    file,
    text + "\n[walk_forward.grid]\nshort_delta = [0.12, 0.18]\n" +
      "entry.call.short_delta = [0.10, 0.15]\nprofit_target_pct = [0.50, 0.75]\n",
  );
  return file;
}

Deno.test("optimize: an iron condor's grid over both sides' deltas is byte-identical across workers and shards", async () => {
  const config = condorConfig();
  const settings = walkForwardSettings(loadConfig(config));
  assert.deepEqual(settings.grid.map((g) => g.key), [
    "short_delta",
    "entry.call.short_delta",
    "profit_target_pct",
  ]);
  const data = join(dir, "data");
  const env = { MAHLER_CACHE_DIR: join(dir, "cache") };
  const sample = await runCli(
    ["sample", "--out", data, "--seed", "7", "--from", "2024-01-02", "--to", "2024-06-28"],
    env,
  );
  assert.equal(sample.code, 0, sample.stderr);
  const base = ["optimize", "--config", config, "--data", data];
  const out = (name: string) => join(dir, name);
  const runs = await Promise.all([
    runCli([...base, "--workers", "1", "--out", out("one")], env),
    runCli([...base, "--workers", "2", "--out", out("two")], env),
    runCli([...base, "--workers", "1", "--shard", "0/2", "--out", out("shard-0")], env),
    runCli([...base, "--workers", "1", "--shard", "1/2", "--out", out("shard-1")], env),
  ]);
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const merge = await runCli(
    ["optimize", "--merge", out("shard-1"), out("shard-0"), "--out", out("merged")],
    env,
  );
  assert.equal(merge.code, 0, merge.stderr);
  const files = [
    "walk_forward.json",
    "grid_results.parquet",
    "params.toml",
    "trades.parquet",
    "trade_legs.parquet",
    "metrics.json",
    "equity_curve.csv",
    "data_quality.json",
  ];
  assertSameOutputs(out("one"), out("two"), files);
  assertSameOutputs(out("one"), out("merged"), files);

  // What the grid ran: 8 combinations a period, both sides' deltas among its columns.
  const grid = pl.readParquet(join(out("one"), "grid_results.parquet"));
  assert.deepEqual(grid.columns.slice(1, 5), [
    "combination",
    "short_delta",
    "entry.call.short_delta",
    "profit_target_pct",
  ]);
  const wf = JSON.parse(readFileSync(join(out("one"), "walk_forward.json"), "utf8"));
  assert.equal(grid.height, wf.periods.length * 8);
  const chosen = wf.periods.filter((p: { chosen: unknown }) => p.chosen);
  assert.ok(chosen.length > 0, "some period chose a combination");
  for (const p of chosen) {
    assert.ok([0.1, 0.15].includes(p.chosen.params["entry.call.short_delta"]));
  }
  // The stitched out-of-sample trades are iron condors with their four legs.
  const trades = pl.readParquet(join(out("one"), "trades.parquet"));
  const legs = pl.readParquet(join(out("one"), "trade_legs.parquet"));
  assert.ok(trades.height > 0, "the test windows traded");
  assert.deepEqual([...new Set(trades.getColumn("spread_type").toArray())], ["iron_condor"]);
  assert.equal(legs.height, 4 * trades.height);
  // The latest choice's call band is written to params.toml as [entry.call].
  const params = loadConfig(join(out("one"), "params.toml"));
  const d = wf.periods.findLast((p: { chosen: unknown }) => p.chosen).chosen.params;
  assert.ok(
    Math.abs(params.entry.call!.short_delta_max! - (d["entry.call.short_delta"] + 0.05)) < 1e-12,
  );
});
