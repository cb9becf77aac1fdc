/**
 * Reading a cache entry. The entry that serves a load is the smallest of its key covering the
 * load (see _cache_key.ts). Its data files are checked (see _cache_entry.ts), then:
 *
 * - mapped (Linux with FFI): each column file is memory-mapped read-only and the store's
 *   columns are views of the maps, with no copy and no memory committed until a page is used.
 *   When the rows a load wants are not one contiguous range of the entry (some underlyings in a
 *   window, say), they are copied out of the maps into fresh columns;
 * - read (elsewhere, when FFI is not permitted, or with `MAHLER_MMAP=0`): the wanted rows are
 *   read into fresh SharedArrayBuffer columns, on two threads when there are many.
 *
 * Both give the same columns, counts, snapshots and chain groups, byte for byte.
 *
 * @module
 */
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  utimesSync,
} from "node:fs";
import { join } from "node:path";
import {
  type ChainColumns,
  COLUMN_TYPES,
  type ColumnArray,
  type ColumnCtor,
  columnOn,
} from "./_columns.ts";
import type { ChainGroups, LoadedChains, SnapshotCounts } from "./_accumulate.ts";
import {
  type CacheCoverage,
  coverageHash,
  covers,
  ENTRY_NAME,
  entryName,
  STAGING_NAME,
} from "./_cache_key.ts";
import {
  columnFile,
  type EntryMeta,
  INDEX_FILES,
  inspectMeta,
  verifyEntry,
} from "./_cache_entry.ts";
import { cacheWarning } from "./cache_warnings.ts";
import { staleTemp } from "./temp_names.ts";
import { mapFile, mmapSupported } from "./_mmap.ts";

/** What a cache read returns: the chains and the entry's coverage. */
export interface CacheHit {
  /** The entry's folder. */
  entry: string;
  /** Sorted, flagged columns (rows beyond a tighter DTE limit not yet removed: see trimDte). */
  chains: LoadedChains;
  /** What the entry covers. */
  coverage: CacheCoverage;
  /** Whether the columns are views of memory maps of the entry's files. */
  mapped: boolean;
}

/** How to read an entry. */
export interface ReadCacheOptions {
  /** Map the files when the platform allows (default true); false reads them. */
  mmap?: boolean;
  /** Reads (without maps) of at least this many bytes use two threads; default 256 MB. */
  minParallelBytes?: number;
}

/**
 * The entry of a key that serves a load: among those covering it, the one with the fewest rows
 * (so that a run reads its own entry, not the whole-market one an inspect wrote).
 */
function findEntry(
  dir: string,
  key: string,
  want: CacheCoverage,
  skip: ReadonlySet<string> = new Set(),
): { entryDir: string; meta: EntryMeta } | null {
  let best: { entryDir: string; meta: EntryMeta } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    if (STAGING_NAME.test(name)) {
      // Half-written by a process that was killed: removed (see temp_names.ts).
      try {
        if (staleTemp(join(dir, name), name)) {
          rmSync(join(dir, name), { recursive: true, force: true });
        }
      } catch {
        // A read-only cache: left in place, never read.
      }
      continue;
    }
    if (ENTRY_NAME.exec(name)?.[1] !== key) continue;
    const entryDir = join(dir, name);
    if (skip.has(entryDir)) continue;
    const read = inspectMeta(entryDir);
    if (
      "damaged" in read || ("meta" in read && entryName(read.meta.key, read.meta.coverage) !== name)
    ) {
      const reason = "damaged" in read ? read.damaged : "its meta.json belongs to another entry";
      try {
        rmSync(entryDir, { recursive: true, force: true });
      } catch {
        // A read-only cache: the entry is not used, all the same.
      }
      cacheWarning(
        `Cache entry ${entryDir} is damaged (${reason}): removed, and the chains are read ` +
          `from the files again`,
      );
      continue;
    }
    if (!("meta" in read)) continue;
    const meta = read.meta;
    if (!covers(meta.coverage, want)) continue;
    if (!best || meta.rows < best.meta.rows) best = { entryDir, meta };
  }
  return best;
}

