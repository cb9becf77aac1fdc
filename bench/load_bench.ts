/**
 * Loading the sample market (Parquet) into a ChainStore, as a command or a notebook sees it: a
 * fresh process that reads the files (no cache), a fresh process that reads the binary cache,
 * and loads repeated in one process. Generates data/sample first when it is absent (not timed).
 *
 * The cold figure includes Deno's start-up; repeated in-process loads are noisier (each leaves
 * some hundred MB of polars memory to the collector).
 *
 * Run: `deno task bench` (or `deno bench -A bench/load_bench.ts`).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildChainStore, generateSample, loadMarketDataAsync } from "../lib/mod.ts";

if (!existsSync("data/sample")) generateSample({ outDir: "data/sample" });
const once = fileURLToPath(new URL("./load_once.ts", import.meta.url));
const cache = mkdtempSync(join(tmpdir(), "mahler-bench-cache-"));

function probe(cacheArg: string): void {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", once, "data/sample", cacheArg],
    stdout: "piped",
  }).outputSync();
  if (!out.success) throw new Error("load_once.ts failed");
}

probe(cache); // writes the cache entry the warm benchmark reads

Deno.bench("cold: files to ChainStore in a fresh process (start-up included)", {
  n: 5,
  warmup: 1,
}, () => probe("none"));

Deno.bench("warm: binary cache to ChainStore in a fresh process (start-up included)", {
  n: 5,
  warmup: 1,
}, () => probe(cache));

Deno.bench("repeated in one process: loadMarketDataAsync + buildChainStore, no cache", {
  n: 3,
  warmup: 1,
}, async () => {
  buildChainStore(await loadMarketDataAsync("data/sample"));
});
