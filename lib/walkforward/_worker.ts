/**
 * Web Worker entry of the walk-forward pool. Messages in: `{ type: "init", init }` once, then
 * `{ type: "tasks", tasks }`; messages out: `{ type: "results", results }`,
 * `{ type: "error", index, message }` for the first task that threw, or
 * `{ type: "closing", message }` when the worker is about to end (it closes itself or exits),
 * so that the pool, which gets no event when a worker ends, runs its tasks elsewhere.
 *
 * @module
 */
import { TaskRunner, type WalkForwardTask, type WorkerInit } from "./_tasks.ts";

let runner: TaskRunner | null = null;
const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
  close(): void;
  addEventListener(type: string, listener: (e: Event) => void): void;
};

// A worker that ends says so first (Deno gives the pool no event for it).
let closing = false;
const say = (message: string) => {
  if (closing) return;
  closing = true;
  scope.postMessage({ type: "closing", message });
};
const close = scope.close.bind(scope);
scope.close = () => {
  say("the worker closed itself");
  close();
};
scope.addEventListener("unload", () => say("the worker exited"));
// An uncaught error ends the worker's use: said once to the pool (which runs its tasks again
// elsewhere and terminates it) instead of a stack trace on the process's stderr.
scope.addEventListener("error", (e: Event) => {
  e.preventDefault();
  say(`uncaught ${(e as ErrorEvent).message.replace(/^Uncaught /, "")}`);
});
scope.addEventListener("unhandledrejection", (e: Event) => {
  e.preventDefault();
  const reason = (e as PromiseRejectionEvent).reason;
  say(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
});

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as { type: "init"; init: WorkerInit } | {
    type: "tasks";
    tasks: WalkForwardTask[];
  };
  if (message.type === "init") {
    try {
      runner = new TaskRunner(message.init);
      scope.postMessage({ type: "ready" });
    } catch (err) {
      scope.postMessage({ type: "error", index: -1, message: (err as Error).message });
    }
    return;
  }
  const results = [];
  for (const task of message.tasks) {
    try {
      results.push(runner!.run(task));
    } catch (err) {
      scope.postMessage({ type: "error", index: task.index, message: (err as Error).message });
      return;
    }
  }
  scope.postMessage({ type: "results", results });
};
