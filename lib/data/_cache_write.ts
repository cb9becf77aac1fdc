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
import { join } from "node:path";
import { type ChainColumns, COLUMN_TYPES, type ColumnArray, type ColumnName } from "./_columns.ts";
import type { LoadedChains } from "./_accumulate.ts";
import { blockChecksums } from "./_checksum.ts";
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

/** Writes bytes of a typed array at a byte position of a file. */
function writeAt(fd: number, a: ArrayBufferView, position: number): void {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
  }
}

/** Per ticker: its first row, and its snapshots' days and first rows (for partial reads). */
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
  ): void;
  abandon(): void;
}

/** Writes one cache entry (see the module documentation). */
export class CacheWriter implements EntryWriter {
  readonly #dir: string;
  readonly #key: string;
  readonly #staging: string;
  readonly #fds = new Map<string, number>();

  /** Starts an entry for `key` in the cache folder `dir` (created when absent). */
  constructor(dir: string, key: string) {
    this.#dir = dir;
    this.#key = key;
    this.#staging = join(dir, `${key}.tmp-${Deno.pid}-${Date.now()}-${nextStaging++}`);
    mkdirSync(this.#staging, { recursive: true });
    for (const [name] of COLUMN_TYPES) {
      this.#fds.set(name, openSync(join(this.#staging, columnFile(name)), "w"));
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
        const fd = this.#fds.get(column)!;
        const data: ColumnArray = chains.columns[column];
        if (rewrite.has(column)) writeAt(fd, data, 0);
        closeSync(fd);
        record(columnFile(column), data);
      }
      this.#fds.clear();
      const table = snapshotTable(chains);
      const index = groupIndex(chains.columns, table);
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
      rmSync(join(this.#dir, name), { recursive: true, force: true });
      renameSync(this.#staging, join(this.#dir, name));
      // Entries of the same data that this one covers are superseded.
      for (const other of readdirSync(this.#dir)) {
        if (other === name || ENTRY_NAME.exec(other)?.[1] !== this.#key) continue;
        const m = readMeta(join(this.#dir, other));
        if (!m || covers(coverage, m.coverage)) {
          rmSync(join(this.#dir, other), { recursive: true, force: true });
        }
      }
    } catch (err) {
      this.abandon();
      throw err;
    }
    evict(this.#dir, name);
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

/** Distinguishes the staging folders of writers started in the same millisecond. */
let nextStaging = 0;

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
