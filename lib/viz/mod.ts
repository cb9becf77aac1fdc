/**
 * Notebook display helpers: HTML tables, Observable Plot SVG figures and Plotly figures.
 *
 * @module
 */
export * from "./display.ts";
export * from "./plot.ts";
export * from "./plotly.ts";
export * from "./frames.ts";
export * from "./report_page.ts";
