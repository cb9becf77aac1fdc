/**
 * The binary cache of loaded chains. The first load of a data tree writes the store's columns
 * (quality flags included) and its loading counts to a cache entry; later loads read them back at
 * disk speed, only the underlyings and days they need.
 *
 * An entry is a folder `<cache dir>/<key>-<coverage>/` holding `meta.json` and one file per column
 * (`<column>.bin`, the rows ordered by underlying then day, so an underlying's days in a window
 * are one contiguous range of each file). A load from files writes the entry as it goes (each
 * file's rows once appended, while the next file is parsed) and moves it into place at the end. The key is the SHA-256 of every chain file's absolute path, size
 * and modification time and of the load options that change content (rate, dividend yield,
 * column map): editing, adding or removing any chain file makes a new key, and the stale entry
 * is never read again. An entry also records what it covers (date window, underlyings, the DTE
 * limit): a load reads the smallest entry that covers it, and a load no entry covers reads the
 * files and writes its own (replacing entries it covers). A load served by a much larger entry
 * (an inspect's whole market for a run's DTE range) writes its own smaller entry too. The cache holds nothing that
 * is not in the inputs: deleting it loses nothing but time.
 *
 * Location: `$MAHLER_CACHE_DIR`, else `$XDG_CACHE_HOME/mahler`, else `~/.cache/mahler`. When an
 * entry is written, entries whose chain files no longer exist are removed, then those not used
 * for the longest time while the folder exceeds `$MAHLER_CACHE_MAX_GB` (default 40). Clear it by
 * deleting the folder, or with {@link clearCache}.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type ChainColumns,
  COLUMN_TYPES,
  type ColumnArray,
  type ColumnName,
  columnOn,
} from "./_columns.ts";
import type { LoadedChains, SnapshotCounts } from "./_accumulate.ts";

/** Version of the entry format; a change makes every older entry a miss. */
const FORMAT = 3;

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
}

interface Meta {
  format: number;
  key: string;
  /** The chain files the entry was loaded from (an entry whose files are gone is evicted). */
  files: string[];
  coverage: CacheCoverage;
  rows: number;
  tickers: string[];
  /** Per ticker: the first row, and each snapshot's day and first row (ascending). */
  tickerStart: number[];
  snapshotDay: number[][];
  snapshotStart: number[][];
  counts: {
    ticker: number[];
    day: number[];
    skippedDte: number[];
    greeksComputed: number[];
    ivNotFound: number[];
  };
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
 * The cache key of a data tree: SHA-256 of the files' paths, sizes and modification times and of
 * the content-changing options.
 *
 * @example Any change to a file's size or time changes the key
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheKey } from "./cache.ts";
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
    format: FORMAT,
    files: files.map((f) => [f.path, f.size, f.mtimeMs]),
    rate: input.rate,
    dividendYield: input.dividendYield,
    columnMap: input.columnMap,
  })).digest("hex");
}

/** Whether an entry's coverage serves a load's. */
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

/** The folder name of an entry: the key and a short hash of what the entry covers. */
function entryName(key: string, coverage: CacheCoverage): string {
  const c = createHash("sha256").update(JSON.stringify(coverage)).digest("hex").slice(0, 16);
  return `${key}-${c}`;
}

/** Entry folders of the cache (and their keys). */
const ENTRY = /^([0-9a-f]{64})-[0-9a-f]{16}$/;

/**
 * The entry of a key that serves a load: among those covering it, the one with the fewest rows
 * (so that a run reads its own entry, not the whole-market one an inspect wrote).
 */
function findEntry(dir: string, key: string, want: CacheCoverage): string | null {
  let best: { dir: string; rows: number } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    if (ENTRY.exec(name)?.[1] !== key) continue;
    const meta = readMeta(join(dir, name));
    if (!meta || meta.key !== key || !covers(meta.coverage, want)) continue;
    if (!best || meta.rows < best.rows) best = { dir: join(dir, name), rows: meta.rows };
  }
  return best?.dir ?? null;
}

function readMeta(entryDir: string): Meta | null {
  try {
    const meta = JSON.parse(readFileSync(join(entryDir, "meta.json"), "utf8")) as Meta;
    return meta.format === FORMAT ? meta : null;
  } catch {
    return null;
  }
}

