/**
 * The walk-forward worker with a fault injected into one task, for the fault tests. The fault
 * is read from `MAHLER_FAULT_WORKER` (JSON `{ fault, kind, task, marker? }`): on the task of that
 * kind and index (indexes restart at each phase: full and train, validate, test), the worker
 *
 * - `throw`: the task's simulation throws (the worker reports the error);
 * - `crash`: the worker dies of an uncaught error once the task has run (its results are lost);
 * - `close`: the worker closes itself in the middle of the task;
 * - `exit`: the worker calls `Deno.exit` in the middle of the task.
 *
 * With `marker` (a path), the fault fires once: in the worker that creates the marker file
 * first; without it, every time the task runs. With `log` (a path), each firing appends a line
 * to it (the fault suite counts the faults it injected).
 *
 * @module
 */
import { TaskRunner, type WalkForwardTask } from "../../lib/walkforward/_tasks.ts";

interface FaultSpec {
  fault: "throw" | "crash" | "close" | "exit";
  kind: WalkForwardTask["kind"];
  task: number;
  marker?: string;
  log?: string;
}

const raw = Deno.env.get("MAHLER_FAULT_WORKER");
const spec: FaultSpec | null = raw ? JSON.parse(raw) : null;
const scope = self as unknown as { postMessage(m: unknown): void; close(): void };

/** Whether the fault fires now (once per marker file). */
function fires(): boolean {
  if (!spec?.marker) return true;
  try {
    Deno.openSync(spec.marker, { createNew: true, write: true }).close();
    return true;
  } catch {
    return false;
  }
}

let crashOnPost = false;
const run = TaskRunner.prototype.run;
TaskRunner.prototype.run = function (this: TaskRunner, task: WalkForwardTask) {
  if (spec && task.kind === spec.kind && task.index === spec.task && fires()) {
    if (spec.log) Deno.writeTextFileSync(spec.log, `${spec.fault}\n`, { append: true });
    if (spec.fault === "throw") throw new Error(`injected failure in task ${task.index}`);
    if (spec.fault === "crash") crashOnPost = true;
    if (spec.fault === "close") scope.close();
    if (spec.fault === "exit") Deno.exit(70);
  }
  return run.call(this, task);
};
const post = scope.postMessage.bind(scope);
scope.postMessage = (m: unknown) => {
  if (crashOnPost && (m as { type?: string })?.type === "results") {
    crashOnPost = false;
    throw new Error("injected crash of the worker");
  }
  post(m);
};
await import("../../lib/walkforward/_worker.ts");
