/**
 * One cold load: a fresh process loads the sample market and builds the ChainStore, as a CLI
 * command or a notebook kernel does once. Spawned by load_bench.ts; prints the in-process
 * seconds of load and build as JSON.
 *
 * @module
 */
import { buildChainStore, loadMarketData } from "../lib/mod.ts";

const t0 = performance.now();
const market = loadMarketData("data/sample");
const t1 = performance.now();
const store = buildChainStore(market);
const t2 = performance.now();
console.log(JSON.stringify({
  load_s: (t1 - t0) / 1000,
  build_s: (t2 - t1) / 1000,
  rows: store.rowCount,
}));
