/**
 * Web Worker entry of the walk-forward pool. Messages in: `{ type: "init", init }` once, then
 * `{ type: "tasks", tasks }`; messages out: `{ type: "results", results }` or
 * `{ type: "error", index, message }` for the first task that threw.
 *
 * @module
 */
import { TaskRunner, type WalkForwardTask, type WorkerInit } from "./_tasks.ts";

let runner: TaskRunner | null = null;
const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
};

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
