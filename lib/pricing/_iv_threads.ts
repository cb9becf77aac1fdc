/**
 * A second core for large implied-volatility arrays: a helper Web Worker and the calling thread
 * take chunks of options from a shared counter until none is left, so that each does as much as
 * it gets CPU for: twice the speed with a free core, and never much slower than one thread when
 * the core is busy elsewhere (the caller then does nearly every chunk and waits for at most the
 * helper's last one); a helper still starting just joins late. The call stays synchronous: the
 * caller waits on shared memory (Atomics.wait), so no event loop has to turn. Each option's
 * volatility comes from the same kernel whichever thread computes it, so results are identical
 * to one thread's.
 *
 * The helper is a Web Worker (node:worker_threads ran this kernel three times slower here) and
 * ends after {@link IDLE_MS} without work, on a timer that does not hold the process, so that a
 * command ends as soon as its work does (plus at most that delay).
 *
 * @module
 */
import { isMainThread } from "node:worker_threads";
import { impliedVolRange } from "./_iv_kernel.ts";

/** The helper ends after this long without a job, ms. */
const IDLE_MS = 50;

/** Arrays smaller than this stay on one thread (handing work over costs about a millisecond). */
export const PARALLEL_MIN_OPTIONS = 1 << 15;

/** Options per chunk: about a millisecond of work. */
export const CHUNK_OPTIONS = 2048;

/** How long to wait for the helper's last chunk before giving up on it, ms. */
const HELPER_TIMEOUT_MS = 60_000;

/** Cells of the shared control array. */
export const IV_CONTROL = {
  /** The next chunk to take. */
  next: 0,
  /** The last job the helper finished (or -1 after a failure). */
  done: 1,
} as const;

interface Helper {
  worker: Worker;
  control: Int32Array;
  capacity: number;
  types: Uint8Array;
  spots: Float64Array;
  strikes: Float64Array;
  years: Float64Array;
  prices: Float64Array;
  out: Float64Array;
  /** Per chunk: 1 when the helper computed it (its values are in `out`). */
  owner: Uint8Array;
}

let helper: Helper | null | undefined;
let idle: ReturnType<typeof setTimeout> | undefined;

/** Ends the helper after {@link IDLE_MS} without a job (restarted on the next large array). */
function endWhenIdle(): void {
  if (idle !== undefined) clearTimeout(idle);
  const timer = setTimeout(() => {
    helper?.worker.terminate();
    helper = undefined;
    idle = undefined;
  }, IDLE_MS);
  Deno.unrefTimer(timer);
  idle = timer;
}

/** The helper thread, started on first use (null where threads are not available). */
function getHelper(capacity: number): Helper | null {
  if (helper === null) return null;
  if (!helper) {
    try {
      const worker = new Worker(new URL("./_iv_worker.ts", import.meta.url), { type: "module" });
      helper = {
        worker,
        control: new Int32Array(new SharedArrayBuffer(8)),
        capacity: 0,
        types: new Uint8Array(0),
        spots: new Float64Array(0),
        strikes: new Float64Array(0),
        years: new Float64Array(0),
        prices: new Float64Array(0),
        out: new Float64Array(0),
        owner: new Uint8Array(0),
      };
    } catch {
      helper = null;
      return null;
    }
  }
  if (helper.capacity < capacity) {
    const f64 = () => new Float64Array(new SharedArrayBuffer(capacity * 8));
    helper.types = new Uint8Array(new SharedArrayBuffer(capacity));
    helper.spots = f64();
    helper.strikes = f64();
    helper.years = f64();
    helper.prices = f64();
    helper.out = f64();
    helper.owner = new Uint8Array(new SharedArrayBuffer(Math.ceil(capacity / CHUNK_OPTIONS)));
    helper.capacity = capacity;
  }
  return helper;
}

let jobs = 0;

/**
 * Implied volatilities of options [0, n) on two threads when that can pay (a large array, on the
 * main thread of a machine with more than one core); false when the caller should do it alone.
 */
export function impliedVolOnTwoThreads(
  types: Uint8Array,
  spots: Float64Array,
  strikes: Float64Array,
  years: Float64Array,
  prices: Float64Array,
  r: number,
  q: number,
  out: Float64Array,
): boolean {
  const n = prices.length;
  if (n < PARALLEL_MIN_OPTIONS || !isMainThread || (navigator.hardwareConcurrency ?? 1) < 2) {
    return false;
  }
  const h = getHelper(n);
  if (!h) return false;
  h.types.set(types);
  h.spots.set(spots);
  h.strikes.set(strikes);
  h.years.set(years);
  h.prices.set(prices);
  const chunks = Math.ceil(n / CHUNK_OPTIONS);
  h.owner.fill(0, 0, chunks);
  const id = ++jobs;
  Atomics.store(h.control, IV_CONTROL.next, 0);
  if (idle !== undefined) clearTimeout(idle);
  h.worker.postMessage({
    id,
    n,
    r,
    q,
    control: h.control,
    owner: h.owner,
    arrays: [h.types, h.spots, h.strikes, h.years, h.prices, h.out],
  });
  for (;;) {
    const c = Atomics.add(h.control, IV_CONTROL.next, 1);
    if (c >= chunks) break;
    const from = c * CHUNK_OPTIONS;
    impliedVolRange(
      types,
      spots,
      strikes,
      years,
      prices,
      r,
      q,
      out,
      from,
      Math.min(n, from + CHUNK_OPTIONS),
    );
  }
  // The helper finishes the chunk it holds (if it started at all), then reports the job.
  const deadline = performance.now() + HELPER_TIMEOUT_MS;
  let done = Atomics.load(h.control, IV_CONTROL.done);
  while (done !== id && done !== -1 && performance.now() < deadline) {
    Atomics.wait(h.control, IV_CONTROL.done, done, 100);
    done = Atomics.load(h.control, IV_CONTROL.done);
  }
  if (done !== id) {
    // The helper failed or hung: never use it again, and redo its chunks here.
    h.worker.terminate();
    helper = null;
    for (let c = 0; c < chunks; c++) {
      if (h.owner[c] !== 1) continue;
      const from = c * CHUNK_OPTIONS;
      impliedVolRange(
        types,
        spots,
        strikes,
        years,
        prices,
        r,
        q,
        out,
        from,
        Math.min(n, from + CHUNK_OPTIONS),
      );
    }
    return true;
  }
  for (let c = 0; c < chunks; c++) {
    if (h.owner[c] !== 1) continue;
    const from = c * CHUNK_OPTIONS;
    out.set(h.out.subarray(from, Math.min(n, from + CHUNK_OPTIONS)), from);
  }
  endWhenIdle();
  return true;
}
