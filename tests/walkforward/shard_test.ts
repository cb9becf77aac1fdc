/**
 * The sharded walk-forward: 3 shards as separate processes, merged, give every output of a
 * single `optimize` byte for byte (manifest.json aside); bad shard sets are refused naming the
 * shard, and nothing is written; the split covers the work exactly once, in balanced,
 * contiguous slices.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import {
  assembleWalkForward,
  assemblyContext,
  buildChainStore,
  checkShardSet,
  generateSample,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
  planWalkForward,
  runWalkForwardWork,
  scanChainDays,
  shardCostShare,
  type ShardHeader,
  shardWork,
  type WalkForwardPlan,
} from "../../lib/mod.ts";
import { runCli } from "../helpers/cli.ts";
import { assertSameOutputs } from "../helpers/outputs.ts";

const CONFIG = new URL("../../config/test_config.toml", import.meta.url).pathname;

const cli = runCli;

const sameOutputs = (a: string, b: string) =>
  assertSameOutputs(a, b, [
    "walk_forward.json",
    "grid_results.parquet",
    "trades.parquet",
    "metrics.json",
    "equity_curve.csv",
    "params.toml",
    "data_quality.json",
  ]);

Deno.test("optimize --shard: 3 processes merged give a single optimize's files byte for byte", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-shard-"));
  try {
    const data = join(dir, "data");
    // Ten months, 2-month training windows: seven periods of a 2 × 2 grid.
    generateSample({ outDir: data, start: "2024-01-02", end: "2024-10-31", seed: 3 });
    const base = ["optimize", "--config", CONFIG, "--data", data, "--workers", "1"];
    const single = join(dir, "single");
    const shard = (i: number) => join(dir, `shard-${i}`);
    // Shard 0 by --shard I/N, shard 1 as a Kubernetes Indexed Job's pod (loading the whole
    // span), shard 2 as a Slurm array task; all at once, as separate processes.
    const runs = await Promise.all([
      cli([...base, "--out", single]),
      cli([...base, "--shard", "0/3", "--out", shard(0)]),
      cli([...base, "--shard", "auto", "--out", shard(1)], {
        JOB_COMPLETION_INDEX: "1",
        MAHLER_SHARD_COUNT: "3",
        MAHLER_SHARD_FULL_LOAD: "1",
      }),
      cli([...base, "--shard", "auto", "--out", shard(2)], {
        SLURM_ARRAY_TASK_ID: "2",
        SLURM_ARRAY_TASK_COUNT: "3",
      }),
    ]);
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.match(runs[2].stdout, /^Shard 1\/3: /m);
    assert.match(runs[3].stdout, /^Shard 2\/3: /m);
    const headers = [0, 1, 2].map((i) =>
      JSON.parse(readFileSync(join(shard(i), "shard.json"), "utf8"))
    );
    assert.deepEqual(headers.map((h) => h.shard), [0, 1, 2].map((index) => ({ index, count: 3 })));
    assert.deepEqual(headers.flatMap((h) => h.work.periods), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(headers.flatMap((h) => h.work.full_runs), [0, 1, 2, 3]);
    // The full-data runs' shard loads the whole span, and so does shard 1 (told to); shard 2
    // loads only its periods' window (with the IV history before it).
    assert.equal(headers[0].loaded, null);
    assert.equal(headers[1].loaded, null);
    const first = headers[2].work.periods[0];
    assert.ok(first > 0);
    assert.deepEqual(headers[2].loaded, { from: `2024-0${first + 1}-01`, to: "2024-10-31" });
    assert.equal(headers[0].format, "mahler-walk-forward-shard");
    assert.equal(headers[0].format_version, 1);

    await t.step("the merge, given the shards in any order", async () => {
      const merged = join(dir, "merged");
      const r = await cli(["optimize", "--merge", shard(2), shard(0), shard(1), "--out", merged]);
      assert.equal(r.code, 0, r.stderr);
      sameOutputs(single, merged);
      const manifest = JSON.parse(readFileSync(join(merged, "manifest.json"), "utf8"));
      assert.deepEqual(
        manifest.merged_from.map((s: { dir: string }) => s.dir),
        [0, 1, 2].map(shard),
      );
      const one = JSON.parse(readFileSync(join(single, "manifest.json"), "utf8"));
      assert.equal(manifest.config_sha256, one.config_sha256);
      assert.deepEqual(manifest.inputs, one.inputs);
      // The same summary as the single run prints.
      const tail = (s: string) => s.slice(s.indexOf("Out-of-sample"));
      assert.ok(r.stdout.includes("Verdict: "));
      assert.equal(
        tail(r.stdout).replace(/to \S+$/m, ""),
        tail(runs[0].stdout).replace(/to \S+$/m, ""),
      );
    });

    await t.step(
      "with --from/--to: the window's shards merge into the window's single run",
      async () => {
        const w = ["--from", "2024-02-01", "--to", "2024-09-30"];
        const part = (i: number) => join(dir, `window-${i}`);
        const runs = await Promise.all([
          cli([...base, ...w, "--out", join(dir, "window-single")]),
          ...[0, 1, 2].map((i) => cli([...base, ...w, "--shard", `${i}/3`, "--out", part(i)])),
        ]);
        for (const r of runs) assert.equal(r.code, 0, r.stderr);
        const merged = join(dir, "window-merged");
        const r = await cli(["optimize", "--merge", part(0), part(1), part(2), "--out", merged]);
        assert.equal(r.code, 0, r.stderr);
        sameOutputs(join(dir, "window-single"), merged);
        const last = JSON.parse(readFileSync(join(part(2), "shard.json"), "utf8"));
        assert.equal(last.loaded.to, "2024-09-30");
      },
    );

    const refused = async (dirs: string[], pattern: RegExp) => {
      const out = join(dir, "refused");
      const r = await cli(["optimize", "--merge", ...dirs, "--out", out]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, pattern);
      assert.ok(!existsSync(out), "nothing written");
    };

    await t.step("refused: a missing shard", async () => {
      await refused([shard(0), shard(2)], /Shard 1\/3 missing: the merge needs all 3 shards/);
    });

    await t.step("refused: a duplicate shard", async () => {
      const copy = join(dir, "copy-of-1");
      cpSync(shard(1), copy, { recursive: true });
      await refused(
        [shard(0), shard(1), copy, shard(2)],
        new RegExp(`Shards ${shard(1)} and ${copy} are both shard 1/3: duplicate`),
      );
    });

    await t.step("refused: a shard of another configuration", async () => {
      const other = join(dir, "other-config");
      const r = await cli([
        ...base,
        "--shard",
        "1/3",
        "--out",
        other,
        "--set",
        "exit.profit_target_pct=0.6",
      ]);
      assert.equal(r.code, 0, r.stderr);
      await refused(
        [shard(0), other, shard(2)],
        new RegExp(`Shard ${other} \\(shard 1/3\\) comes from another configuration`),
      );
    });

    await t.step("refused: a shard of another data set or version, or not a shard", async () => {
      const edit = (name: string, change: (h: Record<string, unknown>) => void) => {
        const copy = join(dir, name);
        cpSync(shard(2), copy, { recursive: true });
        const header = JSON.parse(readFileSync(join(copy, "shard.json"), "utf8"));
        change(header);
        writeFileSync(join(copy, "shard.json"), JSON.stringify(header));
        return copy;
      };
      const data2 = edit("other-data", (h) => {
        const inputs = h.inputs as { sha256: string }[];
        inputs[0].sha256 = "0".repeat(64);
      });
      await refused([shard(0), shard(1), data2], /comes from another data set than .*chains/);
      const version = edit("other-version", (h) => (h.version = "0.0.1"));
      await refused([shard(0), shard(1), version], /was written by mahler 0\.0\.1/);
      const format = edit("other-format", (h) => (h.format_version = 2));
      await refused([shard(0), shard(1), format], /partial format version 2/);
      await refused([shard(0), shard(1), single], /no shard\.json/);
      // A changed payload no longer matches its header.
      const tampered = join(dir, "tampered");
      cpSync(shard(2), tampered, { recursive: true });
      writeFileSync(join(tampered, "outcomes.json"), "{}");
      await refused([shard(0), shard(1), tampered], /outcomes\.json does not match/);
    });

    await t.step("refused: shards of a split into another count", async () => {
      const two = join(dir, "two-0");
      const r = await cli([...base, "--shard", "0/2", "--out", two]);
      assert.equal(r.code, 0, r.stderr);
      await refused([two, shard(1), shard(2)], /belongs to a split into 3 shards, .* into 2/);
    });

    await t.step("bad --shard values are usage errors", async () => {
      for (
        const [value, env, pattern] of [
          ["3/3", {}, /from 0 to 2/],
          ["1-3", {}, /I\/N/],
          ["auto", {}, /SLURM_ARRAY_TASK_ID/],
        ] as const
      ) {
        const r = await cli([...base, "--shard", value, "--out", join(dir, "bad")], env);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, pattern);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A plan of P periods rolling over C combinations, as shardWork sees it. */
