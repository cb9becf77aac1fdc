/**
 * A walk-forward's results as polars frames for notebooks: one row per period (its windows, the
 * selection or its absence, the chosen values, the three Sharpe ratios and trade counts), one
 * row per grid combination (how often and how well it traded in training), the parameter
 * stability with readable distributions, the PBO logits, and the grid's mean training Sharpe by
 * two of its keys (the data of a heat map), the walk-forward efficiency (WFE) of every period,
 * and every guard's value against its threshold with the verdict.
 *
 * Grid values that are lists, such as a DTE range [30, 45], are shown as text ("30-45").
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ChainStore } from "../data/chain_store.ts";
import type { WalkForwardResult } from "../walkforward/assemble.ts";
import { optimizeWalkForward } from "../walkforward/optimizer.ts";
import { combinationValues } from "../walkforward/settings.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { walkForwardJson, walkForwardMetrics } from "./walk_forward.ts";
import { sha256Text } from "./write_run.ts";

/** The frames of {@link walkForwardFrames}. */
export interface WalkForwardFrames {
  /**
   * One row per period: period, train_start, validate_start, test_start, test_end (dates),
   * selection ("chosen" or "no selection"), combination (null without a selection), the chosen
   * value of each grid key (null without a selection), train_sharpe, train_trades,
   * validate_sharpe, validate_trades, test_sharpe (null when the test window has none),
   * test_trades.
   */
  periods: pl.DataFrame;
  /**
   * One row per combination: combination, the value of each grid key, trained_periods (training
   * windows in which it traded), mean_train_sharpe (over those windows; null when it never
   * traded in training), full_trades (trades over the whole data).
   */
  grid: pl.DataFrame;
  /**
   * One row per grid key: parameter, changes (between consecutive selections), change_rate,
   * mode (the value chosen most often), distribution (each chosen value with its count, most
   * chosen first, e.g. "0.18 ×46, 0.15 ×6").
   */
  stability: pl.DataFrame;
  /** The PBO logits λ, one row per split (empty without a PBO). */
  logits: pl.DataFrame;
}

/**
 * A grid value as a number, or as text when it is a list ([30, 45] → "30-45") or other.
 *
 * @param value a grid value (or its JSON text, as parameter stability keys it)
 * @returns the number, or the text
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridValue } from "./walk_forward_frames.ts";
 * assert.equal(gridValue(0.15), 0.15);
 * assert.equal(gridValue([30, 45]), "30-45");
 * assert.equal(gridValue("[30,45]"), "30-45");
 * assert.equal(gridValue("0.18"), 0.18);
 * ```
 */
export function gridValue(value: unknown): number | string {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    try {
      return gridValue(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v) => String(gridValue(v))).join("-");
  return String(value);
}

/** A column of grid values: Float64 when every value is a number, else text. */
function valueSeries(name: string, values: Array<number | string | null>): pl.Series {
  return values.every((v) => v === null || typeof v === "number")
    ? pl.Series(name, values, pl.Float64)
    : pl.Series(name, values.map((v) => (v === null ? null : String(v))), pl.Utf8);
}

/** A Date series from ISO strings. */
function isoDates(name: string, values: string[]): pl.Series {
  return pl.Series(name, values, pl.Utf8).str.strptime(pl.Date, "%Y-%m-%d");
}

/**
 * Every frame of a walk-forward's results (see {@link WalkForwardFrames}).
 *
 * @param wf the walk-forward (optimizeWalkForward's result)
 * @returns periods, grid, stability and logits frames
 *
 * @example Periods without a selection have no chosen values and no test trades
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { walkForwardFrames } from "./walk_forward_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-05-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const wf = await optimizeWalkForward(store, loadConfig("config/test_config.toml"), { workers: 1 });
 * const f = walkForwardFrames(wf);
 * assert.equal(f.periods.height, wf.periods.length);
 * assert.equal(f.grid.height, wf.combinations);
 * for (const p of f.periods.toRecords()) {
 *   if (p.selection === "no selection") assert.ok(p.combination === null && p.test_trades === 0);
 * }
 * const trades = f.grid.getColumn("full_trades").toArray() as number[];
 * assert.deepEqual(trades, wf.fullRuns.trades);
 * ```
 */
