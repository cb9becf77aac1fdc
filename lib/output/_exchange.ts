/**
 * Swapping two paths in one atomic step: Linux's `renameat2(RENAME_EXCHANGE)` through Deno's FFI
 * to the C library (part of `-A`). A run folder replacing an older one is swapped with it, so
 * that a process killed at any moment leaves either the old folder or the new one in place,
 * never neither. Where the call is unavailable (another system, no FFI permission, an old C
 * library or a file system without it), {@link exchangePaths} returns false and the caller
 * falls back to two renames.
 *
 * @module
 */

const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;

const SYMBOLS = {
  renameat2: { parameters: ["i32", "buffer", "i32", "buffer", "u32"], result: "i32" },
} as const;

let renameat2: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"]["renameat2"] | null | undefined;

function binding(): typeof renameat2 {
  if (renameat2 !== undefined) return renameat2;
  renameat2 = null;
  if (Deno.build.os !== "linux") return renameat2;
  for (const name of ["libc.so.6", "libc.so"]) {
    try {
      renameat2 = Deno.dlopen(name, SYMBOLS).symbols.renameat2;
      break;
    } catch {
      // No FFI permission, or no such library or symbol: the caller renames twice instead.
    }
  }
  return renameat2;
}

/**
 * Swaps two existing paths atomically (each takes the other's name).
 *
 * @param a a file or folder
 * @param b another, on the same file system
 * @returns true when swapped; false when the system cannot swap here (nothing changed)
 *
 * @example Two folders swap their names
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { exchangePaths } from "./_exchange.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(join(dir, "a"));
 * Deno.writeTextFileSync(join(dir, "a", "x"), "a");
 * Deno.mkdirSync(join(dir, "b"));
 * if (exchangePaths(join(dir, "a"), join(dir, "b"))) {
 *   assert.equal(Deno.readTextFileSync(join(dir, "b", "x")), "a");
 * }
 * ```
 */
export function exchangePaths(a: string, b: string): boolean {
  const call = binding();
  if (!call) return false;
  const encode = (p: string) => new TextEncoder().encode(`${p}\0`);
  return call(AT_FDCWD, encode(a), AT_FDCWD, encode(b), RENAME_EXCHANGE) === 0;
}
