/** Comparing two output folders, for the tests of byte-identical runs. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Asserts that two run folders hold the same files, manifest.json aside, byte for byte, and
 * that each of `required` is among them.
 *
 * @param a one folder
 * @param b the other
 * @param required files both must hold
 */
export function assertSameOutputs(a: string, b: string, required: string[]): void {
  const files = readdirSync(a).filter((f) => f !== "manifest.json").sort();
  assert.deepEqual(readdirSync(b).filter((f) => f !== "manifest.json").sort(), files);
  for (const f of required) assert.ok(files.includes(f), `${f} missing`);
  for (const f of files) {
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
  }
}
