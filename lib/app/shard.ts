/**
 * `optimize --shard I/N` as a library function: one shard of a walk-forward loads what its work
 * needs, runs it on a pool of Web Workers and returns (and, given an output folder, writes) its
 * partial result, shard.json and outcomes.json (shard_files.ts).
 *
 * The chain files' days (from their names, or their Parquet date column alone) give the plan and
 * the shard's work before any load. A shard with full-data runs loads the whole span and checks
 * that the loaded calendar gives the same plan and split; a shard of periods only loads the
 * window of its periods, with the history every grid combination needs before it, and checks
 * that the loaded days there are the scanned ones. Without a scan (or with
 * {@link FULL_LOAD_VARIABLE}=1), every shard loads the whole span.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { scanChainDays } from "../data/chain_days.ts";
import { TRADING_DAYS_PER_YEAR } from "../data/conventions.ts";
import { dayToIso } from "../data/dates.ts";
import { fileSize } from "../data/file_size.ts";
import { configToToml, type StrategyConfig } from "../strategy/config.ts";
import { assemblyContext } from "../walkforward/assemble.ts";
import type { WalkForwardOutcomes } from "../walkforward/outcomes.ts";
import { PARTIAL_FORMAT, PARTIAL_FORMAT_VERSION } from "../walkforward/partial.ts";
import {
  planWalkForward,
  type WalkForwardPlan,
  type WalkForwardWork,
} from "../walkforward/plan.ts";
import { runWalkForwardWork, sharedIvTable } from "../walkforward/run.ts";
import { applyCombination } from "../walkforward/settings.ts";
import { ShardError, type ShardSpec, shardWork } from "../walkforward/shard.ts";
import type { Window } from "../walkforward/periods.ts";
import { qualityReport } from "../output/data_quality.ts";
import { TOOL_VERSION } from "../output/run_outputs.ts";
import { type OutputFile, sha256File, sha256Text, writeRunFiles } from "../output/write_run.ts";
import { configWithOverrides } from "./config.ts";
import { historyDays, loadConfigData } from "./load.ts";
import type { WorkerRunOptions } from "./options.ts";
import { shardFolderFiles, type ShardHeader } from "./shard_files.ts";

/** Environment variable that makes every shard load the run's whole span (no calendar scan). */
export const FULL_LOAD_VARIABLE = "MAHLER_SHARD_FULL_LOAD";

/** Options of {@link runShard}. */
export interface ShardRunOptions extends WorkerRunOptions {
  /** Which shard of how many. */
  shard: ShardSpec;
  /**
   * Load the run's whole span without scanning the chain files' days first (default: whether
   * the environment sets {@link FULL_LOAD_VARIABLE} to 1).
   */
  fullLoad?: boolean;
}

/** A shard's run: its partial result and what it did. */
export interface ShardRun {
  /** The header written to shard.json. */
  header: ShardHeader;
  /** shard.json and outcomes.json (written when `out` was given). */
  files: OutputFile[];
  /** The plan the shard ran (its periods re-indexed into the loaded store). */
  plan: WalkForwardPlan;
  /** The plan the split was made on (the scanned or loaded calendar's). */
  splitPlan: WalkForwardPlan;
  /** The shard's work. */
  work: WalkForwardWork;
  /** The window loaded (ISO, history before it aside), or null for the run's whole span. */
  loaded: { from: string; to: string } | null;
  /** Bytes of the chain files whose days overlap what was loaded, plus bars and VIX. */
  inputBytes: number;
  /** Worker count used. */
  workers: number;
  /** Seconds spent loading (`load`) and simulating (`optimize`). */
  timings: { load: number; optimize: number };
}

/**
 * A configuration whose IV-percentile history and VIX-rank lookback are the longest any grid
 * combination uses, so that a window's load brings the history every combination needs.
 */
function historyConfig(plan: WalkForwardPlan): StrategyConfig {
  const config = structuredClone(plan.config);
  // The VIX rank's look-back defaults to a trading year, as the simulation parameters set it.
  const lookback = (n?: number) => n ?? TRADING_DAYS_PER_YEAR;
  for (let c = 0; c < plan.combinations; c++) {
    const combo = applyCombination(plan.config, plan.settings, c);
    config.entry.iv_history_days = Math.max(
      config.entry.iv_history_days,
      combo.entry.iv_history_days,
    );
    const sizing = combo.position_sizing;
    if (sizing.sizing === "vix_rank") {
      config.position_sizing.sizing = "vix_rank";
      config.position_sizing.vix_rank_lookback = Math.max(
        lookback(config.position_sizing.vix_rank_lookback),
        lookback(sizing.vix_rank_lookback),
      );
    }
  }
  return config;
}

