/**
 * What `optimize` prints about a walk-forward's reliability: the grid's size against the trials
 * its training window supports, and at the end the walk-forward efficiency, each guard's value
 * against its threshold, and the verdict.
 *
 * @module
 */
import type { TrialBudget, WalkForwardResult, WalkForwardSettings } from "../lib/core.ts";
import { fixed2, percent } from "./args.ts";

/**
 * The grid's size beside the minimum-backtest-length budget of its training window, and a
 * warning when it is exceeded.
 *
 * @param budget the trial budget
 * @param settings the walk-forward settings (for the window's length as written)
 */
export function budgetLines(
  budget: TrialBudget,
  settings: WalkForwardSettings,
): { line: string; warning: string | null } {
  const w = settings.windows;
  const window = `${w.train}-${w.unit === "months" ? "month" : "trading-day"}` +
    `${w.anchored ? " (first, anchored)" : ""} training window`;
  const trials = `${budget.supported} independent trial${budget.supported === 1 ? "" : "s"}`;
  const line = `Grid: ${budget.combinations} combinations; a ${window} supports at most ` +
    `${trials} (minimum backtest length, Bailey, Borwein, ` +
    `López de Prado & Zhu 2014, at an in-sample Sharpe of ${budget.sharpe})`;
  const warning = budget.exceeded
    ? `Warning: ${budget.combinations} combinations exceed the ${trials} a ${window} ` +
      `supports: the in-sample winner is likely overfit (read the PBO and ` +
      `WFE below); shrink the grid or lengthen train_${w.unit}`
    : null;
  return { line, warning };
}

/** A guard's value as printed: percentages for rates and drawdowns. */
function shown(guard: string, x: number | null): string {
  if (x === null) return "n/a";
  if (guard === "win_rate" || guard === "max_drawdown") return percent(x);
  if (guard === "trades_per_window") return x.toFixed(1);
  return fixed2(x);
}

const LABELS: Record<string, string> = {
  wfe: "mean WFE",
  mean_oos_sharpe: "mean test Sharpe",
  trades_per_window: "trades per test window",
  win_rate: "out-of-sample win rate",
  max_drawdown: "out-of-sample max drawdown",
};

/**
 * The walk-forward efficiency, the guards and the verdict, as printed at the end of optimize.
 *
 * @param result the walk-forward
 */
export function verdictLines(result: WalkForwardResult): string[] {
  const e = result.efficiency;
  const lines = [
    `Walk-forward efficiency (test Sharpe / train Sharpe): mean ${fixed2(e.wfe_mean)}, median ${
      fixed2(e.wfe_median)
    } over ${e.wfe_defined} of ${result.periods.length} periods (undefined: ${e.wfe_undefined_train_sharpe} with train Sharpe <= 0, ${e.wfe_undefined_test_sharpe} without a test Sharpe)`,
  ];
  const d = result.dropped;
  if (d.past_end || d.empty_window) {
    lines.push(
      `Periods dropped: ${d.past_end} whose test window would run past the data, ` +
        `${d.empty_window} with a window without trading days`,
    );
  }
  lines.push("Guards:");
  for (const g of result.verdict.guards) {
    const rule = `${shown(g.guard, g.value)} ${g.rule} ${shown(g.guard, g.threshold)}`;
    lines.push(
      `  ${(LABELS[g.guard] ?? g.guard).padEnd(27)} ${rule.padEnd(22)} ${
        g.passed ? "pass" : "FAIL"
      }`,
    );
  }
  const v = result.verdict;
  lines.push(
    `Verdict: ${v.verdict}${v.failed.length ? ` (failed: ${v.failed.join(", ")})` : ""}`,
  );
  return lines;
}
