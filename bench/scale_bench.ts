/**
 * The figures of the performance docs at the strategy author's scale, each in a fresh process
 * as a user would see it, best of `--rounds` (default 3) where repeated, with the machine's load
 * average (1 minute) beside every figure and each process's peak and final resident memory,
 * split into private memory and mapped files (the cache's page cache, shared between processes):
 *
 * 1. start-up: `deno --version` through npx, through ./mahler and directly;
 * 2. the cold load of the full-density market (files to ChainStore, cache written);
 * 3. the warm load of the whole market from the cache (every column mapped);
 * 4. a 17-year `run` of config/sample.toml, warm, end to end;
 * 5. a repeated `run` of config/sample.toml on the sample, end to end, directly and as the
 *    README runs it (./mahler, else npx);
 * 6. the optopsy comparison chain's warm `run` (bench/optopsy_bench.ts, its own process);
 * 7. `optimize` of the default grid (config/sample.toml) on the full market with 2 workers and
 *    with 1;
 * 8. implied volatility per second on bench/pricing_bench.ts's mixed options.
 *
 * The market is generated on first use (about 2.5 minutes, 3.1 GB) into `--data DIR` (default
 * $MAHLER_SCALE_DATA, else data/full). The cache lives in a temporary folder, removed at the end.
 *
 * Usage: `deno task bench:scale [--data DIR] [--rounds N] [--skip-optimize] [--skip-optopsy]
 * [--skip-cold]`.
 *
 * @module
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    data: { type: "string" },
    rounds: { type: "string" },
    "skip-optimize": { type: "boolean" },
    "skip-optopsy": { type: "boolean" },
    "skip-cold": { type: "boolean" },
  },
});
const data = values.data ?? Deno.env.get("MAHLER_SCALE_DATA") ?? "data/full";
const rounds = Math.max(1, Number(values.rounds ?? 3));
const root = fileURLToPath(new URL("..", import.meta.url));
const main = join(root, "main.ts");
const once = join(root, "bench", "load_once.ts");
const work = mkdtempSync(join(tmpdir(), "mahler-scale-"));
const cache = join(work, "cache");

/** A process's memory, sampled from /proc while it ran (Linux; zeros elsewhere). */
interface Memory {
  /** Peak resident set (VmHWM), bytes. */
  peak: number;
  /** The largest resident set sampled, split into private (anonymous) memory and mapped files. */
  anon: number;
  file: number;
}

/** One timed process. */
interface Timed {
  seconds: number;
  out: string;
  err: string;
  memory: Memory;
  /** 1-minute load average when it started. */
  load: number;
}

/** The 1-minute load average. */
function loadAverage(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return NaN;
  }
}

/** Fields of /proc/PID/status, bytes (null when gone or not Linux). */
function status(pid: number): Record<string, number> | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^(\w+):\s+(\d+) kB/gm)) out[m[1]] = Number(m[2]) * 1024;
    return out;
  } catch {
    return null;
  }
}

