/**
 * The Slurm launcher on a real one-node cluster (`deno task test:slurm`, as root on Debian; not
 * part of `deno task test`). Starts the cluster with scripts/slurm-local.sh, submits the array
 * and merge jobs through deploy/slurm/submit.sh and optimize.sbatch with a stand-in optimize
 * command (tests/slurm/standin_optimize.ts) that records what each job received, checks the
 * arguments, the Slurm variables, the afterok ordering and the refusals, then stops the cluster
 * (unless it was already running before the test).
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StandInMerge, StandInShard } from "./standin_optimize.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLUSTER = join(ROOT, "scripts/slurm-local.sh");
const SUBMIT = join(ROOT, "deploy/slurm/submit.sh");
const SBATCH = join(ROOT, "deploy/slurm/optimize.sbatch");
const STANDIN = join(ROOT, "tests/slurm/standin_optimize.ts");
/** The stand-in for `npx --yes deno@2.9.6 run -A main.ts`, as a shell fragment. */
const STANDIN_CMD = `'${Deno.execPath()}' run -A '${STANDIN}'`;
/** Environment of every submission: the stand-in, and a short poll for `--wait`. */
const STANDIN_ENV = { MAHLER_CMD: STANDIN_CMD, MAHLER_POLL_SECONDS: "0.5" };

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Waits until Slurm no longer lists the job (every task ended). */
async function waitForJob(id: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const queue = await run("squeue", ["-h", "-j", id]);
    if (queue.code === 0 && queue.stdout.trim() === "") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`job ${id} still queued after 60 s`);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

Deno.test("the Slurm launcher on a local one-node cluster", async (t) => {
  const wasRunning = (await run("bash", [CLUSTER, "status"])).code === 0;
  const t0 = performance.now();
  const start = await run("bash", [CLUSTER, "start"]);
  assert.equal(start.code, 0, `slurm-local.sh start failed:\n${start.stdout}\n${start.stderr}`);
  console.log(`cluster start: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const work = mkdtempSync(join(tmpdir(), "mahler-slurm-test-"));
  try {
    await t.step("start is idempotent and status reports the idle node", async () => {
      const again = await run("bash", [CLUSTER, "start"]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /already running/);
      const status = await run("bash", [CLUSTER, "status"]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /\bidle\b/);
    });

    await t.step("3 shards, then the merge after all of them", async () => {
      const out = join(work, "ok");
      const t1 = performance.now();
      const res = await run("bash", [SUBMIT, "--shards", "3", "--out", out, "--wait"], STANDIN_ENV);
      console.log(`3 shards + merge: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
      const shards = [0, 1, 2].map((i) =>
        readJson<StandInShard>(join(out, `shard-${i}`, "shard.json"))
      );
      for (const [i, s] of shards.entries()) {
        assert.deepEqual(s.args, [
          "--config",
          join(ROOT, "config/default.toml"),
          "--data",
          join(ROOT, "data/sample"),
          "--shard",
          "auto",
          "--workers",
          "1",
          "--out",
          join(out, `shard-${i}`),
        ]);
        assert.equal(s.index, i, "SLURM_ARRAY_TASK_ID");
        assert.equal(s.count, 3, "SLURM_ARRAY_TASK_COUNT");
        assert.equal(s.arrayJobId, shards[0].arrayJobId, "one array job");
      }
      const merged = readJson<StandInMerge>(join(out, "merged", "merged.json"));
      assert.deepEqual(merged.args, [
        "--merge",
        ...[0, 1, 2].map((i) => join(out, `shard-${i}`)),
        "--out",
        join(out, "merged"),
      ]);
      assert.deepEqual(merged.shards.map((s) => s.index), [0, 1, 2]);
      const lastShardEnd = Math.max(...shards.map((s) => s.endedMs));
      assert.ok(merged.startedMs >= lastShardEnd, "the merge starts after every shard ended");
      for (const log of ["shard-0.log", "shard-1.log", "shard-2.log", "merge.log"]) {
        assert.ok(existsSync(join(out, "logs", log)), log);
      }
    });

    await t.step("a failing shard cancels the merge and fails the submission", async () => {
      const out = join(work, "failing");
      const res = await run("bash", [SUBMIT, "--shards", "3", "--out", out, "--wait"], {
        ...STANDIN_ENV,
        MAHLER_STANDIN_FAIL: "1",
      });
      assert.equal(res.code, 1, res.stdout);
      assert.match(res.stderr, /shard 1: FAILED/);
      assert.match(res.stderr, /merge job \d+ ended CANCELLED/);
      assert.ok(existsSync(join(out, "shard-0", "shard.json")));
      assert.ok(!existsSync(join(out, "shard-1")));
      assert.ok(!existsSync(join(out, "merged")), "no merge ran");
    });

    await t.step("an array that is not 0..N-1 is refused by the job", async () => {
      const out = join(work, "misfit");
      const res = await run("sbatch", [
        "--parsable",
        "--array=1-3",
        `--output=${join(work, "misfit-%a.log")}`,
        "--export=ALL",
        SBATCH,
      ], { MAHLER_CMD: STANDIN_CMD, MAHLER_SHARDS: "3", MAHLER_OUT: out, MAHLER_DIR: ROOT });
      assert.equal(res.code, 0, res.stderr);
      await waitForJob(res.stdout.trim());
      const log = readFileSync(join(work, "misfit-1.log"), "utf8");
      assert.match(log, /the array must be 0-2, got 1-3/);
      assert.ok(!existsSync(out), "nothing ran");
    });

    await t.step("submit.sh refuses a non-empty output folder before submitting", async () => {
      const out = join(work, "ok");
      const res = await run("bash", [SUBMIT, "--shards", "2", "--out", out], STANDIN_ENV);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /exists and is not empty/);
      assert.doesNotMatch(res.stdout, /array job/);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!wasRunning) {
      const stop = await run("bash", [CLUSTER, "stop"]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal((await run("bash", [CLUSTER, "status"])).code, 3, "stopped");
      assert.match((await run("bash", [CLUSTER, "stop"])).stdout, /not running/);
    }
  }
});
