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

/** XXH32 computed over data given in pieces (equal to {@link xxh32} of their concatenation). */
class Xxh32Stream {
  #v1 = (P1 + P2) | 0;
  #v2 = P2;
  #v3 = 0;
  #v4 = (0 - P1) | 0;
  #total = 0;
  readonly #tail = new Uint8Array(16);
  #tailLength = 0;

  /** Adds bytes. */
  update(bytes: Uint8Array): void {
    this.#total += bytes.length;
    let i = 0;
    if (this.#tailLength > 0) {
      const take = Math.min(16 - this.#tailLength, bytes.length);
      this.#tail.set(bytes.subarray(0, take), this.#tailLength);
      this.#tailLength += take;
      i = take;
      if (this.#tailLength < 16) return;
      this.#stripes(this.#tail, 0, 16);
      this.#tailLength = 0;
    }
    const whole = i + ((bytes.length - i) & ~15);
    this.#stripes(bytes, i, whole);
    this.#tail.set(bytes.subarray(whole));
    this.#tailLength = bytes.length - whole;
  }

  #stripes(bytes: Uint8Array, from: number, to: number): void {
    let v1 = this.#v1, v2 = this.#v2, v3 = this.#v3, v4 = this.#v4;
    let i = from;
    if (LITTLE_ENDIAN && (bytes.byteOffset + i) % 4 === 0 && to > i) {
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (to - i) >>> 2);
      for (let w = 0; w < words.length; w += 4) {
        v1 = round(v1, words[w]);
        v2 = round(v2, words[w + 1]);
        v3 = round(v3, words[w + 2]);
        v4 = round(v4, words[w + 3]);
      }
      i = to;
    }
    for (; i < to; i += 16) {
      v1 = round(v1, word(bytes, i));
      v2 = round(v2, word(bytes, i + 4));
      v3 = round(v3, word(bytes, i + 8));
      v4 = round(v4, word(bytes, i + 12));
    }
    this.#v1 = v1;
    this.#v2 = v2;
    this.#v3 = v3;
    this.#v4 = v4;
  }

  /** The hash of everything added. */
  digest(): number {
    const v1 = this.#v1, v2 = this.#v2, v3 = this.#v3, v4 = this.#v4;
    let h = this.#total >= 16
      ? (((v1 << 1) | (v1 >>> 31)) + ((v2 << 7) | (v2 >>> 25)) + ((v3 << 12) | (v3 >>> 20)) +
        ((v4 << 18) | (v4 >>> 14))) | 0
      : P5;
    h = (h + this.#total) | 0;
    const t = this.#tail;
    const n = this.#tailLength;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      h = (h + Math.imul(word(t, i), P3)) | 0;
      h = Math.imul((h << 17) | (h >>> 15), P4);
    }
    for (; i < n; i++) {
      h = (h + Math.imul(t[i], P5)) | 0;
      h = Math.imul((h << 11) | (h >>> 21), P1);
    }
    h ^= h >>> 15;
    h = Math.imul(h, P2);
    h ^= h >>> 13;
    h = Math.imul(h, P3);
    h ^= h >>> 16;
    return h >>> 0;
  }
}

/**
 * The block checksums of a file written front to back in pieces: equal to
 * {@link blockChecksums} of the whole.
 */
export class BlockChecksummer {
  readonly #done: number[] = [];
  #block = new Xxh32Stream();
  #inBlock = 0;
  /** Bytes added so far. */
  length = 0;

  /** Adds the next bytes of the file. */
  update(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      const take = Math.min(bytes.length - i, CHECKSUM_BLOCK_BYTES - this.#inBlock);
      this.#block.update(bytes.subarray(i, i + take));
      this.#inBlock += take;
      i += take;
      if (this.#inBlock === CHECKSUM_BLOCK_BYTES) {
        this.#done.push(this.#block.digest());
        this.#block = new Xxh32Stream();
        this.#inBlock = 0;
      }
    }
    this.length += bytes.length;
  }

  /** The checksums of every block so far (the last one partial, or empty for no bytes). */
  checksums(): number[] {
    return this.#inBlock > 0 || this.#done.length === 0
      ? [...this.#done, this.#block.digest()]
      : [...this.#done];
  }
}

/**
 * The checksum of a file's content bound to its name: XXH32 of the bytes, seeded with XXH32 of
 * the name. A file copied or swapped under another file's name (a memo of one ticker's bars in
 * place of another's) fails it, as a damaged one does.
 *
 * @param name the file's name (not its folder: a cache folder may move)
 * @param bytes its content
 * @returns an unsigned 32-bit checksum
 *
 * @example The same bytes under two names have two checksums
 * ```ts
 * import assert from "node:assert/strict";
 * import { namedChecksum } from "./_checksum.ts";
 * const bytes = new TextEncoder().encode("[1,2,3]");
 * assert.notEqual(namedChecksum("bars-a.json", bytes), namedChecksum("bars-b.json", bytes));
 * ```
 */
export function namedChecksum(name: string, bytes: Uint8Array): number {
  return xxh32(bytes, xxh32(new TextEncoder().encode(name)));
}
