/**
 * Keeping the cache folder in bounds: when an entry is written, entries whose chain files no
 * longer exist are removed (they can never be read again), then the least recently used ones
 * while the folder exceeds `$MAHLER_CACHE_MAX_GB` (default 40).
 *
 * @module
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ENTRY_NAME } from "./_cache_key.ts";
import { readMeta } from "./_cache_entry.ts";

/** Size limit of the cache folder when `$MAHLER_CACHE_MAX_GB` is unset, in GB. */
const DEFAULT_LIMIT_GB = 40;

/** Size in bytes of everything under a folder. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

/**
 * Removes entries whose chain files are gone, then the least recently used ones (an entry's
 * folder time is set when it is read) while the cache exceeds its size limit.
 *
 * @param dir cache folder
 * @param keep the entry just written (never removed)
 */
export function evict(dir: string, keep: string): void {
  let limitGb = DEFAULT_LIMIT_GB;
  try {
    const v = Number(Deno.env.get("MAHLER_CACHE_MAX_GB"));
    if (v > 0) limitGb = v;
  } catch {
    // No env access: the default limit.
  }
  const entries = readdirSync(dir).filter((name) => ENTRY_NAME.test(name)).map((name) => {
    const p = join(dir, name);
    let used = 0;
    let orphan = false;
    try {
      used = statSync(p).mtimeMs;
      const meta = readMeta(p);
      orphan = meta === null || meta.files.some((f) => !existsSync(f));
    } catch {
      // An entry that cannot be read is of no use: oldest.
    }
    let bytes = 0;
    try {
      bytes = folderBytes(p);
    } catch {
      // Removed meanwhile by another process.
    }
    return { name, p, used, orphan, bytes };
  }).sort((a, b) => a.used - b.used);
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  for (const e of entries) {
    if (e.name === keep) continue;
    if (e.orphan || total > limitGb * 2 ** 30) {
      rmSync(e.p, { recursive: true, force: true });
      total -= e.bytes;
    }
  }
}
