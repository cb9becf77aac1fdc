/**
 * Parallel speedup of the walk-forward optimizer: the full default grid over the whole sample
 * with 1 and 2 workers, alternated (1, 2, 1, 2, ...) so that both see the same machine, data
 * loaded once outside the timing. Prints each run and the best-of-N times and their ratio.
 * Generates data/sample first when absent.
 *
 * Run: `deno task bench:speedup [rounds]` (default 4 rounds).
 */
import { existsSync } from "node:fs";
import {
  buildChainStore,
  generateSample,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
} from "../lib/mod.ts";

const rounds = Number(Deno.args[0] ?? 4);
if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const store = buildChainStore(loadMarketData("data/sample")).share();
// config/sample.toml: the default grid with entry values that trade on the sample (the spec's
// example values of config/spec_example.toml enter no trade there, which would time an empty run).
const config = loadConfig("config/sample.toml");
const seconds: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) {
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const result = await optimizeWalkForward(store, config, { workers });
    const s = (performance.now() - t0) / 1000;
    seconds[workers].push(s);
    console.log(
      `round ${r + 1}, ${workers} worker${workers > 1 ? "s" : ""}: ${s.toFixed(2)} s ` +
        `(${result.periods.length} periods x ${result.combinations} combinations)`,
    );
  }
}
const best = (xs: number[]) => Math.min(...xs);
console.log(
  `best of ${rounds}: 1 worker ${best(seconds[1]).toFixed(2)} s, 2 workers ${
    best(seconds[2]).toFixed(2)
  } s, speedup ${(best(seconds[1]) / best(seconds[2])).toFixed(2)}x`,
);