/** Reads `length` bytes at `position` of a file into a typed array's bytes. */
function readInto(
  fd: number,
  target: ColumnArray,
  byteOffset: number,
  length: number,
  position: number,
): void {
  const bytes = new Uint8Array(target.buffer, target.byteOffset + byteOffset, length);
  let done = 0;
  while (done < length) {
    const chunk = Math.min(length - done, 1 << 30);
    const n = readSync(fd, bytes, done, chunk, position + done);
    if (n <= 0) throw new Error("Cache entry is truncated");
    done += n;
  }
}

/** What a cache read returns: the chains and the entry's coverage. */
export interface CacheHit {
  /** The entry's folder. */
  entry: string;
  /** Sorted, flagged columns (rows beyond a tighter DTE limit not yet removed: see trimDte). */
  chains: LoadedChains;
  /** What the entry covers. */
  coverage: CacheCoverage;
}

/** One contiguous read: `length` bytes at `position` of a column file into a column's bytes. */
interface ReadJob {
  file: string;
  target: ColumnArray;
  byteOffset: number;
  length: number;
  position: number;
}

/** A planned cache read: the jobs, and how to assemble the result once they are done. */
interface ReadPlan {
  jobs: ReadJob[];
  finish(): CacheHit;
}

/** Plans the part of an entry a load needs (null when there is no usable entry). */
function planRead(dir: string, key: string, want: CacheCoverage): ReadPlan | null {
  const entryDir = findEntry(dir, key, want);
  if (!entryDir) return null;
  const meta = readMeta(entryDir);
  if (!meta || meta.key !== key || !covers(meta.coverage, want)) return null;
  const fileOf = (name: string) => join(entryDir, `${name}.bin`);
  try {
    for (const [name, Ctor] of COLUMN_TYPES) {
      if (statSync(fileOf(name)).size < meta.rows * Ctor.BYTES_PER_ELEMENT) return null;
    }
  } catch {
    return null;
  }
  const from = want.from ?? -Infinity;
  const to = want.to ?? Infinity;
  // Row ranges: per wanted ticker, its snapshots inside the window.
  const tickers: string[] = [];
  const ranges: Array<[number, number]> = [];
  meta.tickers.forEach((ticker, t) => {
    if (want.underlyings && !want.underlyings.includes(ticker)) return;
    const days = meta.snapshotDay[t];
    const starts = meta.snapshotStart[t];
    const end = t + 1 < meta.tickers.length ? meta.tickerStart[t + 1] : meta.rows;
    let a = 0;
    while (a < days.length && days[a] < from) a++;
    let b = a;
    while (b < days.length && days[b] <= to) b++;
    if (b === a) return;
    tickers.push(ticker);
    ranges.push([starts[a], b < days.length ? starts[b] : end]);
  });
  const rows = ranges.reduce((s, [a, b]) => s + (b - a), 0);
  const columns: Record<string, ColumnArray> = {};
  const jobs: ReadJob[] = [];
  COLUMN_TYPES.forEach(([name, Ctor]) => {
    const width = Ctor.BYTES_PER_ELEMENT;
    const out = columnOn(Ctor, new SharedArrayBuffer(Math.max(rows * width, 8)), 0, rows);
    let pos = 0;
    for (const [a, b] of ranges) {
      // Pieces of at most 64 MB, so that two readers can share the work evenly.
      for (let r = a; r < b; r += READ_PIECE_ROWS / width) {
        const len = Math.min(b - r, READ_PIECE_ROWS / width);
        jobs.push({
          file: fileOf(name),
          target: out,
          byteOffset: (pos + r - a) * width,
          length: len * width,
          position: r * width,
        });
      }
      pos += b - a;
    }
    columns[name] = out;
  });
  const finish = (): CacheHit => {
    // Ticker codes: the entry's indexes -> this load's sorted list.
    const remap = meta.tickers.map((t) => tickers.indexOf(t));
    const u = columns.underlying as Uint8Array;
    if (remap.some((r, i) => r !== i)) { for (let i = 0; i < rows; i++) u[i] = remap[u[i]]; }
    const c = meta.counts;
    const keep: number[] = [];
    for (let k = 0; k < c.day.length; k++) {
      const t = remap[c.ticker[k]];
      if (t >= 0 && c.day[k] >= from && c.day[k] <= to) keep.push(k);
    }
    const counts: SnapshotCounts = {
      ticker: Uint8Array.from(keep, (k) => remap[c.ticker[k]]),
      day: Int32Array.from(keep, (k) => c.day[k]),
      skippedDte: Int32Array.from(keep, (k) => c.skippedDte[k]),
      greeksComputed: Int32Array.from(keep, (k) => c.greeksComputed[k]),
      ivNotFound: Int32Array.from(keep, (k) => c.ivNotFound[k]),
    };
    try {
      const now = new Date();
      utimesSync(join(entryDir, "meta.json"), now, now); // most recently used
    } catch {
      // A read-only cache still serves.
    }
    // The snapshots, from the entry's table: no scan of the rows needed.
    const sTicker: number[] = [];
    const sDay: number[] = [];
    const sStart: number[] = [];
    let base = 0;
    meta.tickers.forEach((_, t) => {
      const index = remap[t];
      if (index < 0) return;
      const days = meta.snapshotDay[t];
      const starts = meta.snapshotStart[t];
      const [a] = ranges[index];
      for (let k = 0; k < days.length; k++) {
        if (days[k] < from || days[k] > to) continue;
        sTicker.push(index);
        sDay.push(days[k]);
        sStart.push(base + starts[k] - a);
      }
      base += ranges[index][1] - ranges[index][0];
    });
    const snapshots = {
      ticker: Uint8Array.from(sTicker),
      day: Int32Array.from(sDay),
      start: Int32Array.from(sStart),
    };
    return {
      chains: {
        tickers,
        columns: columns as unknown as ChainColumns,
        counts,
        flagged: true,
        snapshots,
      },
      coverage: meta.coverage,
      entry: entryDir,
    };
  };
  return { jobs, finish };
}

