/**
 * Data layer: loads option chains in every layout users hold (the long layout, ORATS strikes
 * as CSV, Parquet or API JSON, ORATS SMV Strikes, the snake_case layout and its ticker-year
 * Parquet tree, CBOE Option EOD with or without Calcs, any other layout through a column map;
 * CSV, gzip, zip, Parquet or JSON, in any mix), underlying bars and VIX; streams them into the
 * shared typed-array ChainStore with a memory-mapped binary cache; reports data quality against
 * the NYSE calendar.
 *
 * @module
 */
export * from "./conventions.ts";
export * from "./dates.ts";
export * from "./calendar.ts";
export * from "./errors.ts";
export * from "./layouts.ts";
export * from "./load.ts";
export * from "./cache.ts";
export * from "./derived.ts";
export * from "./file_hash.ts";
export * from "./chain_store.ts";
export * from "./quality.ts";
export * from "./random.ts";
export * from "./chain_days.ts";
