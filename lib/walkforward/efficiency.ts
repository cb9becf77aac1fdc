/**
 * Walk-forward efficiency (WFE) and the verdict of a walk-forward.
 *
 * The walk-forward's WFE, the figure the `min_wfe` guard checks, is a ratio of means, as the
 * strategy author's engine measures it: the mean test Sharpe over the mean training Sharpe of the
 * chosen combinations, across the periods that made a selection, and 0 when the mean training
 * Sharpe is ≤ 0. It is Pardo's walk-forward efficiency (Robert Pardo, "The Evaluation and
 * Optimization of Trading Strategies", 2nd ed., Wiley 2008: the annualized out-of-sample return of
 * the walk-forward over its annualized in-sample return), one aggregate over another, with the
 * Sharpe ratio as the measure. Both Sharpe ratios are daily × √252, each window starting flat. A
 * test window without a Sharpe ratio (its chosen combination found no entry) counts as a test
 * Sharpe of 0 ({@link WFE_RULE}): leaving it out would let a selection that stops trading out of
 * sample keep the efficiency of the few windows that did trade, so inactivity would cost nothing.
 * The ratio with those windows left out of both means is given beside it.
 *
 * A period's own WFE, its test Sharpe divided by its training Sharpe, is kept as information only:
 * a mean of such ratios is unstable wherever a training Sharpe is near zero (one period with a
 * training Sharpe of 0.004 and a test Sharpe of 2.84 weighs 713). It is undefined, and counted,
 * where no combination was selected, the training Sharpe is ≤ 0 or the test window has no Sharpe;
 * the median and interquartile range of the defined ones are given, and the periods whose training
 * Sharpe is positive but below {@link NEAR_ZERO_TRAIN_SHARPE} are named (their ratios are noise).
 *
 * The verdict checks the guards (verdict_guards.ts) against: the WFE (ratio of means), the mean
 * test-window Sharpe, the out-of-sample trades per test window (all periods, windows without trades
 * included), the win rate of the stitched out-of-sample trades and the depth of the stitched
 * out-of-sample drawdown (each test window scaled to start where the previous ended), over the
 * stitched run's tradable span as its metrics measure it.
 *
 * @module
 */
import { maxDrawdown, periodReturns } from "../stats/returns.ts";
import { isoToDay } from "../data/dates.ts";
import type { GuardSettings } from "./verdict_guards.ts";
import type { WalkForwardFindings } from "./result.ts";

/** Why a period's WFE is undefined. */
export type WfeUndefined = "no_selection" | "train_sharpe_not_positive" | "no_test_sharpe";

/**
 * The rule of the walk-forward's WFE: the ratio of means over the periods with a selection, a
 * test window without a Sharpe ratio counting as a test Sharpe of 0.
 */
export const WFE_RULE = "ratio_of_means_no_test_sharpe_as_zero";

/** The rule of the WFE beside it: windows without a test Sharpe left out of both means. */
export const WFE_RULE_LEFT_OUT = "ratio_of_means_no_test_sharpe_left_out";

/**
 * A positive training Sharpe below this makes a period's own WFE noise: a test Sharpe of ±1 over
 * a training Sharpe of 0.1 is already a ratio of ±10. Such periods are named.
 */
export const NEAR_ZERO_TRAIN_SHARPE = 0.1;

/** One period's efficiency. */
export interface PeriodEfficiency {
  /** Period number. */
  period: number;
  /** The chosen combination's training Sharpe (null when undefined). */
  train_sharpe: number | null;
  /** Its test Sharpe (null when undefined). */
  test_sharpe: number | null;
  /** test / train, or null. */
  wfe: number | null;
  /** Why the WFE is undefined, or null. */
  wfe_undefined: WfeUndefined | null;
  /** Trades in the test window. */
  test_trades: number;
}

/** A ratio of means: the mean test Sharpe over the mean training Sharpe of some periods. */
export interface RatioOfMeans {
  /** mean test / mean train; 0 when the mean train Sharpe is ≤ 0; null without periods. */
  wfe: number | null;
  /** Periods in the means. */
  periods: number;
  /** Mean training Sharpe of the chosen combinations (null without periods). */
  mean_train_sharpe: number | null;
  /** Mean test Sharpe (null without periods). */
  mean_test_sharpe: number | null;
}

