/**
 * The partial result of a walk-forward shard (`optimize --shard I/N`), version 1: a folder
 * holding two files.
 *
 * - `shard.json`, the header, read first by the merge: `format`
 *   ("mahler-walk-forward-shard"), `format_version` (1), `tool` and `version` (the tool's),
 *   `shard` ({ index, count }), `config_sha256` (SHA-256 of the configuration as TOML, overrides
 *   applied, as in manifest.json), `config` (that configuration), `overrides`, `config_file`
 *   ({ path, sha256 }), `window` ({ from, to } of `--from/--to`, null when absent), `inputs`
 *   (every data file, in order, { path, sha256 }; empty for a shard left without work),
 *   `loaded` ({ from, to }: the window of its periods it loaded, or null for the whole span),
 *   `work` ({ periods, full_runs }: the period indexes and the combinations of the full-data runs
 *   this shard did), `context` (whether it holds the whole-data context), `outcomes_sha256`
 *   (SHA-256 of `outcomes.json`), `input_bytes` (bytes of the data files overlapping what it
 *   loaded) and `timings_seconds` ({ load, optimize }).
 * - `outcomes.json`, the payload: `periods` (per period: train Sharpe and trades of every
 *   combination, the top N in rank order with their validation Sharpe and trades, the chosen
 *   combination or -1, and the test run: Sharpe, trades, trade log, daily state, missing quotes,
 *   entry funnel), `full_runs` (per combination: end-of-day equity over the span, trades, entry
 *   funnel), and, in the shard that holds it (the one with the full-data run of combination 0),
 *   `context` (the calendar, VIX closes, the first tradable day, the market regimes) and
 *   `quality` (the data-quality report).
 *
 * Numbers are exact: JSON numbers round-trip every finite double; NaN, ±Infinity and -0 are
 * written as `{"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}`, and typed arrays as
 * `{"$typed": "Float64Array" | "Int32Array" | "Uint8Array", "base64": ...}` (little-endian
 * bytes). So the merge assembles from exactly the values a single process holds.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** The partial format's name and version. */
export const PARTIAL_FORMAT = "mahler-walk-forward-shard";
/** The partial format's version; a merge refuses any other. */
export const PARTIAL_FORMAT_VERSION = 1;

const TYPED = {
  Float64Array,
  Int32Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

/**
 * JSON text of a value with exact numbers and typed arrays (see the module doc).
 *
 * @example NaN, -0 and typed arrays survive the round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePartial, encodePartial } from "./partial.ts";
 * const value = { a: NaN, b: -0, c: 0.1 + 0.2, d: new Float64Array([1.5, -Infinity]) };
 * const back = decodePartial(encodePartial(value)) as typeof value;
 * assert.ok(Number.isNaN(back.a) && Object.is(back.b, -0) && back.c === 0.30000000000000004);
 * assert.deepEqual([...back.d], [1.5, -Infinity]);
 * ```
 */
export function encodePartial(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    // JSON.stringify hands typed arrays to the replacer as they are (no toJSON).
    const raw = (this as Record<string, unknown>)[key];
    if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) {
      const name = raw.constructor.name as TypedName;
      if (!(name in TYPED)) throw new TypeError(`Cannot encode a ${name}`);
      return {
        $typed: name,
        base64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64"),
      };
    }
    if (typeof v === "number") {
      if (Number.isNaN(v)) return { $number: "NaN" };
      if (v === Infinity) return { $number: "Infinity" };
      if (v === -Infinity) return { $number: "-Infinity" };
      if (Object.is(v, -0)) return { $number: "-0" };
    }
    return v;
  });
}

/** A value from {@link encodePartial}'s text. */
export function decodePartial(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$number === "string" && Object.keys(o).length === 1) {
      const n = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 }[o.$number];
      if (n === undefined) throw new SyntaxError(`Unknown number ${o.$number}`);
      return n;
    }
    if (typeof o.$typed === "string" && typeof o.base64 === "string") {
      const Type = TYPED[o.$typed as TypedName];
      if (!Type) throw new SyntaxError(`Unknown typed array ${o.$typed}`);
      const bytes = Buffer.from(o.base64, "base64");
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return new Type(copy.buffer, 0, copy.byteLength / Type.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
