/**
 * The sharded walk-forward: `optimize --shard I/N|auto` writes one shard's partial result (the
 * format of lib/walkforward/partial.ts), and `optimize --merge SHARD_DIR... --out DIR` checks a
 * complete set of shards and writes exactly the files a single `optimize` writes, through the
 * same assembly and writers; only manifest.json differs (it lists the shards).
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  assembleWalkForward,
  type AssemblyContext,
  assemblyContext,
  type ChainStore,
  configToToml,
  type DataQualityReport,
  decodePartial,
  encodePartial,
  type FullRunOutcome,
  PARTIAL_FORMAT,
  PARTIAL_FORMAT_VERSION,
  type PeriodOutcome,
  planWalkForward,
  qualityReport,
  runWalkForwardWork,
  sha256File,
  sha256Text,
  shardCostShare,
  ShardError,
  type ShardSpec,
  shardWork,
  sharedIvTable,
  type StrategyConfig,
  TOOL_VERSION,
  walkForwardFiles,
  type WalkForwardResult,
  type WalkForwardWork,
  writeRunFiles,
} from "../lib/mod.ts";

/** The header of a shard folder (shard.json). */
export interface ShardHeader {
  format: string;
  format_version: number;
  tool: string;
  version: string;
  shard: ShardSpec;
  config_sha256: string;
  config: StrategyConfig;
  overrides: unknown;
  config_file: { path: string; sha256: string };
  window: { from: string | null; to: string | null };
  inputs: { path: string; sha256: string }[];
  work: { periods: number[]; full_runs: number[] };
  context: boolean;
  outcomes_sha256: string;
  /** Bytes of the data files this shard read. */
  input_bytes: number;
  timings_seconds: Record<string, number>;
}

/** The payload of a shard folder (outcomes.json). */
interface ShardOutcomes {
  periods: PeriodOutcome[];
  full_runs: FullRunOutcome[];
  context: AssemblyContext | null;
  quality: DataQualityReport | null;
}

