/**
 * A pool of Deno Web Workers running walk-forward tasks. Tasks are handed out in small chunks
 * as workers become free, in the order given (put long tasks first); results are gathered by
 * task index, never by arrival order, so the output does not depend on the number of workers or
 * on timing.
 *
 * Failures:
 * - a task that throws (an error of the simulation: the same inputs would throw again) rejects
 *   the run at once, with an error naming the task's kind, period and combination;
 * - a worker that dies (an uncaught error, or it closes or exits) is replaced by a new one, and
 *   the tasks it had not answered run again, one at a time (tasks are pure: a task run twice
 *   gives the same result). A task whose worker dies again rejects the run, naming the task.
 *
 * Either way every worker is terminated and nothing of the run is returned.
 *
 * @module
 */
import type { WalkForwardTask, WalkForwardTaskResult, WorkerInit } from "./_tasks.ts";

/**
 * A walk-forward task failed: it threw, or its worker died twice. The message names the task's
 * kind, period and combination.
 */
export class WalkForwardTaskError extends Error {
  /** Builds the error from its one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "WalkForwardTaskError";
  }
}

/** Options of {@link WorkerPool}. */
export interface PoolOptions {
  /** Number of workers (>= 1). */
  workers: number;
  /** Worker script; default the walk-forward worker. */
  workerUrl?: URL;
  /** Tasks per message at most (fewer as the queue drains); default 16. */
  chunkSize?: number;
}

/** What a worker posts. */
type WorkerMessage =
  | { type: "ready" }
  | { type: "results"; results: WalkForwardTaskResult[] }
  | { type: "error"; index: number; message: string }
  | { type: "closing"; message: string };

/** A task's kind, period and combination in words. */
function describe(t: WalkForwardTask | undefined, index: number): string {
  if (!t) return `task ${index}`;
  return t.kind === "full"
    ? `full-data task ${t.index} (combination ${t.combination})`
    : `${t.kind} task ${t.index} (period ${t.period}, combination ${t.combination})`;
}

/** One worker of the pool and what it is doing. */
interface Slot {
  worker: Worker;
  /** Resolves once the worker has taken the init message. */
  ready: Promise<void>;
  /** The tasks sent and not yet answered. */
  busy: WalkForwardTask[];
  /** Whether the worker is gone (replaced). */
  dead: boolean;
}

/** A running pool; call {@link WorkerPool.close} when done. */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #chunkSize: number;
  readonly #url: URL;
  readonly #init: WorkerInit;
  /** Events of the run in progress (null between runs). */
  #listener: ((slot: Slot, m: WorkerMessage | { type: "crash"; message: string }) => void) | null =
    null;
  /** A worker that failed before any run: the next run rejects with it. */
  #startFailure: Error | null = null;

  /** Starts the workers and sends each the shared init message. */
  constructor(init: WorkerInit, options: PoolOptions) {
    if (!(options.workers >= 1)) {
      throw new RangeError(`Workers must be at least 1, got ${options.workers}`);
    }
    this.#chunkSize = options.chunkSize ?? 16;
    this.#url = options.workerUrl ?? new URL("./_worker.ts", import.meta.url);
    this.#init = init;
    for (let i = 0; i < options.workers; i++) this.#slots.push(this.#start(i));
  }

