/**
 * The helper thread of _iv_threads.ts: computes the implied volatilities of the options it is
 * sent and reports the job's id in shared memory (or -1 when it failed).
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { impliedVolRange } from "./_iv_kernel.ts";

interface Job {
  id: number;
  m: number;
  r: number;
  q: number;
  control: Int32Array;
  arrays: [Uint8Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
}

parentPort!.on("message", (job: Job) => {
  const [types, spots, strikes, years, prices, out] = job.arrays;
  try {
    impliedVolRange(types, spots, strikes, years, prices, job.r, job.q, out, 0, job.m);
    Atomics.store(job.control, 0, job.id);
  } catch {
    Atomics.store(job.control, 0, -1);
  }
  Atomics.notify(job.control, 0);
});
