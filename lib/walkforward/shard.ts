/**
 * Sharding a walk-forward across processes or machines: which shard does which work, and the
 * shard's index and count from the command line (`I/N`) or a batch scheduler's environment.
 *
 * The work is cut into units in a fixed order: the full-data runs by combination (behind PBO and
 * the DSR's trial set), then the periods (each with its train, validate and test runs). Each unit
 * is costed in simulated days (a full-data run: the span's days; a period: every combination on
 * its training window, the top N on validation, one test run), and the ordered list is cut into
 * N contiguous slices of about equal cost: a unit goes to the shard its cost's midpoint falls in.
 * So the full-data runs gather in the first shards and every other shard holds a contiguous run
 * of periods, and the split depends on the plan and N alone.
 *
 * @module
 */
import type { WalkForwardPlan, WalkForwardWork } from "./plan.ts";

/** A bad shard or shard set; the message names the shard. */
export class ShardError extends RangeError {}

/** A shard: index I of N (0 <= I < N). */
export interface ShardSpec {
  /** This shard's index, from 0. */
  index: number;
  /** How many shards. */
  count: number;
}

/** Simulated days of each unit of work, in the split's order (full-data runs, then periods). */
function unitCosts(plan: WalkForwardPlan): number[] {
  const days = (w: { fromIndex: number; toIndex: number }) => w.toIndex - w.fromIndex + 1;
  const full = Array.from({ length: plan.combinations }, () => days(plan.span));
  const periods = plan.periods.map((p) =>
    plan.combinations * days(p.train) + plan.topN * days(p.validate) + days(p.test)
  );
  return [...full, ...periods];
}

/**
 * The work of shard I of N: contiguous slices of about equal cost (see the module doc). The N
 * shards' work covers the plan exactly once; a shard may be left without work when N exceeds
 * the number of units.
 *
 * @param plan the walk-forward plan
 * @param shard index and count
 * @returns the shard's periods and full-data runs, ascending
 *
 * @example Every unit lands in exactly one shard
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardWork } from "./shard.ts";
 * import type { WalkForwardPlan } from "./plan.ts";
 * const w = (fromIndex: number, toIndex: number) => ({ fromIndex, toIndex, start: "", end: "" });
 * const periods = [0, 1, 2, 3].map((i) => ({
 *   index: i, train: w(i * 20, i * 20 + 39), validate: w(i * 20 + 40, i * 20 + 59),
 *   test: w(i * 20 + 60, i * 20 + 79),
 * }));
 * const plan = { combinations: 2, topN: 1, span: { fromIndex: 0, toIndex: 139 }, periods } as
 *   unknown as WalkForwardPlan;
 * const parts = [0, 1, 2].map((index) => shardWork(plan, { index, count: 3 }));
 * assert.deepEqual(parts.flatMap((p) => p.fullRuns), [0, 1]);
 * assert.deepEqual(parts.flatMap((p) => p.periods), [0, 1, 2, 3]);
 * // The two long full-data runs (140 days each) fill the first shard.
 * assert.deepEqual(parts[0], { fullRuns: [0, 1], periods: [] });
 * ```
 */
export function shardWork(plan: WalkForwardPlan, shard: ShardSpec): WalkForwardWork {
  checkShard(shard);
  const costs = unitCosts(plan);
  const total = costs.reduce((a, b) => a + b, 0);
  const work: WalkForwardWork = { periods: [], fullRuns: [] };
  let before = 0;
  costs.forEach((cost, u) => {
    const mid = before + cost / 2;
    before += cost;
    const owner = total > 0
      ? Math.min(shard.count - 1, Math.floor((mid * shard.count) / total))
      : 0;
    if (owner !== shard.index) return;
    if (u < plan.combinations) work.fullRuns.push(u);
    else work.periods.push(u - plan.combinations);
  });
  return work;
}

/**
 * The share of the plan's simulated days a shard's work holds (0 to 1), for reports and tests
 * of balance.
 */
export function shardCostShare(plan: WalkForwardPlan, work: WalkForwardWork): number {
  const costs = unitCosts(plan);
  const total = costs.reduce((a, b) => a + b, 0);
  const mine = work.fullRuns.reduce((a, c) => a + costs[c], 0) +
    work.periods.reduce((a, p) => a + costs[plan.combinations + p], 0);
  return total > 0 ? mine / total : 0;
}

function checkShard(shard: ShardSpec): void {
  if (!Number.isInteger(shard.count) || shard.count < 1) {
    throw new RangeError(`A shard count must be a positive integer, got ${shard.count}`);
  }
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(
      `A shard index must be an integer from 0 to ${shard.count - 1}, got ${shard.index}`,
    );
  }
}

/** The environment variable holding the shard count of a Kubernetes Indexed Job. */
export const SHARD_COUNT_VARIABLE = "MAHLER_SHARD_COUNT";

/**
 * A shard from `--shard I/N`, or from the environment with `auto`: Slurm's
 * `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`, else Kubernetes'
 * `JOB_COMPLETION_INDEX` and {@link SHARD_COUNT_VARIABLE}.
 *
 * @param text "I/N" or "auto"
 * @param env the environment's variables (default Deno.env)
 * @returns the shard
 * @throws RangeError naming what is wrong or missing
 *
 * @example Explicit, Slurm and Kubernetes
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseShard } from "./shard.ts";
 * assert.deepEqual(parseShard("1/3", {}), { index: 1, count: 3 });
 * assert.deepEqual(
 *   parseShard("auto", { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "4" }),
 *   { index: 2, count: 4 },
 * );
 * assert.deepEqual(
 *   parseShard("auto", { JOB_COMPLETION_INDEX: "0", MAHLER_SHARD_COUNT: "2" }),
 *   { index: 0, count: 2 },
 * );
 * assert.throws(() => parseShard("3/3", {}), /from 0 to 2/);
 * assert.throws(() => parseShard("auto", {}), /SLURM_ARRAY_TASK_ID/);
 * ```
 */
export function parseShard(
  text: string,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): ShardSpec {
  const int = (value: string | undefined, what: string): number => {
    if (value === undefined || !/^\d+$/.test(value.trim())) {
      throw new RangeError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    return Number(value.trim());
  };
  let shard: ShardSpec;
  if (text === "auto") {
    if (env.SLURM_ARRAY_TASK_ID !== undefined) {
      shard = {
        index: int(env.SLURM_ARRAY_TASK_ID, "SLURM_ARRAY_TASK_ID"),
        count: int(env.SLURM_ARRAY_TASK_COUNT, "SLURM_ARRAY_TASK_COUNT"),
      };
    } else if (env.JOB_COMPLETION_INDEX !== undefined) {
      shard = {
        index: int(env.JOB_COMPLETION_INDEX, "JOB_COMPLETION_INDEX"),
        count: int(env[SHARD_COUNT_VARIABLE], SHARD_COUNT_VARIABLE),
      };
    } else {
      throw new RangeError(
        "--shard auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm array job) " +
          `or JOB_COMPLETION_INDEX and ${SHARD_COUNT_VARIABLE} (a Kubernetes Indexed Job)`,
      );
    }
  } else {
    const m = /^(\d+)\/(\d+)$/.exec(text.trim());
    if (!m) {
      throw new RangeError(`--shard must be I/N (e.g. 0/4) or auto, got ${JSON.stringify(text)}`);
    }
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  checkShard(shard);
  return shard;
}