/** What a shard run needs besides the store. */
export interface ShardRun {
  shard: ShardSpec;
  config: StrategyConfig;
  overrides: unknown;
  configPath: string;
  dataFiles: string[];
  window: { from?: string; to?: string };
  workers: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs one shard's work on a store and returns the shard folder's files.
 *
 * @returns the files, and what the shard did for the summary line
 */
export async function runShard(
  store: ChainStore,
  run: ShardRun,
  timings: Record<string, number>,
): Promise<{
  files: { name: string; text: string }[];
  work: WalkForwardWork;
  share: number;
  periods: number;
}> {
  const t0 = performance.now();
  const plan = planWalkForward(store, run.config, run.window);
  const work = shardWork(plan, run.shard);
  const ivPct = sharedIvTable(store, plan.base.ivHistoryDays);
  const outcomes = await runWalkForwardWork(store, plan, work, {
    workers: run.workers,
    onProgress: run.onProgress,
    ivPct,
  });
  // The whole-data context goes with the full-data run of combination 0 (the first shard).
  const holdsContext = work.fullRuns.includes(0);
  const payload: ShardOutcomes = {
    periods: outcomes.periods,
    full_runs: outcomes.fullRuns,
    context: holdsContext ? assemblyContext(store, plan, ivPct) : null,
    quality: holdsContext ? qualityReport(store) : null,
  };
  const outcomesText = encodePartial(payload);
  const seconds = Math.round(performance.now() - t0) / 1000;
  const header: ShardHeader = {
    format: PARTIAL_FORMAT,
    format_version: PARTIAL_FORMAT_VERSION,
    tool: "mahler",
    version: TOOL_VERSION,
    shard: run.shard,
    config_sha256: sha256Text(configToToml(run.config)),
    config: run.config,
    overrides: run.overrides,
    config_file: { path: run.configPath, sha256: sha256File(run.configPath) },
    window: { from: run.window.from ?? null, to: run.window.to ?? null },
    inputs: run.dataFiles.map((path) => ({ path, sha256: sha256File(path) })),
    work: { periods: work.periods, full_runs: work.fullRuns },
    context: holdsContext,
    outcomes_sha256: sha256Text(outcomesText),
    input_bytes: run.dataFiles.reduce((a, f) => a + statSync(f).size, 0),
    timings_seconds: { ...timings, optimize: seconds },
  };
  return {
    files: [
      { name: "shard.json", text: JSON.stringify(header, null, 2) + "\n" },
      { name: "outcomes.json", text: outcomesText },
    ],
    work,
    share: shardCostShare(plan, work),
    periods: plan.periods.length,
  };
}

function readHeader(dir: string): ShardHeader {
  let text: string;
  try {
    text = readFileSync(join(dir, "shard.json"), "utf8");
  } catch {
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
 * Checks a set of shard headers: one tool version, configuration, window and data set, one
 * count N, and every index 0..N-1 exactly once.
 *
 * @param shards each folder with its header, in the order given
 * @throws ShardError naming the offending shard folder
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
    const a = h.inputs.map((f) => f.sha256).join(",");
    const b = ref.inputs.map((f) => f.sha256).join(",");
    if (a !== b) {
      const i = h.inputs.findIndex((f, k) => ref.inputs[k]?.sha256 !== f.sha256);
      const what = i >= 0
        ? `${h.inputs[i].path} differs from ${ref.inputs[i]?.path ?? "nothing"}`
        : `it read ${h.inputs.length} files, ${first.dir} ${ref.inputs.length}`;
      throw new ShardError(`${name(s)} comes from another data set than ${first.dir}: ${what}`);
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

/** A merged walk-forward: the result, the files to write and what the summary needs. */
export interface MergedShards {
  result: WalkForwardResult;
  config: StrategyConfig;
  files: ReturnType<typeof walkForwardFiles>;
}

/**
 * Reads and checks shard folders, assembles the walk-forward and returns the run folder's files
 * (nothing is written here).
 *
 * @param dirs the shard folders, any order
 * @param timings the merge's timings so far (for the manifest)
 * @throws ShardError naming the offending shard
 */
export function mergeShards(dirs: string[], timings: Record<string, number>): MergedShards {
  const t0 = performance.now();
  const shards = dirs.map((dir) => ({ dir, header: readHeader(dir) }));
  checkShardSet(shards);
  const ref = shards[0].header;
  const config = ref.config;
  if (sha256Text(configToToml(config)) !== ref.config_sha256) {
    throw new ShardError(`Shard ${shards[0].dir}: its configuration does not match its hash`);
  }
  const payloads = shards.map(({ dir, header }) => {
    let text: string;
    try {
      text = readFileSync(join(dir, "outcomes.json"), "utf8");
    } catch {
      throw new ShardError(`Shard ${dir}: no outcomes.json (incomplete shard folder)`);
    }
    if (sha256Text(text) !== header.outcomes_sha256) {
      throw new ShardError(`Shard ${dir}: outcomes.json does not match its shard.json (changed?)`);
    }
    return decodePartial(text) as ShardOutcomes;
  });
  const holders = payloads.flatMap((p, k) => (p.context ? [k] : []));
  if (holders.length !== 1) {
    throw new ShardError(
      `The shards hold ${holders.length} whole-data contexts (expected one, in the shard with ` +
        `the full-data run of combination 0)`,
    );
  }
  const context = payloads[holders[0]].context!;
  const quality = payloads[holders[0]].quality!;
  const window = { from: ref.window.from ?? undefined, to: ref.window.to ?? undefined };
  const plan = planWalkForward(context.calendar, config, window);
  for (const [k, { dir, header }] of shards.entries()) {
    const expected = shardWork(plan, header.shard);
    const got = payloads[k];
    const same = (a: number[], b: number[]) =>
      a.length === b.length && a.every((x, i) => x === b[i]);
    if (
      !same(expected.periods, got.periods.map((p) => p.period)) ||
      !same(expected.fullRuns, got.full_runs.map((r) => r.combination))
    ) {
      throw new ShardError(
        `Shard ${dir} (shard ${header.shard.index}/${header.shard.count}) does not hold the work ` +
          `of its index: periods ${JSON.stringify(expected.periods)} and full-data runs ` +
          `${JSON.stringify(expected.fullRuns)} expected`,
      );
    }
  }
  const result = assembleWalkForward(plan, context, {
    periods: payloads.flatMap((p) => p.periods),
    fullRuns: payloads.flatMap((p) => p.full_runs),
  });
  timings.merge = Math.round(performance.now() - t0) / 1000;
  const order = [...shards].sort((a, b) => a.header.shard.index - b.header.shard.index);
  const files = walkForwardFiles(result, config, {
    calendar: context.calendar,
    quality,
    inputFiles: [],
    timings,
    workers: 0,
    manifest: {
      inputs: [ref.config_file, ...ref.inputs],
      from: ref.window.from,
      to: ref.window.to,
      overrides: ref.overrides,
      workers: null,
      merged_from: order.map(({ dir, header }) => ({
        dir,
        shard: header.shard,
        periods: header.work.periods.length,
        full_runs: header.work.full_runs.length,
        input_bytes: header.input_bytes,
        timings_seconds: header.timings_seconds,
      })),
    },
  });
  return { result, config, files };
}

/** Writes a merged run folder (every file, or none). */
export function writeMerged(
  outDir: string,
  merged: MergedShards,
  force: boolean,
): void {
  writeRunFiles(outDir, merged.files, { replace: force });
}
