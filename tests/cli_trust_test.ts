/**
 * The command-line cases of "results a researcher can trust": no empty success, safe output
 * folders, messages that name what is wrong, and a stitched walk-forward whose figures
 * reconcile. Each error is one line naming the path or key (exit 1 or 2), never a stack trace.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { generateSample } from "../lib/mod.ts";
import { runCli } from "./helpers/cli.ts";

const cli = (...args: string[]) => runCli(args);

/** The error line of a failed command; asserts it is the only one and there is no stack. */
function errorLine(r: { code: number; stderr: string }, code = 1): string {
  assert.equal(r.code, code, r.stderr);
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("Error: "));
  assert.equal(errors.length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
  return errors[0];
}

const root = await Deno.makeTempDir({ prefix: "mahler-trust-" });
/** Ten months of the sample market. */
const data = join(root, "data");
generateSample({ outDir: data, start: "2023-09-01", end: "2024-06-28", seed: 8 });
/** Four months of it. */
const short = join(root, "short");
generateSample({ outDir: short, start: "2024-01-02", end: "2024-04-30", seed: 8 });

/** A configuration file: test_config.toml with replacements. */
function config(name: string, replace: Array<[string | RegExp, string]> = []): string {
  let text = readFileSync("config/test_config.toml", "utf8");
  for (const [from, to] of replace) {
    const before = text;
    text = text.replace(from, to);
    assert.notEqual(text, before, `${from} not found`);
  }
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

Deno.test("an underlying not in the data is an error listing the ones present, and nothing is written", async () => {
  const cfg = config("xyz.toml", [['underlying = ["SPY", "QQQ"]', 'underlying = ["SPY", "XYZ"]']]);
  const out = join(root, "xyz-out");
  const line = errorLine(await cli("run", "--config", cfg, "--data", data, "--out", out));
  assert.equal(line, `Error: ${data}: No contract rows for XYZ; the data holds IWM, QQQ, SPY`);
  assert.equal(existsSync(out), false);
});

Deno.test("data too short for one walk-forward period states the span needed and given", async () => {
  const cfg = config("wf-long.toml", [["train_months = 2", "train_months = 6"]]);
  const out = join(root, "short-out");
  const line = errorLine(await cli("optimize", "--config", cfg, "--data", short, "--out", out));
  assert.equal(
    line,
    "Error: Too little data for one walk-forward period: it needs 8 calendar months (train 6 + " +
      "validate 1 + test 1); the data spans 4 (2024-01-02 to 2024-04-30, 83 trading days)",
  );
  assert.equal(existsSync(out), false);
});

Deno.test("optimize: periods without training trades select nothing, and the stitched run reconciles", async () => {
  // A 60-day IV history with the filter on: the first training windows lie in the warm-up.
  const cfg = config("warmup.toml", [["iv_percentile_min = 0 ", "iv_percentile_min = 10 "]]);
  const out = join(root, "warmup-out");
  const r = await cli("optimize", "--config", cfg, "--data", data, "--out", out, "--workers", "1");
  assert.equal(r.code, 0, r.stderr);
  const wf = JSON.parse(readFileSync(join(out, "walk_forward.json"), "utf8"));
  const none = wf.periods.filter((p: { chosen: unknown }) => p.chosen === null);
  assert.ok(none.length >= 1, "the warm-up's periods select nothing");
  assert.equal(wf.periods[0].chosen, null);
  assert.match(wf.periods[0].selection, /^no selection/);
  assert.equal(wf.periods[0].test_trades, 0);
  assert.equal(wf.aggregate.no_selection_periods, none.length);
  assert.match(
    r.stdout,
    new RegExp(`^${none.length} of ${wf.periods.length} periods made no selection`, "m"),
  );
  // The stitched run's Sharpe, return and drawdown beside the window Sharpes' mean.
  const m = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  assert.match(
    r.stdout,
    new RegExp(
      `^Out-of-sample, the test windows stitched from ${m.first_date} to ${m.last_date} .*` +
        `Sharpe ${m.sharpe.toFixed(2)} .*return ${pct(m.total_return)}, max drawdown ${
          pct(m.max_drawdown)
        }\\.$`,
      "m",
    ),
  );
  assert.match(r.stdout, /^Test windows one by one: mean Sharpe -?\d+\.\d\d, median/m);
  assert.equal(m.first_date, wf.aggregate.oos_from);
  assert.ok(m.warmup_days > 0, "the no-selection windows before the span are left out");
  // total_pnl sums the windows' returns at the starting equity; total_return compounds them.
  const s = m.stitching;
  assert.ok(Math.abs(m.total_pnl - 100000 * s.sum_of_window_returns) < 0.01);
  assert.ok(Math.abs(m.total_return - s.compounded_return) < 1e-9);
  assert.ok(Math.abs(m.final_equity - 100000 - s.equity_change) < 0.01);
  assert.equal(s.no_selection_windows, none.length);
  assert.match(r.stdout, /^Overfitting: PBO .* distinct trading combinations of 4 /m);
});

Deno.test("optimize: a grid that trades nothing says so plainly and names the binding filter", async () => {
  const cfg = config("never.toml", [["min_credit_pct = 0.10", "min_credit_pct = 0.95"]]);
  const out = join(root, "never-out");
  const r = await cli("optimize", "--config", cfg, "--data", data, "--out", out, "--workers", "1");
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^No combination of the grid entered a position over the whole data \(4 combinations\)\.$/m,
  );
  assert.match(
    r.stdout,
    /^Stopped by min_credit_pct: no spread's credit reached 95% of its width .* in 4 of 4 combinations/m,
  );
  assert.match(r.stdout, /^Out-of-sample: no period selected a combination/m);
  assert.match(
    readFileSync(join(out, "params.toml"), "utf8"),
    /^# No walk-forward period selected/,
  );
});

