/**
 * Interactive Plotly figures. A figure's output is small: a div, a `Plotly.newPlot` call, and
 * the `application/vnd.plotly.v1+json` bundle that JupyterLab renders natively. The plotly.js
 * library itself (the minified build of plotly.js-dist-min, about 4.7 MB) is added once per page
 * by {@link embedPlotly} when reports are rendered, so each HTML report is self-contained and
 * carries it once. (A kernel message of that size breaks the Jupyter protocol, so it cannot
 * travel with a cell.)
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Displayable } from "./display.ts";

let counter = 0;

/** A Plotly trace or layout: plain JSON. */
export type PlotlyObject = Record<string, unknown>;

/** A title as plotly.js 3 wants it: `{ text }` (it ignores a plain string). */
function titleObject(title: unknown): unknown {
  return typeof title === "string" ? { text: title } : title;
}

/** The layout with string titles of the figure and of its axes turned into `{ text }`. */
function normalizeTitles(layout: PlotlyObject): PlotlyObject {
  const out: PlotlyObject = { ...layout };
  if ("title" in out) out.title = titleObject(out.title);
  for (const [key, value] of Object.entries(out)) {
    if (/^[xyz]axis\d*$/.test(key) && value && typeof value === "object" && "title" in value) {
      out[key] = { ...value, title: titleObject((value as PlotlyObject).title) };
    }
  }
  return out;
}

/**
 * An interactive Plotly figure.
 *
 * @param data traces
 * @param layout layout (title, axes, height in pixels — default 420); titles may be plain
 *   strings, for the figure and for each axis
 * @returns a displayable div with its script and the Plotly MIME bundle
 *
 * @example A string title becomes the `{ text }` object plotly.js 3 reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotly } from "./plotly.ts";
 * const fig = plotly([{ type: "scatter", x: [1], y: [2] }], { title: "Equity", yaxis: { title: "$" } });
 * assert.ok(fig.html.includes('"title":{"text":"Equity"}'));
 * assert.ok(fig.html.includes('"yaxis":{"title":{"text":"$"}}'));
 * ```
 */
export function plotly(data: PlotlyObject[], layout: PlotlyObject = {}): Displayable {
  const id = `mahler-plotly-${++counter}`;
  const figure = { data, layout: { height: 420, ...normalizeTitles(layout) } };
  const spec = JSON.stringify(figure).replace(/</g, "\\u003c");
  const markup =
    `<div id="${id}" class="mahler-plotly" style="width:100%;min-height:${figure.layout.height}px"></div>` +
    `<script>(function(){var s=${spec};if(window.Plotly){Plotly.newPlot("${id}",s.data,s.layout,{responsive:true});}` +
    `else{document.getElementById("${id}").textContent="(interactive figure: open the HTML report)";}})();</script>`;
  return {
    html: markup,
    [Symbol.for("Jupyter.display")]: () =>
      ({
        "text/html": markup,
        "application/vnd.plotly.v1+json": figure,
      }) as unknown as Record<string, string>,
  };
}

/** The minified plotly.js bundle's source (plotly.js-dist-min), from the project's node_modules. */
export function plotlySource(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "node_modules", "plotly.js-dist-min", "plotly.min.js");
    if (existsSync(candidate)) return readFileSync(candidate, "utf8");
    dir = dirname(dir);
  }
  throw new Error(
    "plotly.js-dist-min not found in node_modules (run any deno task once to install it)",
  );
}

/**
 * Adds the plotly.js library once to an HTML page that holds Plotly figures (in its head, so
 * it loads before the figures' scripts); pages without figures are returned unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { embedPlotly } from "./plotly.ts";
 * assert.equal(embedPlotly("<html><head></head><body>no figures</body></html>"), "<html><head></head><body>no figures</body></html>");
 * ```
 */
export function embedPlotly(page: string, source: () => string = plotlySource): string {
  if (!page.includes("mahler-plotly") || page.includes('id="mahler-plotly-library"')) return page;
  const script = `<script id="mahler-plotly-library">${
    source().replace(/<\/script/gi, "<\\/script")
  }</script>`;
  const at = page.indexOf("</head>");
  return at >= 0 ? page.slice(0, at) + script + page.slice(at) : script + page;
}
