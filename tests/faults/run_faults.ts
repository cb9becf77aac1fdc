/**
 * The fault-injection suite (`deno task test:faults`): runs each group of fault kinds in its own
 * process, with a time limit (a hang is a failure), and prints per kind the faults injected, the
 * faults survived (every promise held) and the bytes lost, then the total and the time taken.
 * Exits 1 unless every fault was survived with no byte lost and every kind ran.
 *
 * Usage: `deno task test:faults [--seed N] [--points N] [--fuzz-runs N] [--races N]
 *   [--only kill,cache,disk,workers,shards,fuzz] [--limit SECONDS]`; the same settings as
 * MAHLER_FAULT_SEED (default 23), MAHLER_FAULT_POINTS (default 20, the least per kill target and
 * per damage), MAHLER_FAULT_FUZZ_RUNS (default 100 per layout), MAHLER_FAULT_RACES (default 5)
 * and MAHLER_FAULT_SLURM=0 (skip the real Slurm requeue). The tmpfs and the Slurm cluster need
 * root. docs/reliability.md describes every kind and the figures of a run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import type { Figures } from "./_common.ts";

const GROUPS = ["kill", "cache", "disk", "workers", "shards", "fuzz"];
const { values } = parseArgs({
  args: Deno.args,
  options: {
    seed: { type: "string" },
    points: { type: "string" },
    "fuzz-runs": { type: "string" },
    races: { type: "string" },
    only: { type: "string" },
    limit: { type: "string", default: "1800" },
  },
});
const env: Record<string, string> = {};
const setting = (flag: string | undefined, name: string) => {
  if (flag === undefined) return;
  if (!/^\d+$/.test(flag)) {
    console.error(`Error: --${name.toLowerCase()} must be a whole number, got ${flag}`);
    Deno.exit(2);
  }
  env[name] = flag;
};
setting(values.seed, "MAHLER_FAULT_SEED");
setting(values.points, "MAHLER_FAULT_POINTS");
setting(values["fuzz-runs"], "MAHLER_FAULT_FUZZ_RUNS");
setting(values.races, "MAHLER_FAULT_RACES");
const groups = values.only ? values.only.split(",") : GROUPS;
for (const g of groups) {
  if (!GROUPS.includes(g)) {
    console.error(`Error: --only takes ${GROUPS.join(", ")}; got ${g}`);
    Deno.exit(2);
  }
}
const limitMs = Number(values.limit) * 1000;
const seed = env.MAHLER_FAULT_SEED ?? Deno.env.get("MAHLER_FAULT_SEED") ?? "23";
const points = env.MAHLER_FAULT_POINTS ?? Deno.env.get("MAHLER_FAULT_POINTS") ?? "20";
console.log(`Fault injection, seed ${seed}, ${points} points per kind`);

const rows: (Figures & { seconds: number | null })[] = [];
const problems: string[] = [];
const t0 = performance.now();
for (const group of groups) {
  const started = performance.now();
  // In a session of its own (setsid), so that a hang is ended with every process it started.
  const script = fileURLToPath(new URL(`./${group}.ts`, import.meta.url));
  const child = new Deno.Command("setsid", {
    args: ["--wait", Deno.execPath(), "run", "-A", script],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const timer = setTimeout(() => {
    problems.push(`${group}: still running after ${values.limit} s (a hang): killed`);
    new Deno.Command("kill", { args: ["-KILL", "--", `-${child.pid}`] }).outputSync();
  }, limitMs);
  const out = await child.output();
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  const found = lines.filter((l) => l.startsWith("FAULTS ")).map((l) =>
    JSON.parse(l.slice(7)) as Figures
  );
  // A group's time goes on its first kind's row (its kinds share a market and a process).
  found.forEach((f, k) => rows.push({ ...f, seconds: k === 0 ? seconds : null }));
  if (!out.success) problems.push(`${group}: exited with code ${out.code}`);
  if (found.length === 0) problems.push(`${group}: reported no figures`);
  for (const f of found) {
    if (f.failures.some((l) => l.startsWith("NOT RUN"))) problems.push(`${f.kind}: not run`);
  }
}
const total = (performance.now() - t0) / 1000;

const pad = (s: string | number, n: number) => String(s).padStart(n);
const width = Math.max(4, ...rows.map((r) => r.kind.length));
console.log(
  `\n${"kind".padEnd(width)}  ${pad("injected", 8)}  ${pad("survived", 8)}  ${
    pad("bytes lost", 10)
  }  ${pad("seconds (group)", 15)}`,
);
for (const r of rows) {
  console.log(
    `${r.kind.padEnd(width)}  ${pad(r.injected, 8)}  ${pad(r.survived, 8)}  ${
      pad(r.bytesLost, 10)
    }  ${pad(r.seconds === null ? "" : r.seconds.toFixed(0), 15)}`,
  );
}
const sum = (k: "injected" | "survived" | "bytesLost") => rows.reduce((n, r) => n + r[k], 0);
console.log(
  `${"total".padEnd(width)}  ${pad(sum("injected"), 8)}  ${pad(sum("survived"), 8)}  ${
    pad(sum("bytesLost"), 10)
  }  ${pad(total.toFixed(0), 15)}`,
);
for (const p of problems) console.log(`problem: ${p}`);
const ok = problems.length === 0 && sum("injected") === sum("survived") && sum("bytesLost") === 0;
console.log(ok ? "all faults survived, 0 bytes lost" : "FAULTS NOT SURVIVED");
Deno.exit(ok ? 0 : 1);
