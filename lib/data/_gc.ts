/**
 * Releasing native memory between files. nodejs-polars frees a frame's memory only when the
 * JavaScript collector has collected the frame and the event loop has run its finalizer, so a
 * loader that reads file after file without yielding would hold every file's frames at once.
 * The asynchronous loader collects and yields after each file.
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";

let collector: (() => void) | null | undefined;

/** Runs a full garbage collection when the runtime allows it; returns whether it did. */
export function collectGarbage(): boolean {
  if (collector === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      collector = vm.runInNewContext("gc") as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
  return collector !== null;
}

/** Collects garbage, then yields to the event loop so that native finalizers run. */
export async function releaseNativeMemory(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