  /** Starts a worker in slot `i`. */
  #start(i: number): Slot {
    const worker = new Worker(this.#url, { type: "module" });
    let readyResolve!: () => void;
    let readyReject!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    ready.catch(() => {}); // Surfaces through run().
    const slot: Slot = { worker, ready, busy: [], dead: false };
    let started = false;
    const startFailed = (message: string) => {
      const err = new WalkForwardTaskError(`Walk-forward worker ${i} failed to start: ${message}`);
      this.#startFailure ??= err;
      readyReject(err);
    };
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (!started) {
        if (m?.type === "ready") {
          started = true;
          readyResolve();
        } else {
          startFailed(m && "message" in m ? m.message : "unknown error");
        }
        return;
      }
      this.#event(slot, m);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      if (!started) return startFailed(e.message);
      this.#event(slot, { type: "crash", message: e.message });
    };
    worker.postMessage({ type: "init", init: this.#init });
    return slot;
  }

  /** Hands a worker's event to the run in progress; between runs a dead worker is marked. */
  #event(slot: Slot, m: WorkerMessage | { type: "crash"; message: string }): void {
    if (this.#listener) return this.#listener(slot, m);
    if (m.type === "crash" || m.type === "closing") {
      slot.dead = true;
      slot.worker.terminate();
    }
  }

  /**
   * Runs tasks and returns their results in task-index order.
   *
   * @param tasks tasks whose `index` fields are 0..n-1
   * @param onProgress called with the number of finished tasks
   * @throws Error naming the task (kind, period, combination) that failed or whose worker died
   *   twice
   */
  async run(
    tasks: WalkForwardTask[],
    onProgress: (done: number) => void = () => {},
  ): Promise<WalkForwardTaskResult[]> {
    if (this.#startFailure) throw this.#startFailure;
    // Workers that died between runs are replaced.
    this.#slots.forEach((s, k) => {
      if (s.dead) this.#slots[k] = this.#start(k);
    });
    await Promise.all(this.#slots.map((s) => s.ready));
    const results: WalkForwardTaskResult[] = new Array(tasks.length);
    if (tasks.length === 0) return results;
    let next = 0;
    let done = 0;
    /** Tasks to run again, one at a time, after their worker died. */
    const retry: WalkForwardTask[] = [];
    const retried = new Set<number>();
    try {
      return await new Promise<WalkForwardTaskResult[]>((resolve, reject) => {
        let failed = false;
        const fail = (err: Error) => {
          if (failed) return;
          failed = true;
          reject(err);
        };
        const dispatch = (slot: Slot) => {
          if (failed || slot.dead || slot.busy.length > 0) return;
          let chunk: WalkForwardTask[];
          if (retry.length > 0) chunk = [retry.shift()!];
          else if (next < tasks.length) {
            // Guided chunks: shrinking as the queue drains, so no worker is left with a long
            // last chunk while the others wait at the end of the run.
            const size = Math.max(
              1,
              Math.min(
                this.#chunkSize,
                Math.ceil((tasks.length - next) / (4 * this.#slots.length)),
              ),
            );
            chunk = tasks.slice(next, next + size);
            next += chunk.length;
          } else return;
          slot.busy = chunk;
          slot.worker.postMessage({ type: "tasks", tasks: chunk });
        };
        const died = (slot: Slot, message: string) => {
          if (slot.dead) return;
          slot.dead = true;
          slot.worker.terminate();
          const lost = slot.busy;
          slot.busy = [];
          const twice = lost.find((t) => retried.has(t.index));
          if (twice) {
            return fail(
              new WalkForwardTaskError(
                `Walk-forward ${describe(twice, twice.index)}: its worker died twice (${message})`,
              ),
            );
          }
          for (const t of lost) {
            retried.add(t.index);
            retry.push(t);
          }
          // A new worker takes the slot; the lost tasks go to whichever worker is free first.
          const k = this.#slots.indexOf(slot);
          const fresh = this.#start(k);
          this.#slots[k] = fresh;
          fresh.ready.then(() => dispatch(fresh), (err) => fail(err));
          for (const s of this.#slots) dispatch(s);
        };
        this.#listener = (slot, m) => {
          if (failed || slot.dead) return;
          if (m.type === "error") {
            return fail(
              new WalkForwardTaskError(
                `Walk-forward ${
                  describe(tasks[m.index], m.index)
                } failed in a worker: ${m.message}`,
              ),
            );
          }
          if (m.type === "crash" || m.type === "closing") return died(slot, m.message);
          if (m.type !== "results") return;
          for (const r of m.results) results[r.index] = r;
          done += m.results.length;
          slot.busy = [];
          onProgress(done);
          if (done === tasks.length) resolve(results);
          else dispatch(slot);
        };
        for (const slot of this.#slots) dispatch(slot);
      });
    } catch (err) {
      this.close();
      throw err;
    } finally {
      this.#listener = null;
    }
  }

  /** Terminates every worker. */
  close(): void {
    for (const s of this.#slots) {
      s.dead = true;
      s.worker.terminate();
    }
    this.#slots.length = 0;
  }
}
