/**
 * Mahler: an options credit-spread backtester and research kit.
 *
 * The library is layered — data, pricing, strategy, simulation, walk-forward, output — and each
 * layer's functions are re-exported here for notebooks and scripts.
 *
 * @module
 */
export * from "./data/mod.ts";
export * from "./pricing/mod.ts";
export * from "./strategy/mod.ts";
export * from "./simulation/mod.ts";
export * from "./output/mod.ts";
export * from "./walkforward/mod.ts";
export * from "./stats/mod.ts";
export * from "./viz/mod.ts";
export * from "./sample/mod.ts";