/** The rows a load wants of an entry: per wanted ticker, its snapshots inside the window. */
interface Slice {
  /** Wanted tickers with rows, sorted. */
  tickers: string[];
  /** Index of each entry ticker in `tickers`, or -1. */
  remap: number[];
  /** Per loaded ticker: entry rows [a, b) and entry snapshots [ka, kb). */
  rows: Array<[number, number]>;
  snaps: Array<[number, number]>;
  /** Rows in all. */
  count: number;
}

function sliceOf(meta: EntryMeta, want: CacheCoverage): Slice {
  const from = want.from ?? -Infinity;
  const to = want.to ?? Infinity;
  const tickers: string[] = [];
  const rows: Array<[number, number]> = [];
  const snaps: Array<[number, number]> = [];
  const remap: number[] = [];
  let base = 0; // entry snapshots of the tickers before
  meta.tickers.forEach((ticker, t) => {
    const days = meta.snapshotDay[t];
    const starts = meta.snapshotStart[t];
    const end = t + 1 < meta.tickers.length ? meta.tickerStart[t + 1] : meta.rows;
    let a = 0;
    while (a < days.length && days[a] < from) a++;
    let b = a;
    while (b < days.length && days[b] <= to) b++;
    const wanted = !want.underlyings || want.underlyings.includes(ticker);
    if (wanted && b > a) {
      remap.push(tickers.length);
      tickers.push(ticker);
      rows.push([starts[a], b < days.length ? starts[b] : end]);
      snaps.push([base + a, base + b]);
    } else remap.push(-1);
    base += days.length;
  });
  return { tickers, remap, rows, snaps, count: rows.reduce((s, [a, b]) => s + (b - a), 0) };
}

/** Whether a slice's row ranges follow each other (one contiguous range of the entry). */
function contiguous(slice: Slice): boolean {
  for (let k = 1; k < slice.rows.length; k++) {
    if (slice.rows[k][0] !== slice.rows[k - 1][1]) return false;
  }
  return true;
}

/** Fresh SharedArrayBuffer columns of `rows` rows. */
function freshColumn(Ctor: ColumnCtor, rows: number): ColumnArray {
  return columnOn(Ctor, new SharedArrayBuffer(Math.max(rows * Ctor.BYTES_PER_ELEMENT, 8)), 0, rows);
}

/** The counts and snapshot table of a slice, from the entry's meta. */
function countsAndSnapshots(
  meta: EntryMeta,
  slice: Slice,
  want: CacheCoverage,
): Pick<LoadedChains, "counts" | "snapshots"> {
  const from = want.from ?? -Infinity;
  const to = want.to ?? Infinity;
  const { remap } = slice;
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
    const [a, b] = slice.rows[index];
    for (let k = 0; k < days.length; k++) {
      if (days[k] < from || days[k] > to) continue;
      sTicker.push(index);
      sDay.push(days[k]);
      sStart.push(base + starts[k] - a);
    }
    base += b - a;
  });
  return {
    counts,
    snapshots: {
      ticker: Uint8Array.from(sTicker),
      day: Int32Array.from(sDay),
      start: Int32Array.from(sStart),
    },
  };
}

/** The index arrays of an entry (mapped or read). */
interface EntryIndex {
  snapshotGroups: Int32Array;
  groupStart: Int32Array;
  groupExpiry: Int32Array;
  groupType: Uint8Array;
}