/** Runs a command, timing it and sampling its memory every 50 ms; fails loudly. */
async function timed(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Timed> {
  const load = loadAverage();
  const t0 = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    cwd: root,
    env: { MAHLER_CACHE_DIR: cache, ...env },
  }).spawn();
  const memory: Memory = { peak: 0, anon: 0, file: 0 };
  const sample = () => {
    const s = status(child.pid);
    if (!s) return;
    memory.peak = Math.max(memory.peak, s.VmHWM ?? 0);
    const anon = s.RssAnon ?? 0;
    const file = (s.RssFile ?? 0) + (s.RssShmem ?? 0);
    if (anon + file > memory.anon + memory.file) {
      memory.anon = anon;
      memory.file = file;
    }
  };
  const timer = setInterval(sample, 50);
  const result = await child.output();
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  if (!result.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${decode(result.stderr)}`);
  }
  return { seconds, out: decode(result.stdout), err: decode(result.stderr), memory, load };
}

const deno = Deno.execPath();
const gb = (b: number) => (b / 2 ** 30).toFixed(2);
const mrows = (n: number) => `${(n / 1e6).toFixed(1)} M`;
const mem = (m: Memory) =>
  m.peak
    ? `peak RSS ${gb(m.peak)} GB (largest sample ${gb(m.anon)} GB private + ${
      gb(m.file)
    } GB mapped files)`
    : "";

/** The best of `n` runs (by time), with every time and load. */
async function best(n: number, run: () => Promise<Timed>): Promise<{ best: Timed; all: Timed[] }> {
  const all: Timed[] = [];
  for (let k = 0; k < n; k++) all.push(await run());
  return { best: all.reduce((a, b) => (a.seconds <= b.seconds ? a : b)), all };
}

/** "best X s (a, b, c s at loads p, q, r)". */
function bestLine(r: { best: Timed; all: Timed[] }): string {
  return `best ${r.best.seconds.toFixed(2)} s (${
    r.all.map((t) => t.seconds.toFixed(2)).join(", ")
  } s at loads ${r.all.map((t) => t.load.toFixed(1)).join(", ")})`;
}

/** One load in a fresh process (see load_once.ts), with its own figures. */
async function probe(path: string, cacheDir: string) {
  const t = await timed(deno, ["run", "-A", once, path, cacheDir]);
  const p = JSON.parse(t.out.trim().split("\n").pop()!) as {
    rows: number;
    seconds: number;
    source: string;
    peak_rss_bytes: number;
  };
  return { ...t, rows: p.rows, source: p.source, inProcess: p.seconds };
}

const runArgs = (config: string, dataPath: string, out: string) => [
  "run",
  "-A",
  main,
  "run",
  "--config",
  config,
  "--data",
  dataPath,
  "--out",
  out,
];

try {
  if (!existsSync(data)) {
    console.log(`Generating the full-density market in ${data} (sample --profile full) ...`);
    const g = await timed(deno, ["run", "-A", main, "sample", "--profile", "full", "--out", data]);
    console.log(`  ${g.out.trim()} (${g.seconds.toFixed(0)} s)`);
  }
  const sample = join(root, "data", "sample");
  if (!existsSync(sample)) await timed(deno, ["run", "-A", main, "sample", "--out", sample]);
  console.log(
    `Full-density market: ${data}; ${Deno.version.deno}; ${navigator.hardwareConcurrency} cores`,
  );

  // 1. Start-up.
  const mahler = join(root, "mahler");
  const launchers: Array<[string, string, string[]]> = [
    ["npx --yes deno@2.9.6 --version", "npx", ["--yes", "deno@2.9.6", "--version"]],
    ["deno --version (this binary)", deno, ["--version"]],
  ];
  if (existsSync(mahler)) {
    launchers.splice(1, 0, ["./mahler --deno --version", mahler, ["--deno", "--version"]]);
  }
  for (const [name, cmd, args] of launchers) {
    try {
      await timed(cmd, args); // the first run may install
      console.log(`start-up, ${name}: ${bestLine(await best(rounds, () => timed(cmd, args)))}`);
    } catch (err) {
      console.log(`start-up, ${name}: not measured (${(err as Error).message.split("\n")[0]})`);
    }
  }

  // 2. Cold load (a fresh cache), then 3. warm loads of the whole market.
  if (!values["skip-cold"]) {
    const cold = await probe(data, cache);
    console.log(
      `cold load (files -> ChainStore, cache written): ${mrows(cold.rows)} rows in ${
        cold.seconds.toFixed(1)
      } s end to end (load ${cold.inProcess.toFixed(1)} s) at load ${cold.load.toFixed(1)}; ${
        mem(cold.memory)
      }`,
    );
  } else await probe(data, cache);
  const warm = await best(rounds, () => probe(data, cache));
  const w = warm.best as Awaited<ReturnType<typeof probe>>;
  console.log(
    `warm load of the whole market (cache -> ChainStore, source ${w.source}): ${
      mrows(w.rows)
    } rows, ${bestLine(warm)}; in the process ${w.inProcess.toFixed(2)} s; ${mem(w.memory)}`,
  );

  // 4. The 17-year run, warm (the first run writes its own entry).
  const out = (name: string) => join(work, name);
  const first = await timed(deno, runArgs("config/sample.toml", data, out("run-0")));
  let n = 0;
  const runs = await best(
    rounds,
    () => timed(deno, runArgs("config/sample.toml", data, out(`run-${++n}`))),
  );
  console.log(
    `17-year run of config/sample.toml, warm, end to end: ${bestLine(runs)}; ${
      mem(runs.best.memory)
    } (the first, writing its own entry: ${first.seconds.toFixed(1)} s)`,
  );
  console.log(`  ${first.out.trim().split("\n")[0]}`);

  // 5. A repeated run on the sample: directly, and as the README runs it.
  await timed(deno, runArgs("config/sample.toml", sample, out("sample-0")));
  const direct = await best(
    rounds,
    () => timed(deno, runArgs("config/sample.toml", sample, out(`sample-${++n}`))),
  );
  console.log(
    `repeated run on the sample, deno run -A main.ts run: ${bestLine(direct)}; ${
      mem(direct.best.memory)
    }`,
  );
  const readme: [string, string[]] = existsSync(mahler)
    ? [mahler, ["run"]]
    : ["npx", ["--yes", "deno@2.9.6", "task", "run"]];
  const taskArgs = () => [
    ...readme[1],
    "--config",
    "config/sample.toml",
    "--data",
    sample,
    "--out",
    out(`sample-${++n}`),
  ];
  const viaReadme = await best(rounds, () => timed(readme[0], taskArgs()));
  console.log(
    `repeated run on the sample as the README runs it (${
      existsSync(mahler) ? "./mahler run" : "npx --yes deno@2.9.6 task run"
    }): ${bestLine(viaReadme)}`,
  );

  // 6. The optopsy comparison chain.
  if (!values["skip-optopsy"]) {
    const o = await timed(deno, ["run", "-A", join(root, "bench", "optopsy_bench.ts")]);
    for (const line of o.out.trim().split("\n")) console.log(`optopsy chain: ${line}`);
  }

  // 7. optimize, default grid, full market, 2 workers and 1.
  if (!values["skip-optimize"]) {
    for (const workers of [2, 1]) {
      const opt = await timed(deno, [
        "run",
        "-A",
        main,
        "optimize",
        "--config",
        "config/sample.toml",
        "--data",
        data,
        "--workers",
        String(workers),
        "--out",
        out(`optimize-${workers}`),
      ]);
      console.log(
        `optimize, default grid, ${workers} worker${workers > 1 ? "s" : ""}, end to end: ${
          opt.seconds.toFixed(0)
        } s at load ${opt.load.toFixed(1)}; ${mem(opt.memory)}`,
      );
      console.log(`  ${opt.out.trim().split("\n").find((l) => /periods x/.test(l)) ?? ""}`);
    }
  }

  // 8. Implied volatility per second (Deno's benchmark of 1 M mixed options).
  const iv = await timed(deno, [
    "bench",
    "-A",
    "--json",
    "--filter",
    "impliedVolArray",
    join(root, "bench", "pricing_bench.ts"),
  ]);
  const report = JSON.parse(iv.out) as {
    benches: Array<{ name: string; results: Array<{ ok?: { avg: number; min: number } }> }>;
  };
  const ok = report.benches[0]?.results[0]?.ok;
  if (ok) {
    // Deno reports nanoseconds per iteration of 1 M options.
    console.log(
      `implied volatility, 1 M mixed options: ${(1e9 / ok.avg).toFixed(2)} M/s on average, ${
        (1e9 / ok.min).toFixed(2)
      } M/s at best (avg ${(ok.avg / 1e6).toFixed(0)} ms) at load ${iv.load.toFixed(1)}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
