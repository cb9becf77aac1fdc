/**
 * The walk-forward optimizer. For every period: every grid combination is simulated on the
 * training window (each window starts flat with the starting equity); the top N by train Sharpe
 * (ties: lower combination index) are re-run on the validation window; the best validation
 * Sharpe (ties: lower combination index) is chosen and run on the test window. Only
 * combinations with a train Sharpe (they traded in the window) can be selected, and an undefined
 * validation Sharpe ranks last; a period in which no combination traded in training makes no
 * selection and takes no test trade (its test window is flat). The test windows, stitched in
 * order, form the out-of-sample run.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { dayToIso } from "../data/dates.ts";
import { type ReturnDiagnostics, returnDiagnostics } from "../stats/diagnostics.ts";
import { type PboResult, probabilityOfOverfitting } from "../stats/pbo.ts";
import { periodReturns } from "../stats/returns.ts";
import { firstEntryIndex, requireUnderlyings } from "../strategy/tradable.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { type EntryFunnel, funnelOf } from "../strategy/funnel.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import { type MarketRegimeTable, marketRegimeTable } from "../strategy/market_regime.ts";
import { diagnosticsOptions, paramsFromConfig, type SimParams } from "../strategy/params.ts";
import {
  checkGuards,
  type Verdict,
  type WalkForwardEfficiency,
  walkForwardEfficiency,
} from "./efficiency.ts";
import { requirePeriods } from "./guards.ts";
import type { Period } from "./periods.ts";
import { type TrialSet, trialSet } from "./trial_set.ts";
import { planPeriods } from "./windows.ts";
import { WorkerPool } from "./_pool.ts";
import {
  applyCombination,
  combinationCount,
  combinationValues,
  type WalkForwardSettings,
  walkForwardSettings,
} from "./settings.ts";
import {
  type AlphaDecay,
  alphaDecay,
  type ParameterStability,
  parameterStability,
} from "./stats.ts";
import type { TaskKind, WalkForwardTask, WalkForwardTaskResult } from "./_tasks.ts";

/** One ranked combination of a period. */
export interface RankedCombination {
  combination: number;
  train_sharpe: number | null;
  train_trades: number;
  validate_sharpe: number | null;
  validate_trades: number;
}

/** A period's outcome. */
export interface PeriodResult {
  period: Period;
  /**
   * The top N by train Sharpe among the combinations that traded in training, in rank order,
   * with their validation results (empty when none traded).
   */
  top: RankedCombination[];
  /** The chosen combination; null when no combination traded in training (no selection). */
  chosen: RankedCombination | null;
  /** Its grid values by key (null without a selection). */
  chosenValues: Record<string, unknown> | null;
  test_sharpe: number | null;
  test_trades: number;
  /** The test window's trades, in entry order. */
  testTrades: Trade[];
  /** The test window's daily state (flat at the starting equity without a selection). */
  testDaily: DailyState[];
  /** The test window's position-days with an incomplete pair of quotes. */
  testMissingQuotes: number;
  /** The test window's entry funnel. */
  testFunnel: EntryFunnel;
}

