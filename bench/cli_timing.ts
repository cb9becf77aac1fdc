/**
 * The command line's own cost, in fresh processes as a user pays it: start-up (`mahler help`,
 * which loads every command's modules and runs nothing) and a repeated `run` on the sample with a
 * warm chain cache. Prints the best and the median of each, and the machine's load average.
 *
 * Usage: `deno run -A bench/cli_timing.ts [--checkout DIR]... [--repeat N] [--config FILE]
 * [--data DIR]`: each DIR is a checkout of Mahler (default this one). With two or more, their
 * runs alternate, so that a shared machine's changing load falls on each alike. Each checkout's
 * runs use a cache folder of their own, warmed by one run first.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Seconds of one `deno run -A main.ts ...` in a checkout. */
function timed(checkout: string, args: string[], env: Record<string, string>): number {
  const t0 = performance.now();
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: checkout,
    env,
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) {
    throw new Error(`main.ts ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return seconds;
}

/** Best and median of a sample, as text. */
function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return `best ${s[0].toFixed(3)} s, median ${median.toFixed(3)} s over ${s.length}`;
}

/** The 1-, 5- and 15-minute load averages (Linux), or "n/a". */
function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      checkout: { type: "string", multiple: true },
      repeat: { type: "string", default: "7" },
      config: { type: "string", default: "config/sample.toml" },
      data: { type: "string", default: "data/sample" },
    },
  });
  const checkouts = (values.checkout ?? ["."]).map((c) => resolve(c));
  const repeat = Number(values.repeat);
  const scratch = mkdtempSync(join(tmpdir(), "mahler-cli-timing-"));
  const envOf = (k: number) => ({ MAHLER_CACHE_DIR: join(scratch, `cache-${k}`) });
  const runArgs = (k: number) => [
    "run",
    "--config",
    resolve(values.config),
    "--data",
    resolve(values.data),
    "--force",
    "--out",
    join(scratch, `run-${k}`),
  ];
  try {
    console.log(`load average before: ${loadAverage()}`);
    // Compile and cache each checkout's modules, and write its chain cache.
    checkouts.forEach((c, k) => timed(c, ["help"], envOf(k)));
    checkouts.forEach((c, k) => timed(c, runArgs(k), envOf(k)));
    const startup = checkouts.map(() => [] as number[]);
    const runs = checkouts.map(() => [] as number[]);
    for (let i = 0; i < repeat; i++) {
      checkouts.forEach((c, k) => startup[k].push(timed(c, ["help"], envOf(k))));
    }
    for (let i = 0; i < repeat; i++) {
      checkouts.forEach((c, k) => runs[k].push(timed(c, runArgs(k), envOf(k))));
    }
    checkouts.forEach((c, k) => {
      console.log(`${c}:`);
      console.log(`  start-up (mahler help): ${summary(startup[k])}`);
      console.log(`  run on ${values.data} with a warm cache: ${summary(runs[k])}`);
    });
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
