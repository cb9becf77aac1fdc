/**
 * Walk-forward tasks and their execution. A task is a plain record (window, combination); a
 * result is a plain record. The same {@link TaskRunner} runs in Web Workers and in-process, so
 * results do not depend on where a task ran.
 *
 * @module
 */
import { ChainStore, type PortableStore } from "../data/chain_store.ts";
import { simulate } from "../simulation/engine.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import { CandidateBuffer } from "../strategy/_scanner.ts";
import type { EntryFunnel } from "../strategy/funnel.ts";
import { ivPercentileTable } from "../strategy/iv_rank.ts";
import type { SimParams } from "../strategy/params.ts";
import { windowSharpe } from "./stats.ts";

/** Which window a task simulates. */
export type TaskKind = "train" | "validate" | "test" | "full";

/** One simulation of one combination on one window. */
export interface WalkForwardTask {
  /** Position in the task list; results are gathered by it. */
  index: number;
  kind: TaskKind;
  period: number;
  combination: number;
  /** First calendar index of the window. */
  fromIndex: number;
  /** Last calendar index of the window. */
  toIndex: number;
  /** Whether to return the trades and equity curve (test windows). */
  detail: boolean;
  /** Whether to return the end-of-day equity values (full-sample runs for PBO). */
  values?: boolean;
}

/** The outcome of a task. */
export interface WalkForwardTaskResult {
  index: number;
  /** Window Sharpe (daily × √252), null when undefined. */
  sharpe: number | null;
  trades: number;
  /** Trades, daily state, missing quotes and the entry funnel, when the task asked for detail. */
  detail?: { trades: Trade[]; daily: DailyState[]; missingQuotes: number; funnel: EntryFunnel };
  /** End-of-day equity values, when the task asked for them. */
  equityValues?: Float64Array;
  /** The entry funnel, with the equity values. */
  funnel?: EntryFunnel;
}

/** What every worker receives once. */
export interface WorkerInit {
  /** The store, shared or mapped, never copied (see ChainStore.portable). */
  store: PortableStore;
  /** Simulation parameters of every grid combination, by combination index (validated). */
  params: SimParams[];
  /** History length the shared IV percentile table was built with. */
  ivHistoryDays: number;
  /** IV percentile table for that history length, on a SharedArrayBuffer. */
  ivPct: Float64Array;
}

/** Runs tasks against one store with precomputed per-combination parameters. */
export class TaskRunner {
  readonly store: ChainStore;
  readonly #params: SimParams[];
  readonly #ivHistoryDays: number;
  #ivPct: Float64Array;
  #buffer = new CandidateBuffer(4096);

  /** A runner over a store, the grid's parameters and an IV percentile table. */
  constructor(init: WorkerInit) {
    this.store = ChainStore.fromPortable(init.store);
    this.#params = init.params;
    this.#ivHistoryDays = init.ivHistoryDays;
    this.#ivPct = init.ivPct;
  }

  /** Parameters of a combination. */
  params(combination: number): SimParams {
    const p = this.#params[combination];
    if (!p) throw new RangeError(`No parameters for combination ${combination}`);
    return p;
  }

  #ivTable(p: SimParams): Float64Array {
    if (p.ivHistoryDays === this.#ivHistoryDays) return this.#ivPct;
    return ivPercentileTable(this.store, p.ivHistoryDays);
  }

  /** Runs one task. */
  run(task: WalkForwardTask): WalkForwardTaskResult {
    const p = this.params(task.combination);
    const r = simulate(this.store, p, {
      fromIndex: task.fromIndex,
      toIndex: task.toIndex,
      ivPct: this.#ivTable(p),
      buffer: this.#buffer,
      equityValuesOnly: !task.detail,
    });
    const result: WalkForwardTaskResult = {
      index: task.index,
      sharpe: windowSharpe(r.equityValues, p.startingEquity, p.riskFreeRate),
      trades: r.trades.length,
    };
    if (task.detail) {
      result.detail = {
        trades: r.trades,
        daily: r.daily,
        missingQuotes: r.missingQuotes,
        funnel: r.funnel,
      };
    }
    if (task.values) {
      result.equityValues = r.equityValues;
      result.funnel = r.funnel;
    }
    return result;
  }
}