Deno.test("a chains folder mixing Parquet and CSV (another column order) loads and trades as all-Parquet", async () => {
  const mixed = join(root, "mixed");
  mkdirSync(join(mixed, "chains"), { recursive: true });
  for (const entry of ["bars", "vix.csv"]) {
    Deno.symlinkSync(join(data, entry), join(mixed, entry));
  }
  for (const file of readdirSync(join(data, "chains"))) {
    const frame = pl.readParquet(join(data, "chains", file));
    if (file.startsWith("QQQ")) {
      // CSV with the columns reversed.
      frame.select(...[...frame.columns].reverse()).writeCSV(
        join(mixed, "chains", file.replace(".parquet", ".csv")),
      );
    } else Deno.copyFileSync(join(data, "chains", file), join(mixed, "chains", file));
  }
  const cfg = config("mixed.toml");
  const a = await cli("run", "--config", cfg, "--data", data, "--out", join(root, "m-parquet"));
  const b = await cli("run", "--config", cfg, "--data", mixed, "--out", join(root, "m-mixed"));
  assert.equal(b.code, 0, b.stderr);
  assert.equal(a.code, 0, a.stderr);
  const trades = (dir: string) => pl.readParquet(join(root, dir, "trades.parquet"));
  assert.ok(trades("m-mixed").height > 0);
  assert.ok(trades("m-mixed").frameEqual(trades("m-parquet")));
});

Deno.test("an existing non-empty --out is refused before loading; --force replaces it whole", async () => {
  const out = join(root, "stale");
  mkdirSync(out);
  writeFileSync(join(out, "trades.csv"), "stale\n");
  const cfg = config("force.toml");
  const refused = await cli("run", "--config", cfg, "--data", data, "--out", out);
  assert.equal(
    errorLine(refused),
    `Error: ${out}: exists and is not empty: choose another output folder, or add --force to replace it`,
  );
  assert.doesNotMatch(refused.stderr, /Loaded/, "refused before loading");
  const forced = await cli("run", "--config", cfg, "--data", data, "--out", out, "--force");
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(readdirSync(out).sort(), [
    "data_quality.json",
    "equity_curve.csv",
    "manifest.json",
    "metrics.json",
    "params.toml",
    "trade_legs.parquet",
    "trades.parquet",
  ]);
  assert.deepEqual(readdirSync(root).filter((n) => n.startsWith(".stale")), [], "no leftovers");
  // An empty folder is fine without --force.
  const empty = join(root, "empty-out");
  mkdirSync(empty);
  assert.equal((await cli("run", "--config", cfg, "--data", data, "--out", empty)).code, 0);
});

