/**
 * The binary cache of loaded chains. The first load of a data tree writes the store's columns
 * (quality flags included), its chain-group index and its loading counts to a cache entry;
 * later loads map the entry's files into memory (Linux) or read them, only the underlyings and
 * days they need.
 *
 * An entry is a folder `<cache dir>/<key>-<coverage>/` with one file per column, rows ordered
 * by underlying, day, expiry, type and strike, so that an underlying's days in a window are one
 * contiguous range of each file and a day's expiries are contiguous within it. The key is the
 * SHA-256 of every chain file's absolute path, size and modification time and of the load
 * options that change content (rate, dividend yield, column map): editing, adding or removing
 * any chain file makes a new key, and the stale entry is never read again. An entry records
 * what it covers (date window, underlyings, DTE limit): a load reads the smallest entry that
 * covers it; a load that no entry covers reads the files and writes its own (replacing the
 * entries it covers); a load served by a much larger entry writes its own too.
 *
 * Entries are written under a temporary name and renamed into place, carry a checksum per 64 MB
 * block of every file, and are checked before they are read (see `_cache_entry.ts`): a damaged
 * entry is removed and rebuilt from the chain files, never read as data. The cache holds
 * nothing that is not in the inputs: deleting it loses nothing but time.
 *
 * Location: `$MAHLER_CACHE_DIR`, else `$XDG_CACHE_HOME/mahler`, else `~/.cache/mahler`. When an
 * entry is written, entries whose chain files no longer exist are removed, then those not used
 * for the longest time while the folder exceeds `$MAHLER_CACHE_MAX_GB` (default 40). Clear it by
 * deleting the folder, or with {@link clearCache}. `MAHLER_MMAP=0` reads entries instead of
 * mapping them (same results).
 *
 * @module
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultCacheDir, ENTRY_NAME, STAGING_NAME } from "./_cache_key.ts";

export { defaultCacheDir } from "./_cache_key.ts";

/**
 * Deletes cache entries: every entry of the folder (default the cache folder).
 *
 * @param dir cache folder
 * @returns the number of entries removed
 *
 * @example An empty or missing folder holds nothing to remove
 * ```ts
 * import assert from "node:assert/strict";
 * import { clearCache } from "./cache.ts";
 * assert.equal(clearCache(Deno.makeTempDirSync()), 0);
 * ```
 */
export function clearCache(dir: string = defaultCacheDir()): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!ENTRY_NAME.test(name) && !STAGING_NAME.test(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
