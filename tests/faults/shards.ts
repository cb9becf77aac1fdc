/**
 * Preempted shards.
 *
 * - Kill and restart (POINTS): one of three shards (seeded) is killed with SIGKILL at a seeded
 *   moment and started again with the same command line, as Slurm's requeue or a Kubernetes
 *   retry does (`--force` on the restart, as deploy/slurm/optimize.sbatch adds it when
 *   SLURM_RESTART_COUNT > 0). After the kill its folder holds a complete partial (one the merge
 *   reads) or nothing; after the restart the merge of the three gives a single `optimize`'s
 *   files byte for byte.
 * - Incomplete payloads (POINTS): a seeded shard's outcomes.json truncated at a seeded length
 *   or with a flipped byte. The merge refuses it in one line naming the shard, and writes
 *   nothing.
 * - A real `scontrol requeue` on the local one-node Slurm cluster (scripts/slurm-local.sh, as
 *   root): the array is submitted through deploy/slurm/submit.sh; task 1 is requeued once its
 *   folder is written (before its process ends), task 2 while it runs; the merge job then gives
 *   the single run's files. Where the cluster cannot start, the kind says so and counts as not
 *   run (MAHLER_FAULT_SLURM=0 skips it).
 *
 * Usage: `deno run -A tests/faults/shards.ts` (run_faults.ts runs it).
 *
 * @module
 */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { readShardHeader, readShardPayload } from "../../lib/app/shard_files.ts";
import {
  CONFIG,
  expect,
  figures,
  filesOf,
  inject,
  kindSeed,
  mahler,
  POINTS,
  random,
  remove,
  report,
  ROOT,
  spawn,
} from "./_common.ts";
import { market } from "./_market.ts";

const m = await market("shards");
const env = { MAHLER_CACHE_DIR: m.cache };
const SHARDS = 3;
const shardArgs = (i: number, out: string) => [
  "optimize",
  "--config",
  CONFIG,
  "--data",
  m.data,
  "--workers",
  "1",
  "--shard",
  `${i}/${SHARDS}`,
  "--out",
  out,
];
/** The merged files, without manifest.json (it names the shards). */
const mergedFiles = (dir: string) => {
  const files = filesOf(dir);
  files.delete("manifest.json");
  return files;
};
const sameMerged = (dir: string, want: Map<string, Uint8Array>) => {
  const got = mergedFiles(dir);
  return got.size === want.size && sameFilesOf(got, want);
};
const sameFilesOf = (a: Map<string, Uint8Array>, b: Map<string, Uint8Array>) =>
  [...b].every(([k, v]) => {
    const o = a.get(k);
    return o !== undefined && o.length === v.length && o.every((x, j) => x === v[j]);
  });

try {
  const singleDir = join(m.work, "single");
  const single = await mahler([
    "optimize",
    "--config",
    CONFIG,
    "--data",
    m.data,
    "--workers",
    "1",
    "--out",
    singleDir,
  ], env);
  expect(single.code === 0, single.stderr);
  const want = mergedFiles(singleDir);
  const shardsDir = join(m.work, "shards");
  const durations: number[] = [];
  for (let i = 0; i < SHARDS; i++) {
    const res = await mahler(shardArgs(i, join(shardsDir, `shard-${i}`)), env);
    expect(res.code === 0, res.stderr);
    durations.push(res.ms);
  }
  const merge = (dirs: string[], out: string) =>
    mahler(["optimize", "--merge", ...dirs, "--out", out], env);
  const shardDirs = [0, 1, 2].map((i) => join(shardsDir, `shard-${i}`));
  const merged = await merge(shardDirs, join(m.work, "merged"));
  expect(merged.code === 0, merged.stderr);
  expect(sameMerged(join(m.work, "merged"), want), "the undisturbed merge differs");

  {
    const f = figures("preempted shard: kill and restart");
    const next = random(kindSeed(f.kind));
    for (let p = 0; p < POINTS; p++) {
      const i = Math.floor(next() * SHARDS);
      const at = Math.floor(next() * durations[i] * 1.1);
      await inject(f, `point ${p} (shard ${i} at ${at} ms)`, async () => {
        const parent = join(m.work, `preempt-${p}`);
        const dirs = shardDirs.map((d, k) => k === i ? join(parent, `shard-${k}`) : d);
        Deno.mkdirSync(parent);
        await mahler(shardArgs(i, dirs[i]), env, at);
        if (existsSync(dirs[i])) {
          // Whatever is there is a complete partial.
          const header = readShardHeader(dirs[i]);
          readShardPayload(dirs[i], header);
        }
        const again = await mahler([...shardArgs(i, dirs[i]), "--force"], env);
        expect(again.code === 0, `the restart failed: ${again.stderr.trim()}`);
        const out = join(parent, "merged");
        const res = await merge(dirs, out);
        expect(res.code === 0, `the merge failed: ${res.stderr.trim()}`);
        expect(sameMerged(out, want), "the merge differs from a single run's");
        const left = readdirSync(parent).filter((n) => n !== `shard-${i}` && n !== "merged");
        expect(left.length === 0, `left behind: ${left.join(", ")}`);
        remove(parent);
        return 0;
      });
    }
    report(f);
  }

  {
    const f = figures("preempted shard: incomplete payload");
    const next = random(kindSeed(f.kind));
    for (let p = 0; p < POINTS; p++) {
      const i = Math.floor(next() * SHARDS);
      const parent = join(m.work, `payload-${p}`);
      const dirs = shardDirs.map((d, k) => k === i ? join(parent, `shard-${k}`) : d);
      Deno.mkdirSync(parent, { recursive: true });
      await spawn(["cp", "-r", shardDirs[i], dirs[i]], {});
      const payload = join(dirs[i], "outcomes.json");
      const size = statSync(payload).size;
      const at = Math.floor(next() * size);
      const truncate = next() < 0.5;
      if (truncate) truncateSync(payload, at);
      else {
        const fd = openSync(payload, "r+");
        const b = new Uint8Array(1);
        readSync(fd, b, 0, 1, at);
        b[0] ^= 1 + Math.floor(next() * 255);
        writeSync(fd, b, 0, 1, at);
        closeSync(fd);
      }
      await inject(
        f,
        `point ${p} (shard ${i}, ${truncate ? "cut" : "flip"} at ${at})`,
        async () => {
          const out = join(parent, "merged");
          const res = await merge(dirs, out);
          expect(res.code === 1, `the merge did not refuse it (code ${res.code})`);
          const lines = res.stderr.trim().split("\n");
          expect(lines.length === 1, `not one line: ${res.stderr.trim()}`);
          expect(lines[0].includes(dirs[i]), `does not name the shard: ${lines[0]}`);
          expect(!existsSync(out), "the merge wrote something");
          return 0;
        },
      );
      remove(parent);
    }
    report(f);
  }

  if (Deno.env.get("MAHLER_FAULT_SLURM") !== "0") await slurmRequeue(want);
} finally {
  remove(m.work);
}

