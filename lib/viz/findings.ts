/**
 * A run's findings for people: the closing table of a report and the sentences that say
 * plainly whether the strategy made money, how reliably, how deep it fell and, for a
 * walk-forward, whether the selection overfit. Every number comes from the findings frame
 * (lib/output's findingsFrame); the words that qualify them (made or lost, an interval that
 * includes zero or not) follow from those numbers.
 *
 * @module
 */
import type pl from "nodejs-polars";
import { type Displayable, md, table } from "./display.ts";
import { formatDate, formatMoney, formatNumber, formatPct, formatSci } from "./format.ts";

/** A finding's value as text, by its unit. */
function formatFinding(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "pct":
      return formatPct(value);
    case "money":
      return formatMoney(value);
    case "count":
      return formatNumber(value, 0);
    case "date":
      return formatDate(value);
    case "sci":
      return value === 0 ? "0" : formatSci(value);
    case "probability":
      return value > 0 && value < 0.001 ? formatSci(value) : value.toFixed(3);
    default:
      return formatNumber(value, 2);
  }
}

/** The findings as records keyed by their key. */
function byKey(findings: pl.DataFrame): Map<string, Record<string, unknown>> {
  return new Map(findings.toRecords().map((r) => [r.key as string, r]));
}

/**
 * The findings as a table: each finding, its value, its interval where it has one, and how it
 * is computed.
 *
 * @param findings the findings frame (findingsFrame)
 * @param options caption
 * @returns the table
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { findingsTable } from "./findings.ts";
 * const f = pl.DataFrame({ key: ["total_return", "sharpe_daily"], finding: ["total return", "Sharpe"],
 *   value: [-0.139, -0.75], lower: [null, -1.45], upper: [null, 0.04], unit: ["pct", "ratio"],
 *   note: ["final over start", "daily"] });
 * const t = findingsTable(f).html;
 * assert.ok(t.includes("-13.9%") && t.includes("-1.45 to 0.04"));
 * ```
 */
export function findingsTable(
  findings: pl.DataFrame,
  options: { caption?: string } = {},
): Displayable {
  const records = findings.toRecords().map((r) => {
    const unit = r.unit as string;
    const interval = r.lower === null || r.upper === null
      ? "—"
      : `${formatFinding(r.lower as number, unit)} to ${formatFinding(r.upper as number, unit)}`;
    return {
      finding: r.finding,
      value: formatFinding(r.value as number | null, unit),
      interval,
      "how it is computed": r.note,
    };
  });
  return table(records, {
    caption: options.caption ?? "Findings",
    align: { value: "right", interval: "right" },
  });
}

/**
 * The findings in plain sentences (Markdown): did it make money, how reliably, how deep it fell,
 * and, when the frame holds a walk-forward's rows, whether the selection overfit.
 *
 * @param findings the findings frame (findingsFrame)
 * @returns the Markdown
 *
 * @example A loss whose Sharpe interval includes zero
 * ```ts
 * import assert from "node:assert/strict";
 * import { pl } from "./frames.ts";
 * import { findingsText } from "./findings.ts";
 * const row = (key: string, value: number | null, lower: number | null = null, upper: number | null = null) =>
 *   ({ key, finding: key, value, lower, upper, unit: "x", note: "" });
 * const f = pl.DataFrame([row("first_date", 18261), row("last_date", 20088), row("total_return", -0.139),
 *   row("total_pnl", -13872.84), row("cagr", -0.029, -0.06, 0.001), row("sharpe", -0.72),
 *   row("sharpe_daily", -0.75, -1.45, 0.04), row("psr", 0.039), row("max_drawdown", -0.173, -0.287, -0.071)]);
 * const text = findingsText(f);
 * assert.ok(text.startsWith("**Did it make money?** No."));
 * assert.ok(text.includes("lost $13,872.84") && text.includes("includes zero"));
 * ```
 */
