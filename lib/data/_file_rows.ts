/**
 * Rows written straight into a cache entry's column files as they are loaded: each batch is
 * gathered into scratch columns (reused from batch to batch, so no fresh memory per file),
 * flagged, and written at its place in the staging files; at the end the files are mapped and
 * become the store's columns. Compared with collecting the rows in memory and writing the entry
 * from there, the rows pass through fresh memory once instead of twice, and the loaded store
 * costs page cache (shared, reclaimable) instead of private memory.
 *
 * {@link FileRows} writes on the loading thread; {@link PipedRows} hands each batch to a
 * writer thread through a ring of shared scratch slots, so that parsing and writing (the
 * kernel's copy into fresh page-cache pages, a third of a cold load) run on two cores. The
 * chain groups of the entry's index are found as the rows go by.
 *
 * @module
 */
import {
  type ChainColumns,
  COLUMN_TYPES,
  type ColumnArray,
  type ColumnCtor,
  columnOn,
} from "./_columns.ts";
import type { ChainGroups, RowSink } from "./_accumulate.ts";
import { type ContractKey, flagRange } from "./_index.ts";
import type { CacheWriter } from "./_cache_write.ts";
import { mapFile } from "./_mmap.ts";

/** A write into the cache files failed: the load goes on without the cache. */
export class CacheWriteError extends Error {}

/** Scratch columns of `capacity` rows on fresh buffers (shared ones for a writer thread). */
function scratchColumns(capacity: number, shared: boolean): ChainColumns {
  const cols: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const bytes = Math.max(capacity * Ctor.BYTES_PER_ELEMENT, 8);
    cols[name] = columnOn(Ctor, shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }
  return cols as unknown as ChainColumns;
}

/** The (underlying, day, expiry, type) groups of rows appended in order, found as they come. */
class GroupTracker {
  #perSnapshot: number[] = [];
  #start: number[] = [];
  #expiry: number[] = [];
  #type: number[] = [];

  /** Rows [base, base + count) of `c`, rows [start, ...) of the load, after `previous`. */
  track(c: ChainColumns, base: number, count: number, start: number, previous: ContractKey | null) {
    let pu = previous ? previous.underlying : -1;
    let pd = previous ? previous.day : NaN;
    let pe = previous ? previous.expiry : NaN;
    let pt = previous ? previous.type : -1;
    for (let j = 0; j < count; j++) {
      const i = base + j;
      const u = c.underlying[i];
      const d = c.day[i];
      const e = c.expiry[i];
      const t = c.type[i];
      const snapshot = u !== pu || d !== pd;
      if (snapshot) this.#perSnapshot.push(this.#start.length);
      if (snapshot || e !== pe || t !== pt) {
        this.#start.push(start + j);
        this.#expiry.push(e);
        this.#type.push(t);
      }
      pu = u;
      pd = d;
      pe = e;
      pt = t;
    }
  }

