/**
 * Makes a page rendered by nbconvert self-contained: it must open the same anywhere, from a
 * file, without the machine that rendered it.
 *
 * @module
 */
import { embedPlotly, plotlySource } from "./plotly.ts";

/**
 * Script tags that load a file by `src`. nbconvert's templates link require.js and MathJax from
 * the rendering machine's disk (Debian: file:///usr/share/javascript/...); the reports use
 * neither, and require.js would even turn the embedded Plotly bundle into an AMD module that
 * never sets `window.Plotly`.
 */
const EXTERNAL_SCRIPT = /<script\b[^>]*\bsrc\s*=\s*["'][^"']*["'][^>]*>\s*<\/script>/gi;

/**
 * The page without externally loaded scripts, and with the Plotly library embedded once when
 * it holds Plotly figures.
 *
 * @param page HTML from nbconvert
 * @param source the plotly.js source (default: from node_modules)
 * @returns the self-contained page
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfContainedPage } from "./report_page.ts";
 * const page = '<html><head><script src="file:///usr/share/javascript/requirejs/require.min.js">' +
 *   '</script></head><body><div class="mahler-plotly"></div></body></html>';
 * const out = selfContainedPage(page, () => "var Plotly = {};");
 * assert.ok(!out.includes("require.min.js"));
 * assert.equal(out.match(/id="mahler-plotly-library"/g)?.length, 1);
 * ```
 */
export function selfContainedPage(page: string, source: () => string = plotlySource): string {
  return embedPlotly(page.replace(EXTERNAL_SCRIPT, ""), source);
}