/** The chain groups of a slice from the entry's index (views when the slice is the whole). */
function groupsOf(slice: Slice, index: EntryIndex): ChainGroups {
  const { snapshotGroups, groupStart, groupExpiry, groupType } = index;
  const nSnaps = snapshotGroups.length - 1;
  const whole = slice.rows.length > 0 && slice.snaps[0][0] === 0 &&
    slice.snaps[slice.snaps.length - 1][1] === nSnaps && contiguous(slice) &&
    slice.rows[0][0] === 0;
  if (whole) {
    return { perSnapshot: snapshotGroups, start: groupStart, expiry: groupExpiry, type: groupType };
  }
  let groups = 0;
  let snaps = 0;
  for (const [ka, kb] of slice.snaps) {
    groups += snapshotGroups[kb] - snapshotGroups[ka];
    snaps += kb - ka;
  }
  const out: ChainGroups = {
    perSnapshot: new Int32Array(snaps + 1),
    start: new Int32Array(groups),
    expiry: new Int32Array(groups),
    type: new Uint8Array(groups),
  };
  let g = 0;
  let s = 0;
  let base = 0;
  slice.snaps.forEach(([ka, kb], i) => {
    const [a, b] = slice.rows[i];
    const g0 = snapshotGroups[ka];
    const g1 = snapshotGroups[kb];
    for (let k = ka; k < kb; k++) out.perSnapshot[s++] = g + snapshotGroups[k] - g0;
    for (let q = g0; q < g1; q++) {
      out.start[g] = groupStart[q] - a + base;
      out.expiry[g] = groupExpiry[q];
      out.type[g] = groupType[q];
      g++;
    }
    base += b - a;
  });
  out.perSnapshot[s] = g;
  return out;
}

/** Renumbers ticker codes of an `underlying` column from the entry's list to the load's. */
function remapTickers(u: Uint8Array, remap: number[]): void {
  if (remap.every((r, i) => r === i || r < 0)) return;
  const table = Uint8Array.from(remap, (r) => (r < 0 ? 255 : r));
  for (let i = 0; i < u.length; i++) u[i] = table[u[i]];
}

/** Marks an entry as just used (eviction removes the least recently used first). */
function touch(entryDir: string): void {
  try {
    const now = new Date();
    utimesSync(entryDir, now, now);
  } catch {
    // A read-only cache still serves.
  }
}

/** The entry's files as maps (null when any cannot be mapped). */
function mapEntry(entryDir: string, meta: EntryMeta): Map<string, ArrayBuffer> | null {
  const maps = new Map<string, ArrayBuffer>();
  const names = [...COLUMN_TYPES.map(([n]) => columnFile(n)), ...Object.values(INDEX_FILES)];
  for (const name of names) {
    const buffer = mapFile(join(entryDir, name));
    if (!buffer || buffer.byteLength !== meta.sizes[name]) return null;
    maps.set(name, buffer);
  }
  return maps;
}

/** Reads the slice of an entry through memory maps. */
function readMapped(
  entryDir: string,
  meta: EntryMeta,
  want: CacheCoverage,
  maps: Map<string, ArrayBuffer>,
): LoadedChains {
  const slice = sliceOf(meta, want);
  const columns: Record<string, ColumnArray> = {};
  const oneRange = contiguous(slice);
  const first = slice.rows.length ? slice.rows[0][0] : 0;
  for (const [name, Ctor] of COLUMN_TYPES) {
    const buffer = maps.get(columnFile(name))!;
    const width = Ctor.BYTES_PER_ELEMENT;
    if (oneRange) {
      columns[name] = columnOn(Ctor, buffer, first * width, slice.count);
    } else {
      // Not one range of the entry: copy the ranges out of the map.
      const out = freshColumn(Ctor, slice.count);
      const src = columnOn(Ctor, buffer, 0, meta.rows);
      let pos = 0;
      for (const [a, b] of slice.rows) {
        out.set(src.subarray(a, b) as never, pos);
        pos += b - a;
      }
      columns[name] = out;
    }
  }
  if (slice.remap.some((r, i) => r !== i && r >= 0)) {
    // Ticker codes change: the loaded underlying column is a copy (one byte a row).
    const u = columns.underlying as Uint8Array;
    const copy = u.buffer instanceof SharedArrayBuffer ? u : freshColumn(Uint8Array, u.length);
    if (copy !== u) copy.set(u);
    remapTickers(copy as Uint8Array, slice.remap);
    columns.underlying = copy;
  }
  const index: EntryIndex = {
    snapshotGroups: new Int32Array(maps.get(INDEX_FILES.snapshotGroups)!),
    groupStart: new Int32Array(maps.get(INDEX_FILES.groupStart)!),
    groupExpiry: new Int32Array(maps.get(INDEX_FILES.groupExpiry)!),
    groupType: new Uint8Array(maps.get(INDEX_FILES.groupType)!),
  };
  return {
    tickers: slice.tickers,
    columns: columns as unknown as ChainColumns,
    ...countsAndSnapshots(meta, slice, want),
    groups: groupsOf(slice, index),
    flagged: true,
    origin: { entry: entryDir, slice: coverageHash(want) },
  };
}

