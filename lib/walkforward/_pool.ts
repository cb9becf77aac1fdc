/**
 * A pool of Deno Web Workers running walk-forward tasks. Tasks are handed out in small chunks
 * as workers become free, in the order given (put long tasks first); results are gathered by
 * task index, never by arrival order, so the output does not depend on the number of workers or
 * on timing. The first failure terminates every worker and rejects with an error naming the
 * task.
 *
 * @module
 */
import type { WalkForwardTask, WalkForwardTaskResult, WorkerInit } from "./_tasks.ts";

/** Options of {@link WorkerPool}. */
export interface PoolOptions {
  /** Number of workers (>= 1). */
  workers: number;
  /** Worker script; default the walk-forward worker. */
  workerUrl?: URL;
  /** Tasks per message at most (fewer as the queue drains); default 16. */
  chunkSize?: number;
}

/** A running pool; call {@link WorkerPool.close} when done. */
export class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #chunkSize: number;
  readonly #ready: Promise<void>;

  /** Starts the workers and sends each the shared init message. */
  constructor(init: WorkerInit, options: PoolOptions) {
    if (!(options.workers >= 1)) {
      throw new RangeError(`Workers must be at least 1, got ${options.workers}`);
    }
    this.#chunkSize = options.chunkSize ?? 16;
    const url = options.workerUrl ?? new URL("./_worker.ts", import.meta.url);
    const readies: Promise<void>[] = [];
    for (let i = 0; i < options.workers; i++) {
      const w = new Worker(url, { type: "module" });
      this.#workers.push(w);
      readies.push(
        new Promise((resolve, reject) => {
          w.onmessage = (e) => {
            if (e.data?.type === "ready") resolve();
            else {reject(
                new Error(`Worker ${i} failed to start: ${e.data?.message ?? "unknown error"}`),
              );}
          };
          w.onerror = (e) => {
            e.preventDefault();
            reject(new Error(`Worker ${i} failed to start: ${e.message}`));
          };
        }),
      );
      w.postMessage({ type: "init", init });
    }
    this.#ready = Promise.all(readies).then(() => {});
  }

  /**
   * Runs tasks and returns their results in task-index order.
   *
   * @param tasks tasks whose `index` fields are 0..n-1
   * @param onProgress called with the number of finished tasks
   */
  async run(
    tasks: WalkForwardTask[],
    onProgress: (done: number) => void = () => {},
  ): Promise<WalkForwardTaskResult[]> {
    await this.#ready;
    const results: WalkForwardTaskResult[] = new Array(tasks.length);
    let next = 0;
    let done = 0;
    return await new Promise((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        this.close();
        reject(err);
      };
      const dispatch = (w: Worker) => {
        if (next >= tasks.length) return;
        // Guided chunks: shrinking as the queue drains, so no worker is left with a long last
        // chunk while the others wait at the end of the run.
        const size = Math.max(
          1,
          Math.min(this.#chunkSize, Math.ceil((tasks.length - next) / (4 * this.#workers.length))),
        );
        const chunk = tasks.slice(next, next + size);
        next += chunk.length;
        w.postMessage({ type: "tasks", tasks: chunk });
      };
      if (tasks.length === 0) return resolve(results);
      for (const w of this.#workers) {
        w.onmessage = (e) => {
          const m = e.data;
          if (m.type === "error") {
            const t = tasks.find((x) => x.index === m.index);
            const what = !t
              ? `task ${m.index}`
              : t.kind === "full"
              ? `full-data task ${t.index} (combination ${t.combination})`
              : `${t.kind} task ${t.index} (period ${t.period}, combination ${t.combination})`;
            return fail(new Error(`Walk-forward ${what} failed in a worker: ${m.message}`));
          }
          for (const r of m.results as WalkForwardTaskResult[]) results[r.index] = r;
          done += m.results.length;
          onProgress(done);
          if (done === tasks.length) resolve(results);
          else dispatch(w);
        };
        w.onerror = (e) => {
          e.preventDefault();
          fail(new Error(`A walk-forward worker crashed: ${e.message}`));
        };
        dispatch(w);
      }
    });
  }

  /** Terminates every worker. */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers.length = 0;
  }
}
