/**
 * The metrics beyond the spec's list, and the spec's targets:
 * - `calmar`: CAGR / |maximum drawdown| (null without a drawdown or a CAGR);
 * - `largest_win`, `largest_loss`: the best trade's P&L (> 0) and the worst one's (< 0),
 *   dollars (null without such a trade);
 * - `average_days_to_profit_target`, `average_days_to_stop`: mean calendar days held of the
 *   trades that closed at the profit target, at the stop loss (null without one);
 * - `commission_share`: the trades' commissions over their gross P&L (net P&L + commissions;
 *   null when the gross P&L is not positive);
 * - `time_in_market`: the share of the span's trading days that end with an open position.
 * `targets` holds each target of `[targets]` (the spec's table by default) with the value, the
 * target and whether it was met; a null value misses its target.
 *
 * @module
 */
import type { DailyState, Trade } from "../simulation/portfolio.ts";
import type { Targets } from "../strategy/rules_config.ts";

/** The metrics beyond the spec's list. */
export interface RuleMetrics {
  /** CAGR / |maximum drawdown|. */
  calmar: number | null;
  /** The best trade's P&L, dollars (> 0). */
  largest_win: number | null;
  /** The worst trade's P&L, dollars (< 0). */
  largest_loss: number | null;
  /** Mean calendar days held of the trades closed at the profit target. */
  average_days_to_profit_target: number | null;
  /** Mean calendar days held of the trades closed at the stop loss. */
  average_days_to_stop: number | null;
  /** Commissions / gross P&L (net P&L + commissions). */
  commission_share: number | null;
  /** Share of the span's trading days ending with an open position. */
  time_in_market: number | null;
}

/**
 * The metrics beyond the spec's list of a run's trades and span.
 *
 * @param trades the run's trades
 * @param daily the span's days
 * @param cagr the span's CAGR
 * @param maxDrawdown the span's maximum drawdown (<= 0)
 * @returns the metrics
 *
 * @example Two trades: a $300 win held 10 days, a $100 loss held 20, $8 of commissions
 * ```ts
 * import assert from "node:assert/strict";
 * import { ruleMetrics } from "./rule_metrics.ts";
 * const trades = [
 *   { pnlUsd: 300, commissionsUsd: 4, entryDay: 0, exitDay: 10, exitReason: "profit_target" },
 *   { pnlUsd: -100, commissionsUsd: 4, entryDay: 5, exitDay: 25, exitReason: "stop_loss" },
 * ];
 * const daily = [{ openPositions: 1 }, { openPositions: 0 }, { openPositions: 2 }, { openPositions: 0 }];
 * const m = ruleMetrics(trades as never, daily as never, 0.12, -0.08);
 * assert.ok(Math.abs(m.calmar! - 1.5) < 1e-15);
 * assert.deepEqual([m.largest_win, m.largest_loss], [300, -100]);
 * assert.deepEqual([m.average_days_to_profit_target, m.average_days_to_stop], [10, 20]);
 * assert.equal(m.commission_share, 8 / 208);
 * assert.equal(m.time_in_market, 0.5);
 * ```
 */
export function ruleMetrics(
  trades: readonly Trade[],
  daily: readonly DailyState[],
  cagr: number | null,
  maxDrawdown: number | null,
): RuleMetrics {
  let best = -Infinity, worst = Infinity, commissions = 0, net = 0;
  let ptDays = 0, pt = 0, slDays = 0, sl = 0;
  for (const t of trades) {
    if (t.pnlUsd > best) best = t.pnlUsd;
    if (t.pnlUsd < worst) worst = t.pnlUsd;
    commissions += t.commissionsUsd;
    net += t.pnlUsd;
    if (t.exitReason === "profit_target") {
      pt++;
      ptDays += t.exitDay - t.entryDay;
    } else if (t.exitReason === "stop_loss") {
      sl++;
      slDays += t.exitDay - t.entryDay;
    }
  }
  const gross = net + commissions;
  let inMarket = 0;
  for (const d of daily) if (d.openPositions > 0) inMarket++;
  return {
    calmar: cagr !== null && maxDrawdown !== null && maxDrawdown < 0 ? cagr / -maxDrawdown : null,
    largest_win: best > 0 ? best : null,
    largest_loss: worst < 0 ? worst : null,
    average_days_to_profit_target: pt ? ptDays / pt : null,
    average_days_to_stop: sl ? slDays / sl : null,
    commission_share: trades.length && gross > 0 ? commissions / gross : null,
    time_in_market: daily.length ? inMarket / daily.length : null,
  };
}

/** One target: the metric's value, the bound it should reach, and whether it did. */
export interface TargetCheck {
  /** The metric's value (null when undefined). */
  value: number | null;
  /** The bound: a minimum, a maximum, or a [min, max] band. */
  target: number | [number, number];
  /** "min" (value >= target), "max" (value <= target) or "band" (within it). */
  kind: "min" | "max" | "band";
  /** Whether the value meets the target. */
  met: boolean;
}

/** The metrics' values the targets read (the spec's names). */
export interface TargetInputs {
  /** Share of trades with P&L > 0. */
  win_rate: number | null;
  /** Gross profit / gross loss. */
  profit_factor: number | null;
  /** Sharpe ratio, monthly × √12. */
  sharpe: number | null;
  /** Sortino ratio, monthly × √12. */
  sortino: number | null;
  /** Maximum drawdown (<= 0). */
  max_drawdown: number | null;
  /** Compound annual growth. */
  cagr: number | null;
  /** Mean calendar days held. */
  average_days_held: number | null;
}

/** The targets in the spec's order, with how each reads its metric. */
export const TARGET_KEYS = [
  "win_rate",
  "profit_factor",
  "sharpe",
  "sortino",
  "max_drawdown",
  "cagr",
  "average_days_held",
] as const;