/** The efficiency figures of a walk-forward. */
export interface WalkForwardEfficiency {
  /** Per period. */
  periods: PeriodEfficiency[];
  /**
   * The walk-forward's WFE, the figure the guard checks: the ratio of means over the periods
   * with a selection, a test window without a Sharpe counting as 0 (null without a selection).
   */
  wfe: number | null;
  /** Its rule, {@link WFE_RULE}. */
  wfe_rule: typeof WFE_RULE;
  /** The ratio of means of the guard (`wfe`), with its means and period count. */
  wfe_ratio: RatioOfMeans;
  /** The ratio of means with the windows without a test Sharpe left out ({@link WFE_RULE_LEFT_OUT}). */
  wfe_left_out: RatioOfMeans;
  /** Periods with a selection whose test window has no Sharpe (no trade). */
  wfe_no_test_sharpe: number;
  /** Mean of the defined per-period WFEs (information; null when none). */
  wfe_mean: number | null;
  /** Median of the defined per-period WFEs. */
  wfe_median: number | null;
  /** 25th percentile of the defined per-period WFEs (linear interpolation). */
  wfe_p25: number | null;
  /** 75th percentile of the defined per-period WFEs (linear interpolation). */
  wfe_p75: number | null;
  /** Their interquartile range, p75 − p25. */
  wfe_iqr: number | null;
  /** Periods with a defined per-period WFE. */
  wfe_defined: number;
  /** Periods without a selection (no combination traded in training). */
  wfe_undefined_no_selection: number;
  /** Periods (with a selection) whose training Sharpe is <= 0. */
  wfe_undefined_train_sharpe: number;
  /** Periods (with a positive training Sharpe) whose test Sharpe is undefined. */
  wfe_undefined_test_sharpe: number;
  /** Periods whose training Sharpe is in (0, {@link NEAR_ZERO_TRAIN_SHARPE}): WFE there is noise. */
  near_zero_train_periods: number[];
  /** Mean of the defined test-window Sharpe ratios. */
  mean_oos_sharpe: number | null;
  /** Out-of-sample trades / periods (null without periods). */
  mean_trades_per_test_window: number | null;
  /** Share of the out-of-sample trades with P&L > 0 (null without trades). */
  oos_win_rate: number | null;
  /**
   * Maximum drawdown of the stitched out-of-sample equity over its tradable span (<= 0; null
   * without a day in it).
   */
  oos_max_drawdown: number | null;
}

/** One guard checked. */
export interface GuardCheck {
  /** The guard: wfe, mean_oos_sharpe, trades_per_window, win_rate or max_drawdown. */
  guard: string;
  /** What is compared (null when undefined: the guard fails). */
  value: number | null;
  /** The comparison that must hold: value `rule` threshold. */
  rule: ">" | ">=" | "<";
  /** The threshold. */
  threshold: number;
  /** Whether it holds. */
  passed: boolean;
}

/** The verdict of a walk-forward. */
export interface Verdict {
  /** "pass" when every guard holds, else "reject". */
  verdict: "pass" | "reject";
  /** The failing guards' names, in order. */
  failed: string[];
  /** Every guard, in order. */
  guards: GuardCheck[];
}