function fakePlan(combinations: number, periods: number, train: number, topN: number) {
  const w = (fromIndex: number, toIndex: number) => ({ fromIndex, toIndex, start: "", end: "" });
  return {
    combinations,
    topN: Math.min(topN, combinations),
    span: { fromIndex: 0, toIndex: train + 20 * (periods + 1) },
    periods: Array.from({ length: periods }, (_, i) => ({
      index: i,
      train: w(20 * i, 20 * i + train - 1),
      validate: w(20 * i + train, 20 * i + train + 19),
      test: w(20 * i + train + 20, 20 * i + train + 39),
    })),
  } as unknown as WalkForwardPlan;
}

Deno.test("scanChainDays: the chain files' dates are the loaded store's calendar", () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-scan-"));
  try {
    generateSample({ outDir: dir, start: "2024-02-01", end: "2024-05-31", seed: 4 });
    const scan = scanChainDays(dir)!;
    assert.deepEqual([...scan.days], [...buildChainStore(loadMarketData(dir)).calendar]);
    assert.ok(scan.files.every((f) => f.first === scan.days[0] && f.bytes > 0));
    assert.equal(scanChainDays(join(dir, "missing")), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("shardWork: every unit once, in contiguous slices, within one unit of the fair share", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 1, max: 80 }),
      fc.integer({ min: 20, max: 500 }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 12 }),
      (combos, periods, train, topN, count) => {
        const plan = fakePlan(combos, periods, train, topN);
        const parts = Array.from(
          { length: count },
          (_, index) => shardWork(plan, { index, count }),
        );
        // Exactly once, in order: the concatenation is 0..n-1.
        assert.deepEqual(parts.flatMap((p) => p.fullRuns), [...Array(combos).keys()]);
        assert.deepEqual(parts.flatMap((p) => p.periods), [...Array(periods).keys()]);
        // Balanced: no shard exceeds the fair share by more than the largest unit.
        const spanDays = plan.span.toIndex + 1;
        const periodDays = combos * train + plan.topN * 20 + 20;
        const total = combos * spanDays + periods * periodDays;
        const largest = Math.max(spanDays, periodDays) / total;
        for (const p of parts) assert.ok(shardCostShare(plan, p) <= 1 / count + largest + 1e-12);
      },
    ),
  );
});

