/**
 * What a walk-forward period is: its train, validate and test windows, each as calendar indexes
 * and dates, and the periods of a span with the count of those dropped. windows.ts cuts them.
 *
 * @module
 */

/** A window as calendar indexes (inclusive) and ISO dates. */
export interface Window {
  /** First calendar index. */
  fromIndex: number;
  /** Last calendar index. */
  toIndex: number;
  /** First day, ISO: the first calendar day of its first month (windows in days: its first trading day). */
  start: string;
  /** Last day, ISO: the last calendar day of its last month (windows in days: its last trading day). */
  end: string;
}

/** One walk-forward period. */
export interface Period {
  /** 0-based period number. */
  index: number;
  /** The training window: every combination runs on it. */
  train: Window;
  /** The validation window: the top N by training Sharpe run on it. */
  validate: Window;
  /** The test window: the chosen combination runs on it, out of sample. */
  test: Window;
}

/** The periods of a span and what was dropped. */
export interface PeriodPlan {
  /** The periods, in order (indexes from 0). */
  periods: Period[];
  /** Periods dropped because their test window would run past the data. */
  pastEnd: number;
  /** Periods dropped because a validation or test window holds no trading day. */
  emptyWindow: number;
}