export function findingsText(findings: pl.DataFrame): string {
  const f = byKey(findings);
  const v = (key: string) => (f.get(key)?.value ?? null) as number | null;
  const lo = (key: string) => (f.get(key)?.lower ?? null) as number | null;
  const hi = (key: string) => (f.get(key)?.upper ?? null) as number | null;
  const total = v("total_return") ?? 0;
  const made = total > 0 ? "Yes" : "No";
  const verb = total > 0 ? "made" : total < 0 ? "lost" : "ended flat at";
  const paragraphs = [
    `**Did it make money?** ${made}. From ${formatDate(v("first_date"))} to ${
      formatDate(v("last_date"))
    } it ${verb} ${
      formatMoney(Math.abs(v("total_pnl") ?? 0))
    } in trade P&L; the equity's total return is ${formatPct(total)} (CAGR ${
      formatPct(v("cagr"))
    }, 90% bootstrap interval ${formatPct(lo("cagr"))} to ${formatPct(hi("cagr"))}).`,
  ];
  const l = lo("sharpe_daily");
  const u = hi("sharpe_daily");
  const where = l === null || u === null
    ? "cannot be bootstrapped"
    : u < 0
    ? "lies entirely below zero: the loss is not luck at that level"
    : l > 0
    ? "lies entirely above zero: the gain is not luck at that level"
    : "includes zero: the sign of the result is not established at that level";
  const psr = v("psr");
  // An endpoint that rounds to 0.00 but is not zero keeps two significant digits, so that
  // "entirely below zero" never reads "-1.33 to 0.00".
  const bound = (x: number | null) =>
    x !== null && x !== 0 && Math.abs(x) < 0.005 ? x.toPrecision(2) : formatNumber(x, 2);
  paragraphs.push(
    `**How reliably?** The Sharpe ratio is ${formatNumber(v("sharpe"), 2)} (monthly; daily ${
      formatNumber(v("sharpe_daily"), 2)
    }). The daily Sharpe's bootstrap interval, ${bound(l)} to ${bound(u)}, ${where}. PSR(0) = ${
      formatFinding(psr, "probability")
    }: the probability that the true Sharpe is above zero, given the sample's length, skewness and fat tails.`,
  );
  paragraphs.push(
    `**How deep did it fall?** The maximum drawdown is ${formatPct(v("max_drawdown"))} (interval ${
      formatPct(lo("max_drawdown"))
    } to ${formatPct(hi("max_drawdown"))}).`,
  );
  if (f.has("targets")) {
    const note = String(f.get("targets")!.note);
    paragraphs.push(`**Does it meet its targets?** ${note.slice(note.indexOf(": ") + 2)}.`);
  }
  if (f.has("pbo")) {
    const pbo = v("pbo");
    const dsr = v("dsr");
    const pboWords = pbo === null
      ? "PBO is undefined (fewer than two trials with returns that vary)"
      : `PBO = ${formatFinding(pbo, "probability")} (${
        formatFinding(lo("pbo"), "probability")
      } to ${formatFinding(hi("pbo"), "probability")} under the other tie rules): in ${
        formatPct(pbo, 0)
      } of the splits the in-sample best ranks at or below the median out of sample${
        pbo >= 0.5 ? ", no better than picking at random" : ""
      }`;
    paragraphs.push(
      `**Did the selection overfit?** ${pboWords}. The stitched out-of-sample run's DSR is ${
        formatFinding(dsr, "probability")
      }: ${
        dsr !== null && dsr >= 0.95
          ? "its Sharpe beats what the best of the trials would show by luck"
          : "its Sharpe is no evidence of skill beyond what the best of the skill-less trials would show"
      }. The test windows' mean Sharpe is ${
        formatNumber(v("mean_test_sharpe"), 2)
      }, beside the stitched run's ${formatNumber(v("sharpe_daily"), 2)} (daily).`,
    );
  }
  return paragraphs.join("\n\n");
}

/**
 * The findings text as a displayable (Markdown).
 *
 * @param findings the findings frame
 * @returns the Markdown output
 */
export function findingsSummary(findings: pl.DataFrame): Displayable {
  return md(findingsText(findings));
}
