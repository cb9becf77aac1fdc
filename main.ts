/**
 * Mahler command line.
 *
 *   mahler                      the main job on the sample data (generated on first use)
 *   mahler optimize [--config FILE] [--data PATH] [--out DIR] [--workers N]
 *   mahler run --config FILE --data PATH --out DIR [--from DATE] [--to DATE]
 *   mahler validate --params FILE --data PATH --out DIR [--from DATE] [--to DATE]
 *   mahler export --run DIR --format csv|json
 *   mahler inspect --data PATH [--json]
 *   mahler sample [--out DIR] [--seed N]
 *   mahler report [--notebooks DIR] [--out DIR]
 *
 * Unknown commands, unknown flags and bad values exit with code 2 and a message on stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import pl from "nodejs-polars";
import cliProgress from "cli-progress";
import { join, resolve } from "node:path";
import {
  buildChainStore,
  ConfigError,
  DataError,
  dataQuality,
  embedPlotly,
  generateSample,
  type GreeksCheck,
  greeksCheck,
  isoToDay,
  loadConfig,
  loadMarketData,
  optimizeWalkForward,
  type OutputFile,
  type QualityReport,
  runBacktest,
  runOutputFiles,
  slippageSweep,
  toJson,
  walkForwardFiles,
  walkForwardSettings,
  writeRunFiles,
} from "./lib/mod.ts";

const SAMPLE_DIR = "data/sample";

const USAGE = `Usage: mahler <command> [options]

Commands:
  (none)     Walk-forward optimize config/default.toml on the sample data into
             results/optimize-<timestamp> (generates data/sample on first use)
  optimize   Walk-forward optimization of the [walk_forward.grid] on Web Workers
             --config FILE  strategy TOML (default config/default.toml)
             --data PATH    data (default data/sample, generated when absent)
             --out DIR      output folder (default results/optimize-<timestamp>)
             --workers N    worker count (default: number of cores)
  run        Backtest a configuration
             --config FILE  strategy TOML (required)
             --data PATH    chain file, directory or data directory (required)
             --out DIR      output folder (required)
             --from DATE    first day, YYYY-MM-DD (default: first day of the data)
             --to DATE      last day, YYYY-MM-DD (default: last day of the data)
             --slippage-sweep  also re-run over [diagnostics] slippage_sweep fractions
                            and report where the edge disappears (slippage_sweep.json)
  validate   Run fixed parameters (a params.toml from run or optimize) on a period
             --params FILE  --data PATH  --out DIR  [--from DATE] [--to DATE]
  export     Write DIR/trades.csv or DIR/trades.json from DIR/trades.parquet
             --run DIR  --format csv|json
  inspect    Data-quality report of a data path
             --data PATH   chain file, directory of chain files, or data directory (required)
             --json        print the report as JSON
  sample     Generate the deterministic sample market
             --out DIR     output directory (default ${SAMPLE_DIR})
             --seed N      integer seed (default 42)
  report     Execute every notebook with Jupyter (Deno kernel) and write reports/<name>.html
             --notebooks DIR  notebooks folder (default notebooks)
             --out DIR        output folder (default reports)
             --only NAMES     comma-separated notebook names (default all)
  help       Show this message
`;

/** A usage error: printed with the usage line, exit code 2. */
class UsageError extends Error {}

/** A missing or failing external tool: printed as is, exit code 1. */
class ToolError extends Error {}

