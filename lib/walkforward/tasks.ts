/**
 * Walk-forward tasks and their execution. A task is a plain record (window, combination); a
 * result is a plain record. The same {@link TaskRunner} runs in Web Workers and in-process, so
 * results do not depend on where a task ran.
 *
 * @module
 */
import { ChainStore, type ChainStoreData } from "../data/chain_store.ts";
import { simulate } from "../simulation/engine.ts";
import { CandidateBuffer } from "../strategy/scanner.ts";
import type { EquityPoint, Trade } from "../simulation/engine.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import { atmIv30, ivPercentile } from "../strategy/iv_rank.ts";
import { paramsFromConfig, type SimParams } from "../strategy/params.ts";
import { applyCombination, type WalkForwardSettings, walkForwardSettings } from "./settings.ts";
import { windowSharpe } from "./stats.ts";

/** Which window a task simulates. */
export type TaskKind = "train" | "validate" | "test";

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
}

/** The outcome of a task. */
export interface WalkForwardTaskResult {
  index: number;
  /** Window Sharpe (daily × √252), null when undefined. */
  sharpe: number | null;
  trades: number;
  /** Trades and equity, when the task asked for detail. */
  detail?: { trades: Trade[]; equity: EquityPoint[] };
}

/** What every worker receives once. */
export interface WorkerInit {
  /** Shared store data (see ChainStore.share). */
  store: ChainStoreData;
  /** The base configuration (with its walk_forward section). */
  config: StrategyConfig;
  /** IV percentile table for the base history length, on a SharedArrayBuffer. */
  ivPct: Float64Array;
}

/** Runs tasks against one store, caching per-combination parameters. */
export class TaskRunner {
  readonly store: ChainStore;
  readonly config: StrategyConfig;
  readonly settings: WalkForwardSettings;
  #ivPct: Float64Array;
  #params = new Map<number, SimParams>();
  #ivTables = new Map<number, Float64Array>();
  #buffer = new CandidateBuffer(4096);

  /** A runner over a store, a configuration and its IV percentile table. */
  constructor(init: WorkerInit) {
    this.store = new ChainStore(init.store);
    this.config = init.config;
    this.settings = walkForwardSettings(init.config);
    this.#ivPct = init.ivPct;
  }

  /** Parameters of a combination (validated once, then cached). */
  params(combination: number): SimParams {
    let p = this.#params.get(combination);
    if (!p) {
      p = paramsFromConfig(applyCombination(this.config, this.settings, combination));
      this.#params.set(combination, p);
    }
    return p;
  }

  #ivTable(p: SimParams): Float64Array {
    if (p.ivHistoryDays === this.config.entry.iv_history_days) return this.#ivPct;
    let t = this.#ivTables.get(p.ivHistoryDays);
    if (!t) {
      this.#ivTables.set(
        p.ivHistoryDays,
        t = ivPercentile(atmIv30(this.store), this.store, p.ivHistoryDays),
      );
    }
    return t;
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
    if (task.detail) result.detail = { trades: r.trades, equity: r.equity };
    return result;
  }
}