/** A plan with its calendar. */
interface CalendarPlan {
  plan: WalkForwardPlan;
  calendar: Int32Array;
}

/**
 * Same periods (their days, and the trading days in each window), span length and split into N
 * shards, whatever calendar indexes the two calendars give them.
 */
function samePlan(a: CalendarPlan, b: CalendarPlan, count: number): boolean {
  const key = ({ plan, calendar }: CalendarPlan) => {
    const w = (x: Window) => [
      x.start,
      x.end,
      calendar[x.fromIndex],
      calendar[x.toIndex],
      x.toIndex - x.fromIndex,
    ];
    const split = Array.from({ length: count }, (_, index) => shardWork(plan, { index, count }));
    return JSON.stringify([
      plan.periods.map((p) => [w(p.train), w(p.validate), w(p.test)]),
      plan.dropped,
      calendar[plan.span.fromIndex],
      calendar[plan.span.toIndex],
      plan.span.toIndex - plan.span.fromIndex,
      split,
    ]);
  };
  return key(a) === key(b);
}

/** A shard's store (null without work), its plan and work, and what it read. */
interface ShardData {
  store: ChainStore | null;
  files: string[];
  plan: WalkForwardPlan;
  splitPlan: WalkForwardPlan;
  work: WalkForwardWork;
  loaded: { from: string; to: string } | null;
  inputBytes: number;
}

/** What a shard needs to load, given its configuration. */
interface ShardLoad {
  config: StrategyConfig;
  options: ShardRunOptions;
  window: { from?: string; to?: string };
}

/** Bytes of files. */
function bytesOf(files: string[]): number {
  return files.reduce((a, f) => a + fileSize(f), 0);
}

/** Loads the window of a shard's periods only (see the module doc). */
async function loadPeriodsWindow(
  { options }: ShardLoad,
  scan: NonNullable<ReturnType<typeof scanChainDays>>,
  plan0: WalkForwardPlan,
  work: WalkForwardWork,
): Promise<ShardData> {
  const { shard } = options;
  const mine = work.periods.map((i) => plan0.periods[i]);
  const fromIndex = Math.min(...mine.map((p) => p.train.fromIndex));
  const toIndex = Math.max(...mine.map((p) => p.test.toIndex));
  const loaded = { from: dayToIso(scan.days[fromIndex]), to: dayToIso(scan.days[toIndex]) };
  const loadConfig = historyConfig(plan0);
  const history = historyDays(loadConfig);
  // When the history reaches back past the data's first day, everything before the window is
  // history: load from that first day (the loader would otherwise keep reaching back).
  const loadFrom = fromIndex < history ? dayToIso(scan.days[0]) : loaded.from;
  const data = await loadConfigData(options.dataPath, {
    config: loadConfig,
    shared: true,
    from: loadFrom,
    to: loaded.to,
    onProgress: options.onLoadProgress,
  });
  options.onLoaded?.(data);
  const { store, files } = data;
  // The loaded days of the window must be the scanned ones, for the same windows.
  const first = store.dayIndex(scan.days[fromIndex]);
  const last = store.dayIndex(scan.days[toIndex]);
  const same = first >= 0 && last - first === toIndex - fromIndex &&
    store.calendar.subarray(first, last + 1).every((d, k) => d === scan.days[fromIndex + k]);
  if (!same) {
    throw new ShardError(
      `Shard ${shard.index}/${shard.count}: the trading days loaded between ${loaded.from} ` +
        `and ${loaded.to} differ from the chain files' dates, so this shard cannot plan ` +
        `before loading; run every shard with ${FULL_LOAD_VARIABLE}=1`,
    );
  }
  const reindex = (w: Window): Window => ({
    ...w,
    fromIndex: store.dayIndex(scan.days[w.fromIndex]),
    toIndex: store.dayIndex(scan.days[w.toIndex]),
  });
  // Only this shard's periods are re-indexed into the loaded store; no other is run here.
  const periods = plan0.periods.map((p) =>
    work.periods.includes(p.index)
      ? { ...p, train: reindex(p.train), validate: reindex(p.validate), test: reindex(p.test) }
      : p
  );
  const plan = { ...plan0, periods, span: { fromIndex: first, toIndex: last } };
  const lo = store.calendar[0];
  const hi = store.calendar[store.nDays - 1];
  const chainBytes = scan.files
    .filter((f) => f.last >= lo && f.first <= hi)
    .reduce((a, f) => a + f.bytes, 0);
  const chainFiles = new Set(scan.files.map((f) => f.file));
  return {
    store,
    files,
    plan,
    splitPlan: plan0,
    work,
    loaded,
    inputBytes: chainBytes + bytesOf(files.filter((f) => !chainFiles.has(f))),
  };
}

