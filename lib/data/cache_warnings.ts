/**
 * What the cache reports without failing the load it serves: a damaged entry or memo file found
 * (removed, and rebuilt from the source files), or a cache that cannot be written (a full or
 * read-only disk: the command goes on without it). Each is one line naming the path. The
 * command line prints them as warnings; a library user subscribes with {@link onCacheWarning}
 * (a load's own are also in its report, `LoadReport.cacheWarnings`).
 *
 * @module
 */

/** Receives each warning, one line. */
export type CacheWarningListener = (message: string) => void;

const listeners = new Set<CacheWarningListener>();

/**
 * Calls `listener` with every cache warning from now on.
 *
 * @param listener receives one line per warning
 * @returns a function that stops the calls
 *
 * @example Warnings reach a listener until it unsubscribes
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheWarning, onCacheWarning } from "./cache_warnings.ts";
 * const seen: string[] = [];
 * const stop = onCacheWarning((m) => seen.push(m));
 * cacheWarning("Cache entry /c/x is damaged");
 * stop();
 * cacheWarning("not seen");
 * assert.deepEqual(seen, ["Cache entry /c/x is damaged"]);
 * ```
 */
export function onCacheWarning(listener: CacheWarningListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * Reports a cache warning to every listener (internal to the data layer).
 *
 * @param message one line naming the path
 */
export function cacheWarning(message: string): void {
  const line = message.split("\n")[0];
  for (const listener of listeners) listener(line);
}
