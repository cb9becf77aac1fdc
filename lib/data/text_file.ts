/**
 * Reads a small text input, such as a configuration file, for the layers that must not read
 * files themselves (the configuration is parsed by the strategy layer from its text).
 *
 * @module
 */
import { readFileSync } from "node:fs";

/**
 * The UTF-8 text of a file, or null when it does not exist or cannot be read.
 *
 * @param path file path
 * @returns the text, or null
 *
 * @example A missing file reads as null
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTextFile } from "./text_file.ts";
 * assert.equal(readTextFile("/no/such/file.toml"), null);
 * assert.match(readTextFile("deno.json")!, /"imports"/);
 * ```
 */
export function readTextFile(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
