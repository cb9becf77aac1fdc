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
 * A small HTML table of records (for summaries: metrics, quality counts). Numbers are shown
 * with `digits` decimals (default 4); null as an em dash.
 */
export function table(
  rows: Record<string, unknown>[],
  options: { digits?: number; caption?: string } = {},
): Displayable {
  const digits = options.digits ?? 4;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? "—"
      : typeof v === "number"
      ? (Number.isInteger(v) ? String(v) : v.toFixed(digits))
      : escapeHtml(typeof v === "object" ? JSON.stringify(v) : String(v));
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`)
    .join("");
  return html(
    `<table class="mahler-table">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`,
  );
}
