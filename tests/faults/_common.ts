/**
 * What the fault kinds share: the seeded random points, the small market and configuration they
 * run on, a command-line process that can be killed at a moment, comparisons of output folders
 * that count the bytes lost, the check of a cache folder's entries, and the figures each kind
 * prints (one `FAULTS {json}` line per kind, read by run_faults.ts).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ENTRY_NAME, STAGING_NAME } from "../../lib/data/_cache_key.ts";
import { inspectMeta, verifyEntry } from "../../lib/data/_cache_entry.ts";

/** The repository's root folder. */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url));
/** main.ts. */
export const MAIN: string = join(ROOT, "main.ts");
/** The small configuration every kind runs (a 2 x 2 grid over 2-month training windows). */
export const CONFIG: string = join(ROOT, "config/test_config.toml");

/** The suite's seed: MAHLER_FAULT_SEED (default 23). */
export const SEED: number = Number(Deno.env.get("MAHLER_FAULT_SEED") ?? 23);
/** Points per fault kind: MAHLER_FAULT_POINTS (default 20, the minimum). */
export const POINTS: number = Number(Deno.env.get("MAHLER_FAULT_POINTS") ?? 20);

/** A kind's figures: faults injected, faults survived (the promise held), bytes lost. */
export interface Figures {
  /** The fault kind. */
  kind: string;
  /** Faults injected. */
  injected: number;
  /** Of those, the ones after which every promise held. */
  survived: number;
  /** Bytes of committed data (a finished output folder, a valid cache entry) lost. */
  bytesLost: number;
  /** One line per fault that was not survived. */
  failures: string[];
}

/** Starts a kind's figures. */
export function figures(kind: string): Figures {
  return { kind, injected: 0, survived: 0, bytesLost: 0, failures: [] };
}

/**
 * Runs one injected fault's check: `check` returns the bytes lost (0 when none) or throws what
 * broke; either way the fault counts as injected.
 */
export async function inject(
  f: Figures,
  label: string,
  check: () => Promise<number> | number,
): Promise<void> {
  f.injected++;
  try {
    const lost = await check();
    f.bytesLost += lost;
    if (lost === 0) f.survived++;
    else f.failures.push(`${label}: ${lost} bytes lost`);
  } catch (err) {
    f.failures.push(`${label}: ${String((err as Error)?.message ?? err).split("\n")[0]}`);
  }
}

/** Prints a kind's figures for run_faults.ts (and the failures for a reader). */
export function report(f: Figures): void {
  for (const line of f.failures.slice(0, 20)) console.error(`  ${f.kind}: ${line}`);
  console.log(`FAULTS ${JSON.stringify(f)}`);
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one kind: the suite's seed mixed with the kind's name. */
export function kindSeed(kind: string): number {
  let h = SEED >>> 0;
  for (const c of kind) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** What a command printed and how it ended. */
export interface Ended {
  code: number;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from start to end. */
  ms: number;
}

/**
 * Runs `deno run -A main.ts ...args`; with `killAfterMs`, sends SIGKILL that many milliseconds
 * after the start (when the process still runs).
 */
export async function mahler(
  args: string[],
  env: Record<string, string>,
  killAfterMs?: number,
): Promise<Ended> {
  return await spawn([Deno.execPath(), "run", "-A", MAIN, ...args], env, killAfterMs);
}

/** Runs a command line, optionally killed with SIGKILL after `killAfterMs`. */
export async function spawn(
  argv: string[],
  env: Record<string, string>,
  killAfterMs?: number,
): Promise<Ended> {
  const t0 = performance.now();
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (killAfterMs !== undefined) {
    timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already ended.
      }
    }, killAfterMs);
  }
  const out = await child.output();
  clearTimeout(timer);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    signal: out.signal,
    stdout: decode(out.stdout),
    stderr: decode(out.stderr),
    ms: performance.now() - t0,
  };
}

/** A folder's files (recursively, relative paths) and their bytes. */
export function filesOf(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(dir, rel, name);
      if (statSync(path).isDirectory()) walk(join(rel, name));
      else files.set(join(rel, name), readFileSync(path));
    }
  };
  if (existsSync(dir)) walk("");
  return files;
}

/** The bytes of a folder's files. */
export function bytesOf(files: Map<string, Uint8Array>): number {
  let n = 0;
  for (const b of files.values()) n += b.length;
  return n;
}

/**
 * Whether folder `dir` holds exactly the files of `want` (manifest.json's creation time aside),
 * byte for byte.
 */
export function sameFiles(dir: string, want: Map<string, Uint8Array>): boolean {
  const got = filesOf(dir);
  if (got.size !== want.size) return false;
  for (const [name, bytes] of want) {
    const other = got.get(name);
    if (!other) return false;
    if (name === "manifest.json") {
      if (withoutTimes(other) !== withoutTimes(bytes)) return false;
    } else if (!Buffer.from(other).equals(Buffer.from(bytes))) return false;
  }
  return true;
}

/** manifest.json without the fields that name the moment or the process (creation time). */
function withoutTimes(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).replace(/"created_at": "[^"]*"/g, "")
    .replace(/"timings_seconds":\s*\{[^}]*\}/g, "");
}

/** The files of folder `dir` besides the expected ones (temporaries left behind). */
export function leftovers(dir: string, expected: string[]): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => !expected.includes(n));
}

/**
 * Checks a cache folder: no staging folder of a dead process is left once a later load ran,
 * and every entry is valid (its meta.json and the checksums of its files). Returns the entry
 * names and the staging names.
 */
export function cacheState(dir: string): { entries: string[]; staging: string[]; bad: string[] } {
  const entries: string[] = [];
  const staging: string[] = [];
  const bad: string[] = [];
  if (!existsSync(dir)) return { entries, staging, bad };
  for (const name of readdirSync(dir)) {
    if (STAGING_NAME.test(name)) staging.push(name);
    if (!ENTRY_NAME.test(name)) continue;
    entries.push(name);
    const read = inspectMeta(join(dir, name));
    if (!("meta" in read) || !verifyEntry(join(dir, name), read.meta, false)) bad.push(name);
  }
  return { entries, staging, bad };
}

/** Removes a folder (ignoring one already gone). */
export function remove(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Throws `message` unless `ok`. */
export function expect(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}
