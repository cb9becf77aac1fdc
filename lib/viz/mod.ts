/**
 * Notebook display helpers: HTML tables and Markdown, number formats, Observable Plot SVG
 * figures and Plotly figures, one colour map, the tear sheet's figures, the figures and
 * sentences of each notebook (market, pricing, scanner, walk-forward, regimes, findings), and
 * the self-contained report page. The libraries underneath (nodejs-polars, Arquero, Observable
 * Plot) are imported from their own packages: `import pl from "nodejs-polars"`.
 *
 * @module
 */
export {
  type Displayable,
  escapeHtml,
  html,
  md,
  show,
  table,
  type TableOptions,
} from "./display.ts";
export {
  type ColumnFormat,
  formatAuto,
  formatDate,
  formatMoney,
  formatNumber,
  formatPct,
  formatSci,
  formatValue,
} from "./format.ts";
export { type AxisDate, PLOT_DEFAULTS, plotSvg, timeAxis } from "./plot.ts";
export { embedPlotly, plotly, type PlotlyObject, plotlySource } from "./plotly.ts";
export { selfContainedPage } from "./report_page.ts";
export {
  EXIT_REASON_COLORS,
  exitReasonScale,
  REGIME_COLORS,
  UNDERLYING_COLORS,
  UNDERLYING_SYMBOLS,
  underlyingSymbol,
  WINDOW_COLORS,
} from "./palette.ts";
export {
  annualReturnsChart,
  drawdownChart,
  drawdownsTable,
  equityChart,
  equityPlotly,
  exitReasonChart,
  exposureChart,
  monthlyReturnsHeatmap,
  pnlScatterChart,
  returnHistogramChart,
  rollingSharpeChart,
  type Shade,
  type TearSheetFigureOptions,
  type TearSheetFigures,
  tearSheetFigures,
} from "./tear_sheet.ts";
export { findingsSummary, findingsTable, findingsText } from "./findings.ts";
export {
  equityStoryText,
  exitReasonText,
  slippageChart,
  TRADE_TABLE_COLUMNS,
  tradeTable,
} from "./run_views.ts";
export {
  chainQuoteText,
  chainTable,
  closesChart,
  flagProfileTable,
  flagProfileText,
  greeksCheckTable,
  qualityTable,
  vixChart,
  vixRegimeText,
} from "./market_views.ts";
export {
  ivCheckChart,
  ivCheckText,
  putSpreadTable,
  roundTripTable,
  roundTripText,
  smileCharts,
  termStructureChart,
  termStructureText,
} from "./pricing_views.ts";
export {
  candidateCountsChart,
  candidateCountsText,
  candidateTable,
  creditBoundTable,
  creditBoundText,
  frontierChart,
} from "./scan_views.ts";
export {
  chosenValuesChart,
  decayChart,
  gridHeatmap,
  neverTradedText,
  noTradeShade,
  pboChart,
  stabilityTable,
  verdictTable,
  wfeTable,
  wfeText,
  windowSharpeChart,
  workerRunsTable,
} from "./walk_forward_views.ts";
export {
  marketRegimeChart,
  pnlPctChart,
  regimeExitChart,
  regimeExitTable,
  regimeSharpeChart,
  regimeSharpeText,
  regimeStatsTable,
  regimeText,
  sideBySide,
} from "./regime_views.ts";
export {
  STRATEGY_COLORS,
  strategyDrawdownChart,
  strategyEquityChart,
  strategyExitView,
  strategyFindingsTable,
  strategyFindingsText,
  strategyRegimeChart,
  strategyRegimeTable,
  strategyRunsText,
  strategySharpeChart,
  worstTradesTable,
} from "./strategy_views.ts";
export { assignmentText } from "./assignment_views.ts";
