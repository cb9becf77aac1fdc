/**
 * Checksums of cache files: XXH32 (Yann Collet's xxHash, 32-bit variant, as specified in
 * xxhash's doc/xxhash_spec.md) over blocks of {@link CHECKSUM_BLOCK_BYTES}. A block checksum
 * detects any change of one block with probability 1 - 2⁻³², costs about 0.4 s per GB on one
 * core, and blocks can be checked independently (on two threads, or only those read).
 *
 * @module
 */

/** Bytes per checksummed block (the last block of a file is shorter). */
export const CHECKSUM_BLOCK_BYTES = 64 << 20;

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;

/** XXH32's round: acc' = rotl32(acc + lane·P2, 13)·P1. */
function round(acc: number, lane: number): number {
  const a = (acc + Math.imul(lane, P2)) | 0;
  return Math.imul((a << 13) | (a >>> 19), P1);
}

/** A little-endian 32-bit word of `bytes` at `i`. */
function word(bytes: Uint8Array, i: number): number {
  return bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
}

/**
 * XXH32 of bytes (little-endian lanes, as the specification reads them).
 *
 * @param bytes the data
 * @param seed the seed (default 0)
 * @returns the hash, an unsigned 32-bit integer
 *
 * @example The specification's value of the empty input
 * ```ts
 * import assert from "node:assert/strict";
 * import { xxh32 } from "./_checksum.ts";
 * assert.equal(xxh32(new Uint8Array(0)), 0x02cc5d05);
 * ```
 */
export function xxh32(bytes: Uint8Array, seed = 0): number {
  const n = bytes.length;
  let i = 0;
  let h: number;
  if (n >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    const stripes = n >>> 4;
    if (bytes.byteOffset % 4 === 0) {
      // Aligned: read the lanes as 32-bit words (this machine's byte order must be little-endian,
      // as it is on x86-64 and ARM64; the byte path below is used elsewhere).
      const words = new Int32Array(bytes.buffer, bytes.byteOffset, stripes * 4);
      if (LITTLE_ENDIAN) {
        for (let w = 0; w < words.length; w += 4) {
          v1 = round(v1, words[w]);
          v2 = round(v2, words[w + 1]);
          v3 = round(v3, words[w + 2]);
          v4 = round(v4, words[w + 3]);
        }
        i = stripes * 16;
      }
    }
    for (; i + 16 <= n; i += 16) {
      v1 = round(v1, word(bytes, i));
      v2 = round(v2, word(bytes, i + 4));
      v3 = round(v3, word(bytes, i + 8));
      v4 = round(v4, word(bytes, i + 12));
    }
    h = (((v1 << 1) | (v1 >>> 31)) + ((v2 << 7) | (v2 >>> 25)) + ((v3 << 12) | (v3 >>> 20)) +
      ((v4 << 18) | (v4 >>> 14))) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + n) | 0;
  for (; i + 4 <= n; i += 4) {
    h = (h + Math.imul(word(bytes, i), P3)) | 0;
    h = Math.imul((h << 17) | (h >>> 15), P4);
  }
  for (; i < n; i++) {
    h = (h + Math.imul(bytes[i], P5)) | 0;
    h = Math.imul((h << 11) | (h >>> 21), P1);
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The block checksums of bytes: XXH32 of each {@link CHECKSUM_BLOCK_BYTES} block in order.
 *
 * @param bytes a whole file's bytes
 * @returns one checksum per block (one, of the empty block, for empty bytes)
 */
export function blockChecksums(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let o = 0; o < bytes.length || out.length === 0; o += CHECKSUM_BLOCK_BYTES) {
    out.push(xxh32(bytes.subarray(o, Math.min(bytes.length, o + CHECKSUM_BLOCK_BYTES))));
  }
  return out;
}