/** Everything the optimizer found. */
export interface WalkForwardResult {
  settings: WalkForwardSettings;
  combinations: number;
  periods: PeriodResult[];
  /** Train Sharpe and trades of every (period, combination), period-major. */
  trainSharpe: Float64Array;
  trainTrades: Int32Array;
  /** Validation Sharpe of (period, combination) for the top N, NaN elsewhere. */
  validateSharpe: Float64Array;
  validateTrades: Int32Array;
  /** Stitched out-of-sample trades (test windows in order). */
  oosTrades: Trade[];
  /** Stitched out-of-sample daily state (each window scaled to start where the last ended). */
  oosDaily: DailyState[];
  /**
   * First day (ISO) of the stitched run's tradable span: the first day of the first test window
   * with a selection (null when no period selected anything). Its metrics start there.
   */
  oosFrom: string | null;
  /** Position-days with an incomplete pair of quotes over the test windows. */
  oosMissingQuotes: number;
  /** The entry funnel summed over the test windows. */
  oosFunnel: EntryFunnel;
  /**
   * The trials behind PBO and the DSR: the combinations' full-data daily returns over the
   * tradable span, without never-trading combinations, identical ones merged.
   */
  trials: Omit<TrialSet, "matrix">;
  /** Each combination's trade count and entry funnel over the whole data. */
  fullRuns: { trades: number[]; funnels: EntryFunnel[] };
  /**
   * PBO by CSCV over the trial set's daily returns (null with fewer than two trials or fewer
   * days than blocks).
   */
  pbo: PboResult | null;
  /**
   * PSR/DSR (trials = the trial set's distinct trading combinations) and bootstrap intervals of
   * the stitched out-of-sample run over its tradable span, all of excess returns.
   */
  oosDiagnostics: ReturnDiagnostics;
  aggregate: {
    /** Mean and median test Sharpe over the periods with a defined one. */
    mean_oos_sharpe: number | null;
    median_oos_sharpe: number | null;
    /** Periods in which no combination traded in training: no selection, no test trade. */
    no_selection_periods: number;
    parameter_stability: Record<string, ParameterStability>;
    alpha_decay: AlphaDecay;
  };
  /** The latest period's chosen configuration (for params.toml). */
  latestConfig: StrategyConfig | null;
  /** Periods not formed: test window past the data's end, or a window without trading days. */
  dropped: { past_end: number; empty_window: number };
  /** Calendar indexes of the first and last day used (`from`/`to`, default all). */
  span: { fromIndex: number; toIndex: number };
  /** WFE per period and the figures the guards check. */
  efficiency: WalkForwardEfficiency;
  /** Pass or reject, by `[walk_forward.guards]`. */
  verdict: Verdict;
  /** The store's market regimes (for the out-of-sample metrics by regime). */
  marketRegimes: MarketRegimeTable;
}

/** Options of {@link optimizeWalkForward}. */
export interface OptimizeOptions {
  /** Worker count (default: the number of cores). */
  workers?: number;
  /** Called as simulations finish: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Worker script (tests inject a failing one). */
  workerUrl?: URL;
  /** First day to use, YYYY-MM-DD (default the data's first; earlier data serves as history). */
  from?: string;
  /** Last day to use, YYYY-MM-DD (default the data's last). */
  to?: string;
}

