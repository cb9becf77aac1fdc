/**
 * A second core for large implied-volatility arrays: a helper thread (node:worker_threads, so
 * that an idle helper never keeps the process alive) takes the second half of the options while
 * the calling thread does the first. The call stays synchronous: the caller waits on shared
 * memory (Atomics.wait), so no event loop has to turn. Each option's volatility comes from the
 * same kernel whichever thread computes it, so results are identical to one thread's.
 *
 * @module
 */
import { isMainThread, Worker } from "node:worker_threads";
import { impliedVolRange } from "./_iv_kernel.ts";

/** Arrays smaller than this stay on one thread (handing work over costs about a millisecond). */
export const PARALLEL_MIN_OPTIONS = 1 << 15;

/** How long to wait for the helper before doing its half here, ms. */
const HELPER_TIMEOUT_MS = 120_000;

interface Helper {
  worker: Worker;
  /** [0]: id of the last job done (or -1 after a failure), [1]: id of the last job sent. */
  control: Int32Array;
  capacity: number;
  types: Uint8Array;
  spots: Float64Array;
  strikes: Float64Array;
  years: Float64Array;
  prices: Float64Array;
  out: Float64Array;
}

let helper: Helper | null | undefined;

/** The helper thread, started on first use (null where threads are not available). */
function getHelper(capacity: number): Helper | null {
  if (helper === null) return null;
  if (!helper) {
    try {
      const worker = new Worker(new URL("./_iv_worker.ts", import.meta.url));
      worker.unref();
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
    helper.capacity = capacity;
  }
  return helper;
}

let jobs = 0;

/**
 * Implied volatilities of options [0, n) on two threads when that pays (a large array, on the
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
  const half = n >> 1;
  const m = n - half;
  const h = getHelper(m);
  if (!h) return false;
  h.types.set(types.subarray(half));
  h.spots.set(spots.subarray(half));
  h.strikes.set(strikes.subarray(half));
  h.years.set(years.subarray(half));
  h.prices.set(prices.subarray(half));
  const id = ++jobs;
  Atomics.store(h.control, 1, id);
  h.worker.postMessage({
    id,
    m,
    r,
    q,
    control: h.control,
    arrays: [h.types, h.spots, h.strikes, h.years, h.prices, h.out],
  });
  impliedVolRange(types, spots, strikes, years, prices, r, q, out, 0, half);
  const deadline = performance.now() + HELPER_TIMEOUT_MS;
  let done = Atomics.load(h.control, 0);
  while (done !== id && done !== -1 && performance.now() < deadline) {
    Atomics.wait(h.control, 0, done, 100);
    done = Atomics.load(h.control, 0);
  }
  if (done !== id) {
    // The helper failed or hung: never use it again, and do its half here.
    h.worker.terminate();
    helper = null;
    impliedVolRange(types, spots, strikes, years, prices, r, q, out, half, n);
    return true;
  }
  out.set(h.out.subarray(0, m), half);
  return true;
}
