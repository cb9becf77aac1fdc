/**
 * The layout of a cache entry and its integrity: `meta.json` (what the entry holds, with the
 * block checksums of every data file and a checksum of itself), one file per store column
 * (`<column>.bin`), the chain-group index (`groupStart.bin`, `groupExpiry.bin`, `groupType.bin`,
 * `snapshotGroups.bin`), `verified.json` (each data file's identity when its checksums were last
 * checked) and `derived/` (reports computed from the entry, see derived.ts).
 *
 * Checksums are computed when the entry is written, from the bytes written. They are verified
 * lazily: opening an entry compares each data file's size, inode, modification and change times
 * with `verified.json` (a `stat` per file, no read), and hashes the files again only when one
 * differs, as after any write to a file (which changes its change time, even when the
 * modification time is set back) or a copy of the cache (see RACY_MS for changes made in the
 * same tick of the clock as the stamp). A file whose checksums then differ makes the whole
 * entry damaged: it is
 * removed and the load reads the chain files again, writing a new entry. Hashing on every warm
 * load would read every byte the command never touches (7 GB for the full market), which is
 * what the mapped store avoids.
 *
 * @module
 */
import {
  closeSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { COLUMN_TYPES } from "./_columns.ts";
import { blockChecksums, CHECKSUM_BLOCK_BYTES, xxh32 } from "./_checksum.ts";
import { CACHE_FORMAT, type CacheCoverage } from "./_cache_key.ts";
import { mapFile } from "./_mmap.ts";
import { removeStaleTemps, tempSuffix } from "./temp_names.ts";
import { cacheWarning } from "./cache_warnings.ts";

/** The index files of an entry besides the columns: the chain groups of every snapshot. */
export const INDEX_FILES = {
  /** First row of each (underlying, day, expiry, type) group, Int32, entry rows. */
  groupStart: "groupStart.bin",
  /** Expiry day of each group, Int32. */
  groupExpiry: "groupExpiry.bin",
  /** Type code of each group, Uint8. */
  groupType: "groupType.bin",
  /** First group of each snapshot in entry order, Int32, and the group count last. */
  snapshotGroups: "snapshotGroups.bin",
} as const;

/** The file of a store column. */
export function columnFile(name: string): string {
  return `${name}.bin`;
}

/** Every data file of an entry: the columns, then the index. */
export function dataFiles(): string[] {
  return [...COLUMN_TYPES.map(([name]) => columnFile(name)), ...Object.values(INDEX_FILES)];
}

/** What `meta.json` holds. */
export interface EntryMeta {
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
  /** Chain groups in the index. */
  groups: number;
  /** Bytes of every data file. */
  sizes: Record<string, number>;
  /** Block checksums (XXH32 per 64 MB) of every data file. */
  checksums: Record<string, number[]>;
}

/** Writes `meta.json` with a checksum of its own content. */
export function writeMeta(entryDir: string, meta: EntryMeta): void {
  const text = JSON.stringify(meta);
  const checksum = xxh32(new TextEncoder().encode(text));
  writeFileSync(join(entryDir, "meta.json"), `${text.slice(0, -1)},"checksum":${checksum}}`);
}

/** Reads `meta.json`, or null when it is missing, of another format or damaged. */
export function readMeta(entryDir: string): EntryMeta | null {
  const read = inspectMeta(entryDir);
  return "meta" in read ? read.meta : null;
}

/**
 * Reads `meta.json` and says why it cannot serve: absent (a folder being removed), of another
 * format (an older version's entry, a miss), or damaged (not JSON, or not matching its own
 * checksum).
 */
export function inspectMeta(
  entryDir: string,
): { meta: EntryMeta } | { damaged: string } | { absent: true } | { otherFormat: true } {
  let text: string;
  try {
    text = readFileSync(join(entryDir, "meta.json"), "utf8");
  } catch {
    return { absent: true };
  }
  let parsed: EntryMeta & { checksum?: number };
  try {
    parsed = JSON.parse(text);
  } catch {
    return { damaged: "meta.json is not valid JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { damaged: "meta.json is not an entry's header" };
  }
  const { checksum, ...meta } = parsed;
  const matches = xxh32(new TextEncoder().encode(JSON.stringify(meta))) === checksum;
  if (parsed.format !== CACHE_FORMAT) {
    // Another version's entry (a header that matches its checksum, or one of the formats
    // before 4, which had none) is only a miss; a flipped format field is damage.
    const other = typeof parsed.format === "number" &&
      (matches || (checksum === undefined && parsed.format < 4));
    return other ? { otherFormat: true } : { damaged: "meta.json does not match its checksum" };
  }
  if (!matches) return { damaged: "meta.json does not match its checksum" };
  return { meta };
}

/** A data file's identity as recorded in `verified.json`: size, inode, mtime and ctime. */
type Stamp = [number, number, number, number];

function stampOf(path: string): Stamp {
  const s = statSync(path);
  return [s.size, s.ino ?? 0, s.mtimeMs, s.ctimeMs ?? 0];
}

/**
 * File times advance in ticks of the file system's clock (a few milliseconds on ext4, up to 2 s
 * on others): a file changed in the same tick as its stamp keeps the stamped times. So before a
 * stamp is taken each file's modification time is set back by {@link PIN_MS} (pinned): any later
 * write sets it to the present, which no longer matches the stamp, in whatever tick it happens.
 * Where times cannot be set (a read-only cache), a stamp vouches only for files changed longer
 * than this margin before it; others are hashed (the racy-timestamp rule git applies to its
 * index). Deno reports change times in whole seconds, so a write that also sets the
 * modification time back to the pinned one within the second of the stamp would go unseen:
 * nothing but a deliberate act does that.
 */
const RACY_MS = 2000;

/** How far back a stamped file's modification time is set (see RACY_MS). */
const PIN_MS = 24 * 3600 * 1000;

/** Whether a stamp's modification time was pinned (set well before its change time). */
function pinned(stamp: Stamp): boolean {
  return stamp[2] <= stamp[3] - PIN_MS / 2;
}

/** `verified.json`: when the stamp was taken, and each data file's identity then. */
interface Stamps {
  stampedAtMs: number;
  files: Record<string, Stamp>;
}

/**
 * Records the identity of every data file as verified (called by the writer once the files are
 * complete, and by a reader after checking them).
 */
export function stampVerified(entryDir: string): void {
  const stamps: Stamps = { stampedAtMs: Date.now(), files: {} };
  for (const name of dataFiles()) {
    const file = join(entryDir, name);
    try {
      const s = statSync(file);
      utimesSync(file, s.atime, new Date(s.ctimeMs - PIN_MS));
    } catch {
      // Times that cannot be set: the racy rule applies to this file.
    }
    stamps.files[name] = stampOf(file);
  }
  const tmp = join(entryDir, `verified.json${tempSuffix()}`);
  writeFileSync(tmp, JSON.stringify(stamps));
  renameSync(tmp, join(entryDir, "verified.json"));
  removeStaleTemps(entryDir, "verified.json.tmp-");
}

/**
 * Whether every data file still has the identity recorded when it was last verified, and was
 * last changed long enough before that to be told apart from a later change (see RACY_MS).
 */
function stampsHold(entryDir: string, meta: EntryMeta): boolean {
  let stamps: Stamps;
  try {
    stamps = JSON.parse(readFileSync(join(entryDir, "verified.json"), "utf8"));
  } catch {
    return false;
  }
  if (!(stamps?.stampedAtMs > 0) || typeof stamps.files !== "object") return false;
  for (const name of dataFiles()) {
    const want = stamps.files[name];
    if (!want || want[0] !== meta.sizes[name]) return false;
    if (!pinned(want) && !(want[3] < stamps.stampedAtMs - RACY_MS)) return false;
    let got: Stamp;
    try {
      got = stampOf(join(entryDir, name));
    } catch {
      return false;
    }
    if (got.some((v, k) => v !== want[k])) return false;
  }
  return true;
}

/** The block checksums of a file's content, mapped when possible, else read block by block. */
function fileChecksums(path: string, mmap: boolean): number[] {
  const buffer = mmap ? mapFile(path) : null;
  if (buffer) return blockChecksums(new Uint8Array(buffer));
  const fd = openSync(path, "r");
  try {
    const size = statSync(path).size;
    const block = new Uint8Array(Math.min(CHECKSUM_BLOCK_BYTES, Math.max(size, 1)));
    const out: number[] = [];
    for (let o = 0; o < size || out.length === 0; o += CHECKSUM_BLOCK_BYTES) {
      const len = Math.min(CHECKSUM_BLOCK_BYTES, size - o);
      let done = 0;
      while (done < len) {
        const n = readSync(fd, block, done, len - done, o + done);
        if (n <= 0) throw new Error(`${path} is truncated`);
        done += n;
      }
      out.push(xxh32(block.subarray(0, len)));
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks an entry's data files: sizes always, checksums when a file's identity changed since
 * its last verification (see the module documentation). A damaged entry is removed and
 * reported (see cache_warnings.ts); an entry whose files vanish meanwhile (another process
 * replaced or evicted it) is only a miss.
 *
 * @param entryDir the entry
 * @param meta its meta.json
 * @param mmap whether files may be mapped to hash them
 * @returns whether the entry can be read
 */
export function verifyEntry(entryDir: string, meta: EntryMeta, mmap: boolean): boolean {
  const damaged = (reason: string) => {
    try {
      rmSync(entryDir, { recursive: true, force: true });
    } catch {
      // A read-only cache: the entry is not read, all the same.
    }
    cacheWarning(
      `Cache entry ${entryDir} is damaged (${reason}): removed, and the chains are read from ` +
        `the files again`,
    );
    return false;
  };
  try {
    for (const name of dataFiles()) {
      const size = statSync(join(entryDir, name)).size;
      if (size !== meta.sizes[name]) {
        return damaged(`${name} has ${size} bytes, meta.json says ${meta.sizes[name]}`);
      }
    }
    // Files unchanged since their last verification are trusted as they are (no hashing, and
    // no new stamp: stamping sets the files' times, which every other reader would then see
    // as a change).
    if (stampsHold(entryDir, meta)) return true;
    for (const name of dataFiles()) {
      const got = fileChecksums(join(entryDir, name), mmap);
      const want = meta.checksums[name];
      if (!want || got.length !== want.length || got.some((h, k) => h !== want[k])) {
        return damaged(`${name} does not match its checksum`);
      }
    }
  } catch (err) {
    // A file gone (replaced or evicted meanwhile) is a miss; any other failure to read it is
    // damage.
    if ((err as { code?: string })?.code === "ENOENT" || err instanceof Deno.errors.NotFound) {
      return false;
    }
    return damaged(String((err as Error)?.message ?? err).split("\n")[0]);
  }
  try {
    stampVerified(entryDir);
  } catch {
    // A read-only cache: verified again next time.
  }
  return true;
}
