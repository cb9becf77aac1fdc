/**
 * A dying walk-forward worker (POINTS faults, through tests/faults/fault_worker.ts): at a seeded
 * task (kind and index), the worker throws in the task, dies of an uncaught error, closes itself
 * or exits, once or every time the task runs. The documented behaviour: a task that throws fails
 * `optimize` at once; a worker that dies is replaced and its tasks run again, so a single death
 * gives the undisturbed result byte for byte, and a task whose worker dies twice fails
 * `optimize`. A failure is one line naming the task's kind, period and combination (the
 * command line prints it as is), and no output folder or temporary is left.
 *
 * Usage: `deno run -A tests/faults/workers.ts` (run_faults.ts runs it).
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { optimizeConfig, WalkForwardTaskError } from "../../lib/mod.ts";
import {
  CONFIG,
  expect,
  figures,
  filesOf,
  inject,
  kindSeed,
  leftovers,
  POINTS,
  random,
  remove,
  report,
  sameFiles,
} from "./_common.ts";
import { market } from "./_market.ts";

const m = await market("workers");
const faultWorker = new URL("./fault_worker.ts", import.meta.url);
const optimize = (out: string, workerUrl?: URL) =>
  optimizeConfig({
    configPath: CONFIG,
    dataPath: m.data,
    workers: 2,
    out: { dir: out, replace: false },
    workerUrl,
  });

try {
  Deno.env.set("MAHLER_CACHE_DIR", m.cache);
  const refDir = join(m.work, "ref");
  await optimize(refDir);
  const ref = filesOf(refDir);
  const f = figures("dying worker");
  const next = random(kindSeed(f.kind));
  // Task indexes of the test configuration on this market (full and train share one phase).
  const tasks = { full: [0, 4], train: [4, 16], validate: [0, 6], test: [0, 3] } as const;
  const faults = ["throw", "crash", "close", "exit"] as const;
  for (let i = 0; i < POINTS; i++) {
    const fault = faults[Math.floor(next() * faults.length)];
    const kinds = Object.keys(tasks) as (keyof typeof tasks)[];
    const kind = kinds[Math.floor(next() * kinds.length)];
    const [lo, hi] = tasks[kind];
    const task = lo + Math.floor(next() * (hi - lo));
    const once = next() < 0.5;
    const label = `point ${i} (${fault} ${once ? "once" : "every time"} in ${kind} task ${task})`;
    const parent = join(m.work, `point-${i}`);
    const out = join(parent, "out");
    const log = join(m.work, `fired-${i}`);
    const marker = once ? join(m.work, `marker-${i}`) : undefined;
    Deno.env.set("MAHLER_FAULT_WORKER", JSON.stringify({ fault, kind, task, marker, log }));
    let outcome: unknown = null;
    try {
      await optimize(out, faultWorker);
    } catch (err) {
      outcome = err;
    } finally {
      Deno.env.delete("MAHLER_FAULT_WORKER");
    }
    if (!existsSync(log)) {
      f.failures.push(`${label}: the fault never fired (no such task)`);
      f.injected++;
      continue;
    }
    await inject(
      f,
      `${label}, fired ${readFileSync(log, "utf8").trim().split("\n").length}x`,
      () => {
        const retried = fault !== "throw" && once;
        if (retried) {
          expect(outcome === null, `failed: ${(outcome as Error)?.message}`);
          expect(sameFiles(out, ref), "the result differs from an undisturbed run's");
        } else {
          expect(outcome instanceof WalkForwardTaskError, `not a task error: ${outcome}`);
          // The command line prints a WalkForwardTaskError's message as is (cli/errors.ts).
          const line = (outcome as WalkForwardTaskError).message;
          expect(!line.includes("\n"), `not one line: ${line}`);
          const named = kind === "full"
            ? `full-data task ${task} \\(combination \\d+\\)`
            : `${kind} task ${task} \\(period \\d+, combination \\d+\\)`;
          const why = fault === "throw" ? "failed in a worker" : "its worker died twice";
          expect(new RegExp(`^Walk-forward ${named}:? ?${why}`).test(line), `said: ${line}`);
          expect(!existsSync(out), "an output folder was written");
        }
        const left = leftovers(parent, ["out"]);
        expect(left.length === 0, `left behind: ${left.join(", ")}`);
        return 0;
      },
    );
  }
  report(f);
} finally {
  remove(m.work);
}