/** Runs a command, returning its output (never throws). */
async function sh(argv: string[], extra: Record<string, string> = {}) {
  return await spawn(argv, extra);
}

/** The real requeue on the local Slurm cluster. */
async function slurmRequeue(want: Map<string, Uint8Array>): Promise<void> {
  const f = figures("preempted shard: scontrol requeue");
  const cluster = join(ROOT, "scripts/slurm-local.sh");
  const wasRunning = (await sh(["bash", cluster, "status"])).code === 0;
  const start = await sh(["bash", cluster, "start"]);
  if (start.code !== 0) {
    f.injected = 1;
    f.failures.push(`NOT RUN: the local Slurm cluster did not start: ${start.stderr.trim()}`);
    report(f);
    return;
  }
  const out = join(m.work, "slurm");
  try {
    // Each task sleeps after writing its folder, so that a requeue can land after it.
    const cmd = `f() { '${Deno.execPath()}' run -A main.ts "$@" && sleep 6; }; f`;
    const submitted = await sh([
      "bash",
      join(ROOT, "deploy/slurm/submit.sh"),
      "--shards",
      String(SHARDS),
      "--out",
      out,
      "--config",
      CONFIG,
      "--data",
      m.data,
    ], { MAHLER_CMD: cmd, MAHLER_CACHE_DIR: m.cache });
    expect(submitted.code === 0, `submit.sh failed: ${submitted.stderr.trim()}`);
    const array = /array job (\d+)/.exec(submitted.stdout)?.[1];
    const mergeJob = /merge job (\d+)/.exec(submitted.stdout)?.[1];
    expect(array !== undefined && mergeJob !== undefined, `no job ids: ${submitted.stdout}`);
    const state = async (job: string) =>
      (await sh(["squeue", "-h", "-j", job, "-o", "%T"])).stdout.trim();
    const wait = async (ok: () => Promise<boolean>, what: string, seconds = 180) => {
      for (let k = 0; k < seconds * 4; k++) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const requeue = async (task: number) => {
      const res = await sh(["scontrol", "requeue", `${array}_${task}`]);
      expect(res.code === 0, `scontrol requeue ${array}_${task}: ${res.stderr.trim()}`);
    };
    // Task 2: requeued while it runs (before its folder exists); task 1: requeued after its
    // folder is written, before its process ends. Both are watched at once (two run at a time).
    await Promise.all([
      inject(f, "task 2 requeued while running", async () => {
        await wait(async () => (await state(`${array}_2`)) === "RUNNING", "task 2 to run");
        expect(!existsSync(join(out, "shard-2")), "task 2 wrote its folder before the requeue");
        await requeue(2);
        return 0;
      }),
      inject(f, "task 1 requeued after writing its folder", async () => {
        await wait(
          () => Promise.resolve(existsSync(join(out, "shard-1", "outcomes.json"))),
          "shard-1",
        );
        expect((await state(`${array}_1`)) === "RUNNING", "task 1 ended before the requeue");
        await requeue(1);
        return 0;
      }),
    ]);
    await inject(f, "the merge after the requeues", async () => {
      await wait(async () => (await state(mergeJob)) === "", "the merge job", 300);
      const merged = join(out, "merged");
      const log = (name: string) => {
        try {
          return Deno.readTextFileSync(join(out, "logs", name));
        } catch {
          return "";
        }
      };
      expect(existsSync(merged), `no merge: ${log("merge.log")}${log("shard-1.log")}`);
      expect(sameMerged(merged, want), "the merge differs from a single run's");
      expect(/restart 1 of shard 1/.test(log("shard-1.log")), "task 1 did not run again");
      return 0;
    });
  } catch (err) {
    f.injected++;
    f.failures.push(String((err as Error).message));
  } finally {
    if (!wasRunning) await sh(["bash", cluster, "stop"]);
  }
  report(f);
}