Deno.test("the seam: work run in two parts, in any order, assembles into optimizeWalkForward's result", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mahler-seam-"));
  try {
    generateSample({ outDir: dir, start: "2024-01-02", end: "2024-08-30", seed: 5 });
    const store = buildChainStore(loadMarketData(dir));
    const config = loadConfig(CONFIG);
    const whole = await optimizeWalkForward(store, config, { workers: 1 });
    const plan = planWalkForward(store, config);
    const parts = [0, 1].map((index) => shardWork(plan, { index, count: 2 }));
    const outcomes = await Promise.all(
      parts.reverse().map((work) => runWalkForwardWork(store, plan, work, { workers: 1 })),
    );
    const all = {
      periods: outcomes.flatMap((o) => o.periods),
      fullRuns: outcomes.flatMap((o) => o.fullRuns),
    };
    const context = assemblyContext(store, plan);
    assert.deepEqual(assembleWalkForward(plan, context, all), whole);
    // Missing or repeated work is an error, never a silent result.
    assert.throws(
      () => assembleWalkForward(plan, context, { ...all, periods: all.periods.slice(1) }),
      /Period \d+ is missing/,
    );
    assert.throws(
      () =>
        assembleWalkForward(plan, context, {
          ...all,
          fullRuns: [...all.fullRuns, all.fullRuns[0]],
        }),
      /given twice/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("checkShardSet: a shard left without work read no data; any other data set is refused", () => {
  const header = (index: number, inputs: { path: string; sha256: string }[]) =>
    ({
      format: "mahler-walk-forward-shard",
      format_version: 1,
      tool: "mahler",
      version: "0.1.0",
      shard: { index, count: 3 },
      config_sha256: "c".repeat(64),
      window: { from: null, to: null },
      inputs,
    }) as unknown as ShardHeader;
  const data = [{ path: "a.parquet", sha256: "a".repeat(64) }];
  const other = [{ path: "a.parquet", sha256: "b".repeat(64) }];
  // Shard 2 of 3 had no unit of work: it loaded nothing and lists no input.
  checkShardSet([
    { dir: "s2", header: header(2, []) },
    { dir: "s0", header: header(0, data) },
    { dir: "s1", header: header(1, data) },
  ]);
  assert.throws(
    () =>
      checkShardSet([
        { dir: "s2", header: header(2, []) },
        { dir: "s0", header: header(0, data) },
        { dir: "s1", header: header(1, other) },
      ]),
    /Shard s1 \(shard 1\/3\) comes from another data set than s0: a\.parquet differs/,
  );
});