export function walkForwardFrames(wf: WalkForwardResult): WalkForwardFrames {
  const keys = wf.settings.grid.map((g) => g.key);
  const ps = wf.periods;
  const periods = pl.DataFrame([
    pl.Series("period", Int32Array.from(ps, (p) => p.period.index)),
    isoDates("train_start", ps.map((p) => p.period.train.start)),
    isoDates("validate_start", ps.map((p) => p.period.validate.start)),
    isoDates("test_start", ps.map((p) => p.period.test.start)),
    isoDates("test_end", ps.map((p) => p.period.test.end)),
    pl.Series("selection", ps.map((p) => (p.chosen ? "chosen" : "no selection")), pl.Utf8),
    pl.Series("combination", ps.map((p) => p.chosen?.combination ?? null), pl.Int32),
    ...keys.map((k) =>
      valueSeries(k, ps.map((p) => (p.chosenValues ? gridValue(p.chosenValues[k]) : null)))
    ),
    pl.Series("train_sharpe", ps.map((p) => p.chosen?.train_sharpe ?? null), pl.Float64),
    pl.Series("train_trades", Int32Array.from(ps, (p) => p.chosen?.train_trades ?? 0)),
    pl.Series("validate_sharpe", ps.map((p) => p.chosen?.validate_sharpe ?? null), pl.Float64),
    pl.Series("validate_trades", Int32Array.from(ps, (p) => p.chosen?.validate_trades ?? 0)),
    pl.Series("test_sharpe", ps.map((p) => p.test_sharpe), pl.Float64),
    pl.Series("test_trades", Int32Array.from(ps, (p) => p.test_trade_count)),
  ]);

  const nc = wf.combinations;
  const values = Array.from({ length: nc }, (_, c) => combinationValues(wf.settings, c));
  const trained = new Int32Array(nc);
  const sums = new Float64Array(nc);
  for (let p = 0; p < ps.length; p++) {
    for (let c = 0; c < nc; c++) {
      const s = wf.trainSharpe[p * nc + c];
      if (wf.trainTrades[p * nc + c] > 0 && !Number.isNaN(s)) {
        trained[c]++;
        sums[c] += s;
      }
    }
  }
  const grid = pl.DataFrame([
    pl.Series("combination", Int32Array.from({ length: nc }, (_, c) => c)),
    ...keys.map((k) => valueSeries(k, values.map((v) => gridValue(v[k])))),
    pl.Series("trained_periods", trained),
    pl.Series(
      "mean_train_sharpe",
      Array.from(sums, (s, c) => (trained[c] ? s / trained[c] : null)),
      pl.Float64,
    ),
    pl.Series("full_trades", Int32Array.from(wf.fullRuns.trades)),
  ]);

  const stabilityRows = keys.map((k) => {
    const s = wf.aggregate.parameter_stability[k];
    const counts = Object.entries(s?.distribution ?? {}).sort((a, b) => b[1] - a[1]);
    return {
      parameter: k,
      changes: s?.changes ?? 0,
      change_rate: s?.change_rate ?? null,
      mode: s?.mode === null || s === undefined ? null : String(gridValue(s.mode)),
      distribution: counts.map(([v, n]) => `${gridValue(v)} ×${n}`).join(", "),
    };
  });
  const stability = pl.DataFrame([
    pl.Series("parameter", stabilityRows.map((r) => r.parameter), pl.Utf8),
    pl.Series("changes", Int32Array.from(stabilityRows, (r) => r.changes)),
    pl.Series("change_rate", stabilityRows.map((r) => r.change_rate), pl.Float64),
    pl.Series("mode", stabilityRows.map((r) => r.mode), pl.Utf8),
    pl.Series("distribution", stabilityRows.map((r) => r.distribution), pl.Utf8),
  ]);

  const logits = pl.DataFrame([
    pl.Series("logit", Float64Array.from(wf.pbo?.logits ?? [], (x) => x)),
  ]);
  return { periods, grid, stability, logits };
}

/**
 * The grid's mean training Sharpe by two of its keys, averaged over the other keys and over the
 * periods: each cell is the mean of its combinations' mean training Sharpe, over the
 * combinations that traded in some training window; a cell none of whose combinations ever
 * traded has a null Sharpe (and `trading` 0), so it can be drawn as such rather than left blank.
 *
 * @param grid the grid frame of {@link walkForwardFrames}
 * @param rows the key down the rows, e.g. "short_delta"
 * @param columns the key across, e.g. "profit_target_pct"
 * @returns the two keys' values, mean_train_sharpe, combinations (in the cell), trading (those
 *   that traded in training), sorted by both keys
 *
 * @example A cell whose combinations never trade
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { gridHeatFrame } from "./walk_forward_frames.ts";
 * const grid = pl.DataFrame({ d: [0.1, 0.1, 0.2, 0.2], t: [0.5, 0.5, 0.5, 0.5],
 *   trained_periods: [3, 0, 0, 0], mean_train_sharpe: [1.5, null, null, null] });
 * const heat = gridHeatFrame(grid, "d", "t").toRecords();
 * assert.deepEqual(heat.map((r) => [r.d, r.mean_train_sharpe, r.combinations, r.trading]),
 *   [[0.1, 1.5, 2, 1], [0.2, null, 2, 0]]);
 * ```
 */
