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
import cliProgress from "cli-progress";
import {
  applyCombination,
  assembleWalkForward,
  type AssemblyContext,
  assemblyContext,
  type ChainStore,
  configToToml,
  type DataQualityReport,
  dayToIso,
  decodePartial,
  encodePartial,
  type FullRunOutcome,
  PARTIAL_FORMAT,
  PARTIAL_FORMAT_VERSION,
  type PeriodOutcome,
  planWalkForward,
  qualityReport,
  runWalkForwardWork,
  scanChainDays,
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
  type WalkForwardOutcomes,
  type WalkForwardPlan,
  type WalkForwardResult,
  type WalkForwardWork,
  writeRunFiles,
} from "../lib/core.ts";
import { historyDays, loadStoreForCommand } from "./load.ts";

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
  /** The window this shard loaded (its periods'), or null for the run's whole span. */
  loaded: { from: string; to: string } | null;
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

/** What a shard run needs. */
export interface ShardRun {
  shard: ShardSpec;
  config: StrategyConfig;
  overrides: unknown;
  configPath: string;
  dataPath: string;
  window: { from?: string; to?: string };
  workers: number;
  output: { out: string; force: boolean };
}

/** Environment variable that makes every shard load the run's whole span (no calendar scan). */
export const FULL_LOAD_VARIABLE = "MAHLER_SHARD_FULL_LOAD";

/** Index of a day in an ascending calendar, or -1. */
function indexOfDay(calendar: Int32Array, day: number): number {
  let lo = 0;
  let hi = calendar.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (calendar[mid] === day) return mid;
    if (calendar[mid] < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A configuration whose IV-percentile history and VIX-rank lookback are the longest any grid
 * combination uses, so that a window's load brings the history every combination needs.
 */
function historyConfig(plan: WalkForwardPlan): StrategyConfig {
  const config = structuredClone(plan.config);
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
        config.position_sizing.vix_rank_lookback ?? 252,
        sizing.vix_rank_lookback ?? 252,
      );
    }
  }
  return config;
}

/**
 * Same periods (their days, and the trading days in each window), span length and split into N
 * shards, whatever calendar indexes the two calendars give them.
 */
