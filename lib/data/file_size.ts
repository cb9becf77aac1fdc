/**
 * The size of an input file, for the layers that must not read files themselves.
 *
 * @module
 */
import { statSync } from "node:fs";

/**
 * The size of a file in bytes.
 *
 * @param path file path
 * @returns bytes
 * @throws the file system's error when the file cannot be read (e.g. it does not exist)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSize } from "./file_size.ts";
 * assert.ok(fileSize("deno.json") > 0);
 * assert.throws(() => fileSize("/no/such/file"));
 * ```
 */
export function fileSize(path: string): number {
  return statSync(path).size;
}