/** Descending by value with nulls last, ties by combination index. */
function byScore(values: (number | null)[], combos: number[]): number[] {
  return [...combos].sort((a, b) => {
    const va = values[a] ?? -Infinity;
    const vb = values[b] ?? -Infinity;
    return vb !== va ? vb - va : a - b;
  });
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Chains the test windows' daily states: each window's money amounts scaled so that it starts
 * where the previous one ended (heat, a ratio, is unchanged); drawdown and P&L are measured on
 * the stitched equity.
 */
function stitch(periods: PeriodResult[], startingEquity: number): DailyState[] {
  const out: DailyState[] = [];
  let base = startingEquity;
  let peak = startingEquity;
  let previous = startingEquity;
  for (const p of periods) {
    const scale = base / startingEquity;
    for (const e of p.testDaily) {
      const equity = e.equity * scale;
      if (equity > peak) peak = equity;
      out.push({
        ...e,
        equity,
        cash: e.cash * scale,
        openRisk: e.openRisk * scale,
        openValue: e.openValue * scale,
        drawdown: equity / peak - 1,
        dailyPnl: equity - previous,
        cumulativePnl: equity - startingEquity,
        netDelta: e.netDelta * scale,
        netGamma: e.netGamma * scale,
        netTheta: e.netTheta * scale,
        netVega: e.netVega * scale,
      });
      previous = equity;
    }
    if (p.testDaily.length) base = out[out.length - 1].equity;
  }
  return out;
}

/** The flat daily state of a window in which nothing is held (no selection). */
function flatDays(
  context: { calendar: Int32Array; vixClose: Float64Array },
  w: { fromIndex: number; toIndex: number },
  equity: number,
) {
  const days: DailyState[] = [];
  for (let d = w.fromIndex; d <= w.toIndex; d++) {
    days.push({
      day: context.calendar[d],
      equity,
      cash: equity,
      openRisk: 0,
      drawdown: 0,
      openValue: 0,
      openPositions: 0,
      heat: 0,
      dailyPnl: 0,
      cumulativePnl: 0,
      netDelta: 0,
      netGamma: 0,
      netTheta: 0,
      netVega: 0,
      vix: context.vixClose[d],
    });
  }
  return days;
}

/** Entry funnels summed stage by stage. */
function sumFunnels(funnels: EntryFunnel[]): EntryFunnel {
  const keys = Object.keys(funnelOf([])) as (keyof EntryFunnel)[];
  return funnelOf(keys.map((k) => funnels.reduce((a, f) => a + f[k], 0)));
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
 * assert.equal(wf.oosTrades.length, wf.periods.reduce((a, p) => a + p.test_trades, 0));
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

/**
 * What a walk-forward is made of, known before any simulation: the settings, every
 * combination's validated parameters, the span and the periods. It depends on the configuration
 * and the store's calendar only, so a shard and the merge derive the same plan.
 */
export interface WalkForwardPlan {
  config: StrategyConfig;
  settings: WalkForwardSettings;
  combinations: number;
  /** Every combination's simulation parameters, by combination index. */
  comboParams: SimParams[];
  /** The base configuration's parameters. */
  base: SimParams;
  /** The top N re-run on validation (at most the combination count). */
  topN: number;
  /** Calendar indexes of the first and last day used. */
  span: { fromIndex: number; toIndex: number };
  periods: Period[];
  dropped: { past_end: number; empty_window: number };
}

/** Calendar indexes of the days between `from` and `to` (ISO, inclusive). */
function spanOf(calendar: Int32Array, from?: string, to?: string) {
  let fromIndex = 0;
  let toIndex = calendar.length - 1;
  if (from) {
    while (fromIndex < calendar.length && dayToIso(calendar[fromIndex]) < from) fromIndex++;
  }
  if (to) { while (toIndex >= 0 && dayToIso(calendar[toIndex]) > to) toIndex--; }
  if (fromIndex > toIndex) {
    throw new RangeError(`No trading days between ${from ?? "start"} and ${to ?? "end"}`);
  }
  return { fromIndex, toIndex };
}

/**
 * Step (a) of the walk-forward: its plan, from the configuration and a calendar (a store's, or
 * one recorded by a shard).
 *
 * @param source the store, or its calendar
 * @param config base configuration with its `[walk_forward]` section
 * @param window first and last day to use (ISO)
 * @returns the plan
 * @throws ConfigError for a bad grid, an Error when no period fits the span
 */
export function planWalkForward(
  source: ChainStore | Int32Array,
  config: StrategyConfig,
  window: { from?: string; to?: string } = {},
): WalkForwardPlan {
  const settings = walkForwardSettings(config);
  const calendar = source instanceof Int32Array ? source : source.calendar;
  if (!(source instanceof Int32Array)) {
    requireUnderlyings(source, paramsFromConfig(config).underlyings);
  }
  const combinations = combinationCount(settings);
  // Every combination's parameters, validated once here: a bad grid fails before any worker
  // starts, and workers receive plain records.
  const comboParams = Array.from(
    { length: combinations },
    (_, c) => paramsFromConfig(applyCombination(config, settings, c)),
  );
  const span = spanOf(calendar, window.from, window.to);
  const plan = planPeriods(calendar, settings.windows, span);
  requirePeriods(calendar.subarray(span.fromIndex, span.toIndex + 1), settings, plan.periods, plan);
  return {
    config,
    settings,
    combinations,
    comboParams,
    base: paramsFromConfig(config),
    topN: Math.min(settings.topN, combinations),
    span,
    periods: plan.periods,
    dropped: { past_end: plan.pastEnd, empty_window: plan.emptyWindow },
  };
}

/** A part of a walk-forward: whole periods, and full-data runs by combination. */
export interface WalkForwardWork {
  /** Period indexes (train, validate and test of each). */
  periods: number[];
  /** Combinations whose full-data run (behind PBO and the DSR's trials) to do. */
  fullRuns: number[];
}

/** The whole of a plan's work. */
export function allWork(plan: WalkForwardPlan): WalkForwardWork {
  return {
    periods: plan.periods.map((p) => p.index),
    fullRuns: Array.from({ length: plan.combinations }, (_, c) => c),
  };
}

/** One window's simulation summary. */
export interface WindowOutcome {
  sharpe: number | null;
  trades: number;
}

/** What the simulations of one period gave. */
export interface PeriodOutcome {
  period: number;
  /** Train Sharpe and trades, by combination. */
  train: WindowOutcome[];
  /** The top N among the combinations that traded in training, in rank order. */
  top: number[];
  /** Their validation results, in the same order. */
  validate: WindowOutcome[];
  /** The chosen combination (-1: no selection). */
  chosen: number;
  /** The chosen combination's test run (null without a selection). */
  test:
    | (WindowOutcome & {
      trades_list: Trade[];
      daily: DailyState[];
      missingQuotes: number;
      funnel: EntryFunnel;
    })
    | null;
}

/** A combination's full-data run. */
export interface FullRunOutcome {
  combination: number;
  /** End-of-day equity over the span. */
  equityValues: Float64Array;
  trades: number;
  funnel: EntryFunnel;
}

/** The outcomes of some work (step b), in period and combination order. */
export interface WalkForwardOutcomes {
  periods: PeriodOutcome[];
  fullRuns: FullRunOutcome[];
}

/** The IV percentile table of a history length, on a SharedArrayBuffer for the workers. */
export function sharedIvTable(store: ChainStore, historyDays: number): Float64Array {
  const source = ivPercentileTable(store, historyDays);
  const table = new Float64Array(
    new SharedArrayBuffer(Math.max(source.byteLength, 8)),
    0,
    source.length,
  );
  table.set(source);
  return table;
}

/**
 * Step (b) of the walk-forward: runs some of a plan's work on a pool of Web Workers. Every
 * period's train, validate and test runs depend on that period alone, and a full-data run on its
 * combination alone, so any split of the work gives the same outcomes.
 *
 * @param store the chain (shared with the workers)
 * @param plan the plan (of this store's calendar)
 * @param work the periods and full-data runs to do
 * @param options workers, progress, worker script, and the base IV table if already built
 * @returns the outcomes, in period and combination order
 */
export async function runWalkForwardWork(
  store: ChainStore,
  plan: WalkForwardPlan,
  work: WalkForwardWork,
  options: OptimizeOptions & { ivPct?: Float64Array } = {},
): Promise<WalkForwardOutcomes> {
  const { combinations: nCombos, topN } = plan;
  const periods = [...work.periods].sort((a, b) => a - b).map((i) => {
    const p = plan.periods[i];
    if (!p) throw new RangeError(`No period ${i} in the plan (${plan.periods.length} periods)`);
    return p;
  });
  const fullCombos = [...work.fullRuns].sort((a, b) => a - b);
  for (const c of fullCombos) {
    if (!(c >= 0 && c < nCombos)) throw new RangeError(`No combination ${c} (${nCombos})`);
  }
  const ivPct = options.ivPct ?? sharedIvTable(store, plan.base.ivHistoryDays);
  const workers = options.workers ?? navigator.hardwareConcurrency ?? 1;
  // The total shrinks once the training runs show how many combinations each period can select.
  let total = periods.length * (nCombos + topN + 1) + fullCombos.length;
  let finishedBefore = 0;
  const progress = (done: number) => options.onProgress?.(finishedBefore + done, total);
  const task = (
    index: number,
    kind: Exclude<TaskKind, "full">,
    p: Period,
    combination: number,
  ): WalkForwardTask => {
    const w = p[kind];
    return {
      index,
      kind,
      period: p.index,
      combination,
      fromIndex: w.fromIndex,
      toIndex: w.toIndex,
      detail: kind === "test",
    };
  };
  const pool = new WorkerPool(
    {
      store: store.portable(),
      params: plan.comboParams,
      ivHistoryDays: plan.base.ivHistoryDays,
      ivPct,
    },
    { workers, workerUrl: options.workerUrl },
  );
  let full: WalkForwardTaskResult[];
  let train: WalkForwardTaskResult[];
  let validate: WalkForwardTaskResult[];
  let test: WalkForwardTaskResult[];
  const tops: number[][] = [];
  const chosen: number[] = [];
  const validateStart: number[] = [];
  const testIndex: number[] = [];
  try {
    // Phase 1: the full-data runs (the return matrix behind PBO and the trial variance behind
    // the out-of-sample DSR), then every combination on every training window. Neither depends
    // on the other; the long full-data runs go first so that the short training runs fill in
    // behind them.
    const fullTasks: WalkForwardTask[] = fullCombos.map((c, i) => ({
      index: i,
      kind: "full" as const,
      period: -1,
      combination: c,
      fromIndex: plan.span.fromIndex,
      toIndex: plan.span.toIndex,
      detail: false,
      values: true,
    }));
    const trainTasks: WalkForwardTask[] = [];
    for (const p of periods) {
      for (let c = 0; c < nCombos; c++) {
        trainTasks.push(task(fullTasks.length + trainTasks.length, "train", p, c));
      }
    }
    const first = await pool.run([...fullTasks, ...trainTasks], progress);
    full = first.slice(0, fullTasks.length);
    train = first.slice(fullTasks.length);
    finishedBefore += first.length;
    // Phase 2: the top N of each period on its validation window, among the combinations that
    // traded in training (a defined train Sharpe); none in a period means no selection.
    const validateTasks: WalkForwardTask[] = [];
    periods.forEach((p, k) => {
      const sharpe = Array.from({ length: nCombos }, (_, c) => train[k * nCombos + c].sharpe);
      const eligible = Array.from({ length: nCombos }, (_, c) => c).filter((c) =>
        sharpe[c] !== null
      );
      const top = byScore(sharpe, eligible).slice(0, topN);
      tops.push(top);
      validateStart.push(validateTasks.length);
      for (const c of top) validateTasks.push(task(validateTasks.length, "validate", p, c));
    });
    const selecting = tops.filter((top) => top.length > 0).length;
    total = finishedBefore + validateTasks.length + selecting;
    validate = await pool.run(validateTasks, progress);
    finishedBefore += validateTasks.length;
    // Phase 3: the best validation Sharpe of each period on its test window.
    const testTasks: WalkForwardTask[] = [];
    periods.forEach((p, k) => {
      const top = tops[k];
      if (top.length === 0) {
        chosen.push(-1);
        testIndex.push(-1);
        return;
      }
      const vs: (number | null)[] = [];
      top.forEach((c, r) => (vs[c] = validate[validateStart[k] + r].sharpe));
      const best = byScore(vs, top)[0];
      chosen.push(best);
      testIndex.push(testTasks.length);
      testTasks.push(task(testTasks.length, "test", p, best));
    });
    test = await pool.run(testTasks, progress);
  } finally {
    pool.close();
  }
  const outcome = (r: WalkForwardTaskResult): WindowOutcome => ({
    sharpe: r.sharpe,
    trades: r.trades,
  });
  return {
    periods: periods.map((p, k) => {
      const t = testIndex[k] < 0 ? null : test[testIndex[k]];
      return {
        period: p.index,
        train: train.slice(k * nCombos, (k + 1) * nCombos).map(outcome),
        top: tops[k],
        validate: tops[k].map((_, r) => outcome(validate[validateStart[k] + r])),
        chosen: chosen[k],
        test: t === null ? null : {
          ...outcome(t),
          trades_list: t.detail!.trades,
          daily: t.detail!.daily,
          missingQuotes: t.detail!.missingQuotes,
          funnel: t.detail!.funnel,
        },
      };
    }),
    fullRuns: full.map((r, i) => ({
      combination: fullCombos[i],
      equityValues: r.equityValues!,
      trades: r.trades,
      funnel: r.funnel!,
    })),
  };
}

/**
 * What the assembly needs of the store besides the outcomes: its calendar and VIX closes (for
 * the flat test windows of periods without a selection), the first day any combination could
 * enter (the trial set's tradable span), and the market regimes (metrics by regime).
 */
export interface AssemblyContext {
  calendar: Int32Array;
  vixClose: Float64Array;
  /** Calendar index of the first day any combination could enter in the span (-1: none). */
  tradableFrom: number;
  marketRegimes: MarketRegimeTable;
}

/**
 * The assembly context of a store.
 *
 * @param store the store the plan was made on
 * @param plan the plan
 * @param ivPct the base IV percentile table, if already built
 */
export function assemblyContext(
  store: ChainStore,
  plan: WalkForwardPlan,
  ivPct?: Float64Array,
): AssemblyContext {
  const baseIv = ivPct ?? ivPercentileTable(store, plan.base.ivHistoryDays);
  const tables = new Map<number, Float64Array>([[plan.base.ivHistoryDays, baseIv]]);
  let tradableFrom = -1;
  for (const p of plan.comboParams) {
    let table = tables.get(p.ivHistoryDays);
    if (!table) tables.set(p.ivHistoryDays, table = ivPercentileTable(store, p.ivHistoryDays));
    const d = firstEntryIndex(store, p, table, plan.span);
    if (d >= 0 && (tradableFrom < 0 || d < tradableFrom)) tradableFrom = d;
  }
  return {
    calendar: store.calendar,
    vixClose: store.data.vixClose,
    tradableFrom,
    marketRegimes: marketRegimeTable(store),
  };
}

/**
 * Step (c) of the walk-forward: the result from the outcomes of all its work, whether they were
 * computed in this process or read back from shards. The one code path from outcomes to result.
 *
 * @param plan the plan
 * @param context what the result needs of the store
 * @param outcomes every period's and every combination's outcomes (any order)
 * @returns the walk-forward result
 * @throws Error when a period or a full-data run is missing or given twice
 */
export function assembleWalkForward(
  plan: WalkForwardPlan,
  context: AssemblyContext,
  outcomes: WalkForwardOutcomes,
): WalkForwardResult {
  const { config, settings, combinations: nCombos, periods, span, base } = plan;
  const byPeriod: PeriodOutcome[] = new Array(periods.length);
  for (const o of outcomes.periods) {
    if (!(o.period >= 0 && o.period < periods.length)) {
      throw new Error(`Outcome of period ${o.period}, which the plan does not have`);
    }
    if (byPeriod[o.period]) throw new Error(`Period ${o.period} given twice`);
    byPeriod[o.period] = o;
  }
  const byCombo: FullRunOutcome[] = new Array(nCombos);
  for (const r of outcomes.fullRuns) {
    if (!(r.combination >= 0 && r.combination < nCombos)) {
      throw new Error(
        `Full-data run of combination ${r.combination}, which the grid does not have`,
      );
    }
    if (byCombo[r.combination]) throw new Error(`Full-data run ${r.combination} given twice`);
    byCombo[r.combination] = r;
  }
  for (let i = 0; i < periods.length; i++) {
    if (!byPeriod[i]) throw new Error(`Period ${i} is missing`);
  }
  for (let c = 0; c < nCombos; c++) {
    if (!byCombo[c]) throw new Error(`The full-data run of combination ${c} is missing`);
  }
  const trainSharpe = new Float64Array(periods.length * nCombos).fill(NaN);
  const trainTrades = new Int32Array(periods.length * nCombos);
  const validateSharpe = new Float64Array(periods.length * nCombos).fill(NaN);
  const validateTrades = new Int32Array(periods.length * nCombos).fill(-1);
  for (const o of byPeriod) {
    o.train.forEach((t, c) => {
      trainSharpe[o.period * nCombos + c] = t.sharpe ?? NaN;
      trainTrades[o.period * nCombos + c] = t.trades;
    });
  }
  const periodResults: PeriodResult[] = periods.map((p) => {
    const o = byPeriod[p.index];
    const top: RankedCombination[] = o.top.map((c, r) => {
      const v = o.validate[r];
      validateSharpe[p.index * nCombos + c] = v.sharpe ?? NaN;
      validateTrades[p.index * nCombos + c] = v.trades;
      return {
        combination: c,
        train_sharpe: o.train[c].sharpe,
        train_trades: o.train[c].trades,
        validate_sharpe: v.sharpe,
        validate_trades: v.trades,
      };
    });
    if (o.test === null) {
      return {
        period: p,
        top,
        chosen: null,
        chosenValues: null,
        test_sharpe: null,
        test_trades: 0,
        testTrades: [],
        testDaily: flatDays(context, p.test, base.startingEquity),
        testMissingQuotes: 0,
        testFunnel: funnelOf([]),
      };
    }
    const t = o.test;
    return {
      period: p,
      top,
      chosen: top.find((x) => x.combination === o.chosen)!,
      chosenValues: combinationValues(settings, o.chosen),
      test_sharpe: t.sharpe,
      test_trades: t.trades,
      testTrades: t.trades_list,
      testDaily: t.daily,
      testMissingQuotes: t.missingQuotes,
      testFunnel: t.funnel,
    };
  });
  const full = byCombo;
  const oosTrades = periodResults.flatMap((p) => p.testTrades);
  const oosDaily = stitch(periodResults, base.startingEquity);
  const firstSelected = periodResults.find((p) => p.chosen !== null);
  const oosFromDay = firstSelected ? context.calendar[firstSelected.period.test.fromIndex] : null;
  const oosSpan = oosFromDay === null ? [] : oosDaily.filter((e) => e.day >= oosFromDay);
  const oosBase = oosDaily.length > oosSpan.length && oosDaily.length > 0
    ? oosDaily[oosDaily.length - oosSpan.length - 1].equity
    : base.startingEquity;
  const testSharpes = periodResults.map((p) => p.test_sharpe);
  const defined = testSharpes.filter((s): s is number => s !== null);
  const xs: number[] = [];
  const ys: number[] = [];
  testSharpes.forEach((s, i) => {
    if (s !== null) {
      xs.push(i);
      ys.push(s);
    }
  });
  // PBO and the DSR's trials: the combinations' full-data daily returns over the tradable span
  // (from the first day any combination could enter), never-trading ones left out, identical
  // ones merged. PBO ranks the trials against each other: undefined with fewer than two. The
  // full-data runs cover the walk-forward's span; the trial set's indexes are relative to it.
  const tradableFrom = context.tradableFrom;
  const trials = trialSet(full.map((r) => r.equityValues), full.map((r) => r.trades), {
    startingEquity: base.startingEquity,
    fromIndex: tradableFrom < 0 ? span.toIndex + 1 - span.fromIndex : tradableFrom - span.fromIndex,
    riskFreeRate: base.riskFreeRate,
  });
  const { matrix: trialMatrix, ...spanInfo } = trials;
  const trialInfo = { ...spanInfo, from_index: spanInfo.from_index + span.fromIndex };
  const pbo = trials.kept.length >= 2 && trials.days >= config.diagnostics.pbo_blocks
    ? probabilityOfOverfitting(
      trialMatrix,
      trials.days,
      trials.kept.length,
      config.diagnostics.pbo_blocks,
    )
    : null;
  const lastSelected = periodResults.findLast((p) => p.chosen !== null);
  const latest = lastSelected ? lastSelected.chosen!.combination : -1;
  const result: Omit<WalkForwardResult, "efficiency" | "verdict"> = {
    settings,
    combinations: nCombos,
    periods: periodResults,
    trainSharpe,
    trainTrades,
    validateSharpe,
    validateTrades,
    oosTrades,
    oosDaily,
    oosFrom: oosFromDay === null ? null : dayToIso(oosFromDay),
    oosMissingQuotes: periodResults.reduce((a, p) => a + p.testMissingQuotes, 0),
    oosFunnel: sumFunnels(periodResults.map((p) => p.testFunnel)),
    trials: trialInfo,
    fullRuns: { trades: full.map((r) => r.trades), funnels: full.map((r) => r.funnel) },
    pbo,
    oosDiagnostics: returnDiagnostics(
      periodReturns(oosSpan.map((e) => e.equity), oosBase),
      diagnosticsOptions(config, Math.max(1, trials.kept.length), trials.sharpe_variance),
    ),
    aggregate: {
      mean_oos_sharpe: defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : null,
      median_oos_sharpe: median(defined),
      no_selection_periods: periodResults.filter((p) => p.chosen === null).length,
      parameter_stability: parameterStability(
        periodResults.flatMap((p) => (p.chosenValues ? [p.chosenValues] : [])),
        settings.grid.map((g) => g.key),
      ),
      alpha_decay: alphaDecay(xs, ys),
    },
    latestConfig: latest >= 0 ? applyCombination(config, settings, latest) : null,
    dropped: plan.dropped,
    span,
    marketRegimes: context.marketRegimes,
  };
  const efficiency = walkForwardEfficiency(result, base.startingEquity);
  return { ...result, efficiency, verdict: checkGuards(efficiency, settings.guards) };
}
