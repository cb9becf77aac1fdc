/**
 * Read-only memory maps of files through Deno's FFI to the C library (`mmap`, `munmap`), wrapped
 * as ArrayBuffers without a copy (`Deno.UnsafePointerView.getArrayBuffer`). A mapped file's
 * pages are the kernel's page cache: mapping costs no memory and no time until a page is first
 * touched, and every process and Web Worker that maps the same file shares the same pages.
 *
 * Maps are private (`MAP_PRIVATE`) and the file is opened read-only, so nothing written to a
 * mapped buffer ever reaches the file: a stray write makes a private copy of its page. A map is
 * released (`munmap`) once the garbage collector has collected its ArrayBuffer.
 *
 * Web Workers of the same process use the same maps: {@link viewOfMapping} wraps a map made by
 * another thread (its address travels in a message), with no copy and no second map, so that
 * a cache entry replaced or removed meanwhile by another process changes nothing for them.
 *
 * Mapping needs Linux, FFI permission (`--allow-ffi`, part of `-A`) and a C library; where any
 * is missing, or when `MAHLER_MMAP=0` is set, {@link mmapSupported} is false and callers read
 * the file instead, with the same bytes as the result.
 *
 * @module
 */
import { statSync } from "node:fs";

/** The identity of a file as it was mapped: a file replaced or changed since has another. */
export interface FileIdentity {
  /** Bytes. */
  size: number;
  /** Inode number (0 where the platform has none). */
  ino: number;
  /** Modification time, ms since the epoch. */
  mtimeMs: number;
}

/** What a mapped ArrayBuffer maps. */
export interface MappedFile {
  /** Absolute path. */
  path: string;
  /** The file's identity when mapped. */
  identity: FileIdentity;
  /** Address of the map in this process. */
  address: bigint;
  /** Bytes mapped. */
  byteLength: number;
}

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_PRIVATE = 2;
const O_RDONLY = 0;
const O_CLOEXEC = 0x80000;

const SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let libc: Libc | null | undefined;

/** Whether memory maps are turned off by the environment (`MAHLER_MMAP=0`, `off` or `false`). */
function disabledByEnv(): boolean {
  try {
    const v = Deno.env.get("MAHLER_MMAP");
    return v !== undefined && /^(0|off|false|no)$/i.test(v.trim());
  } catch {
    return false;
  }
}

/** The C library's functions, or null where mapping is unavailable. */
function bindings(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (Deno.build.os !== "linux" || disabledByEnv()) return libc;
  for (const name of ["libc.so.6", "libc.so"]) {
    try {
      libc = Deno.dlopen(name, SYMBOLS).symbols;
      break;
    } catch {
      // No FFI permission, or not this library name: try the next, else read files instead.
    }
  }
  return libc;
}

/**
 * Whether files can be memory-mapped here (Linux, FFI permitted, `MAHLER_MMAP` not 0).
 *
 * @returns true when {@link mapFile} maps rather than returning null
 */
export function mmapSupported(): boolean {
  return bindings() !== null;
}

const mapped = new WeakMap<ArrayBuffer, MappedFile>();

// Unmaps a map once its ArrayBuffer is collected (nothing can reach the memory any more).
const unmapper = new FinalizationRegistry<{ pointer: Deno.PointerValue; length: number }>(
  ({ pointer, length }) => {
    bindings()?.munmap(pointer, BigInt(length));
  },
);

/** A file's identity now (see {@link FileIdentity}). */
export function fileIdentity(path: string): FileIdentity {
  const s = statSync(path);
  return { size: s.size, ino: s.ino ?? 0, mtimeMs: s.mtimeMs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

/**
 * Maps a whole file read-only, or returns null when mapping is unavailable here (see
 * {@link mmapSupported}) or the file cannot be opened or mapped.
 *
 * @param path the file
 * @param expect the identity the file must have (a file replaced since is an error)
 * @returns an ArrayBuffer over the file's bytes (empty for an empty file), or null
 * @throws Error when the file's identity is not `expect`
 */
export function mapFile(path: string, expect?: FileIdentity): ArrayBuffer | null {
  const c = bindings();
  if (!c) return null;
  const fd = c.open(new TextEncoder().encode(`${path}\0`), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return null;
  try {
    // Stat after opening: the descriptor holds the file we checked (entries are replaced by
    // renaming, never rewritten in place).
    const identity = fileIdentity(path);
    if (expect && !sameIdentity(identity, expect)) {
      throw new Error(`${path} changed since it was first mapped`);
    }
    if (identity.size === 0) return new ArrayBuffer(0);
    const pointer = c.mmap(
      null,
      BigInt(identity.size),
      PROT_READ | PROT_WRITE,
      MAP_PRIVATE,
      fd,
      0n,
    );
    const address = pointer === null ? 0n : BigInt(Deno.UnsafePointer.value(pointer));
    if (pointer === null || address === 0xffffffffffffffffn) return null;
    const buffer = Deno.UnsafePointerView.getArrayBuffer(pointer, identity.size);
    mapped.set(buffer, { path, identity, address, byteLength: identity.size });
    unmapper.register(buffer, { pointer, length: identity.size }, buffer);
    return buffer;
  } finally {
    c.close(fd);
  }
}

/**
 * The file an ArrayBuffer maps, or null when it is not a map made by {@link mapFile}.
 *
 * @param buffer any buffer
 * @returns the file and its identity when mapped
 */
export function mappedFileOf(buffer: ArrayBufferLike): MappedFile | null {
  return buffer instanceof ArrayBuffer ? mapped.get(buffer) ?? null : null;
}

/**
 * Keeps a map for the life of the process: once its address is handed to another thread, it
 * must never be unmapped (the other thread may still read it when this one drops the buffer).
 */
export function keepMapped(buffer: ArrayBuffer): void {
  unmapper.unregister(buffer);
}

/**
 * An ArrayBuffer over a map made by another thread of this process (an address from
 * {@link mappedFileOf}, kept with {@link keepMapped}): the same pages, no copy, no new map.
 *
 * @param address the map's address
 * @param byteLength its length in bytes
 * @returns a buffer over it (empty for length 0)
 */
export function viewOfMapping(address: bigint, byteLength: number): ArrayBuffer {
  if (byteLength === 0) return new ArrayBuffer(0);
  const pointer = Deno.UnsafePointer.create(address);
  if (pointer === null) throw new Error("A mapped column has no address");
  return Deno.UnsafePointerView.getArrayBuffer(pointer, byteLength);
}
