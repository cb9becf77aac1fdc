/**
 * A walk-forward's efficiency and verdict as polars frames, for notebooks: the WFE of every
 * period, and every guard's value against its threshold with the verdict.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { WalkForwardResult } from "../walkforward/optimizer.ts";

/**
 * Walk-forward efficiency per period: test Sharpe over the chosen combination's training
 * Sharpe (see lib/walkforward/efficiency.ts).
 *
 * @param result a walk-forward
 * @returns a frame: period, test_start (Date), train_sharpe, test_sharpe, wfe (null where
 *   undefined), wfe_undefined (why: train_sharpe_not_positive or no_test_sharpe), test_trades
 *
 * @example One row per period; the defined WFEs average to the walk-forward's
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { walkForwardEfficiencyFrame } from "./walk_forward_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const wf = await optimizeWalkForward(store, loadConfig("config/test_config.toml"), { workers: 1 });
 * const frame = walkForwardEfficiencyFrame(wf);
 * assert.equal(frame.height, wf.periods.length);
 * const wfe = frame.getColumn("wfe").toArray().filter((x) => x !== null) as number[];
 * assert.equal(wfe.length, wf.efficiency.wfe_defined);
 * if (wfe.length) {
 *   assert.ok(Math.abs(wfe.reduce((a, b) => a + b, 0) / wfe.length - wf.efficiency.wfe_mean!) < 1e-12);
 * }
 * ```
 */
export function walkForwardEfficiencyFrame(result: WalkForwardResult): pl.DataFrame {
  const rows = result.efficiency.periods;
  return pl.DataFrame([
    pl.Series("period", rows.map((p) => p.period), pl.Int32),
    pl.Series("test_start", result.periods.map((p) => p.period.test.start)).cast(pl.Date),
    pl.Series("train_sharpe", rows.map((p) => p.train_sharpe), pl.Float64),
    pl.Series("test_sharpe", rows.map((p) => p.test_sharpe), pl.Float64),
    pl.Series("wfe", rows.map((p) => p.wfe), pl.Float64),
    pl.Series("wfe_undefined", rows.map((p) => p.wfe_undefined), pl.Utf8),
    pl.Series("test_trades", rows.map((p) => p.test_trades), pl.Int32),
  ]);
}

/**
 * The guards against their thresholds, and the verdict.
 *
 * @param result a walk-forward
 * @returns a frame, one row per guard (wfe, mean_oos_sharpe, trades_per_window, win_rate,
 *   max_drawdown) then a row `verdict`: guard, value (null where undefined), rule (">", ">=",
 *   "<"), threshold, passed; the verdict row's passed is true for "pass"
 *
 * @example The verdict row agrees with the guards
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { verdictFrame } from "./walk_forward_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-06-28", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const wf = await optimizeWalkForward(store, loadConfig("config/test_config.toml"), { workers: 1 });
 * const frame = verdictFrame(wf);
 * assert.deepEqual(frame.getColumn("guard").toArray(),
 *   ["wfe", "mean_oos_sharpe", "trades_per_window", "win_rate", "max_drawdown", "verdict"]);
 * const passed = frame.getColumn("passed").toArray();
 * assert.equal(passed[5], passed.slice(0, 5).every(Boolean));
 * assert.equal(passed[5], wf.verdict.verdict === "pass");
 * ```
 */
export function verdictFrame(result: WalkForwardResult): pl.DataFrame {
  const v = result.verdict;
  const guards = v.guards;
  return pl.DataFrame([
    pl.Series("guard", [...guards.map((g) => g.guard), "verdict"], pl.Utf8),
    pl.Series("value", [...guards.map((g) => g.value), null], pl.Float64),
    pl.Series("rule", [...guards.map((g) => g.rule), "all pass"], pl.Utf8),
    pl.Series("threshold", [...guards.map((g) => g.threshold), null], pl.Float64),
    pl.Series("passed", [...guards.map((g) => g.passed), v.verdict === "pass"], pl.Bool),
  ]);
}
