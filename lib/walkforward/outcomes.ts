/**
 * What the simulations of a walk-forward's work give (step b), before the assembly: per period,
 * every combination's training outcome, the top N's validation outcomes and the chosen
 * combination's test run; per combination, its full-data run. Plain records: a shard writes them
 * to its partial file and the merge reads them back.
 *
 * @module
 */
import type { EntryFunnel } from "../strategy/funnel.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";

/** One window's simulation summary. */
export interface WindowOutcome {
  /** The window's Sharpe ratio (daily × √252; null when undefined: no trade or no variation). */
  sharpe: number | null;
  /** Trades entered in the window. */
  trades: number;
}

/** What the simulations of one period gave. */
export interface PeriodOutcome {
  /** The period's index in the plan. */
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
  test: TestOutcome | null;
}

/** The chosen combination's run on a period's test window, with its details. */
export interface TestOutcome extends WindowOutcome {
  /** The trades, in entry order. */
  trades_list: Trade[];
  /** The daily state. */
  daily: DailyState[];
  /** Position-days with an incomplete pair of quotes. */
  missingQuotes: number;
  /** The entry funnel. */
  funnel: EntryFunnel;
}

/** A combination's full-data run. */
export interface FullRunOutcome {
  /** The combination's index in the grid. */
  combination: number;
  /** End-of-day equity over the span. */
  equityValues: Float64Array;
  /** Trades entered over the span. */
  trades: number;
  /** The entry funnel over the span. */
  funnel: EntryFunnel;
}

/** The outcomes of some work (step b), in period and combination order. */
export interface WalkForwardOutcomes {
  /** Per period done, ascending. */
  periods: PeriodOutcome[];
  /** Per full-data run done, ascending by combination. */
  fullRuns: FullRunOutcome[];
}