/** Loads what a shard needs (see the module doc). */
async function shardData(load: ShardLoad): Promise<ShardData> {
  const { config, options, window } = load;
  const { shard, dataPath } = options;
  const columns = config.data && Object.keys(config.data.columns).length
    ? config.data.columns
    : undefined;
  const fullLoad = options.fullLoad ?? Deno.env.get(FULL_LOAD_VARIABLE) === "1";
  const scan = fullLoad ? null : scanChainDays(dataPath, { columns });
  if (scan) {
    const plan0 = planWalkForward(scan.days, config, window);
    const work = shardWork(plan0, shard);
    if (work.fullRuns.length === 0) {
      if (work.periods.length === 0) {
        return {
          store: null,
          files: [],
          plan: plan0,
          splitPlan: plan0,
          work,
          loaded: null,
          inputBytes: 0,
        };
      }
      return await loadPeriodsWindow(load, scan, plan0, work);
    }
  }
  const data = await loadConfigData(dataPath, {
    config,
    shared: true,
    ...window,
    onProgress: options.onLoadProgress,
  });
  options.onLoaded?.(data);
  const { store, files } = data;
  const plan = planWalkForward(store, config, window);
  if (
    scan &&
    !samePlan(
      { plan, calendar: store.calendar },
      { plan: planWalkForward(scan.days, config, window), calendar: scan.days },
      shard.count,
    )
  ) {
    throw new ShardError(
      `Shard ${shard.index}/${shard.count}: the loaded trading calendar gives other periods than ` +
        `the chain files' dates (which the shards without full-data runs plan on); run every ` +
        `shard with ${FULL_LOAD_VARIABLE}=1`,
    );
  }
  return {
    store,
    files,
    plan,
    splitPlan: plan,
    work: shardWork(plan, shard),
    loaded: null,
    inputBytes: bytesOf(files),
  };
}

/**
 * `optimize --shard I/N`: loads what the shard needs, runs its work and returns its partial
 * result (shard.json, outcomes.json); with `out`, writes the shard folder. The merge
 * (mergeShards) of all N shards gives exactly the files of a single optimize.
 *
 * @param options the shard, configuration, data, window, overrides, workers, output folder
 * @returns the header and files, the plan and work, what was loaded, and timings
 * @throws ConfigError, DataError or ShardError naming what was wrong
 */
export async function runShard(options: ShardRunOptions): Promise<ShardRun> {
  const window = { from: options.from, to: options.to };
  // A bad [walk_forward] (or override) fails before any data is loaded.
  const { config, overrides } = configWithOverrides(options.configPath, options.overrides, true);
  const workers = options.workers ?? navigator.hardwareConcurrency ?? 1;
  const t0 = performance.now();
  const data = await shardData({ config, options, window });
  const load = Math.round(performance.now() - t0) / 1000;
  const t1 = performance.now();
  const { store, plan, work } = data;
  let outcomes: WalkForwardOutcomes = { periods: [], fullRuns: [] };
  let ivPct: Float64Array | undefined;
  if (store) {
    ivPct = sharedIvTable(store, plan.base.ivHistoryDays);
    outcomes = await runWalkForwardWork(store, plan, work, {
      workers,
      ivPct,
      onProgress: options.onProgress,
      workerUrl: options.workerUrl,
    });
  }
  // The whole-data context goes with the full-data run of combination 0 (the first shard).
  const holdsContext = work.fullRuns.includes(0);
  const payload = {
    periods: outcomes.periods,
    full_runs: outcomes.fullRuns,
    context: holdsContext ? assemblyContext(store!, plan, ivPct) : null,
    quality: holdsContext ? qualityReport(store!) : null,
  };
  const optimize = Math.round(performance.now() - t1) / 1000;
  const { header, files } = shardFolderFiles({
    format: PARTIAL_FORMAT,
    format_version: PARTIAL_FORMAT_VERSION,
    tool: "mahler",
    version: TOOL_VERSION,
    shard: options.shard,
    config_sha256: sha256Text(configToToml(config)),
    config,
    overrides,
    config_file: { path: options.configPath, sha256: sha256File(options.configPath) },
    window: { from: window.from ?? null, to: window.to ?? null },
    inputs: data.files.map((path) => ({ path, sha256: sha256File(path) })),
    loaded: data.loaded,
    work: { periods: work.periods, full_runs: work.fullRuns },
    context: holdsContext,
    input_bytes: data.inputBytes,
    timings_seconds: { load, optimize },
  }, payload);
  if (options.out) writeRunFiles(options.out.dir, files, { replace: options.out.replace });
  return {
    header,
    files,
    plan,
    splitPlan: data.splitPlan,
    work,
    loaded: data.loaded,
    inputBytes: data.inputBytes,
    workers,
    timings: { load, optimize },
  };
}
