/**
 * Reports computed once per cache entry: a store read from (or written to) the binary cache
 * knows its entry and the slice of it that was loaded (see `ChainStoreData.origin`), and the
 * same entry and slice always give the same store. A report that depends on the store alone
 * (the data-quality report, say) is therefore kept beside the entry as JSON and read back by
 * every later load of that slice. The file carries a checksum of its text; a damaged or
 * unreadable one is computed again. Deleting or rebuilding the entry deletes its reports.
 *
 * @module
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, join } from "node:path";
import type { ChainStore } from "./chain_store.ts";
import { namedChecksum } from "./_checksum.ts";
import { removeStaleTemps, tempSuffix } from "./temp_names.ts";

/**
 * The value of `compute()` for a store, computed once per cache entry and slice and read back
 * from the entry afterwards. Without a cache entry (a load without cache, a store built by
 * hand) it is computed every time. The value must survive JSON exactly (numbers, strings,
 * booleans, null, arrays and plain objects; no NaN, Infinity or -0).
 *
 * @param store the store the value is computed from (and from nothing else)
 * @param name the report's name and version, e.g. `data-quality-v1`: change the version when
 *   the computation changes, or older entries serve the old values
 * @param compute computes the value
 * @returns the value
 *
 * @example Without a cache entry the value is computed each time
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { buildChainStore } from "./chain_store.ts";
 * import { memoizeForStore } from "./derived.ts";
 * const chains = pl.DataFrame({
 *   ticker: ["SPY"], tradeDate: ["2024-01-02"], expirDate: ["2024-02-16"], strike: [470],
 *   optionType: ["P"], bid: [3.4], ask: [3.5], volume: [9], openInterest: [99],
 *   stockPrice: [472], delta: [-0.45], gamma: [0.02], theta: [-0.1], vega: [0.6],
 *   impliedVolatility: [0.14],
 * });
 * const store = buildChainStore({ chains, bars: new Map(), vix: null });
 * let calls = 0;
 * const rows = () => (calls++, store.rowCount);
 * assert.equal(memoizeForStore(store, "rows-v1", rows), 1);
 * assert.equal(memoizeForStore(store, "rows-v1", rows), 1);
 * assert.equal(calls, 2);
 * ```
 */
export function memoizeForStore<T>(store: ChainStore, name: string, compute: () => T): T {
  const origin = store.data.origin;
  if (!origin) return compute();
  if (!/^[\w.-]+$/.test(name)) {
    throw new RangeError(`Report name ${JSON.stringify(name)} is not a plain file name`);
  }
  const folder = join(origin.entry, "derived");
  const file = join(folder, `${name}-${origin.slice}.json`);
  try {
    const text = readFileSync(file, "utf8");
    const cut = text.indexOf("\n");
    const body = text.slice(cut + 1);
    if (
      Number(text.slice(0, cut)) === namedChecksum(basename(file), new TextEncoder().encode(body))
    ) {
      return JSON.parse(body) as T;
    }
  } catch {
    // Not computed yet (or unreadable): compute it now.
  }
  const value = compute();
  try {
    const body = JSON.stringify(value);
    // Only what JSON gives back exactly is kept (NaN, Infinity or -0 would come back changed).
    if (!sameJson(value, JSON.parse(body))) return value;
    // The entry must exist (never create one holding only reports).
    if (!existsSync(origin.entry)) return value;
    mkdirSync(folder, { recursive: true });
    const tmp = `${file}${tempSuffix()}`;
    const checksum = namedChecksum(basename(file), new TextEncoder().encode(body));
    writeFileSync(tmp, `${checksum}\n${body}`);
    renameSync(tmp, file);
    removeStaleTemps(folder, "");
  } catch {
    // A read-only cache, or an entry removed meanwhile: computed again next time.
  }
  return value;
}

/** Whether a value equals its JSON round trip: same structure, numbers identical (Object.is). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Typed arrays, dates, maps and class instances come back as other things.
  if (!Array.isArray(a) && Object.getPrototypeOf(a) !== Object.prototype) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) =>
    k === kb[i] &&
    sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/**
 * {@link memoizeForStore} for an array of numbers: kept beside the entry as its raw bytes (with
 * their length and checksum), so that NaN, infinities and -0 come back exactly.
 *
 * @param store the store the array is computed from (and from nothing else)
 * @param name the array's name and version, e.g. `atm-iv-30-v1`
 * @param compute computes the array
 * @returns the array (a copy read back from the entry, or `compute()`'s)
 *
 * @example Without a cache entry the array is computed each time
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { buildChainStore } from "./chain_store.ts";
 * import { memoizeFloat64ForStore } from "./derived.ts";
 * const chains = pl.DataFrame({
 *   ticker: ["SPY"], tradeDate: ["2024-01-02"], expirDate: ["2024-02-16"], strike: [470],
 *   optionType: ["P"], bid: [3.4], ask: [3.5], volume: [9], openInterest: [99],
 *   stockPrice: [472], delta: [-0.45], gamma: [0.02], theta: [-0.1], vega: [0.6],
 *   impliedVolatility: [0.14],
 * });
 * const store = buildChainStore({ chains, bars: new Map(), vix: null });
 * const strikes = memoizeFloat64ForStore(store, "strikes-v1", () => store.columns.strike.slice());
 * assert.deepEqual(Array.from(strikes), [470]);
 * ```
 */
export function memoizeFloat64ForStore(
  store: ChainStore,
  name: string,
  compute: () => Float64Array,
): Float64Array {
  const origin = store.data.origin;
  if (!origin) return compute();
  if (!/^[\w.-]+$/.test(name)) {
    throw new RangeError(`Report name ${JSON.stringify(name)} is not a plain file name`);
  }
  const folder = join(origin.entry, "derived");
  const file = join(folder, `${name}-${origin.slice}.f64`);
  try {
    const bytes = readFileSync(file);
    const head = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const length = head.getUint32(0, true);
    const body = bytes.subarray(8);
    if (
      body.length === length * 8 && head.getUint32(4, true) === namedChecksum(basename(file), body)
    ) {
      // A copy on its own (aligned) buffer.
      return new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
    }
  } catch {
    // Not computed yet (or unreadable): compute it now.
  }
  const value = compute();
  try {
    if (!existsSync(origin.entry)) return value;
    const body = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    const head = new DataView(new ArrayBuffer(8));
    head.setUint32(0, value.length, true);
    head.setUint32(4, namedChecksum(basename(file), body), true);
    mkdirSync(folder, { recursive: true });
    const tmp = `${file}${tempSuffix()}`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, new Uint8Array(head.buffer));
      writeSync(fd, body);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    removeStaleTemps(folder, "");
  } catch {
    // A read-only cache, or an entry removed meanwhile: computed again next time.
  }
  return value;
}
