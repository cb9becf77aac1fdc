/**
 * What a walk-forward found, as types: each period's ranked combinations and choice, and the
 * findings over all periods (the stitched out-of-sample run, the trial set, PBO, diagnostics and
 * aggregates) that the efficiency figures and the verdict are computed from.
 *
 * @module
 */
import type { ReturnDiagnostics } from "../stats/diagnostics.ts";
import type { PboResult } from "../stats/pbo.ts";
import type { StrategyConfig } from "../strategy/config.ts";
import type { EntryFunnel } from "../strategy/funnel.ts";
import type { MarketRegimeTable } from "../strategy/market_regime.ts";
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import type { Period } from "./periods.ts";
import type { WalkForwardSettings } from "./settings.ts";
import type { AlphaDecay, ParameterStability } from "./stats.ts";
import type { MinTradesPbo, TrialSet } from "./trial_set.ts";

/** One ranked combination of a period. */
export interface RankedCombination {
  /** The combination's index in the grid. */
  combination: number;
  /** Its Sharpe ratio on the training window (null when undefined: no trade or no variation). */
  train_sharpe: number | null;
  /** Trades it entered on the training window. */
  train_trades: number;
  /** Its Sharpe ratio on the validation window (null when undefined). */
  validate_sharpe: number | null;
  /** Trades it entered on the validation window. */
  validate_trades: number;
}

/** A period's outcome: its top combinations, its choice and the choice's test run. */
export interface PeriodResult {
  /** The period's windows. */
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
  /** The test window's Sharpe ratio (daily × √252; null without a selection or a trade). */
  test_sharpe: number | null;
  /** How many trades the test window entered (its trade log is {@link PeriodResult.testTrades}). */
  test_trade_count: number;
  /** The test window's trades, in entry order. */
  testTrades: Trade[];
  /** The test window's daily state (flat at the starting equity without a selection). */
  testDaily: DailyState[];
  /** The test window's position-days with an incomplete pair of quotes. */
  testMissingQuotes: number;
  /** The test window's entry funnel. */
  testFunnel: EntryFunnel;
}

/** The aggregates of a walk-forward over its periods. */
export interface WalkForwardAggregate {
  /** Mean test Sharpe over the periods with a defined one (null when none). */
  mean_oos_sharpe: number | null;
  /** Median test Sharpe over the same periods. */
  median_oos_sharpe: number | null;
  /** Periods in which no combination traded in training: no selection, no test trade. */
  no_selection_periods: number;
  /** Per grid key: how often the chosen value changed, and its distribution. */
  parameter_stability: Record<string, ParameterStability>;
  /** The trend of the test Sharpe over the periods. */
  alpha_decay: AlphaDecay;
}

/**
 * Everything a walk-forward found, before its guards judge it: every period's choice and
 * Sharpe ratios, the stitched out-of-sample run and its diagnostics, the trial set and PBO, and
 * the aggregates. {@link WalkForwardResult} adds the efficiency figures and the verdict.
 */
export interface WalkForwardFindings {
  /** The walk-forward settings (windows, grid, top N, guards). */
  settings: WalkForwardSettings;
  /** Number of grid combinations. */
  combinations: number;
  /** Every period, in order. */
  periods: PeriodResult[];
  /** Train Sharpe of every (period, combination), period-major (NaN when undefined). */
  trainSharpe: Float64Array;
  /** Train trades of every (period, combination), period-major. */
  trainTrades: Int32Array;
  /** Validation Sharpe of (period, combination) for the top N, NaN elsewhere. */
  validateSharpe: Float64Array;
  /** Validation trades of (period, combination) for the top N, -1 elsewhere. */
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
   * PBO by CSCV over the trial set's daily excess returns (null with fewer than two trials or
   * fewer days than blocks).
   */
  pbo: PboResult | null;
  /** PBO over the trials with at least `[walk_forward] min_train_trades` trades. */
  pboMinTrades: MinTradesPbo;
  /**
   * PSR/DSR (trials = the trial set's distinct trading combinations) and bootstrap intervals of
   * the stitched out-of-sample run over its tradable span, all of excess returns.
   */
  oosDiagnostics: ReturnDiagnostics;
  /** The test windows' Sharpe ratios, parameter stability and alpha decay. */
  aggregate: WalkForwardAggregate;
  /** The latest period's chosen configuration (for params.toml). */
  latestConfig: StrategyConfig | null;
  /** Periods not formed: test window past the data's end, or a window without trading days. */
  dropped: { past_end: number; empty_window: number };
  /** Calendar indexes of the first and last day used (`from`/`to`, default all). */
  span: { fromIndex: number; toIndex: number };
  /** The store's market regimes (for the out-of-sample metrics by regime). */
  marketRegimes: MarketRegimeTable;
}
