/**
 * Loading the sample market (Parquet) and building the ChainStore. Generates data/sample first
 * when it is absent (not timed).
 *
 * The figure that matters is the cold one: a fresh process loads once, as a CLI command or a
 * notebook does (timed here with Deno's own start-up included). Loads repeated in one process
 * are slower and noisier: each leaves some hundred MB of polars memory that is freed only when
 * the JavaScript collector gets to the frames holding it.
 *
 * Run: `deno task bench` (or `deno bench -A bench/load_bench.ts`).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildChainStore, generateSample, loadMarketData } from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const once = fileURLToPath(new URL("./load_once.ts", import.meta.url));

Deno.bench("cold: load + build in a fresh process (start-up included)", {
  n: 5,
  warmup: 1,
}, () => {
  const out = new Deno.Command(Deno.execPath(), { args: ["run", "-A", once], stdout: "piped" })
    .outputSync();
  if (!out.success) throw new Error("load_once.ts failed");
});

const market = loadMarketData("data/sample");

Deno.bench("repeated in one process: loadMarketData (chains, bars, VIX)", {
  n: 3,
  warmup: 1,
}, () => {
  loadMarketData("data/sample");
});

Deno.bench("repeated in one process: buildChainStore from the loaded frames", {
  n: 3,
  warmup: 1,
}, () => {
  buildChainStore(market);
});
