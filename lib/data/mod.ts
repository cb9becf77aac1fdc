/**
 * Data layer: load and validate option chains (long or ORATS wide; CSV, gzip CSV or Parquet),
 * underlying bars and VIX; build the shared typed-array ChainStore; report data quality;
 * generate the deterministic sample market.
 *
 * @module
 */
export * from "./dates.ts";
export * from "./errors.ts";
export * from "./schema.ts";
export * from "./read_table.ts";
export * from "./normalize.ts";
export * from "./load.ts";
export * from "./chain_store.ts";
export * from "./quality.ts";
export * from "./random.ts";
export * from "./sample.ts";
