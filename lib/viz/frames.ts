/**
 * The frame libraries notebooks use, re-exported so that a notebook imports only lib/mod.ts:
 * nodejs-polars as `pl`, Arquero as `aq` (for small tables where its verbs read better).
 *
 * @module
 */
export { default as pl } from "nodejs-polars";
export * as aq from "arquero";
