/**
 * Notebook display helpers: HTML tables, Observable Plot SVG figures and Plotly figures, the
 * tear sheet's figures, the frame libraries notebooks use (nodejs-polars as `pl`, Arquero as
 * `aq`), and the self-contained report page.
 *
 * @module
 */
export { type Displayable, escapeHtml, html, show, table } from "./display.ts";
export { Plot, plotSvg } from "./plot.ts";
export { embedPlotly, plotly, type PlotlyObject, plotlySource } from "./plotly.ts";
export { aq, pl } from "./frames.ts";
export { selfContainedPage } from "./report_page.ts";
export {
  annualReturnsChart,
  drawdownsTable,
  equityChart,
  exitReasonChart,
  exposureChart,
  monthlyReturnsHeatmap,
  pnlScatterChart,
  returnHistogramChart,
  rollingSharpeChart,
  tearSheetFigures,
} from "./tear_sheet.ts";
