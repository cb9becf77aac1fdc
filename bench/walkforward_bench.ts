/**
 * The full default grid (240 combinations) walk-forward over the whole sample (65 periods),
 * with 1 and 2 workers. Data loading, and sharing the store with workers, happen once outside
 * the timing. Generates data/sample first when absent.
 *
 * Run: `deno bench -A bench/walkforward_bench.ts`.
 */
import { existsSync } from "node:fs";
import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
} from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const store = buildChainStore(loadMarketData("data/sample")).share();
// config/sample.toml: the default grid with entry values that trade on the sample (the spec's
// example values of config/spec_example.toml enter no trade there, which would time an empty run).
const config = loadConfig("config/sample.toml");

for (const workers of [1, 2]) {
  Deno.bench(`optimize: default grid, whole sample, ${workers} worker${workers > 1 ? "s" : ""}`, {
    n: 4,
    warmup: 1,
  }, async () => {
    await optimizeWalkForward(store, config, { workers });
  });
}
