/**
 * Rich display for Deno Jupyter notebooks without depending on the kernel: an object whose
 * `Symbol.for("Jupyter.display")` method returns a MIME bundle is shown by the Deno kernel (as
 * HTML, or as Markdown for {@link md}), and is a plain value (with its markup in `html`)
 * anywhere else.
 *
 * @module
 */
import { type ColumnFormat, formatAuto, formatDate, formatNumber, formatValue } from "./format.ts";

/** Something the Deno kernel shows as HTML (or Markdown). */
export interface Displayable {
  /** The HTML markup. */
  readonly html: string;
  /** MIME bundle for the Deno kernel. */
  [key: symbol]: () => Record<string, string>;
}

/**
 * Wraps HTML markup for display.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { html } from "./display.ts";
 * const d = html("<b>hi</b>");
 * assert.deepEqual(d[Symbol.for("Jupyter.display")](), { "text/html": "<b>hi</b>" });
 * ```
 */
export function html(markup: string): Displayable {
  return {
    html: markup,
    [Symbol.for("Jupyter.display")]: () => ({ "text/html": markup }),
  };
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** Inline Markdown (bold, italics, code) of an escaped line as HTML. */
function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[\s(])_([^_]+)_(?=[\s).,;:]|$)/g, "$1<em>$2</em>");
}

/**
 * Markdown for display: prose whose numbers come from computed values, e.g. a sentence built
 * with a template literal from a run's metrics. The Deno kernel shows it as Markdown (Jupyter
 * renders it, tables included); `html` holds a plain rendering of its paragraphs, bullet lists,
 * bold, italics and code, for use outside Jupyter.
 *
 * @param text Markdown
 * @returns a displayable with the `text/markdown` bundle
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { md } from "./display.ts";
 * const d = md(`The strategy **lost** ${(13.9).toFixed(1)}%.`);
 * assert.deepEqual(d[Symbol.for("Jupyter.display")](), { "text/markdown": "The strategy **lost** 13.9%." });
 * assert.equal(d.html, "<p>The strategy <strong>lost</strong> 13.9%.</p>");
 * const money = md("From $100 to $90.")[Symbol.for("Jupyter.display")]();
 * assert.deepEqual(money, { "text/markdown": "From &#36;100 to &#36;90." });
 * ```
 */
export function md(text: string): Displayable {
  const blocks = text.trim().split(/\n\s*\n/).map((block) => {
    const lines = block.split("\n");
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      return `<ul>${
        lines.map((l) => `<li>${inlineMarkdown(l.replace(/^\s*[-*] /, ""))}</li>`).join("")
      }</ul>`;
    }
    return `<p>${inlineMarkdown(lines.join(" "))}</p>`;
  });
  const markup = blocks.join("");
  return {
    html: markup,
    // A dollar sign opens TeX math in Jupyter's Markdown (and a backslash escape is shown as
    // is without MathJax): as an HTML entity, "$0.48 ... $1.20" stays money.
    [Symbol.for("Jupyter.display")]: () => ({ "text/markdown": text.replaceAll("$", "&#36;") }),
  };
}

/** Options of {@link table}. */
export interface TableOptions {
  /**
   * Decimals of numbers without a column format (default 4). Integers print with thousands
   * separators; a non-zero value that would print as zero prints in exponent notation.
   */
  digits?: number;
  /** Formats by column name (see ColumnFormat): "pct", "money", "int", "sci", "date", ... */
  formats?: Record<string, ColumnFormat>;
  /** Header labels by column name (default: the column names). */
  labels?: Record<string, string>;
  /** A line above the table, as wide as the page. */
  caption?: string;
  /** Height in pixels above which the table scrolls vertically, its header kept in view. */
  maxHeight?: number;
  /** Alignment by column name (default: numeric columns right, others left). */
  align?: Record<string, "left" | "right" | "center">;
}

/** A cell's text without a column format. */
function defaultCell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return "—";
  if (v instanceof Date) return formatDate(v);
  if (typeof v === "number") return Number.isInteger(v) ? formatNumber(v) : formatAuto(v, digits);
  if (typeof v === "bigint") return formatNumber(Number(v));
  if (Array.isArray(v)) return v.map((x) => defaultCell(x, digits)).join(", ");
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) =>
      `${k}: ${defaultCell(x, digits)}`
    ).join(", ");
  }
  return String(v);
}

