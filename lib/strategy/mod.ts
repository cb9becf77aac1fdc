/**
 * Strategy layer: configuration (TOML + schema), parameters, IV percentile, the scanner and
 * candidate scoring.
 *
 * @module
 */
export * from "./config.ts";
export * from "./params.ts";
export * from "./iv_rank.ts";
export * from "./scanner.ts";
export * from "./scan_frame.ts";
