/**
 * A stand-in for `main.ts optimize --shard auto` and `optimize --merge`, used by the Slurm test
 * as MAHLER_CMD to prove the launcher's plumbing: which arguments and Slurm variables each job
 * receives, and that the merge runs only after every shard. It does no optimization.
 *
 * - `optimize --config C --data D --shard auto --workers W --out DIR` reads I and N from
 *   SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT and writes DIR/shard.json (its arguments,
 *   I, N, start and end times). With MAHLER_STANDIN_FAIL=I, shard I exits 1 instead.
 * - `optimize --merge DIR... --out OUT` reads every DIR/shard.json, refuses a missing,
 *   duplicate or out-of-range shard, and writes OUT/merged.json (its arguments, the shards in
 *   order, its own start time).
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

/** What a stand-in shard records. */
export interface StandInShard {
  args: string[];
  index: number;
  count: number;
  config: string;
  data: string;
  workers: string;
  arrayJobId: string;
  startedMs: number;
  endedMs: number;
}

/** What the stand-in merge records. */
export interface StandInMerge {
  args: string[];
  shards: StandInShard[];
  startedMs: number;
}

function writeJsonAtomic(dir: string, name: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(value, null, 2));
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
}

function die(message: string): never {
  console.error(`standin optimize: ${message}`);
  Deno.exit(1);
}

async function shard(
  args: string[],
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  if (values.shard !== "auto") die(`expected --shard auto, got ${values.shard}`);
  const index = Number(Deno.env.get("SLURM_ARRAY_TASK_ID"));
  const count = Number(Deno.env.get("SLURM_ARRAY_TASK_COUNT"));
  if (!Number.isInteger(index) || !Number.isInteger(count)) die("no Slurm array variables");
  if (Deno.env.get("MAHLER_STANDIN_FAIL") === String(index)) die(`shard ${index} fails on purpose`);
  const startedMs = Date.now();
  // Long enough that shards overlap on a two-CPU node and the merge's ordering matters.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const record: StandInShard = {
    args,
    index,
    count,
    config: String(values.config),
    data: String(values.data),
    workers: String(values.workers),
    arrayJobId: Deno.env.get("SLURM_ARRAY_JOB_ID") ?? "",
    startedMs,
    endedMs: Date.now(),
  };
  writeJsonAtomic(String(values.out), "shard.json", record);
}

function merge(args: string[], dirs: string[], out: string): void {
  const startedMs = Date.now();
  const shards = dirs.map((dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, "shard.json"), "utf8")) as StandInShard;
    } catch {
      return die(`shard ${dir} is missing or incomplete`);
    }
  });
  const seen = new Set<number>();
  for (const s of shards) {
    if (s.count !== dirs.length) die(`shard ${s.index} is one of ${s.count}, not ${dirs.length}`);
    if (seen.has(s.index)) die(`shard ${s.index} appears twice`);
    seen.add(s.index);
  }
  shards.sort((a, b) => a.index - b.index);
  writeJsonAtomic(out, "merged.json", { args, shards, startedMs } satisfies StandInMerge);
}

if (import.meta.main) {
  const args = Deno.args.slice(1);
  if (Deno.args[0] !== "optimize") die(`expected the optimize command, got ${Deno.args[0]}`);
  const { values, positionals } = parseArgs({
    args,
    options: {
      config: { type: "string" },
      data: { type: "string" },
      shard: { type: "string" },
      workers: { type: "string" },
      out: { type: "string" },
      merge: { type: "boolean" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (!values.out) die("--out is required");
  if (values.merge) merge(args, positionals, values.out);
  else if (positionals.length) die(`unexpected arguments ${positionals.join(" ")}`);
  else await shard(args, values);
}
