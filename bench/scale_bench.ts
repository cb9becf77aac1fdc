/**
 * The data layer at the strategy author's scale: the full-density SPY/QQQ/IWM market for
 * 2007-2023 (`sample --profile full`, about 73.5 M contract rows), on this machine. Prints, each
 * in a fresh process as a user would see it:
 *
 * - rows, and the cold load (files to ChainStore, the cache written meanwhile): seconds, peak
 *   RSS and bytes per row, resident and peak;
 * - the warm load of the whole market from the cache (best of three);
 * - cold loads at several sizes (the default sample, then one and four years of the full market
 *   through a date window, and the whole of it), to show time and memory growing in proportion
 *   to rows;
 * - one 17-year `run` of config/sample.toml end to end with a warm cache (best of three);
 * - `optimize` of the default grid on 2 workers, end to end.
 *
 * The market is generated on first use (about 2.5 minutes, 3.1 GB) into `--data DIR` (default
 * $MAHLER_SCALE_DATA, else data/full). The cache lives in a temporary folder, removed at the end.
 *
 * Usage: `deno task bench:scale [--data DIR] [--skip-optimize] [--skip-sizes]`.
 *
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    data: { type: "string" },
    "skip-optimize": { type: "boolean" },
    "skip-sizes": { type: "boolean" },
  },
});
const data = values.data ?? Deno.env.get("MAHLER_SCALE_DATA") ?? "data/full";
const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const once = fileURLToPath(new URL("./load_once.ts", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "mahler-scale-"));
const cache = join(work, "cache");

interface Probe {
  rows: number;
  seconds: number;
  source: string;
  files_read: number;
  cache_written: boolean;
  peak_rss_bytes: number;
  rss_bytes: number;
}

/** Runs a command, returning its wall-clock seconds (and its stdout); fails loudly. */
function timed(args: string[], env: Record<string, string> = {}): { seconds: number; out: string } {
  const t0 = performance.now();
  const out = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { MAHLER_CACHE_DIR: cache, ...env },
  }).outputSync();
  const seconds = (performance.now() - t0) / 1000;
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return { seconds, out: text };
}

/** One load in a fresh process (see load_once.ts). */
function probe(path: string, cacheDir: string, from = "", to = ""): Probe {
  const { out } = timed(["run", "-A", once, path, cacheDir, from, to]);
  return JSON.parse(out.trim().split("\n").pop()!) as Probe;
}

const gb = (b: number) => (b / 2 ** 30).toFixed(2);
const perRow = (b: number, rows: number) => (b / rows).toFixed(0);
const mrows = (n: number) => `${(n / 1e6).toFixed(1)} M`;

try {
  if (!existsSync(data)) {
    console.log(`Generating the full-density market in ${data} (sample --profile full) ...`);
    const g = timed(["run", "-A", main, "sample", "--profile", "full", "--out", data]);
    console.log(`  ${g.out.trim()} (${g.seconds.toFixed(0)} s)`);
  }
  console.log(`Full-density market: ${data}`);

  // 1. Cold, then warm, whole-market loads.
  const cold = probe(data, cache);
  console.log(
    `cold load (files -> ChainStore, cache written): ${mrows(cold.rows)} rows in ${
      cold.seconds.toFixed(1)
    } s; peak RSS ${gb(cold.peak_rss_bytes)} GB (${
      perRow(cold.peak_rss_bytes, cold.rows)
    } B/row), ` +
      `resident ${gb(cold.rss_bytes)} GB (${perRow(cold.rss_bytes, cold.rows)} B/row)`,
  );
  const warm = [probe(data, cache), probe(data, cache), probe(data, cache)];
  const best = warm.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  console.log(
    `warm load (cache -> ChainStore): ${mrows(best.rows)} rows in ${best.seconds.toFixed(1)} s ` +
      `(best of 3: ${
        warm.map((p) => p.seconds.toFixed(1)).join(", ")
      } s; source ${best.source}), ` +
      `peak RSS ${gb(best.peak_rss_bytes)} GB`,
  );

  // 2. Loads at several sizes (cold, each with a fresh cache): time and memory per row.
  if (!values["skip-sizes"]) {
    console.log("cold loads by size (files -> ChainStore, cache written):");
    console.log(
      "  data                       rows      seconds  s per M rows  peak RSS  peak B/row",
    );
    const sizes: Array<[string, string, string, string]> = [
      ["default sample", "data/sample", "", ""],
      ["full, 2023", data, "2023-01-01", "2023-12-31"],
      ["full, 2020-2023", data, "2020-01-01", "2023-12-31"],
    ];
    if (!existsSync("data/sample")) timed(["run", "-A", main, "sample"]);
    for (const [name, path, from, to] of sizes) {
      const fresh = join(work, `cache-${name.replace(/\W+/g, "-")}`);
      const p = probe(path, fresh, from, to);
      rmSync(fresh, { recursive: true, force: true });
      console.log(
        `  ${name.padEnd(22)} ${mrows(p.rows).padStart(9)} ${p.seconds.toFixed(1).padStart(9)} ${
          (p.seconds / (p.rows / 1e6)).toFixed(2).padStart(12)
        } ${gb(p.peak_rss_bytes).padStart(6)} GB ${perRow(p.peak_rss_bytes, p.rows).padStart(9)}`,
      );
    }
    console.log(
      `  ${"full, 2007-2023".padEnd(22)} ${mrows(cold.rows).padStart(9)} ${
        cold.seconds.toFixed(1).padStart(9)
      } ${(cold.seconds / (cold.rows / 1e6)).toFixed(2).padStart(12)} ${
        gb(cold.peak_rss_bytes).padStart(6)
      } GB ${perRow(cold.peak_rss_bytes, cold.rows).padStart(9)}  (the cold load above)`,
    );
  }

  // 3. The 17-year run, end to end, warm (its own cache entry written by the first run).
  const out = (n: number) => join(work, `run-${n}`);
  const first = timed([
    "run",
    "-A",
    main,
    "run",
    "--config",
    "config/sample.toml",
    "--data",
    data,
    "--out",
    out(0),
  ]);
  const runs = [1, 2, 3].map((n) =>
    timed([
      "run",
      "-A",
      main,
      "run",
      "--config",
      "config/sample.toml",
      "--data",
      data,
      "--out",
      out(n),
    ])
      .seconds
  );
  console.log(
    `17-year run of config/sample.toml, end to end, warm cache: best ${
      Math.min(...runs).toFixed(1)
    } s (${runs.map((s) => s.toFixed(1)).join(", ")} s; the first, writing its own entry: ${
      first.seconds.toFixed(1)
    } s)`,
  );
  console.log(`  ${first.out.trim().split("\n")[0]}`);

  // 4. optimize, default grid, 2 workers.
  if (!values["skip-optimize"]) {
    const opt = timed([
      "run",
      "-A",
      main,
      "optimize",
      "--config",
      "config/sample.toml",
      "--data",
      data,
      "--workers",
      "2",
      "--out",
      join(work, "optimize"),
    ]);
    console.log(
      `optimize, default grid, 2 workers, end to end: ${opt.seconds.toFixed(0)} s`,
    );
    for (const line of opt.out.trim().split("\n").slice(0, 2)) console.log(`  ${line}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