/**
 * An HTML table of records or of a polars frame. Numbers are formatted for people: by column
 * format when given, otherwise integers with thousands separators and other numbers with
 * `digits` decimals (exponent notation when that would hide a non-zero value); dates as
 * YYYY-MM-DD, null as an em dash, arrays and objects spelled out. Numeric columns are
 * right-aligned and the others left-aligned (unless `align` says otherwise); cells do not wrap,
 * and a table wider than the page scrolls horizontally.
 *
 * @param rowsOrFrame records, or a frame (anything with toRecords())
 * @param options digits, column formats and labels, caption, maximum height
 * @returns the displayable table
 *
 * @example Percentages, money and tiny values
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./display.ts";
 * const t = table([{ win_rate: 0.676, pnl: -13872.8423, error: 2.2e-16, trades: 1370 }],
 *   { formats: { win_rate: "pct", pnl: "money" }, labels: { win_rate: "win rate" } });
 * assert.ok(t.html.includes(">win rate</th>"));
 * assert.ok(t.html.includes("67.6%") && t.html.includes("-$13,872.84"));
 * assert.ok(t.html.includes("2.2e-16") && t.html.includes("1,370"));
 * ```
 */
export function table(
  rowsOrFrame: Record<string, unknown>[] | { toRecords(): Record<string, unknown>[] },
  options: TableOptions = {},
): Displayable {
  const rows = Array.isArray(rowsOrFrame) ? rowsOrFrame : rowsOrFrame.toRecords();
  const digits = options.digits ?? 4;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = new Set(columns.filter((c) =>
    rows.some((r) => typeof r[c] === "number") &&
    rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === "number")
  ));
  const cell = (c: string, v: unknown) => {
    const format = options.formats?.[c];
    return escapeHtml(format === undefined ? defaultCell(v, digits) : formatValue(v, format));
  };
  const align = (c: string) =>
    ` style="text-align:${options.align?.[c] ?? (numeric.has(c) ? "right" : "left")}"`;
  const head = `<tr>${
    columns.map((c) => `<th${align(c)}>${escapeHtml(options.labels?.[c] ?? c)}</th>`).join("")
  }</tr>`;
  const body = rows.map((r) =>
    `<tr>${columns.map((c) => `<td${align(c)}>${cell(c, r[c])}</td>`).join("")}</tr>`
  ).join("");
  const caption = options.caption
    ? `<p class="mahler-caption" style="margin:0 0 6px 0">${escapeHtml(options.caption)}</p>`
    : "";
  const scroll = options.maxHeight ? `;max-height:${options.maxHeight}px;overflow-y:auto` : "";
  const sticky = options.maxHeight
    ? ".mahler-table thead th{position:sticky;top:0;background:#fff}"
    : "";
  // Cells stay on one line (dates do not break at their hyphens); a table wider than the page
  // scrolls in its own box instead of running off it.
  return html(
    `${caption}<div class="mahler-table-wrap" style="overflow-x:auto;max-width:100%${scroll}">` +
      `<style>.mahler-table th,.mahler-table td{white-space:nowrap}${sticky}</style>` +
      `<table class="mahler-table"><thead>${head}</thead><tbody>${body}</tbody></table></div>`,
  );
}

interface JupyterNamespace {
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
}

/** Where {@link show} sends values outside Jupyter (see {@link onShow}); nowhere by default. */
let showReceiver: ((value: unknown) => void) | null = null;

/**
 * Sends every value {@link show} displays outside Jupyter to a function, strings already made
 * Markdown displayables as the kernel would show them: a script that runs a notebook's cells can
 * record what the notebook shows (the notebook test checks its figures and findings that way).
 *
 * @param receiver the function, or null to stop
 *
 * @example Recording what a cell shows
 * ```ts
 * import assert from "node:assert/strict";
 * import { html, onShow, show } from "./display.ts";
 * const shown: unknown[] = [];
 * onShow((value) => shown.push(value));
 * await show("**2** trades", html("<svg></svg>"));
 * onShow(null);
 * assert.deepEqual(shown.map((v) => (v as { html: string }).html), [
 *   "<p><strong>2</strong> trades</p>",
 *   "<svg></svg>",
 * ]);
 * ```
 */
export function onShow(receiver: ((value: unknown) => void) | null): void {
  showReceiver = receiver;
}

/**
 * Shows values in a Deno Jupyter notebook as display outputs, then yields briefly so the
 * outputs leave before the cell reports itself idle (the Deno kernel can otherwise publish
 * "idle" first, and nbconvert drops a late result). A string is shown as Markdown (not as a
 * quoted string). Outside Jupyter it shows nothing (it hands the values to the receiver of
 * {@link onShow}, if any), so notebook code also runs under `deno run` and in tests.
 *
 * @param values displayables, strings (Markdown), polars frames or any value the kernel can show
 */
export async function show(...values: unknown[]): Promise<void> {
  const shown = values.map((value) => typeof value === "string" ? md(value) : value);
  let jupyter: JupyterNamespace | undefined;
  try {
    jupyter = (Deno as unknown as { jupyter?: JupyterNamespace }).jupyter;
  } catch {
    // outside `deno jupyter` the namespace getter throws
  }
  if (!jupyter) {
    for (const value of shown) showReceiver?.(value);
    return;
  }
  for (const value of shown) await jupyter.display(value, { raw: false });
  await new Promise((resolve) => setTimeout(resolve, 25));
}
