/**
 * Test helpers: read the numeric reference tables in tests/fixtures.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path of a file in tests/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Rows of a small CSV fixture as records of strings keyed by header. */
export function readCsvFixture(name: string): Record<string, string>[] {
  const lines = readFileSync(fixturePath(name), "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i]));
    return row;
  });
}

/** Relative difference |a - b| / max(|b|, tiny). */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