Deno.test("an unusable --out fails at once with one line naming the path", async () => {
  const cfg = config("unusable.toml");
  const file = join(root, "a-file");
  writeFileSync(file, "x");
  const under = await cli("optimize", "--config", cfg, "--data", data, "--out", join(file, "run"));
  assert.equal(errorLine(under), `Error: ${file}: is a file, not a folder`);
  assert.doesNotMatch(under.stderr, /Loaded/);
  // A folder that cannot be written (read-only for a user; root writes anywhere but /sys).
  let blocked: string;
  if (Deno.uid() === 0) blocked = "/sys/mahler-out";
  else {
    blocked = join(root, "read-only");
    mkdirSync(blocked);
    chmodSync(blocked, 0o555);
    blocked = join(blocked, "run");
  }
  const ro = await cli("run", "--config", cfg, "--data", data, "--out", blocked);
  assert.match(errorLine(ro), /^Error: \/.*: cannot create folders here \(.+\)$/);
  assert.doesNotMatch(ro.stderr, /Loaded/);
});

Deno.test("configuration messages: TOML line and column, an unknown section with a suggestion", async () => {
  const bad = join(root, "syntax.toml");
  writeFileSync(bad, '[strategy]\nunderlying = "SPY"\nstrategy_type = bull\n');
  assert.equal(
    errorLine(await cli("run", "--config", bad, "--data", data, "--out", join(root, "s1"))),
    `Error: ${bad}: line 3, column 17: Invalid TOML: invalid value`,
  );
  const typo = config("typo.toml", [["[exit]", "[exits]"]]);
  assert.equal(
    errorLine(await cli("run", "--config", typo, "--data", data, "--out", join(root, "s2"))),
    `Error: ${typo}: [exits]: unknown section, did you mean [exit]?`,
  );
});

Deno.test("an empty data folder is named", async () => {
  const empty = join(root, "no-chains");
  mkdirSync(empty);
  const line = errorLine(
    await cli("run", "--config", config("e.toml"), "--data", empty, "--out", join(root, "e")),
  );
  assert.match(line, new RegExp(`^Error: ${empty}: No chain files found`));
});

Deno.test("run states the real window, and with risk_free_rate = 0.03 the bootstrap interval holds the reported Sharpe", async () => {
  const cfg = config("rf.toml", [["risk_free_rate = 0.0", "risk_free_rate = 0.03"]]);
  const out = join(root, "rf-out");
  const r = await cli(
    "run",
    "--config",
    cfg,
    "--data",
    data,
    "--out",
    out,
    "--from",
    "2024-01-02",
    "--to",
    "2024-06-28",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^Backtesting 124 trading days, 2024-01-02 to 2024-06-28 \.\.\.$/m);
  const m = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.ok(m.trade_count > 0);
  const b = m.diagnostics.bootstrap;
  assert.equal(b.risk_free_rate, 0.03);
  assert.equal(b.sharpe.estimate, m.sharpe_daily);
  assert.ok(
    b.sharpe.lower <= m.sharpe_daily && m.sharpe_daily <= b.sharpe.upper,
    JSON.stringify(b),
  );
  // PSR/DSR are of the same excess returns: their per-day Sharpe × √252 is the reported one.
  const si = m.diagnostics.sharpe_inference;
  assert.ok(Math.abs(si.sharpe * Math.sqrt(252) - m.sharpe_daily) < 1e-9);
  assert.equal(b.cagr.estimate, m.cagr, "one CAGR day count");
});
