/**
 * The deterministic sample markets: the default sample (SPY, QQQ and IWM, 2019-2024, the
 * README's first command and the tests) and the full-density market for benchmarks. They
 * price options with the pricing layer, so this folder sits above it.
 *
 * @module
 */
export * from "./market.ts";
export * from "./full.ts";
