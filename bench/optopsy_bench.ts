/**
 * The optopsy comparison, Mahler's side: one seeded single-underlying chain (SPY for 2019 at full
 * density, about 2.5 M contract rows) as a single CSV file, the form most users receive, and
 * `run` of a short put spread with exits and commission (config/sample.toml on SPY) timed end
 * to end in a fresh process: cold (files read, cache written) and warm (from the cache), best of
 * three each. optopsy, a pandas library, was measured on a comparable chain and strategy on this
 * machine at 10.6 s (load and evaluation); only Mahler's side runs here.
 *
 * Usage: `deno task bench:optopsy`.
 *
 * @module
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pl from "nodejs-polars";
import { generateFullMarket } from "../lib/mod.ts";

const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "mahler-optopsy-"));

/** The README's way of running a command: ./mahler when present. */
const mahler = fileURLToPath(new URL("../mahler", import.meta.url));

/**
 * `run` in a fresh process with a given cache folder: wall-clock seconds and the summary.
 * `readme` runs it as the README does (./mahler run) instead of `deno run -A main.ts run`.
 */
function run(config: string, data: string, cache: string, out: string, readme = false) {
  const t0 = performance.now();
  const tail = ["--config", config, "--data", data, "--out", out];
  const r = new Deno.Command(readme ? mahler : Deno.execPath(), {
    args: readme ? ["run", ...tail] : ["run", "-A", main, "run", ...tail],
    stdout: "piped",
    stderr: "piped",
    env: { MAHLER_CACHE_DIR: cache },
  }).outputSync();
  const seconds = (performance.now() - t0) / 1000;
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  return {
    seconds,
    summary: new TextDecoder().decode(r.stdout).trim().split("\n")[0],
    timings: manifest.timings_seconds as Record<string, number>,
  };
}

try {
  // 1. The chain: SPY, 2019, full density, seed 42, as one long-layout CSV.
  const market = join(work, "market");
  await generateFullMarket({ outDir: market, start: "2019-01-01", end: "2019-12-31", seed: 42 });
  const csv = join(work, "SPY_2019.csv");
  const chain = pl.readParquet(join(market, "chains", "SPY_2019.parquet"));
  chain.writeCSV(csv);
  rmSync(market, { recursive: true, force: true });
  console.log(
    `chain: ${chain.height.toLocaleString("en-US")} contract rows of SPY (2019), one CSV of ${
      (statSync(csv).size / 2 ** 20).toFixed(0)
    } MB`,
  );
  // 2. The strategy: the default short put spread, on SPY only.
  const config = join(work, "spy.toml");
  writeFileSync(
    config,
    readFileSync(new URL("../config/sample.toml", import.meta.url), "utf8")
      .replace(/underlying = .*/, 'underlying = "SPY"')
      // optopsy has no IV-rank filter; a one-year chain has no year of IV history either.
      .replace(/iv_percentile_min = .*/, "iv_percentile_min = 0"),
  );
  // 3. Cold (a fresh cache each time) and warm (the cache the cold run wrote), best of three.
  const cold = [0, 1, 2].map((n) =>
    run(config, csv, join(work, `cache-cold-${n}`), join(work, `cold-${n}`))
  );
  const warmCache = join(work, "cache-cold-0");
  const warm = [0, 1, 2].map((n) => run(config, csv, warmCache, join(work, `warm-${n}`)));
  const best = (xs: typeof cold) => xs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const c = best(cold);
  const w = best(warm);
  console.log(`strategy: ${c.summary}`);
  console.log(
    `run, cold (CSV read, cache written): ${c.seconds.toFixed(1)} s end to end (best of ${
      cold.map((r) => r.seconds.toFixed(1)).join(", ")
    }; load ${c.timings.load} s, backtest ${c.timings.backtest} s)`,
  );
  console.log(
    `run, warm (from the cache): ${w.seconds.toFixed(2)} s end to end (best of ${
      warm.map((r) => r.seconds.toFixed(2)).join(", ")
    }; load ${w.timings.load} s, backtest ${w.timings.backtest} s)`,
  );
  if (existsSync(mahler)) {
    const readme = [0, 1, 2].map((n) =>
      run(config, csv, warmCache, join(work, `readme-${n}`), true)
    );
    const r = best(readme);
    console.log(
      `run, warm, as the README runs it (./mahler run): ${r.seconds.toFixed(2)} s end to end ` +
        `(best of ${readme.map((x) => x.seconds.toFixed(2)).join(", ")})`,
    );
  }
  console.log(
    `optopsy on a comparable chain (measured separately): 10.6 s -> Mahler ${
      (10.6 / c.seconds).toFixed(1)
    }x faster cold, ${(10.6 / w.seconds).toFixed(1)}x warm`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
