/**
 * Rich display for Deno Jupyter notebooks without depending on the kernel: an object whose
 * `Symbol.for("Jupyter.display")` method returns a MIME bundle is shown as HTML by the Deno
 * kernel, and is a plain value (with its markup in `html`) anywhere else.
 *
 * @module
 */

/** Something the Deno kernel shows as HTML. */
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

/**
 * An HTML table of records or of a polars frame (summaries and frame previews). Numbers are
 * shown with `digits` decimals (default 4), dates as YYYY-MM-DD, null as an em dash; cells do
 * not wrap, and a table wider than the page scrolls horizontally.
 */
export function table(
  rowsOrFrame: Record<string, unknown>[] | { toRecords(): Record<string, unknown>[] },
  options: { digits?: number; caption?: string } = {},
): Displayable {
  const rows = Array.isArray(rowsOrFrame) ? rowsOrFrame : rowsOrFrame.toRecords();
  const digits = options.digits ?? 4;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? "—"
      : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : typeof v === "number"
      ? (Number.isInteger(v) ? String(v) : v.toFixed(digits))
      : escapeHtml(typeof v === "object" ? JSON.stringify(v) : String(v));
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`)
    .join("");
  // Cells stay on one line (dates do not break at their hyphens); a table wider than the page
  // scrolls in its own box instead of running off it.
  return html(
    `<div class="mahler-table-wrap" style="overflow-x:auto;max-width:100%">` +
      `<style>.mahler-table th,.mahler-table td{white-space:nowrap}</style>` +
      `<table class="mahler-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table></div>`,
  );
}

interface JupyterNamespace {
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
}

/**
 * Shows values in a Deno Jupyter notebook as display outputs, then yields briefly so the
 * outputs leave before the cell reports itself idle (the Deno kernel can otherwise publish
 * "idle" first, and nbconvert drops a late result). Outside Jupyter it does nothing, so
 * notebook code also runs under `deno run` and in tests.
 *
 * @param values displayables, polars frames or any value the kernel can show
 */
export async function show(...values: unknown[]): Promise<void> {
  let jupyter: JupyterNamespace | undefined;
  try {
    jupyter = (Deno as unknown as { jupyter?: JupyterNamespace }).jupyter;
  } catch {
    return; // outside `deno jupyter` the namespace getter throws
  }
  if (!jupyter) return;
  for (const value of values) await jupyter.display(value, { raw: false });
  await new Promise((resolve) => setTimeout(resolve, 25));
}
