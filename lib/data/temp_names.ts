/**
 * Names of temporary files and folders (a cache entry being written, a run folder being staged,
 * a memo file before its rename) that say who writes them: `<name>.tmp-<host>-<pid>-<ms>-<n>`.
 * A process killed while it writes (kill -9, a power cut, a preempted job) leaves its temporary
 * behind; the next write beside it removes it once its owner is known to be gone: a process of
 * this host that no longer runs, or any owner whose temporary has not changed for a day (a
 * folder shared by several machines).
 *
 * @module
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/** A temporary untouched for this long is stale whoever wrote it (ms). */
export const STALE_TEMP_MS = 24 * 3600 * 1000;

let counter = 0;

/** This machine's name ("host" where the name cannot be read). */
function hostName(): string {
  try {
    return Deno.hostname().replace(/[^\w.-]/g, "_") || "host";
  } catch {
    return "host";
  }
}

const HOST = hostName();

/**
 * A unique temporary suffix for this process: `.tmp-<host>-<pid>-<ms>-<n>`.
 *
 * @returns the suffix to append to the final name
 *
 * @example Two suffixes of one process differ, and name it
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempSuffix } from "./temp_names.ts";
 * const a = tempSuffix();
 * assert.notEqual(a, tempSuffix());
 * assert.match(a, new RegExp(`^\\.tmp-.+-${Deno.pid}-\\d+-\\d+$`));
 * ```
 */
export function tempSuffix(): string {
  return `.tmp-${HOST}-${Deno.pid}-${Date.now()}-${counter++}`;
}

/** The owner of a temporary name, or null when the name is not one of {@link tempSuffix}'s. */
function ownerOf(name: string): { host: string; pid: number } | null {
  const m = /\.tmp-(.+)-(\d+)-\d+-\d+$/.exec(name);
  return m ? { host: m[1], pid: Number(m[2]) } : null;
}

/** Whether a process of this machine runs (unknown, so true, where /proc is absent). */
function running(pid: number): boolean {
  if (!existsSync("/proc/self")) return true;
  return existsSync(`/proc/${pid}`);
}

/** The latest modification time of a file, or of a folder and the files in it. */
function lastChangeMs(path: string): number {
  const s = statSync(path);
  let latest = s.mtimeMs;
  if (s.isDirectory()) {
    for (const name of readdirSync(path)) {
      try {
        latest = Math.max(latest, statSync(join(path, name)).mtimeMs);
      } catch {
        // Removed meanwhile.
      }
    }
  }
  return latest;
}

/**
 * Whether a temporary (by its name and path) was left by a writer that is gone: a process of
 * this machine that no longer runs, or any writer when it has not changed for
 * {@link STALE_TEMP_MS}. This process's own temporaries are never stale.
 *
 * @param path the temporary's path
 * @param name its name
 * @returns true when it can be removed
 */
export function staleTemp(path: string, name: string): boolean {
  const owner = ownerOf(name);
  if (!owner) return false;
  if (owner.host === HOST && owner.pid === Deno.pid) return false;
  if (owner.host === HOST && !running(owner.pid)) return true;
  try {
    return Date.now() - lastChangeMs(path) > STALE_TEMP_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the stale temporaries (see {@link staleTemp}) in a folder whose names start with
 * `prefix`.
 *
 * @param dir the folder
 * @param prefix the temporaries' names start with it (e.g. `.run.tmp-`)
 * @returns the paths removed
 *
 * @example A temporary of a process that no longer runs is removed; this process's is kept
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdirSync } from "node:fs";
 * import { join } from "node:path";
 * import { removeStaleTemps, tempSuffix } from "./temp_names.ts";
 * const dir = Deno.makeTempDirSync();
 * const mine = join(dir, `entry${tempSuffix()}`);
 * mkdirSync(mine);
 * const host = Deno.hostname().replace(/[^\w.-]/g, "_");
 * mkdirSync(join(dir, `entry.tmp-${host}-999999999-1-0`)); // no such process
 * assert.deepEqual(removeStaleTemps(dir, "entry.tmp-"), [join(dir, "entry.tmp-" + host + "-999999999-1-0")]);
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => join(dir, e.name)), [mine]);
 * ```
 */
export function removeStaleTemps(dir: string, prefix: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(dir, name);
    if (!staleTemp(path, name)) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Another process removing it too, or a read-only folder: left for later.
    }
  }
  return removed;
}