/**
 * Each target with its metric's value and whether it was met: win rate, profit factor, Sharpe,
 * Sortino and CAGR at least their minimum; the maximum drawdown's magnitude at most its
 * maximum; the average days held within its band. Bounds are inclusive; a null value misses.
 *
 * @param m the metrics
 * @param t the targets (see targetsOf)
 * @returns the checks by metric name
 *
 * @example The spec's targets against a run
 * ```ts
 * import assert from "node:assert/strict";
 * import { targetChecks } from "./rule_metrics.ts";
 * import { DEFAULT_TARGETS } from "../strategy/rules_config.ts";
 * const checks = targetChecks({ win_rate: 0.75, profit_factor: 1.2, sharpe: 1, sortino: null,
 *   max_drawdown: -0.15, cagr: 0.2, average_days_held: 31 }, DEFAULT_TARGETS);
 * assert.deepEqual(Object.values(checks).map((c) => c.met),
 *   [true, false, true, false, true, true, false]);
 * assert.deepEqual(checks.average_days_held.target, [15, 30]);
 * ```
 */
export function targetChecks(
  m: TargetInputs,
  t: Targets,
): Record<(typeof TARGET_KEYS)[number], TargetCheck> {
  const min = (value: number | null, target: number): TargetCheck => ({
    value,
    target,
    kind: "min",
    met: value !== null && value >= target,
  });
  const dd = m.max_drawdown;
  const held = m.average_days_held;
  return {
    win_rate: min(m.win_rate, t.win_rate_min),
    profit_factor: min(m.profit_factor, t.profit_factor_min),
    sharpe: min(m.sharpe, t.sharpe_min),
    sortino: min(m.sortino, t.sortino_min),
    max_drawdown: {
      value: dd,
      target: t.max_drawdown_max,
      kind: "max",
      met: dd !== null && Math.abs(dd) <= t.max_drawdown_max,
    },
    cagr: min(m.cagr, t.cagr_min),
    average_days_held: {
      value: held,
      target: [t.average_days_held_min, t.average_days_held_max],
      kind: "band",
      met: held !== null && held >= t.average_days_held_min && held <= t.average_days_held_max,
    },
  };
}

/** How each target reads, for people. */
const TARGET_NAMES: Record<(typeof TARGET_KEYS)[number], string> = {
  win_rate: "win rate",
  profit_factor: "profit factor",
  sharpe: "Sharpe ratio",
  sortino: "Sortino ratio",
  max_drawdown: "maximum drawdown",
  cagr: "CAGR",
  average_days_held: "average days held",
};

/** Whether a metric is a share shown in percent. */
const PERCENT = new Set(["win_rate", "max_drawdown", "cagr"]);

/** A value of a target's metric as people read it. */
function shown(key: string, x: number | null): string {
  if (x === null) return "—";
  return PERCENT.has(key) ? `${(100 * x).toFixed(1)}%` : x.toFixed(2);
}

/**
 * The met/missed table of the targets, as text lines (the command line prints them).
 *
 * @param checks the checks (see targetChecks)
 * @param title the heading's first words (default "Targets")
 * @returns a heading line and one line per target
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { targetChecks, targetLines } from "./rule_metrics.ts";
 * import { DEFAULT_TARGETS } from "../strategy/rules_config.ts";
 * const lines = targetLines(targetChecks({ win_rate: 0.75, profit_factor: 1.2, sharpe: 1,
 *   sortino: null, max_drawdown: -0.1, cagr: 0.2, average_days_held: 20 }, DEFAULT_TARGETS));
 * assert.equal(lines[0], "Targets: 5 of 7 met");
 * assert.equal(lines[2], "  profit factor        1.20      >= 1.50        missed");
 * assert.equal(lines[5], "  maximum drawdown     -10.0%    >= -15.0%      met");
 * ```
 */
export function targetLines(checks: Record<string, TargetCheck>, title = "Targets"): string[] {
  const entries = Object.entries(checks);
  const met = entries.filter(([, c]) => c.met).length;
  const lines = [`${title}: ${met} of ${entries.length} met`];
  for (const [key, c] of entries) {
    const name = TARGET_NAMES[key as keyof typeof TARGET_NAMES] ?? key;
    const bound = Array.isArray(c.target)
      ? `${c.target[0]}-${c.target[1]}`
      : c.kind === "max"
      ? `>= ${shown(key, -c.target)}`
      : `>= ${shown(key, c.target)}`;
    lines.push(
      `  ${name.padEnd(20)} ${shown(key, c.value).padEnd(9)} ${bound.padEnd(14)} ${
        c.met ? "met" : "missed"
      }`,
    );
  }
  return lines;
}

/**
 * The targets in a sentence: how many were met, and which were missed.
 *
 * @param checks the checks (see targetChecks)
 * @returns e.g. "5 of 7 targets met; missed: profit factor 1.20 (target >= 1.50), ..."
 */
export function targetSummary(checks: Record<string, TargetCheck>): string {
  const entries = Object.entries(checks);
  const met = entries.filter(([, c]) => c.met).length;
  const missed = entries.filter(([, c]) => !c.met).map(([key, c]) => {
    const name = TARGET_NAMES[key as keyof typeof TARGET_NAMES] ?? key;
    const bound = Array.isArray(c.target)
      ? `${c.target[0]}-${c.target[1]}`
      : c.kind === "max"
      ? `>= ${shown(key, -c.target)}`
      : `>= ${shown(key, c.target)}`;
    return `${name} ${shown(key, c.value)} (target ${bound})`;
  });
  return `${met} of ${entries.length} targets met${
    missed.length ? `; missed: ${missed.join(", ")}` : ""
  }`;
}
