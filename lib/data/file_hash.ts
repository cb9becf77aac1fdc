/**
 * SHA-256 of input files for run manifests, remembered between commands: a file's hash is kept
 * in the cache folder (`file-hashes.json`) under its path, size and modification time — the
 * key of the chain cache — so that a repeated run over gigabytes of chains does not read them
 * all again just to name them. Files under 1 MB are hashed every time.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { defaultCacheDir } from "./cache.ts";
import { removeStaleTemps, tempSuffix } from "./temp_names.ts";
import { namedChecksum } from "./_checksum.ts";

/** The memo of file hashes in the cache folder (a checksum line, then the JSON). */
const MEMO_NAME = "file-hashes.json";

/** Files at least this large have their hash remembered. */
const REMEMBER_BYTES = 1 << 20;

type HashMemo = Record<string, { size: number; mtimeMs: number; sha256: string }>;

function hashBytes(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(8 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * SHA-256 of a file's bytes, hex; remembered for large files (see the module documentation).
 *
 * @param path file path
 * @param cacheDir where the memo lives (default the cache folder)
 * @returns the hash
 *
 * @example The hash of a small file
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSha256 } from "./file_hash.ts";
 * const file = Deno.makeTempFileSync();
 * Deno.writeTextFileSync(file, "abc");
 * assert.equal(
 *   fileSha256(file),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export function fileSha256(path: string, cacheDir: string = defaultCacheDir()): string {
  const s = statSync(path);
  if (s.size < REMEMBER_BYTES) return hashBytes(path);
  const memoFile = join(cacheDir, MEMO_NAME);
  const key = resolve(path);
  let memo: HashMemo = {};
  try {
    const text = readFileSync(memoFile, "utf8");
    const cut = text.indexOf("\n");
    const body = text.slice(cut + 1);
    if (Number(text.slice(0, cut)) === namedChecksum(MEMO_NAME, new TextEncoder().encode(body))) {
      memo = JSON.parse(body) as HashMemo;
    }
  } catch {
    // No memo yet (or unreadable): start one.
  }
  const hit = memo[key];
  if (hit && hit.size === s.size && hit.mtimeMs === s.mtimeMs) return hit.sha256;
  const sha256 = hashBytes(path);
  memo[key] = { size: s.size, mtimeMs: s.mtimeMs, sha256 };
  // Forget files that no longer exist, then replace the memo atomically.
  for (const p of Object.keys(memo)) {
    try {
      statSync(p);
    } catch {
      delete memo[p];
    }
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${memoFile}${tempSuffix()}`;
    const body = JSON.stringify(memo);
    writeFileSync(tmp, `${namedChecksum(MEMO_NAME, new TextEncoder().encode(body))}\n${body}`);
    renameSync(tmp, memoFile);
    removeStaleTemps(cacheDir, `${MEMO_NAME}.tmp-`);
  } catch {
    // A read-only cache folder: the hash is still right, only not remembered.
  }
  return sha256;
}
