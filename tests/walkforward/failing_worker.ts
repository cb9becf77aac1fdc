// A worker for tests: starts like the real one, then throws on its first task.
const scope = self as unknown as {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
};
scope.onmessage = (event: MessageEvent) => {
  if (event.data.type === "init") return scope.postMessage({ type: "ready" });
  throw new Error("simulated failure in task " + event.data.tasks[0].index);
};
