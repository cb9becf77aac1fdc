/**
 * Step (b) of a walk-forward: runs some of a plan's work on a pool of Web Workers. For every
 * period: every grid combination is simulated on the training window (each window starts flat
 * with the starting equity); the top N by train Sharpe (ties: lower combination index) are re-run
 * on the validation window; the best validation Sharpe (ties: lower combination index) is chosen
 * and run on the test window. Only combinations with a train Sharpe (they traded in the window)
 * can be selected, and an undefined validation Sharpe ranks last; a period in which no
 * combination traded in training makes no selection. Each combination's full-data run (behind
 * PBO and the DSR) runs beside them.
 *
 * @module
 */
import type { ChainStore } from "../data/chain_store.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import type { Period } from "./periods.ts";
import type { WalkForwardOutcomes, WindowOutcome } from "./outcomes.ts";
import type { WalkForwardPlan, WalkForwardWork } from "./plan.ts";
import { WorkerPool } from "./_pool.ts";
import type { TaskKind, WalkForwardTask, WalkForwardTaskResult } from "./_tasks.ts";

/** Options of {@link runWalkForwardWork}. */
export interface RunWorkOptions {
  /** Worker count (default: the number of cores). */
  workers?: number;
  /** Called as simulations finish: (done, total); the total shrinks once training has run. */
  onProgress?: (done: number, total: number) => void;
  /** Worker script (tests inject a failing one). */
  workerUrl?: URL;
  /** The base configuration's IV percentile table, if already built ({@link sharedIvTable}). */
  ivPct?: Float64Array;
}

/** Descending by value with nulls last, ties by combination index. */
function byScore(values: (number | null)[], combos: number[]): number[] {
  return [...combos].sort((a, b) => {
    const va = values[a] ?? -Infinity;
    const vb = values[b] ?? -Infinity;
    return vb !== va ? vb - va : a - b;
  });
}

/**
 * The IV percentile table of a history length, on a SharedArrayBuffer for the workers.
 *
 * @param store the chain
 * @param historyDays trailing trading days of the percentile
 * @returns per (underlying, day) the IV percentile, as {@link ivPercentileTable} gives it
 */
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
  options: RunWorkOptions = {},
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
