/**
 * One load in a fresh process, as a command or a notebook kernel does it once: loads a data path
 * (loadMarketDataAsync, then buildChainStore) and prints JSON with the rows, the seconds, the
 * peak resident memory of the process (VmHWM) and its resident memory after the load.
 *
 * Usage: `deno run -A bench/load_once.ts DATA [CACHE_DIR|none] [FROM] [TO]`. Spawned by the
 * load and scale benchmarks.
 *
 * @module
 */
import { buildChainStore, loadMarketDataAsync } from "../lib/core.ts";

/** A field of /proc/self/status in bytes (Linux), or null elsewhere. */
function procStatus(field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      Deno.readTextFileSync("/proc/self/status"),
    );
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const [data = "data/sample", cache = "none", from, to] = Deno.args;
const t0 = performance.now();
const market = await loadMarketDataAsync(data, {
  cache: cache === "none" ? false : cache,
  from: from || undefined,
  to: to || undefined,
});
const store = buildChainStore(market);
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({
  rows: store.rowCount,
  seconds,
  load_seconds: market.load.seconds,
  source: market.load.source,
  files_read: market.load.filesRead,
  files_skipped: market.load.filesSkipped,
  cache_written: market.load.cacheWritten,
  peak_rss_bytes: procStatus("VmHWM") ?? Deno.memoryUsage().rss,
  rss_bytes: procStatus("VmRSS") ?? Deno.memoryUsage().rss,
}));