/** One contiguous read: `length` bytes at `position` of a file into a column's bytes. */
export interface ReadJob {
  file: string;
  target: ColumnArray;
  byteOffset: number;
  length: number;
  position: number;
}

/** Rows per 64 MB piece of an 8-byte column (pieces are bytes / width rows). */
const READ_PIECE_ROWS = 64 << 20;

/** Reads `length` bytes at `position` of a file into a typed array's bytes. */
function readInto(fd: number, job: ReadJob): void {
  const bytes = new Uint8Array(
    job.target.buffer,
    job.target.byteOffset + job.byteOffset,
    job.length,
  );
  let done = 0;
  while (done < job.length) {
    const chunk = Math.min(job.length - done, 1 << 30);
    const n = readSync(fd, bytes, done, chunk, job.position + done);
    if (n <= 0) throw new Error("Cache entry is truncated");
    done += n;
  }
}

/** Runs read jobs, opening each file once. */
export function runJobs(jobs: ReadJob[]): void {
  const fds = new Map<string, number>();
  try {
    for (const j of jobs) {
      let fd = fds.get(j.file);
      if (fd === undefined) {
        fd = openSync(j.file, "r");
        fds.set(j.file, fd);
      }
      readInto(fd, j);
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

/** A planned read of a slice without maps: the jobs, and the result once they are done. */
interface ReadPlan {
  jobs: ReadJob[];
  finish(): LoadedChains;
}

function planRead(entryDir: string, meta: EntryMeta, want: CacheCoverage): ReadPlan {
  const slice = sliceOf(meta, want);
  const columns: Record<string, ColumnArray> = {};
  const jobs: ReadJob[] = [];
  for (const [name, Ctor] of COLUMN_TYPES) {
    const width = Ctor.BYTES_PER_ELEMENT;
    const out = freshColumn(Ctor, slice.count);
    let pos = 0;
    for (const [a, b] of slice.rows) {
      // Pieces of at most 64 MB, so that two readers can share the work evenly.
      for (let r = a; r < b; r += READ_PIECE_ROWS / width) {
        const len = Math.min(b - r, READ_PIECE_ROWS / width);
        jobs.push({
          file: join(entryDir, columnFile(name)),
          target: out,
          byteOffset: (pos + r - a) * width,
          length: len * width,
          position: r * width,
        });
      }
      pos += b - a;
    }
    columns[name] = out;
  }
  const finish = (): LoadedChains => {
    remapTickers(columns.underlying as Uint8Array, slice.remap);
    const read = (name: string) => {
      const bytes = readFileSync(join(entryDir, name));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    };
    const index: EntryIndex = {
      snapshotGroups: new Int32Array(read(INDEX_FILES.snapshotGroups)),
      groupStart: new Int32Array(read(INDEX_FILES.groupStart)),
      groupExpiry: new Int32Array(read(INDEX_FILES.groupExpiry)),
      groupType: new Uint8Array(read(INDEX_FILES.groupType)),
    };
    return {
      tickers: slice.tickers,
      columns: columns as unknown as ChainColumns,
      ...countsAndSnapshots(meta, slice, want),
      groups: groupsOf(slice, index),
      flagged: true,
      origin: { entry: entryDir, slice: coverageHash(want) },
    };
  };
  return { jobs, finish };
}

/** Finds and checks the entry that serves a load (null when none does). */
function openEntry(
  dir: string,
  key: string,
  want: CacheCoverage,
  mmap: boolean,
): { entryDir: string; meta: EntryMeta } | null {
  const rejected = new Set<string>();
  for (;;) {
    const found = findEntry(dir, key, want, rejected);
    if (!found) return null;
    // A damaged entry is removed by the check (where the cache can be written): look for
    // another (or none) then.
    if (verifyEntry(found.entryDir, found.meta, mmap)) return found;
    rejected.add(found.entryDir);
  }
}

/**
 * Reads the part of a cache entry a load needs, or null when there is no usable entry.
 *
 * @param dir cache folder
 * @param key the data tree's key
 * @param want what the load keeps
 * @param options whether to map the files
 * @returns sorted, flagged columns and the entry's coverage
 */
export function readCache(
  dir: string,
  key: string,
  want: CacheCoverage,
  options: ReadCacheOptions = {},
): CacheHit | null {
  const mmap = (options.mmap ?? true) && mmapSupported();
  const found = openEntry(dir, key, want, mmap);
  if (!found) return null;
  const { entryDir, meta } = found;
  touch(entryDir);
  const maps = mmap ? mapEntry(entryDir, meta) : null;
  if (maps) {
    return {
      entry: entryDir,
      chains: readMapped(entryDir, meta, want, maps),
      coverage: meta.coverage,
      mapped: true,
    };
  }
  const plan = planRead(entryDir, meta, want);
  try {
    runJobs(plan.jobs);
  } catch {
    return null;
  }
  return { entry: entryDir, chains: plan.finish(), coverage: meta.coverage, mapped: false };
}

/**
 * {@link readCache}, with a read without maps split between this thread and a worker, so that
 * faulting in fresh memory (the main cost of reading gigabytes) runs on two cores. Reads under
 * `minParallelBytes` (default 256 MB) stay on this thread; mapped reads copy nothing.
 */
export async function readCacheAsync(
  dir: string,
  key: string,
  want: CacheCoverage,
  options: ReadCacheOptions = {},
): Promise<CacheHit | null> {
  const mmap = (options.mmap ?? true) && mmapSupported();
  if (mmap) return readCache(dir, key, want, options);
  const found = openEntry(dir, key, want, false);
  if (!found) return null;
  const { entryDir, meta } = found;
  touch(entryDir);
  const plan = planRead(entryDir, meta, want);
  const total = plan.jobs.reduce((s, j) => s + j.length, 0);
  try {
    if (total < (options.minParallelBytes ?? PARALLEL_READ_BYTES)) runJobs(plan.jobs);
    else await runJobsOnTwoThreads(plan.jobs);
  } catch {
    return null;
  }
  return { entry: entryDir, chains: plan.finish(), coverage: meta.coverage, mapped: false };
}

/** Reads smaller than this run on one thread (a worker costs tens of milliseconds). */
const PARALLEL_READ_BYTES = 256 << 20;

/** Runs read jobs, alternating pieces between this thread and a worker. */
async function runJobsOnTwoThreads(jobs: ReadJob[]): Promise<void> {
  const mine: ReadJob[] = [];
  const theirs: ReadJob[] = [];
  jobs.forEach((j, k) => (k % 2 ? theirs : mine).push(j));
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
    if (error !== null) throw new Error(error);
  } finally {
    worker.terminate();
  }
}

/**
 * The chains of an entry just written from them, as maps of the entry's files (where they now
 * are, so that Web Workers map the same paths), with the writer's chain groups.
 *
 * @param entryDir the entry, in place
 * @param chains the chains written (their columns have the files' bytes)
 * @param groups the groups of the entry's index
 * @returns the same chains on maps of the entry
 */
export function mapWrittenEntry(
  entryDir: string,
  chains: LoadedChains,
  groups: ChainGroups,
): LoadedChains {
  const rows = chains.columns.day.length;
  const columns: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const buffer = mapFile(join(entryDir, columnFile(name)));
    if (!buffer) return { ...chains, groups };
    columns[name] = columnOn(Ctor, buffer, 0, rows);
  }
  return { ...chains, columns: columns as unknown as ChainColumns, groups };
}
