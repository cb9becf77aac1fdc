/**
 * Loading the sample market (Parquet) and building the ChainStore. Generates data/sample first
 * when it is absent (not timed).
 *
 * Run: `deno task bench` (or `deno bench -A bench/load_bench.ts`).
 */
import { existsSync } from "node:fs";
import { buildChainStore, generateSample, loadMarketData } from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const market = loadMarketData("data/sample");

Deno.bench("loadMarketData: sample Parquet chains, bars and VIX", { n: 3, warmup: 1 }, () => {
  loadMarketData("data/sample");
});

Deno.bench("buildChainStore: from the loaded frames", { n: 3, warmup: 1 }, () => {
  buildChainStore(market);
});

Deno.bench("load + build: sample to ChainStore", { n: 3, warmup: 1 }, () => {
  buildChainStore(loadMarketData("data/sample"));
});
