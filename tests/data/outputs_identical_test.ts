/**
 * Outputs are byte-identical whichever way the data arrives: read from the files with the cache
 * off; read from the files while the cache entry is written (straight into its column files,
 * or from memory when maps are off); mapped from the cache; read from the cache without maps
 * (`MAHLER_MMAP=0`). Checked for `run` and `optimize` (2 workers, which open the mapped store
 * themselves) on the sample market and on a two-year slice of the full-density market
 * (generated here, 2010-2011, 3.1 M rows, as `sample --profile full` writes it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { generateSample } from "../../lib/mod.ts";
import { runCli } from "../helpers/cli.ts";
import { assertSameOutputs } from "../helpers/outputs.ts";

/** Temporary folders of the running test (gigabytes of caches: removed when it ends). */
const folders: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
};
const cleanUp = () => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** A copy of a configuration with the cache turned off (params.toml then shows `[data]`). */
function withoutCache(config: string, dir: string): string {
  const file = join(dir, "no-cache.toml");
  writeFileSync(file, readFileSync(config, "utf8") + "\n[data]\ncache = false\n");
  return file;
}

/** A way of loading: a cache folder, an environment and a configuration. */
interface Mode {
  name: string;
  cache: string;
  env: Record<string, string>;
  config: string;
}

/** The ways of loading with the cache on. */
function modes(config: string): Mode[] {
  const shared = temp("mahler-ident-cache-");
  return [
    { name: "cold, written directly", cache: shared, env: {}, config },
    { name: "warm, mapped", cache: shared, env: {}, config },
    { name: "warm, read without maps", cache: shared, env: { MAHLER_MMAP: "0" }, config },
    {
      name: "cold without maps, written from memory",
      cache: temp("mahler-ident-cache-"),
      env: { MAHLER_MMAP: "0" },
      config,
    },
  ];
}

/** Runs a command in each way of loading and compares every output with the cache off. */
async function assertIdenticalOutputs(
  what: string,
  args: (config: string, out: string) => string[],
  config: string,
  required: string[],
): Promise<void> {
  const root = temp("mahler-ident-out-");
  const off = join(root, "off");
  const r = await runCli(args(withoutCache(config, root), off), {
    MAHLER_CACHE_DIR: temp("mahler-ident-cache-"),
  });
  assert.equal(r.code, 0, r.stderr);
  for (const [k, mode] of modes(config).entries()) {
    const out = join(root, `mode-${k}`);
    const run = await runCli(args(mode.config, out), {
      MAHLER_CACHE_DIR: mode.cache,
      ...mode.env,
    });
    assert.equal(run.code, 0, `${what}, ${mode.name}: ${run.stderr}`);
    if (mode.name.startsWith("warm")) assert.match(run.stderr, /from the cache/, mode.name);
    else assert.match(run.stderr, /cached in/, mode.name);
    // params.toml of the cache-off run carries its [data] section: compared without it.
    for (const f of required.filter((f) => f !== "params.toml")) {
      assert.ok(
        readFileSync(join(out, f)).equals(readFileSync(join(off, f))),
        `${what}, ${mode.name}: ${f} differs from the run without cache`,
      );
    }
    if (k > 0) assertSameOutputs(join(root, "mode-0"), out, required);
  }
}

const RUN_FILES = [
  "trades.parquet",
  "equity_curve.csv",
  "metrics.json",
  "data_quality.json",
  "params.toml",
];
const OPTIMIZE_FILES = [
  "walk_forward.json",
  "grid_results.parquet",
  "trades.parquet",
  "equity_curve.csv",
  "metrics.json",
  "data_quality.json",
  "params.toml",
];

const runArgs = (data: string) => (config: string, out: string) => [
  "run",
  "--config",
  config,
  "--data",
  data,
  "--out",
  out,
];
const optimizeArgs = (data: string) => (config: string, out: string) => [
  "optimize",
  "--config",
  config,
  "--data",
  data,
  "--workers",
  "2",
  "--out",
  out,
];

Deno.test("the sample market: run and optimize outputs are byte-identical in every way of loading", async () => {
  try {
    const sample = join(temp("mahler-ident-sample-"), "sample");
    generateSample({ outDir: sample });
    await assertIdenticalOutputs("run", runArgs(sample), "config/sample.toml", RUN_FILES);
    await assertIdenticalOutputs(
      "optimize",
      optimizeArgs(sample),
      "config/test_config.toml",
      OPTIMIZE_FILES,
    );
  } finally {
    cleanUp();
  }
});

Deno.test("a two-year slice of the full-density market: outputs are byte-identical in every way of loading", async () => {
  try {
    const slice = join(temp("mahler-ident-full-"), "full");
    const made = await runCli(
      ["sample", "--profile", "full", "--from", "2010-01-04", "--to", "2011-12-30", "--out", slice],
      { MAHLER_CACHE_DIR: temp("mahler-ident-cache-") },
    );
    assert.equal(made.code, 0, made.stderr);
    await assertIdenticalOutputs("run", runArgs(slice), "config/sample.toml", RUN_FILES);
    await assertIdenticalOutputs(
      "optimize",
      optimizeArgs(slice),
      "config/test_config.toml",
      OPTIMIZE_FILES,
    );
  } finally {
    cleanUp();
  }
});