const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The p-quantile of ascending values by linear interpolation (Hyndman & Fan type 7). */
function quantileOf(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The walk-forward efficiency as a ratio of means: the mean test Sharpe over the mean training
 * Sharpe of the same periods, 0 when the mean training Sharpe is ≤ 0.
 *
 * @param periods each period's training and test Sharpe ratios
 * @returns the ratio, its two means and the period count (the ratio is null without periods)
 *
 * @example Four periods: the mean of the ratios would be (0.5 + 2 − 1 + 100) / 4 = 25.4
 * ```ts
 * import assert from "node:assert/strict";
 * import { ratioOfMeans } from "./efficiency.ts";
 * const r = ratioOfMeans([{ train: 2, test: 1 }, { train: 1, test: 2 }, { train: 0.5, test: -0.5 },
 *   { train: 0.01, test: 1 }]);
 * // mean test (1 + 2 - 0.5 + 1) / 4 = 0.875; mean train (2 + 1 + 0.5 + 0.01) / 4 = 0.8775
 * assert.ok(Math.abs(r.wfe! - 0.875 / 0.8775) < 1e-15);
 * assert.equal(ratioOfMeans([{ train: -1, test: 0.5 }, { train: 0.5, test: 0.5 }]).wfe, 0);
 * assert.equal(ratioOfMeans([]).wfe, null);
 * ```
 */
export function ratioOfMeans(periods: { train: number; test: number }[]): RatioOfMeans {
  const train = meanOf(periods.map((p) => p.train));
  const test = meanOf(periods.map((p) => p.test));
  return {
    wfe: train === null || test === null ? null : train > 0 ? test / train : 0,
    periods: periods.length,
    mean_train_sharpe: train,
    mean_test_sharpe: test,
  };
}

/**
 * The WFE of every period and the walk-forward's efficiency figures.
 *
 * @param result a walk-forward (its periods, stitched run and mean test Sharpe)
 * @param startingEquity the configuration's starting equity (the stitched run's first base)
 * @returns per period and in aggregate
 *
 * @example The guard's WFE is a ratio of means; a period's own ratio is information
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForwardEfficiency } from "./efficiency.ts";
 * const period = (train: number | null, test: number | null, index: number) => ({
 *   period: { index }, chosen: train === null ? null : { train_sharpe: train },
 *   test_sharpe: test, test_trade_count: test === null ? 0 : 2 });
 * const day = (d: number, equity: number) => ({ day: d, equity });
 * const result = {
 *   periods: [period(null, null, 0), period(2, 1, 1), period(-1, 0.5, 2), period(1, null, 3),
 *     period(1, 0.2, 4)],
 *   oosTrades: [{ pnlUsd: 10 }, { pnlUsd: -5 }, { pnlUsd: 3 }],
 *   // The first window made no selection (flat); the span starts on day 20001.
 *   oosDaily: [day(20000, 100000), day(20001, 101000), day(20002, 90900), day(20003, 95000)],
 *   oosFrom: "2024-10-05", // day 20001
 *   aggregate: { mean_oos_sharpe: 0.5667 },
 * };
 * const e = walkForwardEfficiency(result as never, 100000);
 * // Four periods with a selection: train (2 - 1 + 1 + 1) / 4 = 0.75, test (1 + 0.5 + 0 + 0.2) / 4
 * assert.ok(Math.abs(e.wfe! - 0.425 / 0.75) < 1e-15);
 * assert.equal(e.wfe_no_test_sharpe, 1);
 * // Period 3's window left out: (1 + 0.5 + 0.2) / 3 over (2 - 1 + 1) / 3
 * assert.ok(Math.abs(e.wfe_left_out.wfe! - 1.7 / 2) < 1e-15);
 * assert.deepEqual(e.periods.map((p) => p.wfe), [null, 0.5, null, null, 0.2]);
 * assert.deepEqual(e.periods.map((p) => p.wfe_undefined),
 *   ["no_selection", null, "train_sharpe_not_positive", "no_test_sharpe", null]);
 * assert.ok(Math.abs(e.wfe_mean! - 0.35) < 1e-15);
 * assert.equal(e.mean_trades_per_test_window, 0.6); // 3 trades over 5 test windows
 * assert.equal(e.oos_win_rate, 2 / 3);
 * assert.ok(Math.abs(e.oos_max_drawdown! + 0.1) < 1e-12); // 101,000 to 90,900
 * ```
 */
export function walkForwardEfficiency(
  result: Pick<WalkForwardFindings, "periods" | "oosTrades" | "oosDaily" | "oosFrom" | "aggregate">,
  startingEquity: number,
): WalkForwardEfficiency {
  const periods: PeriodEfficiency[] = result.periods.map((p) => {
    const train = p.chosen?.train_sharpe ?? null;
    const test = p.test_sharpe;
    const reason: WfeUndefined | null = !p.chosen
      ? "no_selection"
      : train === null || !(train > 0)
      ? "train_sharpe_not_positive"
      : test === null
      ? "no_test_sharpe"
      : null;
    return {
      period: p.period.index,
      train_sharpe: train,
      test_sharpe: test,
      wfe: reason === null ? test! / train! : null,
      wfe_undefined: reason,
      test_trades: p.test_trade_count,
    };
  });
  // A selected combination traded in training, so its training Sharpe is defined.
  const selected = periods.filter((p) =>
    p.wfe_undefined !== "no_selection" && p.train_sharpe !== null
  );
  const ratio = ratioOfMeans(
    selected.map((p) => ({ train: p.train_sharpe!, test: p.test_sharpe ?? 0 })),
  );
  const leftOut = ratioOfMeans(
    selected.filter((p) => p.test_sharpe !== null).map((p) => ({
      train: p.train_sharpe!,
      test: p.test_sharpe!,
    })),
  );
  const ratios = periods.filter((p) => p.wfe !== null).map((p) => p.wfe!);
  const sorted = [...ratios].sort((a, b) => a - b);
  const p25 = quantileOf(sorted, 0.25);
  const p75 = quantileOf(sorted, 0.75);
  const trades = result.oosTrades;
  // The tradable span of the stitched run: from the first test window with a selection.
  const daily = result.oosDaily;
  const fromDay = result.oosFrom === null ? Infinity : isoToDay(result.oosFrom);
  let skip = 0;
  while (skip < daily.length && daily[skip].day < fromDay) skip++;
  const span = daily.slice(skip).map((e) => e.equity);
  const before = skip > 0 ? daily[skip - 1].equity : startingEquity;
  return {
    periods,
    wfe: ratio.wfe,
    wfe_rule: WFE_RULE,
    wfe_ratio: ratio,
    wfe_left_out: leftOut,
    wfe_no_test_sharpe: selected.length - leftOut.periods,
    wfe_mean: meanOf(ratios),
    wfe_median: quantileOf(sorted, 0.5),
    wfe_p25: p25,
    wfe_p75: p75,
    wfe_iqr: p25 === null || p75 === null ? null : p75 - p25,
    wfe_defined: ratios.length,
    wfe_undefined_no_selection: periods.filter((p) => p.wfe_undefined === "no_selection").length,
    wfe_undefined_train_sharpe:
      periods.filter((p) => p.wfe_undefined === "train_sharpe_not_positive").length,
    wfe_undefined_test_sharpe: periods.filter((p) => p.wfe_undefined === "no_test_sharpe").length,
    near_zero_train_periods: periods
      .filter((p) =>
        p.train_sharpe !== null && p.train_sharpe > 0 &&
        p.train_sharpe < NEAR_ZERO_TRAIN_SHARPE
      )
      .map((p) => p.period),
    mean_oos_sharpe: result.aggregate.mean_oos_sharpe,
    mean_trades_per_test_window: periods.length ? trades.length / periods.length : null,
    oos_win_rate: trades.length ? trades.filter((t) => t.pnlUsd > 0).length / trades.length : null,
    oos_max_drawdown: span.length ? maxDrawdown(periodReturns(span, before)) : null,
  };
}

/**
 * Checks the guards against a walk-forward's efficiency figures.
 *
 * @param efficiency from {@link walkForwardEfficiency}
 * @param guards the thresholds (`settings.guards` of the walk-forward)
 * @returns "pass" or "reject" with the failing guards, and every guard's value and threshold
 *
 * @example Too few trades per test window and a shallow WFE reject
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_GUARDS } from "./verdict_guards.ts";
 * import { checkGuards } from "./efficiency.ts";
 * const v = checkGuards({ wfe: 0.4, mean_oos_sharpe: 0.3, mean_trades_per_test_window: 4.3,
 *   oos_win_rate: 0.676, oos_max_drawdown: -0.12 } as never, DEFAULT_GUARDS);
 * assert.equal(v.verdict, "reject");
 * assert.deepEqual(v.failed, ["wfe", "trades_per_window"]);
 * assert.equal(v.guards.find((g) => g.guard === "max_drawdown")!.value, 0.12);
 * ```
 */
export function checkGuards(efficiency: WalkForwardEfficiency, guards: GuardSettings): Verdict {
  const depth = efficiency.oos_max_drawdown === null ? null : -efficiency.oos_max_drawdown;
  const check = (
    guard: string,
    value: number | null,
    rule: GuardCheck["rule"],
    threshold: number,
  ): GuardCheck => ({
    guard,
    value,
    rule,
    threshold,
    passed: value !== null &&
      (rule === ">" ? value > threshold : rule === ">=" ? value >= threshold : value < threshold),
  });
  const checks = [
    check("wfe", efficiency.wfe, ">", guards.minWfe),
    check("mean_oos_sharpe", efficiency.mean_oos_sharpe, ">", guards.minMeanOosSharpe),
    check(
      "trades_per_window",
      efficiency.mean_trades_per_test_window,
      ">=",
      guards.minTradesPerWindow,
    ),
    check("win_rate", efficiency.oos_win_rate, ">=", guards.minWinRate),
    check("max_drawdown", depth === 0 ? 0 : depth, "<", guards.maxDrawdownPct),
  ];
  const failed = checks.filter((c) => !c.passed).map((c) => c.guard);
  return { verdict: failed.length ? "reject" : "pass", failed, guards: checks };
}

/**
 * The verdict of a walk-forward: its efficiency figures against its `[walk_forward.guards]`.
 *
 * @param result a walk-forward
 * @returns pass or reject, with every guard's value and threshold
 */
export function walkForwardVerdict(
  result: Pick<WalkForwardFindings, "settings"> & { efficiency: WalkForwardEfficiency },
): Verdict {
  return checkGuards(result.efficiency, result.settings.guards);
}