  /** The groups (valid when the rows needed no reordering). */
  groups(): ChainGroups {
    return {
      perSnapshot: Int32Array.from([...this.#perSnapshot, this.#start.length]),
      start: Int32Array.from(this.#start),
      expiry: Int32Array.from(this.#expiry),
      type: Uint8Array.from(this.#type),
    };
  }
}

/** The staging files of a writer, mapped as columns of `n` rows. */
function mapStaging(writer: CacheWriter, n: number): ChainColumns {
  const cols: Record<string, ColumnArray> = {};
  for (const [name, Ctor] of COLUMN_TYPES) {
    const buffer = mapFile(writer.stagingFile(name));
    if (!buffer || buffer.byteLength < n * Ctor.BYTES_PER_ELEMENT) {
      throw new CacheWriteError(`Cannot map the cache column ${name} just written`);
    }
    cols[name] = columnOn(Ctor, buffer, 0, n);
  }
  return cols as unknown as ChainColumns;
}

/** The rows of a load, written by this thread into a {@link CacheWriter}'s staging files. */
export class FileRows implements RowSink {
  readonly #writer: CacheWriter;
  readonly #groups = new GroupTracker();
  #scratch: ChainColumns | null = null;
  #capacity = 0;

  /** Rows go to the writer's column files (it must have been started on a fresh entry). */
  constructor(writer: CacheWriter) {
    this.#writer = writer;
  }

  open(count: number): { columns: ChainColumns; base: number } {
    if (!this.#scratch || count > this.#capacity) {
      this.#capacity = Math.max(count, Math.ceil(this.#capacity * 1.5), 1 << 16);
      this.#scratch = scratchColumns(this.#capacity, false);
    }
    return { columns: this.#scratch, base: 0 };
  }

  commit(start: number, count: number, previous: ContractKey | null): void {
    const c = this.#scratch!;
    flagRange(c, 0, count, previous);
    this.#groups.track(c, 0, count, start, previous);
    try {
      this.#writer.append(c, 0, count, start);
    } catch (err) {
      throw new CacheWriteError(String((err as Error)?.message ?? err));
    }
  }

  finish(n: number): { columns: ChainColumns; flagged: boolean; writable: boolean } {
    this.#scratch = null;
    return { columns: mapStaging(this.#writer, n), flagged: true, writable: false };
  }

  /** The chain groups of the rows, as appended. */
  groups(): ChainGroups {
    return this.#groups.groups();
  }

  /** Nothing to stop (the writer abandons the files). */
  abandon(): void {}
}

/** Scratch slots in the ring between the loading thread and the writer thread. */
const SLOTS = 4;
/** Rows per slot: batches larger than this are written by the loading thread. */
const SLOT_ROWS = 1 << 18;
/** Checksum blocks per column the writer thread can report (2^30 rows of 8 bytes). */
export const MAX_BLOCKS = 129;

/** Cells of the control array shared with the writer thread. */
export const CONTROL = {
  /** 0 starting, 1 ready, 2 failed, 3 finished. */
  state: 0,
  /** Slots queued so far. */
  produced: 1,
  /** Slots written so far. */
  consumed: 2,
  /** Set to 1 when no more slots will come. */
  stop: 3,
  /** Per slot: its first row of the load, then its row count. */
  slots: 4,
} as const;

/**
 * The rows of a load, handed to a writer thread (see _cache_pipe_worker.ts) that writes them into
 * a {@link CacheWriter}'s staging files and checksums them. The loading thread waits (with
 * Atomics.wait, no event loop needed) only when every slot is still being written.
 */
export class PipedRows implements RowSink {
  readonly #writer: CacheWriter;
  readonly #worker: Worker;
  readonly #control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.slots + 2 * SLOTS)));
  readonly #checksums = new Int32Array(
    new SharedArrayBuffer(4 * COLUMN_TYPES.length * (MAX_BLOCKS + 1)),
  );
  readonly #error = new Uint8Array(new SharedArrayBuffer(1024));
  readonly #slots: ChainColumns[] = [];
  readonly #groups = new GroupTracker();
  /** A batch too large for a slot, written by this thread (after the ring drains). */
  #large: FileRows | null = null;
  #largeColumns: ChainColumns | null = null;
  #current = -1;

  /** Starts the writer thread on the writer's staging files. */
  constructor(writer: CacheWriter) {
    this.#writer = writer;
    for (let k = 0; k < SLOTS; k++) this.#slots.push(scratchColumns(SLOT_ROWS, true));
    this.#worker = new Worker(new URL("./_cache_pipe_worker.ts", import.meta.url), {
      type: "module",
    });
    const files: Record<string, string> = {};
    for (const [name] of COLUMN_TYPES) files[name] = writer.stagingFile(name);
    this.#worker.postMessage({
      files,
      slots: this.#slots,
      control: this.#control,
      checksums: this.#checksums,
      error: this.#error,
    });
    writer.release();
  }

  /** Throws when the writer thread failed. */
  #check(): void {
    if (Atomics.load(this.#control, CONTROL.state) === 2) {
      const n = this.#error.indexOf(0);
      throw new CacheWriteError(
        new TextDecoder().decode(this.#error.slice(0, n < 0 ? this.#error.length : n)),
      );
    }
  }

  /** Waits until `cell` of the control array differs from its value now... until `ok`. */
  #waitUntil(cell: number, ok: () => boolean): void {
    while (!ok()) {
      this.#check();
      Atomics.wait(this.#control, cell, Atomics.load(this.#control, cell), 1000);
    }
    this.#check();
  }

  open(count: number): { columns: ChainColumns; base: number } {
    const c = this.#control;
    if (count > SLOT_ROWS) {
      // Too large for a slot: written here once every queued slot is (rows stay in order).
      this.#waitUntil(
        CONTROL.consumed,
        () => Atomics.load(c, CONTROL.consumed) === Atomics.load(c, CONTROL.produced),
      );
      this.#large ??= new FileRows(this.#writer);
      this.#current = -1;
      const opened = this.#large.open(count);
      this.#largeColumns = opened.columns;
      return opened;
    }
    const produced = Atomics.load(c, CONTROL.produced);
    this.#waitUntil(CONTROL.consumed, () => produced - Atomics.load(c, CONTROL.consumed) < SLOTS);
    this.#current = produced % SLOTS;
    return { columns: this.#slots[this.#current], base: 0 };
  }

  commit(start: number, count: number, previous: ContractKey | null): void {
    if (this.#current < 0) {
      // The large batch: this thread writes it, through files it opens again.
      this.#writer.reopen();
      this.#groups.track(this.#largeColumns!, 0, count, start, previous);
      try {
        this.#large!.commit(start, count, previous);
      } finally {
        this.#writer.release();
      }
      return;
    }
    const slot = this.#slots[this.#current];
    flagRange(slot, 0, count, previous);
    this.#groups.track(slot, 0, count, start, previous);
    const c = this.#control;
    c[CONTROL.slots + 2 * this.#current] = start;
    c[CONTROL.slots + 2 * this.#current + 1] = count;
    Atomics.add(c, CONTROL.produced, 1);
    Atomics.notify(c, CONTROL.produced);
  }

  finish(n: number): { columns: ChainColumns; flagged: boolean; writable: boolean } {
    const c = this.#control;
    Atomics.store(c, CONTROL.stop, 1);
    Atomics.notify(c, CONTROL.produced);
    try {
      this.#waitUntil(CONTROL.state, () => Atomics.load(c, CONTROL.state) === 3);
    } finally {
      this.#worker.terminate();
    }
    // The writer thread's checksums, unless this thread wrote a batch itself (then the files
    // are checksummed from their bytes when the entry is finished).
    if (!this.#large) {
      COLUMN_TYPES.forEach(([name], k) => {
        const at = k * (MAX_BLOCKS + 1);
        const count = this.#checksums[at];
        if (count < 0) return;
        const sums = Array.from(this.#checksums.subarray(at + 1, at + 1 + count), (h) => h >>> 0);
        this.#writer.adoptChecksums(name, sums, n * BYTES_OF.get(name)!);
      });
    }
    return { columns: mapStaging(this.#writer, n), flagged: true, writable: false };
  }

  /** Stops the writer thread (after a failed load). */
  abandon(): void {
    this.#worker.terminate();
  }

  /** The chain groups of the rows, as appended. */
  groups(): ChainGroups {
    return this.#groups.groups();
  }
}

/** Bytes per row of each column. */
const BYTES_OF = new Map<string, number>(
  COLUMN_TYPES.map(([name, Ctor]: readonly [string, ColumnCtor]) => [name, Ctor.BYTES_PER_ELEMENT]),
);
