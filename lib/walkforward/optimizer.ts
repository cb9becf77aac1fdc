/**
 * The walk-forward optimizer in one call: plan the periods and the grid (plan.ts), run every
 * simulation on a pool of Web Workers (run.ts) and assemble the result (assemble.ts). A sharded
 * walk-forward runs the same three steps, the middle one split across processes.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { assembleWalkForward, assemblyContext, type WalkForwardResult } from "./assemble.ts";
import { allWork, planWalkForward } from "./plan.ts";
import { runWalkForwardWork, type RunWorkOptions, sharedIvTable } from "./run.ts";

/** Options of {@link optimizeWalkForward}. */
export interface OptimizeOptions extends Omit<RunWorkOptions, "ivPct"> {
  /** First day to use, YYYY-MM-DD (default the data's first; earlier data serves as history). */
  from?: string;
  /** Last day to use, YYYY-MM-DD (default the data's last). */
  to?: string;
}

/**
 * Runs the walk-forward optimization of a configuration's grid over a store.
 *
 * @param store the chain (shared with the workers)
 * @param config base configuration with its `[walk_forward]` section
 * @param options workers, progress, and the span of days to use
 * @returns every period's choice and Sharpe ratios, the stitched out-of-sample run and its
 *   diagnostics, PBO, parameter stability and alpha decay
 *
 * @example Six months, a 2 × 2 grid, 2-month training windows: three periods
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { optimizeWalkForward } from "./optimizer.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const wf = await optimizeWalkForward(store, loadConfig("config/test_config.toml"), { workers: 1 });
 * assert.equal(wf.combinations, 4);
 * assert.deepEqual(wf.periods.map((p) => p.period.test.start), ["2024-04-01", "2024-05-01", "2024-06-01"]);
 * // Each period re-runs its top 2 by training Sharpe and tests the better one on validation.
 * assert.ok(wf.periods.every((p) => p.top.length === 2 && p.top.includes(p.chosen!)));
 * assert.equal(wf.oosTrades.length, wf.periods.reduce((a, p) => a + p.test_trade_count, 0));
 * ```
 */
export async function optimizeWalkForward(
  store: ChainStore,
  config: StrategyConfig,
  options: OptimizeOptions = {},
): Promise<WalkForwardResult> {
  const plan = planWalkForward(store, config, options);
  const ivPct = sharedIvTable(store, plan.base.ivHistoryDays);
  const outcomes = await runWalkForwardWork(store, plan, allWork(plan), { ...options, ivPct });
  return assembleWalkForward(plan, assemblyContext(store, plan, ivPct), outcomes);
}
