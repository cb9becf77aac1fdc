/**
 * Walk-forward efficiency (WFE) and the verdict of a walk-forward.
 *
 * A period's WFE is its test Sharpe divided by the chosen combination's training Sharpe (both
 * daily × √252, each window starting flat). It is undefined, and counted, where no combination
 * was selected (none traded in training), the training Sharpe is ≤ 0 (a ratio to a non-positive
 * in-sample Sharpe says nothing about efficiency) or the test window has no Sharpe (no trade or
 * no variation). The walk-forward's
 * WFE is the mean of the defined ones; the median and the ratio of the mean test Sharpe to the
 * mean training Sharpe over the same periods are given beside it.
 *
 * The verdict checks the guards (verdict_guards.ts) against: the mean WFE, the mean test-window Sharpe,
 * the out-of-sample trades per test window (all periods, windows without trades included), the
 * win rate of the stitched out-of-sample trades and the depth of the stitched out-of-sample
 * drawdown (each test window scaled to start where the previous ended), over the stitched run's
 * tradable span as its metrics measure it.
 *
 * @module
 */
import { maxDrawdown, periodReturns } from "../stats/returns.ts";
import { isoToDay } from "../data/dates.ts";
import type { GuardSettings } from "./verdict_guards.ts";
import type { WalkForwardFindings } from "./result.ts";

/** Why a period's WFE is undefined. */
export type WfeUndefined = "no_selection" | "train_sharpe_not_positive" | "no_test_sharpe";

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

/** The efficiency figures of a walk-forward. */
export interface WalkForwardEfficiency {
  /** Per period. */
  periods: PeriodEfficiency[];
  /** Mean of the defined WFEs (null when none). */
  wfe_mean: number | null;
  /** Median of the defined WFEs. */
  wfe_median: number | null;
  /** Mean test Sharpe / mean training Sharpe over the periods with a defined WFE. */
  wfe_of_means: number | null;
  /** Periods with a defined WFE. */
  wfe_defined: number;
  /** Periods without a selection (no combination traded in training). */
  wfe_undefined_no_selection: number;
  /** Periods (with a selection) whose training Sharpe is <= 0. */
  wfe_undefined_train_sharpe: number;
  /** Periods (with a positive training Sharpe) whose test Sharpe is undefined. */
  wfe_undefined_test_sharpe: number;
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

function medianOf(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The WFE of every period and the walk-forward's efficiency figures.
 *
 * @param result a walk-forward (its periods, stitched run and mean test Sharpe)
 * @param startingEquity the configuration's starting equity (the stitched run's first base)
 * @returns per period and in aggregate
 *
 * @example A period testing at half its training Sharpe has WFE 0.5; one without a selection
 * has none
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
  const defined = periods.filter((p) => p.wfe !== null);
  const meanTrain = meanOf(defined.map((p) => p.train_sharpe!));
  const meanTest = meanOf(defined.map((p) => p.test_sharpe!));
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
    wfe_mean: meanOf(defined.map((p) => p.wfe!)),
    wfe_median: medianOf(defined.map((p) => p.wfe!)),
    wfe_of_means: meanTrain === null || meanTest === null ? null : meanTest / meanTrain,
    wfe_defined: defined.length,
    wfe_undefined_no_selection: periods.filter((p) => p.wfe_undefined === "no_selection").length,
    wfe_undefined_train_sharpe:
      periods.filter((p) => p.wfe_undefined === "train_sharpe_not_positive").length,
    wfe_undefined_test_sharpe: periods.filter((p) => p.wfe_undefined === "no_test_sharpe").length,
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
 * const v = checkGuards({ wfe_mean: 0.4, mean_oos_sharpe: 0.3, mean_trades_per_test_window: 4.3,
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
    check("wfe", efficiency.wfe_mean, ">", guards.minWfe),
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
