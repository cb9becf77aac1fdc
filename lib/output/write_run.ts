/**
 * Writes a run's output folder atomically: every file is written into a temporary sibling
 * folder first and the folder is moved into place only when all of them exist, so a failure
 * (or a kill) leaves nothing half-written. A run never mixes with an earlier one: an existing non-empty
 * folder is refused unless it is to be replaced, and then it is replaced whole.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileSha256 } from "../data/file_hash.ts";
import { removeStaleTemps, staleTemp, tempSuffix } from "../data/temp_names.ts";
import { exchangePaths } from "./_exchange.ts";
import { fileSystemReason } from "../data/fs_reason.ts";

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

/** An output folder that cannot be written as asked; the message names the path. */
export class OutputError extends Error {
  /** The folder or file concerned. */
  readonly path: string;

  /** Builds the message "path: what". */
  constructor(path: string, what: string) {
    super(`${path}: ${what}`);
    this.name = "OutputError";
    this.path = path;
  }
}

/** Options of {@link writeRunFiles}. */
export interface WriteRunOptions {
  /**
   * Replace an existing non-empty folder whole (default false: refuse it). The old folder is
   * removed only after the new one is complete and in place.
   */
  replace?: boolean;
}

/** Whether a path is a folder with something in it. */
function nonEmptyFolder(path: string): boolean {
  return statSync(path).isDirectory() && readdirSync(path).length > 0;
}

/**
 * Checks, before any work, that a run can be written to `outDir`: it is absent, an empty
 * folder, or (with `replace`) a folder to replace; and the nearest existing folder above it
 * accepts new entries.
 *
 * @param outDir destination folder
 * @param options whether an existing non-empty folder may be replaced
 * @throws OutputError naming the path: a file in the way, a non-empty folder without
 *   `replace`, or a folder that cannot be written (permissions, a read-only file system)
 *
 * @example A folder under a file, and a non-empty folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { checkOutDir } from "./write_run.ts";
 * const dir = await Deno.makeTempDir();
 * Deno.writeTextFileSync(join(dir, "notes.txt"), "x");
 * checkOutDir(join(dir, "new", "run")); // creatable: nothing thrown
 * assert.throws(() => checkOutDir(join(dir, "notes.txt", "run")), /notes\.txt: is a file, not a folder/);
 * assert.throws(() => checkOutDir(dir), /exists and is not empty/);
 * checkOutDir(dir, { replace: true });
 * ```
 */
export function checkOutDir(outDir: string, options: WriteRunOptions = {}): void {
  const target = resolve(outDir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) {
      throw new OutputError(outDir, "exists and is a file, not a folder");
    }
    if (nonEmptyFolder(target) && !options.replace) {
      throw new OutputError(
        outDir,
        "exists and is not empty: choose another output folder, or add --force to replace it",
      );
    }
  }
  // The run is staged beside the folder: the nearest existing folder above it must take entries.
  let dir = dirname(target);
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!statSync(dir).isDirectory()) throw new OutputError(dir, "is a file, not a folder");
  let probe: string;
  try {
    probe = mkdtempSync(join(dir, ".mahler-write-check-"));
  } catch (err) {
    throw new OutputError(dir, `cannot create folders here (${reasonOf(err)})`);
  }
  rmSync(probe, { recursive: true, force: true });
}

/** A file-system error's reason in words. */
function reasonOf(err: unknown): string {
  return fileSystemReason(err);
}

/**
 * Writes a run's files into `outDir` atomically: all of them into a staging folder beside it,
 * then the staging folder moved into place. An existing non-empty `outDir` is refused unless
 * `replace` is set, and then replaced whole, in one step where the system allows (Linux's atomic
 * exchange of the two folders; elsewhere the old folder is moved aside first and put back if
 * the new one cannot take its place). A process killed at any moment leaves the old folder or
 * the new one, complete; its staging folder is removed by the next write beside it (see
 * data/temp_names.ts).
 *
 * @param outDir destination folder (created with its parents if needed)
 * @param files files to write
 * @param options whether to replace an existing non-empty folder
 * @throws OutputError naming the path (and the file) when the folder is refused or cannot be
 *   written, e.g. "results/run: cannot write trades.parquet (no space left on the device)"
 *
 * @example Every file lands, or none; a second run replaces the first only when asked
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { writeRunFiles } from "./write_run.ts";
 * const out = join(await Deno.makeTempDir(), "run");
 * writeRunFiles(out, [{ name: "a.json", text: "{}\n" }, { name: "b.txt", text: "b" }]);
 * assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name).sort(), ["a.json", "b.txt"]);
 * assert.throws(() => writeRunFiles(out, [{ name: "c.txt", text: "c" }]), /not empty/);
 * writeRunFiles(out, [{ name: "c.txt", text: "c" }], { replace: true });
 * assert.deepEqual([...Deno.readDirSync(out)].map((e) => e.name), ["c.txt"]);
 * ```
 */
export function writeRunFiles(
  outDir: string,
  files: OutputFile[],
  options: WriteRunOptions = {},
): void {
  checkOutDir(outDir, options);
  const target = resolve(outDir);
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new OutputError(parent, `cannot create the folder (${reasonOf(err)})`);
  }
  const base = basename(target);
  recoverMovedAside(parent, base, target);
  removeStaleTemps(parent, `.${base}.tmp-`);
  const staging = join(parent, `.${base}${tempSuffix()}`);
  let current = "";
  try {
    mkdirSync(staging);
    for (const f of files) {
      current = f.name;
      const path = join(staging, f.name);
      if ("text" in f) writeFileSync(path, f.text);
      // Parquet is encoded in memory and written here: a full disk is then said as such (polars
      // writing to the file itself reports it as "Invalid thrift: transport error").
      else if ("parquet" in f) writeFileSync(path, f.parquet.writeParquet({ compression: "zstd" }));
      else writeFileSync(path, f.csv.writeCSV().toString());
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const what = current ? `cannot write ${current}` : "cannot write the run";
    throw new OutputError(outDir, `${what} (${reasonOf(err)})`);
  }
  try {
    if (existsSync(target) && nonEmptyFolder(target)) {
      if (exchangePaths(staging, target)) {
        // The new run is in place; the staging name now holds the old one.
        rmSync(staging, { recursive: true, force: true });
        return;
      }
      replaceInTwoSteps(staging, target, join(parent, `.${base}.old${tempSuffix()}`));
      return;
    }
    try {
      renameSync(staging, target); // onto nothing, or onto an empty folder
    } catch {
      if (existsSync(target)) rmdirSync(target);
      renameSync(staging, target);
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new OutputError(outDir, `cannot move the run into place (${reasonOf(err)})`);
  }
}

/**
 * Replaces a folder by moving it aside, then the new one in (where no atomic exchange exists);
 * the old one is put back when the new one cannot take its place, and deleted once it has.
 */
function replaceInTwoSteps(staging: string, target: string, old: string): void {
  renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (err) {
    if (!existsSync(target)) renameSync(old, target);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Puts back an old run folder that a killed process had moved aside to replace it (two-step
 * replacement) when the new one never took its place; removes it when the new one did.
 */
function recoverMovedAside(parent: string, base: string, target: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`.${base}.old.tmp-`)) continue;
    const path = join(parent, name);
    if (!staleTemp(path, name)) continue;
    try {
      if (!existsSync(target)) renameSync(path, target);
      else rmSync(path, { recursive: true, force: true });
    } catch {
      // Left for the next write.
    }
  }
}
