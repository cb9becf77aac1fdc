/**
 * A requeued Slurm array task (SLURM_RESTART_COUNT > 0) replaces its own earlier attempt's shard
 * folder: before, the restart was refused ("exists and is not empty") when the task was requeued
 * after writing its folder, the array failed and the merge was cancelled (found by
 * tests/faults/shards.ts with a real `scontrol requeue`). MAHLER_CMD=echo prints the command
 * optimize.sbatch would run.
 */
import assert from "node:assert/strict";

const SBATCH = new URL("../../deploy/slurm/optimize.sbatch", import.meta.url).pathname;

async function shardCommand(restarts: string | undefined): Promise<string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    MAHLER_CMD: "echo",
    MAHLER_SHARDS: "3",
    MAHLER_OUT: "/tmp/wf",
    MAHLER_DIR: Deno.cwd(),
    SLURM_ARRAY_TASK_ID: "1",
    SLURM_ARRAY_TASK_COUNT: "3",
    SLURM_ARRAY_TASK_MIN: "0",
    SLURM_ARRAY_TASK_MAX: "2",
  };
  if (restarts !== undefined) env.SLURM_RESTART_COUNT = restarts;
  const out = await new Deno.Command("bash", { args: [SBATCH], env, clearEnv: true }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
}

Deno.test("a first attempt of a shard refuses a non-empty folder (no --force)", async () => {
  for (const restarts of [undefined, "0"]) {
    const line = await shardCommand(restarts);
    assert.match(line, /^optimize --config .* --shard auto --workers 1 --out \/tmp\/wf\/shard-1$/);
  }
});

Deno.test("a requeued shard replaces its earlier attempt's folder (--force)", async () => {
  const line = await shardCommand("2");
  assert.match(
    line,
    /^optimize --config .* --shard auto --workers 1 --out \/tmp\/wf\/shard-1 --force$/,
  );
});