function parse(args: string[], options: Record<string, { type: "string" | "boolean" }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function printReport(report: QualityReport & { greeks_check: GreeksCheck }, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const rows: Array<[string, string | number]> = [
    ["rows", report.rows],
    ["trading days", report.days],
    ["underlyings", report.underlyings.join(", ")],
    ["date range", `${report.first_date} to ${report.last_date}`],
    ["crossed quotes", report.crossed_quotes],
    ["zero bids", report.zero_bids],
    ["bad greeks / IV", report.bad_greeks],
    ["duplicate contracts", report.duplicates],
    ["missing days", report.missing_days],
    ["vanished strikes", report.vanished_strikes],
    ["rows excluded from scanning", report.excluded_rows],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(28)} ${v}`);
  const g = report.greeks_check;
  const f = (x: number | null) => (x === null ? "n/a" : x.toExponential(2));
  console.log(
    `greeks vs Black-Scholes (r = ${g.rate}, ${g.rows_compared} rows): median |Δdelta| ${
      f(g.delta.median)
    }, ` +
      `|Δvega| ${f(g.vega.median)}, IV from mid median |Δ| ${f(g.iv_from_mid.median)} ` +
      `(p99 ${f(g.iv_from_mid.p99)}), mids outside bounds ${g.mid_outside_bounds}`,
  );
  for (const [ticker, c] of Object.entries(report.per_underlying)) {
    console.log(
      `  ${
        ticker.padEnd(6)
      } rows ${c.rows}, days ${c.days}, crossed ${c.crossed_quotes}, zero bids ${c.zero_bids}, bad greeks ${c.bad_greeks}, duplicates ${c.duplicates}, missing days ${c.missing_days}`,
    );
  }
}

function inspect(dataPath: string, json: boolean): void {
  const t0 = performance.now();
  const store = buildChainStore(loadMarketData(dataPath));
  const report = { ...dataQuality(store), greeks_check: greeksCheck(store) };
  printReport(report, json);
  if (!json) {
    console.error(`Loaded and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** Checks an optional YYYY-MM-DD flag. */
function dateFlag(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (Number.isNaN(isoToDay(text))) {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  return text;
}

function required(command: string, name: string, value: unknown): string {
  if (value === undefined || value === "") throw new UsageError(`${command} needs --${name}`);
  return String(value);
}

/** Loads, backtests and writes a run folder; prints a short summary. */
function backtestCommand(
  command: string,
  configPath: string,
  dataPath: string,
  outDir: string,
  from?: string,
  to?: string,
  sweep = false,
): void {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t0) / 1000;
    t0 = now;
  };
  const config = loadConfig(configPath);
  console.error(`Loading ${dataPath} ...`);
  const market = loadMarketData(dataPath);
  const store = buildChainStore(market);
  lap("load");
  const quality = { ...dataQuality(store), greeks_check: greeksCheck(store) };
  lap("data_quality");
  console.error(`Backtesting ${store.nDays} trading days ...`);
  const result = runBacktest(store, config, { from, to });
  lap("backtest");
  const extra: OutputFile[] = [];
  if (sweep) {
    console.error(`Slippage sweep over ${config.diagnostics.slippage_sweep.length} fractions ...`);
    const sw = slippageSweep(store, config, { from, to });
    lap("slippage_sweep");
    extra.push({ name: "slippage_sweep.json", text: toJson(sw) });
    console.log("slippage  trades   total P&L   Sharpe");
    for (const p of sw.points) {
      const sharpe = p.sharpe === null ? "n/a" : p.sharpe.toFixed(2);
      console.log(
        `${p.slippage.toFixed(2).padStart(8)}  ${String(p.trades).padStart(6)}  ${
          p.total_pnl.toFixed(2).padStart(10)
        }   ${sharpe}`,
      );
    }
    const be = (x: number | null) => (x === null ? "beyond the range tested" : x.toFixed(3));
    console.log(
      `Edge disappears at slippage ${be(sw.pnl_break_even)} (P&L) / ${
        be(sw.sharpe_break_even)
      } (Sharpe)`,
    );
  }
  writeRunFiles(outDir, [
    ...runOutputFiles(result, config, quality, {
      command,
      inputFiles: [configPath, ...market.files],
      timings,
      extra: { from: from ?? null, to: to ?? null },
    }),
    ...extra,
  ]);
  const m = result.metrics;
  const pct = (x: number | null) => (x === null ? "n/a" : `${(100 * x).toFixed(1)}%`);
  const num = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
  console.log(
    `${m.trade_count} trades ${m.first_date} to ${m.last_date}: P&L $${m.total_pnl.toFixed(2)} ` +
      `(${pct(m.total_return)}), win rate ${pct(m.win_rate)}, Sharpe ${num(m.sharpe)}, ` +
      `max drawdown ${pct(m.max_drawdown)}`,
  );
  console.log(
    `Wrote trades.parquet, metrics.json, equity_curve.csv, params.toml, manifest.json, data_quality.json to ${outDir}`,
  );
}

/** Walk-forward optimization into a run folder, with a progress bar on stderr. */
async function optimizeCommand(
  configPath: string,
  dataPath: string,
  outDir: string,
  workers: number,
): Promise<void> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t0) / 1000;
    t0 = now;
  };
  const config = loadConfig(configPath);
  walkForwardSettings(config, configPath); // fail on a bad [walk_forward] before loading data
  console.error(`Loading ${dataPath} ...`);
  const market = loadMarketData(dataPath);
  // Shared memory for the workers: part of preparing the data, timed with loading.
  const store = buildChainStore(market).share();
  const quality = { ...dataQuality(store), greeks_check: greeksCheck(store) };
  lap("load");
  const bar = new cliProgress.SingleBar({
    format:
      "Walk-forward |{bar}| {percentage}% | {value}/{total} simulations | ETA {eta_formatted}",
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  const result = await optimizeWalkForward(store, config, {
    workers,
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  if (started) bar.stop();
  lap("optimize");
  writeRunFiles(
    outDir,
    walkForwardFiles(result, config, {
      calendar: store.calendar,
      tickers: store.tickers,
      quality,
      inputFiles: [configPath, ...market.files],
      timings,
      workers,
    }),
  );
  const a = result.aggregate;
  const num = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
  console.log(
    `${result.periods.length} periods x ${result.combinations} combinations in ${
      timings.optimize.toFixed(1)
    } s ` +
      `(${workers} workers, data loaded in ${timings.load.toFixed(1)} s)`,
  );
  console.log(
    `Out-of-sample: mean test Sharpe ${num(a.mean_oos_sharpe)}, median ${
      num(a.median_oos_sharpe)
    }, ` +
      `${result.oosMetrics.trade_count} trades, return ${
        (100 * result.oosMetrics.total_return).toFixed(1)
      }%; ` +
      `alpha-decay slope ${num(a.alpha_decay.slope)} per period`,
  );
  const pbo = result.pbo === null ? "n/a" : result.pbo.pbo.toFixed(2);
  const dsr = result.oosDiagnostics.sharpe_inference.dsr;
  console.log(
    `Overfitting: PBO ${pbo} (CSCV, ${result.pbo?.splits ?? 0} splits); out-of-sample DSR ` +
      `${dsr === null ? "n/a" : dsr.toFixed(3)} against ${result.combinations} trials`,
  );
  console.log(
    `Wrote walk_forward.json, grid_results.parquet, params.toml, trades.parquet, metrics.json, equity_curve.csv, manifest.json to ${outDir}`,
  );
}

/** A results folder name from the current UTC time, e.g. results/optimize-20241231-235959. */
function timestampedOut(): string {
  const iso = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `results/optimize-${iso}`;
}

/** Writes trades.csv or trades.json next to a run's trades.parquet. */
function exportCommand(runDir: string, format: string): void {
  if (format !== "csv" && format !== "json") {
    throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
  }
  const source = join(runDir, "trades.parquet");
  let trades: pl.DataFrame;
  try {
    trades = pl.readParquet(source);
  } catch {
    throw new DataError({ file: source }, "Cannot read the run's trade log");
  }
  const withIsoDates = trades.withColumns(
    ...["entry_date", "exit_date", "expiration"].map((c) => pl.col(c).cast(pl.Utf8)),
  );
  const name = format === "csv" ? "trades.csv" : "trades.json";
  const text = format === "csv"
    ? withIsoDates.writeCSV().toString()
    : toJson(withIsoDates.toRecords());
  writeRunFiles(runDir, [{ name, text }]);
  console.log(`Wrote ${join(runDir, name)} (${trades.height} trades)`);
}

const JUPYTER_HELP = `Jupyter is needed to render reports. On Debian/Ubuntu:
  sudo apt-get install -y jupyter-nbconvert jupyter-client python3-nbformat
or with pip:
  pip install nbconvert jupyter-client nbformat
then register the Deno kernel:
  npx --yes deno@2.9.6 jupyter --install`;

/** Output of a command, or null when it cannot be started. */
function tryCommand(
  cmd: string,
  args: string[],
): { ok: boolean; stdout: string; stderr: string } | null {
  try {
    const out = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).outputSync();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { ok: out.success, stdout: text(out.stdout), stderr: text(out.stderr) };
  } catch {
    return null;
  }
}

/** Runs a jupyter subcommand, failing with its stderr. */
async function jupyter(args: string[], what: string): Promise<void> {
  const out = await new Deno.Command("jupyter", { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new ToolError(`${what} failed:\n${new TextDecoder().decode(out.stderr).slice(-4000)}`);
  }
}

/** Code cells of an executed notebook (JSON text) that have no result or display output. */
function emptyCodeCells(notebookJson: string): number {
  const nb = JSON.parse(notebookJson) as {
    cells: Array<{ cell_type: string; outputs?: Array<{ output_type: string }> }>;
  };
  return nb.cells.filter((c) =>
    c.cell_type === "code" &&
    !(c.outputs ?? []).some((o) =>
      o.output_type === "execute_result" || o.output_type === "display_data"
    )
  ).length;
}

/** Renders every notebook to HTML with nbconvert and the Deno kernel. */
async function reportCommand(notebooksDir: string, outDir: string, only?: string[]): Promise<void> {
  const version = tryCommand("jupyter", ["nbconvert", "--version"]);
  if (!version?.ok) throw new ToolError(`jupyter nbconvert was not found.\n${JUPYTER_HELP}`);
  const kernels = tryCommand("jupyter", ["kernelspec", "list"]);
  if (!kernels?.stdout.includes("deno")) {
    console.error("Registering the Deno Jupyter kernel (deno jupyter --install) ...");
    const install = tryCommand(Deno.execPath(), ["jupyter", "--install"]);
    if (!install?.ok) {
      throw new ToolError(
        `Could not register the Deno kernel: ${install?.stderr ?? "failed to start"}`,
      );
    }
  }
  ensureSample();
  const notebooks = [...Deno.readDirSync(notebooksDir)].map((e) => e.name)
    .filter((n) => n.endsWith(".ipynb") && (!only || only.includes(n.replace(/\.ipynb$/, ""))))
    .sort();
  if (only) {
    const unknown = only.filter((o) => !notebooks.includes(`${o}.ipynb`));
    if (unknown.length) throw new UsageError(`No such notebook: ${unknown.join(", ")}`);
  }
  if (!notebooks.length) throw new ToolError(`No notebooks in ${notebooksDir}`);
  const staging = `${outDir}/.rendering-${Deno.pid}`;
  Deno.mkdirSync(staging, { recursive: true });
  try {
    for (const name of notebooks) {
      const t0 = performance.now();
      const executed = resolve(staging, name);
      // Every notebook cell ends in a displayed value. The Deno kernel can report a cell idle
      // before its result arrives, and nbconvert then drops that output: execute to a
      // notebook first, and run it again (up to 3 times) if any code cell came back empty.
      let missing = -1;
      for (let attempt = 1; attempt <= 3 && missing !== 0; attempt++) {
        console.error(
          `Executing ${name}${
            attempt > 1 ? ` (attempt ${attempt}: ${missing} outputs were lost)` : ""
          } ...`,
        );
        await jupyter([
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.kernel_name=deno",
          "--ExecutePreprocessor.timeout=900",
          "--output",
          executed,
          join(notebooksDir, name),
        ], name);
        missing = emptyCodeCells(Deno.readTextFileSync(executed));
      }
      if (missing > 0) {
        console.error(`Warning: ${missing} cells of ${name} show no output after 3 runs`);
      }
      await jupyter(
        ["nbconvert", "--to", "html", "--output-dir", resolve(staging), executed],
        name,
      );
      const html = name.replace(/\.ipynb$/, ".html");
      // Self-contained: the Plotly library goes into the page once.
      const page = embedPlotly(Deno.readTextFileSync(join(staging, html)));
      Deno.writeTextFileSync(join(staging, html), page);
      Deno.renameSync(join(staging, html), join(outDir, html));
      console.log(
        `Wrote ${join(outDir, html)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    Deno.removeSync(staging, { recursive: true });
  }
}

function ensureSample(): void {
  if (existsSync(SAMPLE_DIR)) return;
  console.error(`Generating the sample market in ${SAMPLE_DIR} (seed 42)...`);
  const s = generateSample({ outDir: SAMPLE_DIR });
  console.error(`Wrote ${s.rows} contract rows over ${s.days} trading days.`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined: {
      ensureSample();
      await optimizeCommand(
        "config/default.toml",
        SAMPLE_DIR,
        timestampedOut(),
        navigator.hardwareConcurrency ?? 1,
      );
      return 0;
    }
    case "optimize": {
      const v = parse(rest, {
        config: { type: "string" },
        data: { type: "string" },
        out: { type: "string" },
        workers: { type: "string" },
      });
      const workers = v.workers === undefined
        ? navigator.hardwareConcurrency ?? 1
        : Number(v.workers);
      if (!Number.isInteger(workers) || workers < 1) {
        throw new UsageError(
          `--workers must be a positive integer, got ${JSON.stringify(v.workers)}`,
        );
      }
      const data = v.data === undefined ? SAMPLE_DIR : String(v.data);
      if (v.data === undefined) ensureSample();
      await optimizeCommand(
        v.config ? String(v.config) : "config/default.toml",
        data,
        v.out ? String(v.out) : timestampedOut(),
        workers,
      );
      return 0;
    }
    case "run": {
      const v = parse(rest, {
        config: { type: "string" },
        data: { type: "string" },
        out: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        "slippage-sweep": { type: "boolean" },
      });
      backtestCommand(
        "run",
        required("run", "config FILE", v.config),
        required("run", "data PATH", v.data),
        required("run", "out DIR", v.out),
        dateFlag("from", v.from),
        dateFlag("to", v.to),
        Boolean(v["slippage-sweep"]),
      );
      return 0;
    }
    case "validate": {
      const v = parse(rest, {
        params: { type: "string" },
        data: { type: "string" },
        out: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
      });
      backtestCommand(
        "validate",
        required("validate", "params FILE", v.params),
        required("validate", "data PATH", v.data),
        required("validate", "out DIR", v.out),
        dateFlag("from", v.from),
        dateFlag("to", v.to),
      );
      return 0;
    }
    case "export": {
      const v = parse(rest, { run: { type: "string" }, format: { type: "string" } });
      exportCommand(
        required("export", "run DIR", v.run),
        required("export", "format csv|json", v.format),
      );
      return 0;
    }
    case "inspect": {
      const v = parse(rest, { data: { type: "string" }, json: { type: "boolean" } });
      if (!v.data) throw new UsageError("inspect needs --data PATH");
      inspect(String(v.data), Boolean(v.json));
      return 0;
    }
    case "sample": {
      const v = parse(rest, { out: { type: "string" }, seed: { type: "string" } });
      const seed = v.seed === undefined ? 42 : Number(v.seed);
      if (!Number.isInteger(seed)) {
        throw new UsageError(`--seed must be an integer, got ${JSON.stringify(v.seed)}`);
      }
      const t0 = performance.now();
      const s = generateSample({ outDir: v.out ? String(v.out) : SAMPLE_DIR, seed });
      console.log(
        `Wrote ${s.rows} contract rows, ${s.days} trading days, ${s.files.length} files to ${s.outDir} in ${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s`,
      );
      return 0;
    }
    case "report": {
      const v = parse(rest, {
        notebooks: { type: "string" },
        out: { type: "string" },
        only: { type: "string" },
      });
      await reportCommand(
        v.notebooks ? String(v.notebooks) : "notebooks",
        v.out ? String(v.out) : "reports",
        v.only ? String(v.only).split(",").map((x) => x.trim()) : undefined,
      );
      return 0;
    }
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${USAGE}`);
      Deno.exit(2);
    }
    if (
      err instanceof DataError || err instanceof ConfigError || err instanceof RangeError ||
      err instanceof ToolError
    ) {
      console.error(`Error: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
}
