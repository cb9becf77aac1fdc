/**
 * The helper thread of _iv_threads.ts: takes chunks of the options it is sent from the shared
 * counter until none is left, marks each chunk it computed, and reports the job's id in shared
 * memory (or -1 when it failed).
 *
 * @module
 */
import { impliedVolRange } from "./_iv_kernel.ts";
import { CHUNK_OPTIONS, IV_CONTROL } from "./_iv_threads.ts";

interface Job {
  id: number;
  n: number;
  r: number;
  q: number;
  control: Int32Array;
  owner: Uint8Array;
  arrays: [Uint8Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Job>) => void) | null };

scope.onmessage = (e) => {
  const job = e.data;
  const [types, spots, strikes, years, prices, out] = job.arrays;
  const chunks = Math.ceil(job.n / CHUNK_OPTIONS);
  try {
    for (;;) {
      const c = Atomics.add(job.control, IV_CONTROL.next, 1);
      if (c >= chunks) break;
      const from = c * CHUNK_OPTIONS;
      const to = Math.min(job.n, from + CHUNK_OPTIONS);
      impliedVolRange(types, spots, strikes, years, prices, job.r, job.q, out, from, to);
      job.owner[c] = 1;
    }
    Atomics.store(job.control, IV_CONTROL.done, job.id);
  } catch {
    Atomics.store(job.control, IV_CONTROL.done, -1);
  }
  Atomics.notify(job.control, IV_CONTROL.done);
};
