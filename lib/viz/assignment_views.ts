/**
 * Early assignment in words, for notebooks: how often a run's positions were assigned before
 * an ex-dividend date and what it cost against the same run without dividends.
 *
 * @module
 */
import type { AssignmentImpact } from "../output/assignment_impact.ts";
import { formatMoney, formatPct } from "./format.ts";

/**
 * A paragraph (Markdown) on a run's early assignments, every figure from the impact.
 *
 * @param impact see assignmentImpact
 * @returns the text
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { assignmentText } from "./assignment_views.ts";
 * const impact = { dividends: true, trades: 200, assignments: 4, share: 0.02,
 *   assignedPnl: -1500, totalPnl: 3000, tradesWithout: 201, totalPnlWithout: 3900, cost: 900,
 *   byUnderlying: pl.DataFrame({ underlying: ["SPY"], assignments: [4], pnl: [-1500] }) };
 * assert.match(assignmentText(impact as never), /\*\*4\*\* of 200 trades/);
 * ```
 */
export function assignmentText(impact: AssignmentImpact): string {
  if (!impact.dividends) {
    return "The data has no dividends.csv: no ex-dividend date, so no short call was assigned early.";
  }
  if (impact.assignments === 0) {
    return `None of the ${impact.trades} trades was assigned early: no short call was in the ` +
      `money with less time value than the dividend on the eve of an ex-date.`;
  }
  const by = impact.byUnderlying.toRecords().map((r) =>
    `${r.underlying} ${r.assignments} (${formatMoney(r.pnl as number)})`
  ).join(", ");
  const cost = impact.cost >= 0
    ? `cost ${formatMoney(impact.cost)}`
    : `added ${formatMoney(-impact.cost)}`;
  return `**${impact.assignments}** of ${impact.trades} trades (${
    formatPct(impact.share ?? 0, 1)
  }) were assigned early, on the eve of an ex-dividend date: ${by}. Those trades made ${
    formatMoney(impact.assignedPnl)
  } in all. With the same quotes and no dividends in the data (no assignment), the run makes ${
    formatMoney(impact.totalPnlWithout)
  } over ${impact.tradesWithout} trades instead of ${
    formatMoney(impact.totalPnl)
  }: early assignment ${cost}.`;
}
