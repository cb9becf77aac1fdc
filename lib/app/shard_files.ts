/**
 * A shard folder's two files (the partial format of lib/walkforward/partial.ts): the header
 * `shard.json`, which the merge reads first to check a set of shards, and the payload
 * `outcomes.json`, the shard's outcomes with the whole-data context in the one shard that holds
 * it. This module builds them, reads them back and checks a set of headers.
 *
 * @module
 */
import { join } from "node:path";
import { readTextFile } from "../data/text_file.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import type { AssemblyContext } from "../walkforward/assemble.ts";
import type { FullRunOutcome, PeriodOutcome } from "../walkforward/outcomes.ts";
import {
  decodePartial,
  encodePartial,
  PARTIAL_FORMAT,
  PARTIAL_FORMAT_VERSION,
} from "../walkforward/partial.ts";
import { ShardError, type ShardSpec } from "../walkforward/shard.ts";
import type { DataQualityReport } from "../output/data_quality.ts";
import { type OutputFile, sha256Text } from "../output/write_run.ts";

/** The header file of a shard folder. */
export const SHARD_HEADER_FILE = "shard.json";

/** The payload file of a shard folder. */
export const SHARD_PAYLOAD_FILE = "outcomes.json";

/** The header of a shard folder (shard.json); partial.ts documents every field. */
export interface ShardHeader {
  /** {@link PARTIAL_FORMAT}. */
  format: string;
  /** {@link PARTIAL_FORMAT_VERSION}. */
  format_version: number;
  /** "mahler". */
  tool: string;
  /** The tool's version. */
  version: string;
  /** Which shard of how many. */
  shard: ShardSpec;
  /** SHA-256 of the configuration as TOML (overrides applied). */
  config_sha256: string;
  /** The configuration. */
  config: StrategyConfig;
  /** The overrides that made it, as manifest.json records them. */
  overrides: unknown;
  /** The configuration file and its SHA-256. */
  config_file: { path: string; sha256: string };
  /** `from`/`to` of the walk-forward (null when absent). */
  window: { from: string | null; to: string | null };
  /** Every data file read, in order, with its SHA-256 (empty for a shard without work). */
  inputs: { path: string; sha256: string }[];
  /** The window this shard loaded (its periods'), or null for the run's whole span. */
  loaded: { from: string; to: string } | null;
  /** The period indexes and the combinations of the full-data runs this shard did. */
  work: { periods: number[]; full_runs: number[] };
  /** Whether this shard holds the whole-data context. */
  context: boolean;
  /** SHA-256 of outcomes.json. */
  outcomes_sha256: string;
  /** Bytes of the data files this shard read. */
  input_bytes: number;
  /** Seconds spent loading and optimizing. */
  timings_seconds: Record<string, number>;
}

/** The payload of a shard folder (outcomes.json). */
export interface ShardPayload {
  /** The outcomes of the shard's periods, ascending. */
  periods: PeriodOutcome[];
  /** The outcomes of the shard's full-data runs, ascending by combination. */
  full_runs: FullRunOutcome[];
  /** The whole-data context (in the shard with the full-data run of combination 0), or null. */
  context: AssemblyContext | null;
  /** The data-quality report (with the context), or null. */
  quality: DataQualityReport | null;
}

/**
 * A shard folder's files: the payload encoded exactly, and the header with its hash.
 *
 * @param header the header, without `outcomes_sha256`
 * @param payload the payload
 * @returns shard.json and outcomes.json, to write with writeRunFiles
 */
export function shardFolderFiles(
  header: Omit<ShardHeader, "outcomes_sha256">,
  payload: ShardPayload,
): { header: ShardHeader; files: OutputFile[] } {
  const outcomes = encodePartial(payload);
  // The hash goes before the sizes and timings, in the order partial.ts documents.
  const { input_bytes, timings_seconds, ...head } = header;
  const full: ShardHeader = {
    ...head,
    outcomes_sha256: sha256Text(outcomes),
    input_bytes,
    timings_seconds,
  };
  return {
    header: full,
    files: [
      { name: SHARD_HEADER_FILE, text: JSON.stringify(full, null, 2) + "\n" },
      { name: SHARD_PAYLOAD_FILE, text: outcomes },
    ],
  };
}

/**
 * Reads and checks a shard folder's header.
 *
 * @param dir the shard folder
 * @returns the header
 * @throws ShardError naming the folder: no header, not JSON, another format or version
 */
