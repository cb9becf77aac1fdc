/**
 * A dying walk-forward worker (tests/faults/fault_worker.ts injects the fault): a task that
 * throws fails the optimization naming its period and combination; a worker that dies (an
 * uncaught error, closing or exiting mid-task) is replaced and its tasks run again, with results
 * identical to an undisturbed run; a task whose worker dies twice fails, naming it. Before,
 * a worker that closed or exited mid-task left the optimization waiting forever, and an
 * uncaught error failed it without naming the task, after a stack trace.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
  WalkForwardTaskError,
} from "../../lib/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "mahler-dying-worker-"));
generateSample({ outDir: join(dir, "data"), start: "2024-01-02", end: "2024-06-28", seed: 3 });
const store = buildChainStore(loadMarketData(join(dir, "data"))).share();
const config = loadConfig("config/test_config.toml");
const faultWorker = new URL("../faults/fault_worker.ts", import.meta.url);
const undisturbed = JSON.stringify(await optimizeWalkForward(store, config, { workers: 2 }));

/** Runs the optimization with a fault in one task; the fault fires once, or every time. */
function withFault(fault: string, kind: string, task: number, once: boolean) {
  const marker = once ? join(dir, `fired-${fault}-${kind}-${task}-${Math.random()}`) : undefined;
  Deno.env.set("MAHLER_FAULT_WORKER", JSON.stringify({ fault, kind, task, marker }));
  return optimizeWalkForward(store, config, { workers: 2, workerUrl: faultWorker }).finally(() =>
    Deno.env.delete("MAHLER_FAULT_WORKER")
  );
}

for (const fault of ["crash", "close", "exit"]) {
  Deno.test(`a worker that dies once (${fault}) is replaced; its tasks run again, same results`, async () => {
    for (const [kind, task] of [["train", 5], ["full", 1], ["test", 0]] as const) {
      const result = await withFault(fault, kind, task, true);
      assert.equal(JSON.stringify(result), undisturbed, `${fault} in ${kind} task ${task}`);
    }
  });

  Deno.test(`a task whose worker dies twice (${fault}) fails, naming its period and combination`, async () => {
    await assert.rejects(
      withFault(fault, "train", 6, false),
      (err: Error) => {
        assert.ok(err instanceof WalkForwardTaskError);
        assert.match(
          err.message,
          /^Walk-forward train task 6 \(period \d+, combination \d+\): its worker died twice \(.+\)$/,
        );
        return true;
      },
    );
  });
}

Deno.test("a task that throws fails the optimization at once, naming its period and combination", async () => {
  await assert.rejects(withFault("throw", "validate", 1, true), (err: Error) => {
    assert.ok(err instanceof WalkForwardTaskError);
    assert.match(
      err.message,
      /^Walk-forward validate task 1 \(period \d+, combination \d+\) failed in a worker: injected failure in task 1$/,
    );
    return true;
  });
});

Deno.test("the dying-worker tests leave no folder behind", () => {
  rmSync(dir, { recursive: true, force: true });
  assert.equal(existsSync(dir), false);
});
