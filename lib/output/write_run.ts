/**
 * Writes a run's output folder atomically: every file is written into a temporary sibling
 * folder first and moved into place only when all of them exist, so a failure leaves nothing
 * half-written.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileSha256 } from "../data/file_hash.ts";

/** A file to write: text, or a polars frame written as Parquet or CSV. */
export type OutputFile =
  | { name: string; text: string }
  | { name: string; parquet: pl.DataFrame }
  | { name: string; csv: pl.DataFrame };

/**
 * JSON with two-space indentation and a final newline; non-finite numbers become null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toJson } from "./write_run.ts";
 * assert.equal(toJson({ sharpe: NaN, trades: 3 }), '{\n  "sharpe": null,\n  "trades": 3\n}\n');
 * ```
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
    2,
  ) + "\n";
}

/** SHA-256 of a file's bytes, hex (remembered for large inputs, see data/file_hash.ts). */
export function sha256File(path: string): string {
  return fileSha256(path);
}

/** SHA-256 of a string, hex. */
export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Writes the files into `outDir` (created if needed), replacing files of the same names.
 *
 * @param outDir destination folder
 * @param files files to write
 *
 * @example Every file lands, or none
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { writeRunFiles } from "./write_run.ts";
 * const out = join(await Deno.makeTempDir(), "run");
 * writeRunFiles(out, [{ name: "a.json", text: "{}\n" }, { name: "b.txt", text: "b" }]);
 * assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name).sort(), ["a.json", "b.txt"]);
 * ```
 */
export function writeRunFiles(outDir: string, files: OutputFile[]): void {
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(outDir)}.tmp-${Deno.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    for (const f of files) {
      const path = join(staging, f.name);
      if ("text" in f) writeFileSync(path, f.text);
      else if ("parquet" in f) f.parquet.writeParquet(path, { compression: "zstd" });
      else writeFileSync(path, f.csv.writeCSV().toString());
    }
    mkdirSync(outDir, { recursive: true });
    for (const f of files) {
      const target = join(outDir, f.name);
      if (existsSync(target)) rmSync(target);
      renameSync(join(staging, f.name), target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
