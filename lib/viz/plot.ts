/**
 * Observable Plot figures rendered to static SVG on the server side, with linkedom as the
 * document.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { type Displayable, html } from "./display.ts";

/** The Observable Plot module, for marks and scales in notebooks. */
export { Plot };

/**
 * Renders a Plot specification to SVG (or a figure with legend and caption).
 *
 * @param options Plot.plot options (marks, scales, ...): width in pixels, default 720;
 *   marginLeft in pixels, default 64 (room for tick labels such as "100,000")
 * @returns a displayable whose `html` is the SVG or figure markup
 */
export function plotSvg(options: Plot.PlotOptions): Displayable {
  const { document } = parseHTML("<!doctype html><html><body></body></html>") as unknown as {
    document: NonNullable<Plot.PlotOptions["document"]>;
  };
  const element = Plot.plot(
    { width: 720, marginLeft: 64, ...options, document } as Plot.PlotOptions,
  ) as unknown as {
    outerHTML: string;
  };
  return html(element.outerHTML);
}