function samePlan(
  a: { plan: WalkForwardPlan; calendar: Int32Array },
  b: { plan: WalkForwardPlan; calendar: Int32Array },
  count: number,
): boolean {
  const key = ({ plan, calendar }: { plan: WalkForwardPlan; calendar: Int32Array }) => {
    const w = (x: { fromIndex: number; toIndex: number; start: string; end: string }) => [
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
  /** The plan the split was made on (the scanned or loaded calendar's). */
  splitPlan: WalkForwardPlan;
  work: WalkForwardWork;
  /** The window loaded (ISO, history before it aside), or null for the run's whole span. */
  loaded: { from: string; to: string } | null;
  /** Bytes of the chain files whose days overlap what was loaded, plus bars and VIX. */
  inputBytes: number;
}

/**
 * Loads what a shard needs. The chain files' days (from their names, or their Parquet date
 * column alone) give the plan and the shard's work before any load; a shard with full-data runs
 * loads the whole span (and checks that the loaded calendar gives the same plan and split), a
 * shard of periods only loads the window of its periods (with its IV-percentile history) and
 * checks that the loaded days there are the scanned ones. Without a scan (or with
 * MAHLER_SHARD_FULL_LOAD=1), every shard loads the whole span.
 */
async function shardData(run: ShardRun): Promise<ShardData> {
  const { config, shard, dataPath, window } = run;
  const columns = config.data && Object.keys(config.data.columns).length
    ? config.data.columns
    : undefined;
  const scan = Deno.env.get(FULL_LOAD_VARIABLE) === "1"
    ? null
    : scanChainDays(dataPath, { columns });
  const bytesOf = (files: string[]) => files.reduce((a, f) => a + statSync(f).size, 0);
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
      const mine = work.periods.map((i) => plan0.periods[i]);
      const fromIndex = Math.min(...mine.map((p) => p.train.fromIndex));
      const toIndex = Math.max(...mine.map((p) => p.test.toIndex));
      const loaded = { from: dayToIso(scan.days[fromIndex]), to: dayToIso(scan.days[toIndex]) };
      const loadConfig = historyConfig(plan0);
      const history = historyDays(loadConfig);
      // When the history reaches back past the data's first day, everything before the window
      // is history: load from that first day (the loader would otherwise keep reaching back).
      const loadFrom = fromIndex < history ? dayToIso(scan.days[0]) : loaded.from;
      const { store, files } = await loadStoreForCommand(dataPath, {
        config: loadConfig,
        shared: true,
        from: loadFrom,
        to: loaded.to,
      });
      // The loaded days of the window must be the scanned ones, for the same windows.
      const first = indexOfDay(store.calendar, scan.days[fromIndex]);
      const last = indexOfDay(store.calendar, scan.days[toIndex]);
      const same = first >= 0 && last - first === toIndex - fromIndex &&
        store.calendar.subarray(first, last + 1).every((d, k) => d === scan.days[fromIndex + k]);
      if (!same) {
        throw new ShardError(
          `Shard ${shard.index}/${shard.count}: the trading days loaded between ${loaded.from} ` +
            `and ${loaded.to} differ from the chain files' dates, so this shard cannot plan ` +
            `before loading; run every shard with ${FULL_LOAD_VARIABLE}=1`,
        );
      }
      const reindex = (w: { fromIndex: number; toIndex: number; start: string; end: string }) => ({
        ...w,
        fromIndex: indexOfDay(store.calendar, scan.days[w.fromIndex]),
        toIndex: indexOfDay(store.calendar, scan.days[w.toIndex]),
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
  }
  const { store, files } = await loadStoreForCommand(dataPath, { config, shared: true, ...window });
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
 * `optimize --shard`: loads what the shard needs, runs its work and writes its partial result
 * (shard.json, outcomes.json) into the output folder.
 */
export async function optimizeShard(run: ShardRun): Promise<void> {
  const t0 = performance.now();
  const data = await shardData(run);
  const loadSeconds = Math.round(performance.now() - t0) / 1000;
  const t1 = performance.now();
  const { store, plan, work } = data;
  const bar = new cliProgress.SingleBar({
    format: "Shard |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  let outcomes: WalkForwardOutcomes = { periods: [], fullRuns: [] };
  let ivPct: Float64Array | undefined;
  if (store) {
    ivPct = sharedIvTable(store, plan.base.ivHistoryDays);
    outcomes = await runWalkForwardWork(store, plan, work, {
      workers: run.workers,
      ivPct,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        if (total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done);
      },
    });
  }
  if (started) bar.stop();
  // The whole-data context goes with the full-data run of combination 0 (the first shard).
  const holdsContext = work.fullRuns.includes(0);
  const payload: ShardOutcomes = {
    periods: outcomes.periods,
    full_runs: outcomes.fullRuns,
    context: holdsContext ? assemblyContext(store!, plan, ivPct) : null,
    quality: holdsContext ? qualityReport(store!) : null,
  };
  const outcomesText = encodePartial(payload);
  const seconds = Math.round(performance.now() - t1) / 1000;
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
    inputs: data.files.map((path) => ({ path, sha256: sha256File(path) })),
    loaded: data.loaded,
    work: { periods: work.periods, full_runs: work.fullRuns },
    context: holdsContext,
    outcomes_sha256: sha256Text(outcomesText),
    input_bytes: data.inputBytes,
    timings_seconds: { load: loadSeconds, optimize: seconds },
  };
  writeRunFiles(run.output.out, [
    { name: "shard.json", text: JSON.stringify(header, null, 2) + "\n" },
    { name: "outcomes.json", text: outcomesText },
  ], { replace: run.output.force });
  const { index, count } = run.shard;
  const mb = (data.inputBytes / 1e6).toFixed(1);
  console.log(
    `Shard ${index}/${count}: ${work.periods.length} of ${plan.periods.length} periods and ` +
      `${work.fullRuns.length} full-data runs (${
        (100 * shardCostShare(data.splitPlan, work)).toFixed(1)
      }% of the simulated days) in ${seconds.toFixed(1)} s (${run.workers} workers); loaded ` +
      (data.loaded
        ? `${data.loaded.from} to ${data.loaded.to} with its history`
        : "the whole span") +
      ` (${mb} MB of data files) in ${loadSeconds.toFixed(1)} s; wrote shard.json and ` +
      `outcomes.json to ${run.output.out}`,
  );
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