export function gridHeatFrame(grid: pl.DataFrame, rows: string, columns: string): pl.DataFrame {
  return grid.groupBy([rows, columns]).agg(
    pl.col("mean_train_sharpe").mean().alias("mean_train_sharpe"),
    pl.col("trained_periods").count().cast(pl.Int32).alias("combinations"),
    pl.col("trained_periods").gt(0).sum().cast(pl.Int32).alias("trading"),
  ).sort([rows, columns]);
}

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

/** One walk-forward of {@link workerRunsFrame}: how many workers ran it, and how long it took. */
export interface WorkerRun {
  /** Workers of the pool. */
  workers: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** The result. */
  result: WalkForwardResult;
}

/**
 * The same walk-forward run once per worker count, timed (wall clock), in the order given.
 *
 * @param store the chain
 * @param config the configuration
 * @param workerCounts the pool sizes, e.g. [1, 2]
 * @returns one run per count, for {@link workerRunsFrame}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData } from "../mod.ts";
 * import { walkForwardOnWorkers } from "./walk_forward_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-05-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const runs = await walkForwardOnWorkers(store, loadConfig("config/test_config.toml"), [1]);
 * assert.equal(runs[0].workers, 1);
 * assert.ok(runs[0].seconds > 0);
 * ```
 */
export async function walkForwardOnWorkers(
  store: ChainStore,
  config: StrategyConfig,
  workerCounts: number[],
): Promise<WorkerRun[]> {
  const runs: WorkerRun[] = [];
  for (const workers of workerCounts) {
    const t0 = performance.now();
    const result = await optimizeWalkForward(store, config, { workers });
    runs.push({ workers, seconds: (performance.now() - t0) / 1000, result });
  }
  return runs;
}

/**
 * The same walk-forward run on different worker counts, compared: each run's time and the
 * SHA-256 of everything it decided (walk-forward.json's content, the stitched run's metrics, and
 * every training Sharpe to the bit), and whether that digest equals the first run's.
 *
 * @param runs the runs, the reference first
 * @param calendar the store's calendar (for walk-forward.json's dates)
 * @param config the configuration they ran
 * @returns workers, seconds, digest (first 16 hex digits), identical (to the first run)
 *
 * @example Two runs of the same walk-forward are identical
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildChainStore, generateSample, loadConfig, loadMarketData,
 *   optimizeWalkForward } from "../mod.ts";
 * import { workerRunsFrame } from "./walk_forward_frames.ts";
 * const dir = await Deno.makeTempDir();
 * generateSample({ outDir: dir, start: "2024-01-02", end: "2024-05-31", seed: 3 });
 * const store = buildChainStore(loadMarketData(dir));
 * const config = loadConfig("config/test_config.toml");
 * const runs = [1, 2].map(async (workers) => ({ workers, seconds: 0,
 *   result: await optimizeWalkForward(store, config, { workers }) }));
 * const f = workerRunsFrame(await Promise.all(runs), store.calendar, config).toRecords();
 * assert.deepEqual(f.map((r) => r.identical), [true, true]);
 * ```
 */
export function workerRunsFrame(
  runs: WorkerRun[],
  calendar: Int32Array,
  config: StrategyConfig,
): pl.DataFrame {
  const digests = runs.map(({ result }) => {
    const json = walkForwardJson(result, calendar, walkForwardMetrics(result, config));
    const bits = new Uint8Array(
      result.trainSharpe.buffer,
      result.trainSharpe.byteOffset,
      result.trainSharpe.byteLength,
    );
    return sha256Text(JSON.stringify(json) + Array.from(bits, (b) => b.toString(16)).join(""));
  });
  return pl.DataFrame([
    pl.Series("workers", Int32Array.from(runs, (r) => r.workers)),
    pl.Series("seconds", Float64Array.from(runs, (r) => r.seconds)),
    pl.Series("digest", digests.map((d) => d.slice(0, 16)), pl.Utf8),
    pl.Series("identical", digests.map((d) => d === digests[0]), pl.Bool),
  ]);
}
