/**
 * Mahler: an options credit-spread backtester and research kit.
 *
 * The library is layered — data, pricing, stats, strategy, simulation, walk-forward, output,
 * viz — and each layer imports only from the layers before it. This module is the public API:
 * the functions and types notebooks, scripts and the command line use, named layer by layer.
 * Internals (typed-array kernels, the worker pool, `_`-prefixed modules) stay in their layers.
 *
 * The notebook path in five calls:
 * `loadMarketData` → `buildChainStore` → `loadConfig` → `scan` / `runBacktest` /
 * `optimizeWalkForward` → `computeMetrics`, `tradesFrame`, `equityFrame`.
 *
 * @module
 */

// Every layer from data to output, and the sample markets (lib/core.ts).
export * from "./core.ts";

// Notebook display: tables, Markdown, formats, figures, the tear sheet's and each notebook's.
export * from "./viz/mod.ts";
