/**
 * `optimize --merge` as a library function: checks a complete set of shard folders and
 * assembles exactly the files a single `optimize` writes, through the same assembly and
 * writers; only manifest.json differs (it lists the shards).
 *
 * @module
 */
import type { StrategyConfig } from "../strategy/config.ts";
import { assembleWalkForward, type WalkForwardResult } from "../walkforward/assemble.ts";
import { planWalkForward } from "../walkforward/plan.ts";
import { ShardError, shardWork } from "../walkforward/shard.ts";
import { walkForwardFiles } from "../output/walk_forward.ts";
import { type OutputFile, sha256Text, writeRunFiles } from "../output/write_run.ts";
import { configToToml } from "../strategy/config.ts";
import type { OutputFolder } from "./options.ts";
import { checkShardSet, readShardHeader, readShardPayload } from "./shard_files.ts";

/** A merged walk-forward: the result, and the files of its run folder. */
export interface MergedShards {
  /** The walk-forward, as a single optimize gives it. */
  result: WalkForwardResult;
  /** The base configuration (from the shards' headers). */
  config: StrategyConfig;
  /** The run folder's files (written when `out` was given). */
  files: OutputFile[];
  /** Seconds spent reading, checking and assembling the shards. */
  seconds: number;
}

/**
 * Reads and checks shard folders (complete, no duplicate, one configuration, data set and
 * version; else an error naming the shard, and nothing written), assembles the walk-forward and
 * returns the run folder's files; with `out`, writes the folder.
 *
 * @param dirs the shard folders, any order
 * @param options the output folder
 * @returns the walk-forward, its configuration and files
 * @throws ShardError naming the offending shard
 */
export function mergeShards(dirs: string[], options: { out?: OutputFolder } = {}): MergedShards {
  const t0 = performance.now();
  const shards = dirs.map((dir) => ({ dir, header: readShardHeader(dir) }));
  checkShardSet(shards);
  const ref = shards[0].header;
  const config = ref.config;
  if (sha256Text(configToToml(config)) !== ref.config_sha256) {
    throw new ShardError(`Shard ${shards[0].dir}: its configuration does not match its hash`);
  }
  const payloads = shards.map(({ dir, header }) => readShardPayload(dir, header));
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
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const [k, { dir, header }] of shards.entries()) {
    const expected = shardWork(plan, header.shard);
    const got = payloads[k];
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
  const seconds = Math.round(performance.now() - t0) / 1000;
  const order = [...shards].sort((a, b) => a.header.shard.index - b.header.shard.index);
  const files = walkForwardFiles(result, config, {
    calendar: context.calendar,
    quality,
    inputFiles: [],
    timings: { merge: seconds },
    workers: 0,
    manifest: {
      inputs: [ref.config_file, ...shards[holders[0]].header.inputs],
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
  if (options.out) writeRunFiles(options.out.dir, files, { replace: options.out.replace });
  return { result, config, files, seconds };
}
