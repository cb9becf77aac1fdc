/**
 * The public API without the notebook display layer (lib/viz): each layer's `mod.ts`, from data
 * to the commands as library functions (lib/app), and the sample markets. What a layer offers is
 * stated once, in its `mod.ts`; this module adds nothing of its own. The command line imports
 * it, so that a command does not load the plotting libraries (about 0.3 s of start-up); scripts
 * that need no figures can do the same (`@mahler/mahler/core`).
 *
 * @module
 */
export * from "./data/mod.ts";
export * from "./pricing/mod.ts";
export * from "./stats/mod.ts";
export * from "./strategy/mod.ts";
export * from "./simulation/mod.ts";
export * from "./walkforward/mod.ts";
export * from "./output/mod.ts";
export * from "./app/mod.ts";
export * from "./sample/mod.ts";