export function readShardHeader(dir: string): ShardHeader {
  const text = readTextFile(join(dir, SHARD_HEADER_FILE));
  if (text === null) {
    throw new ShardError(
      `Shard ${dir}: no shard.json (not a shard folder, or its optimize --shard did not finish)`,
    );
  }
  let header: ShardHeader;
  try {
    header = JSON.parse(text) as ShardHeader;
  } catch (err) {
    throw new ShardError(`Shard ${dir}: shard.json is not valid JSON (${(err as Error).message})`);
  }
  if (header.format !== PARTIAL_FORMAT) {
    throw new ShardError(`Shard ${dir}: shard.json is not a ${PARTIAL_FORMAT} header`);
  }
  if (header.format_version !== PARTIAL_FORMAT_VERSION) {
    throw new ShardError(
      `Shard ${dir}: partial format version ${header.format_version}, this merge reads version ` +
        `${PARTIAL_FORMAT_VERSION}`,
    );
  }
  return header;
}

/**
 * Reads a shard folder's payload and checks it against its header's hash.
 *
 * @param dir the shard folder
 * @param header its header
 * @returns the payload, with exactly the values the shard held
 * @throws ShardError naming the folder: no payload, or one that does not match the header
 */
export function readShardPayload(dir: string, header: ShardHeader): ShardPayload {
  const text = readTextFile(join(dir, SHARD_PAYLOAD_FILE));
  if (text === null) {
    throw new ShardError(`Shard ${dir}: no outcomes.json (incomplete shard folder)`);
  }
  if (sha256Text(text) !== header.outcomes_sha256) {
    throw new ShardError(`Shard ${dir}: outcomes.json does not match its shard.json (changed?)`);
  }
  return decodePartial(text) as ShardPayload;
}

/**
 * Checks a set of shard headers: one tool version, configuration, window and data set, one
 * count N, and every index 0..N-1 exactly once.
 *
 * @param shards each folder with its header, in the order given
 * @throws ShardError naming the offending shard folder
 *
 * @example A missing shard is named
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkShardSet, type ShardHeader } from "./shard_files.ts";
 * const header = (index: number) => ({ tool: "mahler", version: "1", config_sha256: "c",
 *   window: { from: null, to: null }, inputs: [], shard: { index, count: 3 } }) as unknown as
 *   ShardHeader;
 * assert.throws(() => checkShardSet([{ dir: "a", header: header(0) }, { dir: "c", header: header(2) }]),
 *   /Shard 1\/3 missing: the merge needs all 3 shards \(given 2\)/);
 * ```
 */
export function checkShardSet(shards: { dir: string; header: ShardHeader }[]): void {
  if (shards.length === 0) throw new ShardError("optimize --merge needs at least one shard folder");
  const [first, ...rest] = shards;
  const ref = first.header;
  const name = (s: { dir: string; header: ShardHeader }) =>
    `Shard ${s.dir} (shard ${s.header.shard.index}/${s.header.shard.count})`;
  for (const s of rest) {
    const h = s.header;
    if (h.tool !== ref.tool || h.version !== ref.version) {
      throw new ShardError(
        `${name(s)} was written by ${h.tool} ${h.version}, ${first.dir} by ${ref.tool} ` +
          `${ref.version}: every shard must come from the same version`,
      );
    }
    if (h.config_sha256 !== ref.config_sha256) {
      throw new ShardError(
        `${name(s)} comes from another configuration than ${first.dir} (configuration sha256 ` +
          `${h.config_sha256.slice(0, 12)}... vs ${ref.config_sha256.slice(0, 12)}...)`,
      );
    }
    if (h.window.from !== ref.window.from || h.window.to !== ref.window.to) {
      throw new ShardError(
        `${name(s)} covers --from ${h.window.from} --to ${h.window.to}, ${first.dir} --from ` +
          `${ref.window.from} --to ${ref.window.to}`,
      );
    }
    // A shard left without work (more shards than units of work) read no data.
    const data = shards.find((x) => x.header.inputs.length > 0) ?? first;
    const a = h.inputs.map((f) => f.sha256).join(",");
    const b = data.header.inputs.map((f) => f.sha256).join(",");
    if (a !== b && h.inputs.length > 0) {
      const d = data.header.inputs;
      const i = h.inputs.findIndex((f, k) => d[k]?.sha256 !== f.sha256);
      const what = i >= 0
        ? `${h.inputs[i].path} differs from ${d[i]?.path ?? "nothing"}`
        : `it read ${h.inputs.length} files, ${data.dir} ${d.length}`;
      throw new ShardError(`${name(s)} comes from another data set than ${data.dir}: ${what}`);
    }
    if (h.shard.count !== ref.shard.count) {
      throw new ShardError(
        `${name(s)} belongs to a split into ${h.shard.count} shards, ${first.dir} into ` +
          `${ref.shard.count}`,
      );
    }
  }
  const count = ref.shard.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const i = s.header.shard.index;
    const other = byIndex.get(i);
    if (other !== undefined) {
      throw new ShardError(`Shards ${other} and ${s.dir} are both shard ${i}/${count}: duplicate`);
    }
    byIndex.set(i, s.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length) {
    throw new ShardError(
      `Shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} ` +
        `missing: the merge needs all ${count} shards (given ${shards.length})`,
    );
  }
}
