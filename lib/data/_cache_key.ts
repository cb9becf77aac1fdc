/**
 * What names a cache entry: the key of a data tree (its chain files' identity and the options
 * that change what loads from it), what an entry covers, and where entries live.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Version of the entry format; a change makes every older entry a miss. 6: the IVs and greeks
 * computed at load come from the one-evaluation kernel (last-bit changes), and the load refuses
 * out-of-range strikes, prices and dates that format 5 entries may hold.
 */
export const CACHE_FORMAT = 6;

/** What a load keeps: an entry serves every load it covers. */
export interface CacheCoverage {
  /** First and last day kept (null: unbounded). */
  from: number | null;
  to: number | null;
  /** Underlyings kept (null: all). */
  underlyings: string[] | null;
  /** DTE limit (null: none) and IV tenor of the skip rule. */
  maxDte: number | null;
  ivTenorDays: number;
}

/** The identity of a data tree and of the options that change what loads from it. */
export interface CacheKeyInput {
  /** Every chain file with its size and modification time. */
  files: Array<{ path: string; size: number; mtimeMs: number }>;
  /** Rate and dividend yield (put greeks of strikes layouts, computed greeks). */
  rate: number;
  dividendYield: number;
  /** The `[data.columns]` map, if any. */
  columnMap: Record<string, string> | null;
  /**
   * The dividends file with its size and modification time, when the data has one (greeks
   * computed at load use its escrowed spot); absent or null: none, and the key is as without.
   */
  dividends?: { path: string; size: number; mtimeMs: number } | null;
}

/**
 * The cache folder: `$MAHLER_CACHE_DIR`, else `$XDG_CACHE_HOME/mahler`, else
 * `~/.cache/mahler`.
 *
 * @returns an absolute path
 */
export function defaultCacheDir(): string {
  const env = (name: string) => {
    try {
      return Deno.env.get(name) || null;
    } catch {
      return null;
    }
  };
  const explicit = env("MAHLER_CACHE_DIR");
  if (explicit) return resolve(explicit);
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return resolve(xdg, "mahler");
  const home = env("HOME") ?? homedir();
  return home ? join(home, ".cache", "mahler") : join(tmpdir(), "mahler-cache");
}

/**
 * The cache key of a data tree: SHA-256 of the files' paths, sizes and modification times, of
 * the content-changing options and of the entry format.
 *
 * @example Any change to a file's size or time changes the key
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheKey } from "./_cache_key.ts";
 * const base = { rate: 0, dividendYield: 0, columnMap: null };
 * const a = cacheKey({ ...base, files: [{ path: "/d/a.csv", size: 10, mtimeMs: 1 }] });
 * const b = cacheKey({ ...base, files: [{ path: "/d/a.csv", size: 10, mtimeMs: 2 }] });
 * assert.notEqual(a, b);
 * assert.equal(a.length, 64);
 * ```
 */
export function cacheKey(input: CacheKeyInput): string {
  const files = [...input.files].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return createHash("sha256").update(JSON.stringify({
    format: CACHE_FORMAT,
    files: files.map((f) => [f.path, f.size, f.mtimeMs]),
    rate: input.rate,
    dividendYield: input.dividendYield,
    columnMap: input.columnMap,
    ...(input.dividends
      ? { dividends: [input.dividends.path, input.dividends.size, input.dividends.mtimeMs] }
      : {}),
  })).digest("hex");
}

/**
 * Whether an entry's coverage serves a load's.
 *
 * @example An entry of every underlying serves a load of one, in a window
 * ```ts
 * import assert from "node:assert/strict";
 * import { covers } from "./_cache_key.ts";
 * const all = { from: null, to: null, underlyings: null, maxDte: null, ivTenorDays: 30 };
 * assert.ok(covers(all, { ...all, from: 19000, underlyings: ["SPY"], maxDte: 45 }));
 * assert.ok(!covers({ ...all, maxDte: 45 }, all));
 * ```
 */
export function covers(entry: CacheCoverage, want: CacheCoverage): boolean {
  if (entry.from !== null && (want.from === null || want.from < entry.from)) return false;
  if (entry.to !== null && (want.to === null || want.to > entry.to)) return false;
  if (entry.underlyings !== null) {
    if (want.underlyings === null) return false;
    if (!want.underlyings.every((u) => entry.underlyings!.includes(u))) return false;
  }
  if (entry.maxDte !== null) {
    if (want.maxDte === null || entry.ivTenorDays !== want.ivTenorDays) return false;
    if (Math.max(want.maxDte, want.ivTenorDays) > Math.max(entry.maxDte, entry.ivTenorDays)) {
      return false;
    }
  }
  return true;
}

/** A short hash of a coverage (entry folder names, slices of an entry). */
export function coverageHash(coverage: CacheCoverage): string {
  return createHash("sha256").update(JSON.stringify(coverage)).digest("hex").slice(0, 16);
}

/** The folder name of an entry: the key and a short hash of what the entry covers. */
export function entryName(key: string, coverage: CacheCoverage): string {
  return `${key}-${coverageHash(coverage)}`;
}

/** Entry folder names (the key is group 1). */
export const ENTRY_NAME: RegExp = /^([0-9a-f]{64})-[0-9a-f]{16}$/;

/** Staging folder names of entries being written. */
export const STAGING_NAME: RegExp = /^[0-9a-f]{64}\.tmp-/;

/**
 * The folder of the entry a load writes: `<dir>/<key>-<hash of its coverage>`.
 *
 * @param dir cache folder
 * @param key the data tree's key
 * @param coverage what the load keeps
 */
export function cacheEntryDir(dir: string, key: string, coverage: CacheCoverage): string {
  return join(dir, entryName(key, coverage));
}
