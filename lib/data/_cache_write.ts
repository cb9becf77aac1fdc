/**
 * Writing a cache entry: {@link CacheWriter.append} writes each new range of rows to the column
 * files of a staging folder while a load goes on parsing; {@link CacheWriter.finish} rewrites
 * what the final ordering changed, adds the chain-group index, the checksums (from the bytes
 * written), `meta.json` and `verified.json`, and moves the folder into place with one rename: a
 * reader sees the old entry or the new one, never a half-written one.
 * {@link BackgroundCacheWriter} does the same on a worker thread.
 *
 * @module
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, join } from "node:path";
import { type ChainColumns, COLUMN_TYPES, type ColumnArray, type ColumnName } from "./_columns.ts";
import type { ChainGroups, LoadedChains } from "./_accumulate.ts";
import { BlockChecksummer, blockChecksums } from "./_checksum.ts";
import { CACHE_FORMAT, type CacheCoverage, covers, ENTRY_NAME, entryName } from "./_cache_key.ts";
import {
  columnFile,
  type EntryMeta,
  INDEX_FILES,
  readMeta,
  stampVerified,
  writeMeta,
} from "./_cache_entry.ts";
import { evict } from "./_cache_evict.ts";
import { removeStaleTemps, tempSuffix } from "./temp_names.ts";

/** Writes bytes of a typed array at a byte position of a file. */
function writeAt(fd: number, a: ArrayBufferView, position: number): void {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
  }
}

/**
 * Per ticker: its first row, and its snapshots' days and first rows (for partial reads), from
 * the loader's snapshot list when it has one, else from a scan of the rows.
 */
function snapshotTable(
  chains: LoadedChains,
): Pick<EntryMeta, "tickerStart" | "snapshotDay" | "snapshotStart"> {
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
  const add = (t: number, day: number, start: number) => {
    if (snapshotDay[t].length === 0) tickerStart[t] = start;
    snapshotDay[t].push(day);
    snapshotStart[t].push(start);
  };
  const snaps = chains.snapshots;
  if (snaps) {
    for (let k = 0; k < snaps.day.length; k++) add(snaps.ticker[k], snaps.day[k], snaps.start[k]);
  } else {
    for (let i = 0; i < rows; i++) {
      const t = c.underlying[i];
      if (i === 0 || t !== c.underlying[i - 1] || c.day[i] !== c.day[i - 1]) add(t, c.day[i], i);
    }
  }
  for (let t = chains.tickers.length - 2; t >= 0; t--) {
    if (snapshotDay[t].length === 0) tickerStart[t] = tickerStart[t + 1];
  }
  return { tickerStart, snapshotDay, snapshotStart };
}

/** The chain-group index of sorted columns, in the entry's snapshot order. */
function groupIndex(
  columns: ChainColumns,
  table: Pick<EntryMeta, "snapshotStart">,
): Record<keyof typeof INDEX_FILES, Int32Array | Uint8Array> {
  const starts = table.snapshotStart.flat();
  const n = columns.day.length;
  const { expiry, type } = columns;
  let groups = 0;
  for (let k = 0; k < starts.length; k++) {
    const e = k + 1 < starts.length ? starts[k + 1] : n;
    for (let i = starts[k]; i < e; i++) {
      if (i === starts[k] || expiry[i] !== expiry[i - 1] || type[i] !== type[i - 1]) groups++;
    }
  }
  const snapshotGroups = new Int32Array(starts.length + 1);
  const groupStart = new Int32Array(groups);
  const groupExpiry = new Int32Array(groups);
  const groupType = new Uint8Array(groups);
  let g = 0;
  for (let k = 0; k < starts.length; k++) {
    snapshotGroups[k] = g;
    const e = k + 1 < starts.length ? starts[k + 1] : n;
    for (let i = starts[k]; i < e; i++) {
      if (i === starts[k] || expiry[i] !== expiry[i - 1] || type[i] !== type[i - 1]) {
        groupStart[g] = i;
        groupExpiry[g] = expiry[i];
        groupType[g] = type[i];
        g++;
      }
    }
  }
  snapshotGroups[starts.length] = g;
  return { snapshotGroups, groupStart, groupExpiry, groupType };
}

