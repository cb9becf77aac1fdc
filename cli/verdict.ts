/**
 * What `optimize` prints about a walk-forward's reliability: the grid's size against the trials
 * its training window supports, and at the end the walk-forward efficiency, each guard's value
 * against its threshold, and the verdict.
 *
 * @module
 */
import {
  NEAR_ZERO_TRAIN_SHARPE,
  type TrialBudget,
  type WalkForwardResult,
  type WalkForwardSettings,
} from "../lib/core.ts";
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
  wfe: "WFE (ratio of means)",
  mean_oos_sharpe: "mean test Sharpe",
  trades_per_window: "trades per test window",
  win_rate: "out-of-sample win rate",
  max_drawdown: "out-of-sample max drawdown",
};

/** "1 period" or "3 periods". */
const periods = (n: number) => `${n} period${n === 1 ? "" : "s"}`;

/**
 * The walk-forward efficiency as printed: the guard's ratio of means, the same with the windows
 * without a test Sharpe left out, the per-period ratios as information, and the periods whose
 * training Sharpe is too near zero for their ratio to mean anything.
 *
 * @param result the walk-forward
 * @returns the lines
 */
export function efficiencyLines(result: WalkForwardResult): string[] {
  const e = result.efficiency;
  const r = e.wfe_ratio;
  const left = e.wfe_left_out;
  const idle = e.wfe_no_test_sharpe;
  const lines = [
    `Walk-forward efficiency (mean test Sharpe / mean train Sharpe over the ${
      periods(r.periods)
    } with a selection${
      idle
        ? `; ${idle} test window${
          idle === 1 ? " without a trade counts" : "s without a trade count"
        } as 0`
        : ""
    }): ${fixed2(e.wfe)} (test ${fixed2(r.mean_test_sharpe)}, train ${
      fixed2(r.mean_train_sharpe)
    })${
      idle
        ? `; with ${idle === 1 ? "that window" : "those windows"} left out: ${
          fixed2(left.wfe)
        } over ${periods(left.periods)}`
        : ""
    }`,
    `Per-period WFE (test Sharpe / train Sharpe; information, not the guard): median ${
      fixed2(e.wfe_median)
    }, IQR ${fixed2(e.wfe_iqr)} (${fixed2(e.wfe_p25)} to ${fixed2(e.wfe_p75)}), mean ${
      fixed2(e.wfe_mean)
    } over ${e.wfe_defined} of ${
      periods(result.periods.length)
    } (undefined: ${e.wfe_undefined_no_selection} without a selection, ${e.wfe_undefined_train_sharpe} with train Sharpe <= 0, ${e.wfe_undefined_test_sharpe} without a test Sharpe)`,
  ];
  if (e.near_zero_train_periods.length) {
    const named = e.near_zero_train_periods.map((i) => {
      const p = e.periods[i];
      return `${p.period} (train ${p.train_sharpe!.toFixed(3)}, test ${
        fixed2(p.test_sharpe)
      }, WFE ${fixed2(p.wfe)})`;
    });
    lines.push(
      `Train Sharpe below ${
        NEAR_ZERO_TRAIN_SHARPE.toFixed(2)
      }, where a period's own WFE is noise: period${named.length === 1 ? "" : "s"} ${
        named.join(", ")
      }`,
    );
  }
  return lines;
}

/**
 * The walk-forward efficiency, the guards and the verdict, as printed at the end of optimize.
 *
 * @param result the walk-forward
 */
export function verdictLines(result: WalkForwardResult): string[] {
  const lines = efficiencyLines(result);
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