/** Rows per 64 MB piece of an 8-byte column (pieces are bytes / width rows). */
const READ_PIECE_ROWS = 64 << 20;

/** Runs read jobs, opening each column file once. */
function runJobs(jobs: ReadJob[]): void {
  const fds = new Map<string, number>();
  try {
    for (const j of jobs) {
      let fd = fds.get(j.file);
      if (fd === undefined) {
        fd = openSync(j.file, "r");
        fds.set(j.file, fd);
      }
      readInto(fd, j.target, j.byteOffset, j.length, j.position);
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

/**
 * Reads the part of a cache entry a load needs, or null when there is no usable entry.
 *
 * @param dir cache folder
 * @param key the data tree's key
 * @param want what the load keeps
 * @returns sorted, flagged columns and the entry's coverage
 */
export function readCache(dir: string, key: string, want: CacheCoverage): CacheHit | null {
  const plan = planRead(dir, key, want);
  if (!plan) return null;
  try {
    runJobs(plan.jobs);
  } catch {
    return null;
  }
  return plan.finish();
}

/**
 * {@link readCache} on two threads: a worker reads half of the pieces into the shared columns
 * while this thread reads the other half, so that faulting in fresh memory (the main cost of
 * reading gigabytes) runs on two cores. Reads under `minParallelBytes` (default 256 MB) stay on
 * this thread.
 */
export async function readCacheAsync(
  dir: string,
  key: string,
  want: CacheCoverage,
  minParallelBytes: number = PARALLEL_READ_BYTES,
): Promise<CacheHit | null> {
  const plan = planRead(dir, key, want);
  if (!plan) return null;
  const total = plan.jobs.reduce((s, j) => s + j.length, 0);
  if (total < minParallelBytes) return readCache(dir, key, want);
  // Alternate pieces between the two readers: equal shares of every column.
  const mine: ReadJob[] = [];
  const theirs: ReadJob[] = [];
  plan.jobs.forEach((j, k) => (k % 2 ? theirs : mine).push(j));
  const worker = new Worker(new URL("./_cache_read_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const done = new Promise<string | null>((resolve) => {
      worker.onmessage = (e: MessageEvent<{ error: string | null }>) => resolve(e.data.error);
      worker.onerror = (e) => {
        e.preventDefault();
        resolve(e.message);
      };
    });
    worker.postMessage({
      jobs: theirs.map((j) => ({
        file: j.file,
        buffer: j.target.buffer,
        byteOffset: j.target.byteOffset + j.byteOffset,
        length: j.length,
        position: j.position,
      })),
    });
    runJobs(mine);
    const error = await done;
    if (error !== null) return null;
  } catch {
    return null;
  } finally {
    worker.terminate();
  }
  return plan.finish();
}

/** Reads smaller than this run on one thread (a worker costs tens of milliseconds). */
const PARALLEL_READ_BYTES = 256 << 20;

/**
 * Removes, in place, the rows of a cache read that a tighter DTE limit skips (counting them),
 * keeping per snapshot every expiry up to max(maxDte, ivTenorDays) and the first beyond the
 * tenor. Returns the trimmed chains (views of the same buffers).
 */
export function trimDte(chains: LoadedChains, maxDte: number, ivTenorDays: number): LoadedChains {
  const c = chains.columns;
  const n = c.day.length;
  const limit = Math.max(maxDte, ivTenorDays);
  const skipped = new Map<number, number>();
  // Rows kept form runs (whole expiry groups): move each run down with copyWithin, column by
  // column.
  const runs: number[] = []; // [start, end) pairs of kept rows
  let beyond = -1;
  for (let i = 0; i < n;) {
    if (i === 0 || c.day[i] !== c.day[i - 1] || c.underlying[i] !== c.underlying[i - 1]) {
      beyond = -1;
    }
    // One expiry group of one snapshot: rows [i, j).
    let j = i + 1;
    while (
      j < n && c.expiry[j] === c.expiry[i] && c.day[j] === c.day[i] &&
      c.underlying[j] === c.underlying[i]
    ) j++;
    const dte = c.expiry[i] - c.day[i];
    if (dte > ivTenorDays && beyond < 0) beyond = c.expiry[i];
    if (dte > limit && c.expiry[i] !== beyond) {
      const key = c.underlying[i] * 1_000_000 + c.day[i];
      skipped.set(key, (skipped.get(key) ?? 0) + (j - i));
    } else if (runs.length && runs[runs.length - 1] === i) runs[runs.length - 1] = j;
    else runs.push(i, j);
    i = j;
  }
  let w = 0;
  for (let k = 0; k < runs.length; k += 2) w += runs[k + 1] - runs[k];
  if (w < n) {
    for (const [name] of COLUMN_TYPES) {
      const a = c[name];
      let pos = 0;
      for (let k = 0; k < runs.length; k += 2) {
        if (runs[k] !== pos) a.copyWithin(pos, runs[k], runs[k + 1]);
        pos += runs[k + 1] - runs[k];
      }
    }
  }
  if (w === n) return chains;
  const columns = Object.fromEntries(
    COLUMN_TYPES.map(([name]) => [name, c[name].subarray(0, w)]),
  ) as unknown as ChainColumns;
  // Add the skipped rows to the counts (a snapshot may have none yet).
  const merged = new Map<number, number[]>();
  const k0 = chains.counts;
  for (let k = 0; k < k0.day.length; k++) {
    merged.set(k0.ticker[k] * 1_000_000 + k0.day[k], [
      k0.skippedDte[k],
      k0.greeksComputed[k],
      k0.ivNotFound[k],
    ]);
  }
  for (const [key, s] of skipped) {
    const e = merged.get(key) ?? [0, 0, 0];
    e[0] += s;
    merged.set(key, e);
  }
  const keys = [...merged.keys()].sort((a, b) => a - b);
  const counts: SnapshotCounts = {
    ticker: Uint8Array.from(keys, (key) => Math.floor(key / 1_000_000)),
    day: Int32Array.from(keys, (key) => key % 1_000_000),
    skippedDte: Int32Array.from(keys, (key) => merged.get(key)![0]),
    greeksComputed: Int32Array.from(keys, (key) => merged.get(key)![1]),
    ivNotFound: Int32Array.from(keys, (key) => merged.get(key)![2]),
  };
  return { ...chains, columns, counts, snapshots: undefined };
}

/** Size in bytes of everything under a folder. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

/**
 * Removes entries whose chain files are gone (they can never be read again), then the least
 * recently used ones while the cache exceeds its size limit.
 */
function evict(dir: string, keep: string): void {
  let limitGb = 40;
  try {
    const v = Number(Deno.env.get("MAHLER_CACHE_MAX_GB"));
    if (v > 0) limitGb = v;
  } catch {
    // No env access: the default limit.
  }
  const entries = readdirSync(dir).filter((name) => ENTRY.test(name)).map((name) => {
    const p = join(dir, name);
    let used = 0;
    let orphan = false;
    try {
      used = statSync(join(p, "meta.json")).mtimeMs;
      const meta = readMeta(p);
      orphan = meta !== null && meta.files.some((f) => !existsSync(f));
    } catch {
      // An entry without meta.json is incomplete: oldest.
    }
    return { name, p, used, orphan, bytes: folderBytes(p) };
  }).sort((a, b) => a.used - b.used);
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  for (const e of entries) {
    if (e.name === keep) continue;
    if (e.orphan || total > limitGb * 2 ** 30) {
      rmSync(e.p, { recursive: true, force: true });
      total -= e.bytes;
    }
  }
}

/** Per ticker: its first row, and its snapshots' days and first rows (for partial reads). */
function snapshotTable(
  chains: LoadedChains,
): Pick<Meta, "tickerStart" | "snapshotDay" | "snapshotStart"> {
  const c = chains.columns;
  const rows = c.day.length;
  const tickerStart: number[] = [];
  const snapshotDay: number[][] = [];
  const snapshotStart: number[][] = [];
  for (let t = 0; t < chains.tickers.length; t++) {
    tickerStart.push(rows);
    snapshotDay.push([]);
    snapshotStart.push([]);
  }
  for (let i = 0; i < rows; i++) {
    const t = c.underlying[i];
    if (i === 0 || t !== c.underlying[i - 1] || c.day[i] !== c.day[i - 1]) {
      if (snapshotDay[t].length === 0) tickerStart[t] = i;
      snapshotDay[t].push(c.day[i]);
      snapshotStart[t].push(i);
    }
  }
  for (let t = chains.tickers.length - 2; t >= 0; t--) {
    if (snapshotDay[t].length === 0) tickerStart[t] = tickerStart[t + 1];
  }
  return { tickerStart, snapshotDay, snapshotStart };
}

/** Writes bytes of a typed array at a byte position of a file. */
function writeAt(fd: number, a: ColumnArray, position: number): void {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
  }
}

/**
 * Writes a cache entry while a load appends rows: {@link CacheWriter.append} writes each new
 * range of rows to the column files of a staging folder (so that the disk works while the next
 * file is parsed); {@link CacheWriter.finish} rewrites whatever the final ordering changed, adds
 * `meta.json` and moves the entry into place atomically: a reader sees the old entry or the new
 * one, never a half-written one. {@link CacheWriter.abandon} removes the staging folder.
 */
export class CacheWriter implements EntryWriter {
  readonly #dir: string;
  readonly #key: string;
  readonly #staging: string;
  readonly #fds = new Map<string, number>();

  /** Starts an entry for `key` in the cache folder `dir` (created when absent). */
  constructor(dir: string, key: string) {
    this.#dir = dir;
    this.#key = key;
    this.#staging = join(dir, `${key}.tmp-${Deno.pid}-${Date.now()}`);
    mkdirSync(this.#staging, { recursive: true });
    for (const [name] of COLUMN_TYPES) {
      this.#fds.set(name, openSync(join(this.#staging, `${name}.bin`), "w"));
    }
  }

  /** Writes rows [start, end) of the columns as appended so far. */
  append(columns: ChainColumns, start: number, end: number): void {
    for (const [name, Ctor] of COLUMN_TYPES) {
      writeAt(
        this.#fds.get(name)!,
        columns[name].subarray(start, end),
        start * Ctor.BYTES_PER_ELEMENT,
      );
    }
  }

  /**
   * Completes the entry with the final (sorted, flagged) chains.
   *
   * @param chains what was loaded
   * @param coverage what the load kept
   * @param files the chain files it came from
   * @param rewrite columns whose rows changed after being appended (reordering, ticker codes,
   *   flags): written again whole
   */
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): void {
    try {
      for (const [name] of COLUMN_TYPES) {
        const fd = this.#fds.get(name)!;
        if (rewrite.has(name)) writeAt(fd, chains.columns[name], 0);
        closeSync(fd);
      }
      this.#fds.clear();
      const counts = chains.counts;
      const meta: Meta = {
        format: FORMAT,
        key: this.#key,
        files,
        coverage,
        rows: chains.columns.day.length,
        tickers: chains.tickers,
        ...snapshotTable(chains),
        counts: {
          ticker: Array.from(counts.ticker),
          day: Array.from(counts.day),
          skippedDte: Array.from(counts.skippedDte),
          greeksComputed: Array.from(counts.greeksComputed),
          ivNotFound: Array.from(counts.ivNotFound),
        },
      };
      writeFileSync(join(this.#staging, "meta.json"), JSON.stringify(meta));
      const name = entryName(this.#key, coverage);
      rmSync(join(this.#dir, name), { recursive: true, force: true });
      renameSync(this.#staging, join(this.#dir, name));
      // Entries of the same data that this one covers are superseded.
      for (const other of readdirSync(this.#dir)) {
        if (other === name || ENTRY.exec(other)?.[1] !== this.#key) continue;
        const m = readMeta(join(this.#dir, other));
        if (!m || covers(coverage, m.coverage)) {
          rmSync(join(this.#dir, other), { recursive: true, force: true });
        }
      }
    } catch (err) {
      this.abandon();
      throw err;
    }
    evict(this.#dir, entryName(this.#key, coverage));
  }

  /** Removes the staging folder (after a failed load). */
  abandon(): void {
    for (const fd of this.#fds.values()) {
      try {
        closeSync(fd);
      } catch {
        // Already closed.
      }
    }
    this.#fds.clear();
    rmSync(this.#staging, { recursive: true, force: true });
  }
}

/** What a load needs of a cache writer (see {@link CacheWriter}). */
export interface EntryWriter {
  append(columns: ChainColumns, start: number, end: number): void;
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): void;
  abandon(): void;
}

/**
 * A {@link CacheWriter} on a worker thread: appends and the final rewrite run there, on the
 * shared columns, while this thread goes on parsing (writing gigabytes is bounded by the disk,
 * parsing by the CPU). {@link BackgroundCacheWriter.settled} resolves once the entry is in
 * place (to null) or abandoned (to the reason).
 */
export class BackgroundCacheWriter implements EntryWriter {
  readonly #worker: Worker;
  /** Resolves when the worker has finished or abandoned the entry: null, or why it failed. */
  readonly settled: Promise<string | null>;

  /** Starts the worker and the entry for `key` in `dir`. */
  constructor(dir: string, key: string) {
    this.#worker = new Worker(new URL("./_cache_write_worker.ts", import.meta.url), {
      type: "module",
    });
    this.settled = new Promise<string | null>((resolve) => {
      this.#worker.onmessage = (e: MessageEvent<{ error: string | null }>) => {
        this.#worker.terminate();
        resolve(e.data.error);
      };
      this.#worker.onerror = (e) => {
        e.preventDefault();
        this.#worker.terminate();
        resolve(e.message);
      };
    });
    this.#worker.postMessage({ op: "start", dir, key });
  }

  /** Queues rows [start, end) of the shared columns for writing. */
  append(columns: ChainColumns, start: number, end: number): void {
    this.#worker.postMessage({ op: "append", columns, start, end });
  }

  /** Queues the final rewrite, meta.json and the move into place. */
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): void {
    const { snapshots: _, ...plain } = chains;
    this.#worker.postMessage({
      op: "finish",
      chains: plain,
      coverage,
      files,
      rewrite: [...rewrite],
    });
  }

  /** Queues the removal of the staging folder. */
  abandon(): void {
    this.#worker.postMessage({ op: "abandon" });
  }
}

/**
 * Writes loaded (sorted, flagged) chains as the cache entry of a key, atomically.
 *
 * @param dir cache folder (created when absent)
 * @param key the data tree's key
 * @param chains what was loaded
 * @param coverage what the load kept
 * @param files the chain files it came from
 */
export function writeCache(
  dir: string,
  key: string,
  chains: LoadedChains,
  coverage: CacheCoverage,
  files: string[] = [],
): void {
  const writer = new CacheWriter(dir, key);
  writer.finish(chains, coverage, files, new Set(COLUMN_TYPES.map(([name]) => name)));
}

/**
 * Deletes cache entries: every entry of the folder (default the cache folder).
 *
 * @param dir cache folder
 * @returns the number of entries removed
 */
export function clearCache(dir: string = defaultCacheDir()): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!ENTRY.test(name) && !/^[0-9a-f]{64}\.tmp-/.test(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