/** What a load needs of a cache writer (see {@link CacheWriter}). */
export interface EntryWriter {
  append(columns: ChainColumns, start: number, end: number): void;
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): ChainGroups | void;
  abandon(): void;
}

/** Writes one cache entry (see the module documentation). */
export class CacheWriter implements EntryWriter {
  readonly #dir: string;
  readonly #key: string;
  readonly #staging: string;
  readonly #fds = new Map<string, number>();
  /** Block checksums of each column file as appended front to back (null once out of order). */
  readonly #sums = new Map<string, BlockChecksummer | null>();
  /** Checksums computed by another thread (see adoptChecksums). */
  readonly #adopted = new Map<string, number[]>();

  /** Starts an entry for `key` in the cache folder `dir` (created when absent). */
  constructor(dir: string, key: string) {
    this.#dir = dir;
    this.#key = key;
    this.#staging = join(dir, `${key}${tempSuffix()}`);
    mkdirSync(dir, { recursive: true });
    // Entries that killed processes left half-written are removed before another is written.
    removeStaleTemps(dir, "");
    mkdirSync(this.#staging);
    for (const [name] of COLUMN_TYPES) {
      this.#fds.set(name, openSync(join(this.#staging, columnFile(name)), "w"));
      this.#sums.set(name, new BlockChecksummer());
    }
  }

  /** The staging file of a column (complete up to the rows appended). */
  stagingFile(name: ColumnName): string {
    return join(this.#staging, columnFile(name));
  }

  /** Closes the column files, for another thread to write them (see {@link reopen}). */
  release(): void {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }

  /** Opens the column files again after {@link release}, to append from this thread. */
  reopen(): void {
    for (const [name] of COLUMN_TYPES) {
      if (!this.#fds.has(name)) this.#fds.set(name, openSync(this.stagingFile(name), "r+"));
    }
  }

  /**
   * The block checksums of a column file another thread wrote front to back (`bytes` long),
   * so that finishing the entry need not read it again.
   */
  adoptChecksums(name: ColumnName, checksums: number[], bytes: number): void {
    const sums = new BlockChecksummer();
    sums.length = bytes;
    this.#adopted.set(name, checksums);
    this.#sums.set(name, sums);
  }

  /**
   * Writes rows [start, end) of `columns` at row `at` of the column files (default `start`:
   * the rows as appended so far). Rows appended front to back are checksummed as they go.
   */
  append(columns: ChainColumns, start: number, end: number, at: number = start): void {
    for (const [name, Ctor] of COLUMN_TYPES) {
      const data = columns[name].subarray(start, end);
      const position = at * Ctor.BYTES_PER_ELEMENT;
      writeAt(this.#fds.get(name)!, data, position);
      const sums = this.#sums.get(name);
      if (sums && sums.length === position) {
        sums.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } else this.#sums.set(name, null);
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
   * @returns the chain groups of the entry's index (what indexChains would find)
   */
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): ChainGroups {
    const name = entryName(this.#key, coverage);
    try {
      const sizes: Record<string, number> = {};
      const checksums: Record<string, number[]> = {};
      const record = (file: string, data: ArrayBufferView) => {
        sizes[file] = data.byteLength;
        checksums[file] = blockChecksums(
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        );
      };
      for (const [column] of COLUMN_TYPES) {
        const data: ColumnArray = chains.columns[column];
        let fd = this.#fds.get(column);
        if (rewrite.has(column)) {
          fd ??= openSync(this.stagingFile(column), "r+");
          writeAt(fd, data, 0);
        }
        if (fd !== undefined) closeSync(fd);
        const sums = this.#sums.get(column);
        if (!rewrite.has(column) && sums && sums.length === data.byteLength) {
          // Checksummed as appended: the bytes need not be read again.
          sizes[columnFile(column)] = data.byteLength;
          checksums[columnFile(column)] = this.#adopted.get(column) ?? sums.checksums();
        } else record(columnFile(column), data);
      }
      this.#fds.clear();
      const table = snapshotTable(chains);
      const g = chains.groups;
      const index = g && g.perSnapshot.length === table.snapshotStart.flat().length + 1
        ? {
          snapshotGroups: g.perSnapshot,
          groupStart: g.start,
          groupExpiry: g.expiry,
          groupType: g.type,
        }
        : groupIndex(chains.columns, table);
      for (const [key, file] of Object.entries(INDEX_FILES)) {
        const data = index[key as keyof typeof INDEX_FILES];
        const fd = openSync(join(this.#staging, file), "w");
        try {
          writeAt(fd, data, 0);
        } finally {
          closeSync(fd);
        }
        record(file, data);
      }
      const counts = chains.counts;
      const meta: EntryMeta = {
        format: CACHE_FORMAT,
        key: this.#key,
        files,
        coverage,
        rows: chains.columns.day.length,
        tickers: chains.tickers,
        ...table,
        counts: {
          ticker: Array.from(counts.ticker),
          day: Array.from(counts.day),
          skippedDte: Array.from(counts.skippedDte),
          greeksComputed: Array.from(counts.greeksComputed),
          ivNotFound: Array.from(counts.ivNotFound),
        },
        groups: index.groupStart.length,
        sizes,
        checksums,
      };
      writeMeta(this.#staging, meta);
      // The files are complete: their identity now is the verified one (renaming the folder
      // leaves the files' own inodes and times alone).
      stampVerified(this.#staging);
      this.#moveIntoPlace(join(this.#dir, name));
      // Entries of the same data that this one covers are superseded.
      for (const other of readdirSync(this.#dir)) {
        if (other === name || ENTRY_NAME.exec(other)?.[1] !== this.#key) continue;
        const m = readMeta(join(this.#dir, other));
        if (!m || covers(coverage, m.coverage)) {
          rmSync(join(this.#dir, other), { recursive: true, force: true });
        }
      }
      try {
        evict(this.#dir, name);
      } catch {
        // Another process removing entries meanwhile: the new entry is in place regardless.
      }
      return {
        perSnapshot: index.snapshotGroups as Int32Array,
        start: index.groupStart as Int32Array,
        expiry: index.groupExpiry as Int32Array,
        type: index.groupType as Uint8Array,
      };
    } catch (err) {
      this.abandon();
      throw err;
    }
  }

  /**
   * Moves the finished staging folder to `target`. An entry of the same name holds the same
   * rows (the name is the data's key and the load's coverage): when another process has put one
   * in place meanwhile (two cold loads of the same data), it is kept and this one dropped, so
   * that an entry another process reads is never removed under it. Any other folder there (a
   * damaged entry) is replaced.
   */
  #moveIntoPlace(target: string): void {
    const inPlace = () => {
      const meta = readMeta(target);
      return meta !== null && meta.key === this.#key &&
        entryName(meta.key, meta.coverage) === basename(target);
    };
    if (inPlace()) {
      rmSync(this.#staging, { recursive: true, force: true });
      return;
    }
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(this.#staging, target);
    } catch (err) {
      // Another process renamed its own into place between the two steps.
      if (!inPlace()) throw err;
      rmSync(this.#staging, { recursive: true, force: true });
    }
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

  /** Queues the final rewrite, the index, meta.json and the move into place. */
  finish(
    chains: LoadedChains,
    coverage: CacheCoverage,
    files: string[],
    rewrite: ReadonlySet<ColumnName>,
  ): void {
    const { snapshots: _, groups: __, origin: ___, ...plain } = chains;
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
